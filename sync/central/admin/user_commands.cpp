// CLI: user add.
#include <iostream>

#include "sync/central/admin/commands.hpp"

namespace batchivo::central {

void add_user_commands(CLI::App& app, CliContext& ctx) {
    struct Options {
        std::string tenant, email, name, role = "member";
    };
    auto o = std::make_shared<Options>();
    auto* user = app.add_subcommand("user", "Users");
    user->require_subcommand(1);
    auto* uadd = user->add_subcommand("add", "Add a user to a tenant");
    uadd->add_option("--tenant", o->tenant, "Tenant slug or id")->required();
    uadd->add_option("--email", o->email, "E-mail")->required();
    uadd->add_option("--name", o->name, "Name");
    uadd->add_option("--role", o->role, "owner|admin|member|viewer")->capture_default_str();
    uadd->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            auto s = ctx.open_store();
            AdminStore& admin = *s;
            const Tenant t = require_tenant(admin, o->tenant);
            const std::string id = admin.add_user(t.id, o->email, o->name, o->role);
            std::cout << "user " << o->email << " (" << id << ") is " << o->role << " of " << t.slug << "\n";
            return 0;
        };
    });
}

}  // namespace batchivo::central
