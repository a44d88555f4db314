// CLI: tenant create, tenant list.
#include <iostream>

#include "sync/central/admin/commands.hpp"

namespace batchivo::central {

using nlohmann::json;

void add_tenant_commands(CLI::App& app, CliContext& ctx) {
    struct Options {
        std::string slug, name;
        bool as_json = false;
    };
    auto o = std::make_shared<Options>();
    auto* tenant = app.add_subcommand("tenant", "Tenants");
    tenant->require_subcommand(1);

    auto* tcreate = tenant->add_subcommand("create", "Create a tenant");
    tcreate->add_option("--slug", o->slug, "URL-friendly id [a-z0-9-]")->required();
    tcreate->add_option("--name", o->name, "Display name")->required();
    tcreate->add_flag("--json", o->as_json, "Print JSON");
    tcreate->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            AdminStore& admin = *s;
            const Tenant t = admin.create_tenant(o->slug, o->name);
            if (o->as_json) print_json({{"id", t.id}, {"slug", t.slug}, {"name", t.name}});
            else std::cout << "created tenant " << t.slug << " (" << t.id << ")\n";
            return 0;
        };
    });

    auto* tlist = tenant->add_subcommand("list", "List tenants");
    tlist->add_flag("--json", o->as_json, "Print JSON");
    tlist->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            AdminStore& admin = *s;
            json arr = json::array();
            for (const auto& t : admin.list_tenants()) {
                if (o->as_json) arr.push_back({{"id", t.id}, {"slug", t.slug}, {"name", t.name}, {"is_active", t.is_active}});
                else std::cout << t.slug << "\t" << t.name << "\t" << t.id << (t.is_active ? "" : "\t(inactive)") << "\n";
            }
            if (o->as_json) print_json(arr);
            return 0;
        };
    });
}

}  // namespace batchivo::central
