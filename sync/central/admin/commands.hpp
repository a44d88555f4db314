// Internal to the admin CLI: the state every command group shares, and one registration function per group.
// Each add_*_commands() adds its CLI11 subcommands to `app`; the chosen subcommand's callback stores its work in
// ctx.action, which run_cli calls after parsing. Commands throw StoreError for the operator's mistakes; run_cli
// prints it and exits 1.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "sync/central/store/store.hpp"

namespace batchivo::central {

struct CliContext {
    std::string db_flag;   // --db
    std::string data_dir;  // --data-dir
    std::function<int()> action;

    // --db, else $BATCHIVO_DB, else sqlite:<data dir>/central.db (creating the data dir).
    std::string db_url() const;
    std::shared_ptr<Store> open_store(int pool_size = 8) const;
};

// The tenant by slug or id; StoreError("not_found") naming `tenant list` otherwise.
Tenant require_tenant(AdminStore& store, const std::string& slug_or_id);
void print_json(const nlohmann::json& j);

void add_server_commands(CLI::App& app, CliContext& ctx);   // migrate, db create-app-role/check, serve
void add_tenant_commands(CLI::App& app, CliContext& ctx);   // tenant create/list
void add_user_commands(CLI::App& app, CliContext& ctx);     // user add
void add_device_commands(CLI::App& app, CliContext& ctx);   // device pair/list/revoke
void add_spool_commands(CLI::App& app, CliContext& ctx);    // spool add/import/label, material list
void add_spool_label_command(CLI::App& spool, CliContext& ctx);  // spool label (label_commands.cpp)
void add_reorder_commands(CLI::App& app, CliContext& ctx);  // reorder set
void add_product_commands(CLI::App& app, CliContext& ctx);  // product add/component add/import/list
void add_demo_command(CLI::App& app, CliContext& ctx);      // demo (demo.cpp)
void add_supplier_commands(CLI::App& app, CliContext& ctx);  // supplier add/list
void add_purchase_commands(CLI::App& app, CliContext& ctx);  // purchase add/list/import

}  // namespace batchivo::central
