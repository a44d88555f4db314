// CLI: reorder set.
#include <iostream>

#include "sync/central/admin/commands.hpp"

namespace batchivo::central {

void add_reorder_commands(CLI::App& app, CliContext& ctx) {
    struct Options {
        std::string tenant;
        ReorderSetting rs;
    };
    auto o = std::make_shared<Options>();
    auto* reo = app.add_subcommand("reorder", "Reorder settings");
    reo->require_subcommand(1);
    auto* rset = reo->add_subcommand("set", "Create or update the reorder setting for (material, color, brand)");
    rset->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    rset->add_option("--material", o->rs.material_name, "Material type")->required();
    rset->add_option("--color", o->rs.color, "Color (empty = any)");
    rset->add_option("--brand", o->rs.brand, "Brand (empty = any)");
    rset->add_option("--lead-time-days", o->rs.lead_time_days, "Supplier lead time (days)")->required();
    rset->add_option("--safety-days", o->rs.safety_stock_days, "Safety stock (days)")->capture_default_str();
    rset->add_option("--avg-daily", o->rs.avg_daily_usage_grams, "Average daily usage (g)");
    rset->add_option("--reorder-point", o->rs.reorder_point_grams, "Reorder point (g); default avg-daily x (lead + safety)");
    rset->add_option("--reorder-quantity", o->rs.reorder_quantity_grams, "Quantity to order (g)");
    rset->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            AdminStore& admin = *s;
            const Tenant t = require_tenant(admin, o->tenant);
            ReorderSetting rs = o->rs;
            if (rs.lead_time_days < 0 || rs.safety_stock_days < 0) throw StoreError("invalid_input", "days must be >= 0");
            if (!rs.reorder_point_grams && rs.avg_daily_usage_grams)
                rs.reorder_point_grams = reorder_point_g(*rs.avg_daily_usage_grams, rs.lead_time_days, rs.safety_stock_days);
            const auto out = admin.set_reorder(t.id, rs);
            std::cout << "reorder setting " << out.id << " saved for " << out.material_name
                      << (out.color.empty() ? "" : " " + out.color) << (out.brand.empty() ? "" : " " + out.brand) << "\n";
            return 0;
        };
    });
}

}  // namespace batchivo::central
