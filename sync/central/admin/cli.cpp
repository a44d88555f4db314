#include "sync/central/admin/cli.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "sync/central/admin/commands.hpp"

namespace batchivo::central {

std::string default_data_dir() {
    if (const char* h = std::getenv("BATCHIVO_CENTRAL_HOME"); h && *h) return h;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/batchivo-central";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/batchivo-central";
    return "./batchivo-central-data";
}

Result<ListenAddress> parse_listen(const std::string& s) {
    const Error bad{"invalid_input", "--listen must be HOST:PORT"};
    const size_t colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) return bad;
    ListenAddress a;
    a.host = s.substr(0, colon);
    if (a.host.size() >= 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
    const std::string p = s.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return bad;
    a.port = std::stoi(p);
    if (a.port > 65535 || a.host.empty()) return bad;
    return a;
}

std::string CliContext::db_url() const {
    if (!db_flag.empty()) return db_flag;
    if (const char* e = std::getenv("BATCHIVO_DB"); e && *e) return e;
    std::filesystem::create_directories(data_dir);
    return "sqlite:" + data_dir + "/central.db";
}

std::shared_ptr<Store> CliContext::open_store(int pool_size) const {
    return central::open_store(db_url(), pool_size);
}

Tenant require_tenant(AdminStore& s, const std::string& key) {
    auto t = s.find_tenant(key);
    if (!t) throw StoreError("not_found", "no tenant '" + key + "' (see `batchivo-central tenant list`)");
    return *t;
}

void print_json(const nlohmann::json& j) { std::cout << j.dump() << std::endl; }

int run_cli(int argc, char** argv) {
    CLI::App app{"batchivo-central: the tenant-scoped Batchivo server (station API over HTTPS, admin CLI)"};
    app.require_subcommand(1);
    app.fallthrough();  // --db / --data-dir also work after the subcommand
    CliContext ctx;
    ctx.data_dir = default_data_dir();
    app.add_option("--db", ctx.db_flag,
                   "Database URL: postgresql://... or sqlite:PATH (default: $BATCHIVO_DB, else SQLite in the data dir)");
    app.add_option("--data-dir", ctx.data_dir, "Data directory (SQLite DB, TLS material)")->capture_default_str();

    add_server_commands(app, ctx);
    add_tenant_commands(app, ctx);
    add_user_commands(app, ctx);
    add_device_commands(app, ctx);
    add_spool_commands(app, ctx);
    add_reorder_commands(app, ctx);
    add_product_commands(app, ctx);
    add_demo_command(app, ctx);
    add_supplier_commands(app, ctx);
    add_purchase_commands(app, ctx);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        return ctx.action ? ctx.action() : 0;
    } catch (const std::exception& e) {  // StoreError and everything else: the message, exit 1
        std::cerr << "batchivo-central: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace batchivo::central
