// CLI: supplier add | list.
#include <cstdio>
#include <iostream>

#include "sync/central/admin/commands.hpp"

namespace batchivo::central {

void add_supplier_commands(CLI::App& app, CliContext& ctx) {
    struct Options {
        std::string tenant;
        Supplier s;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    auto* sup = app.add_subcommand("supplier", "Material suppliers");
    sup->require_subcommand(1);

    auto* add = sup->add_subcommand("add", "Add a supplier");
    add->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    add->add_option("--name", o->s.name, "Supplier name (unique in the tenant)")->required();
    add->add_option("--contact", o->s.contact_name, "Contact person");
    add->add_option("--email", o->s.email, "E-mail");
    add->add_option("--phone", o->s.phone, "Phone");
    add->add_option("--website", o->s.website, "Website");
    add->add_option("--lead-time-days", o->s.average_lead_time_days, "Average lead time (days)");
    add->add_option("--notes", o->s.notes, "Notes");
    add->add_flag("--json", o->json, "Print the supplier as JSON");
    add->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            const Supplier out = s->add_supplier(t.id, o->s);
            if (o->json)
                print_json({{"id", out.id}, {"name", out.name}});
            else
                std::cout << "supplier " << out.name << " (" << out.id << ") added\n";
            return 0;
        };
    });

    auto* list = sup->add_subcommand("list", "List the tenant's suppliers");
    list->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    list->add_flag("--json", o->json, "JSON array");
    list->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            const Tenant t = require_tenant(*s, o->tenant);
            const auto all = s->list_suppliers(t.id);
            if (o->json) {
                nlohmann::json arr = nlohmann::json::array();
                for (const auto& x : all)
                    arr.push_back({{"id", x.id},
                                   {"name", x.name},
                                   {"contact", x.contact_name},
                                   {"email", x.email},
                                   {"phone", x.phone},
                                   {"website", x.website},
                                   {"lead_time_days", x.average_lead_time_days ? nlohmann::json(*x.average_lead_time_days)
                                                                               : nlohmann::json(nullptr)},
                                   {"active", x.is_active}});
                print_json(arr);
                return 0;
            }
            if (all.empty()) std::cout << "no suppliers (add one with 'supplier add')\n";
            for (const auto& x : all) {
                std::cout << x.name;
                if (!x.contact_name.empty()) std::cout << "  " << x.contact_name;
                if (!x.email.empty()) std::cout << "  " << x.email;
                if (x.average_lead_time_days) std::cout << "  lead " << *x.average_lead_time_days << " d";
                std::cout << "  (" << x.id << ")\n";
            }
            return 0;
        };
    });
}

}  // namespace batchivo::central
