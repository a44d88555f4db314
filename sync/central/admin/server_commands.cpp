// CLI: migrate, db create-app-role, db check, serve.
#include <iostream>

#include "sync/central/admin/cli.hpp"
#include "sync/central/admin/commands.hpp"
#include "sync/central/admin/service_watchdog.hpp"
#include "sync/central/admin/serving.hpp"
#include "sync/central/store/pg/role_check.hpp"

namespace batchivo::central {

namespace {

struct ServeOptions {
    std::string role_name = "batchivo_app", role_password;
    std::string listen = "127.0.0.1:8443", cert, key;
    bool insecure_http = false;
    int threads = 8;
    double rate = 20, burst = 60;
    std::vector<std::string> tls_hosts;
    std::string metrics_listen;  // HOST:PORT, empty = no metrics listener
    int header_timeout_s = 10, idle_timeout_s = 15, max_per_address = 64;
};

bool is_postgres_url(const std::string& url) { return url.rfind("postgres", 0) == 0; }

int serve(const CliContext& ctx, const ServeOptions& o) {
    const auto listen = parse_listen(o.listen);
    if (!listen) throw StoreError(listen.error().code, listen.error().message);
    ServerOptions so;
    so.host = listen->host;
    so.port = listen->port;
    so.threads = o.threads;
    so.rate_per_s = o.rate;
    so.burst = o.burst;
    so.plain_http = o.insecure_http;
    so.header_timeout_ms = o.header_timeout_s * 1000;
    so.idle_timeout_ms = o.idle_timeout_s * 1000;
    so.max_connections_per_address = o.max_per_address;
    if (o.header_timeout_s < 1 || o.idle_timeout_s < 1 || o.max_per_address < 1)
        throw StoreError("invalid_input", "--header-timeout, --idle-timeout and --max-per-address must be at least 1");
    if (!o.metrics_listen.empty()) {
        const auto m = parse_listen(o.metrics_listen);
        if (!m) throw StoreError(m.error().code, "--metrics-listen: " + m.error().message);
        so.metrics_host = m->host;
        so.metrics_port = m->port;
    }
    if (o.insecure_http && !is_loopback_host(so.host))
        throw StoreError("invalid_input", "--insecure-http is only allowed on a loopback address");
    const std::string url = ctx.db_url();
    if (is_postgres_url(url)) {
        const auto problems = check_app_role(url);
        if (!problems.empty()) {
            std::cerr << "batchivo-central: refusing to serve, the database role could bypass tenant isolation:\n";
            for (const auto& p : problems) std::cerr << "  - " << p << "\n";
            std::cerr << "connect as the application role (see `batchivo-central db create-app-role`)\n";
            return 2;
        }
    }
    std::shared_ptr<Store> s = open_store(url, o.threads);
    if (s->backend() == "sqlite") s->migrate();
    if (!o.insecure_http) {
        std::vector<std::string> hosts = o.tls_hosts;
        if (so.host != "0.0.0.0" && so.host != "::") hosts.push_back(so.host);
        const TlsChoice t = resolve_tls(ctx.data_dir, o.cert, o.key, hosts);
        so.cert_file = t.cert;
        so.key_file = t.key;
    }
    ServiceWatchdog systemd;  // sd_notify READY/STATUS/WATCHDOG/STOPPING (see service_watchdog.hpp)
    return serve_until_signal(s, so, false, [&](CentralServer& srv) {
        std::cerr << "batchivo-central: serving " << s->backend() << " on " << srv.url() << "\n";
        if (srv.metrics_port() >= 0) std::cerr << "batchivo-central: metrics on " << srv.metrics_url() << "\n";
        systemd.started(srv, so, s->backend());
    });
}

}  // namespace

void add_server_commands(CLI::App& app, CliContext& ctx) {
    auto o = std::make_shared<ServeOptions>();

    auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations (run as the database owner)");
    migrate->callback([&ctx] {
        ctx.action = [&ctx] {
            auto s = ctx.open_store();
            AdminStore& admin = *s;
            const int n = admin.migrate();
            std::cout << (n ? "applied " + std::to_string(n) + " migration(s)" : std::string("schema is up to date"))
                      << "; schema version " << admin.schema_version() << "\n";
            return 0;
        };
    });

    auto* db = app.add_subcommand("db", "PostgreSQL role management");
    db->require_subcommand(1);
    auto* mkrole = db->add_subcommand(
        "create-app-role", "Create/refresh the non-owner role `serve` connects as (run as the owner, after migrate)");
    mkrole->add_option("--name", o->role_name, "Role name")->capture_default_str();
    mkrole->add_option("--password", o->role_password, "Role password")->required();
    mkrole->callback([&ctx, o] {
        ctx.action = [&ctx, o] {
            const std::string url = ctx.db_url();
            if (!is_postgres_url(url)) throw StoreError("invalid_input", "create-app-role needs --db postgresql://OWNER@...");
            create_app_role(url, o->role_name, o->role_password);
            std::cout << "role " << o->role_name << " ready (LOGIN, NOSUPERUSER, NOBYPASSRLS, not an owner)\n";
            return 0;
        };
    });
    auto* dbcheck = db->add_subcommand("check", "Check that the --db role is safe for `serve` (RLS cannot be bypassed)");
    dbcheck->callback([&ctx] {
        ctx.action = [&ctx] {
            const auto problems = check_app_role(ctx.db_url());
            for (const auto& p : problems) std::cout << "problem: " << p << "\n";
            if (problems.empty()) std::cout << "ok: role cannot bypass row-level security\n";
            return problems.empty() ? 0 : 1;
        };
    });

    auto* srv = app.add_subcommand("serve", "Serve the station API over HTTPS (SIGHUP reloads the TLS certificate)");
    srv->add_option("--listen", o->listen, "HOST:PORT to listen on")->capture_default_str();
    srv->add_option("--cert,--tls-cert", o->cert, "Operator-provided TLS certificate chain (PEM), e.g. from a public CA");
    srv->add_option("--key,--tls-key", o->key, "Operator-provided TLS private key (PEM)");
    srv->add_option("--tls-host", o->tls_hosts, "Extra DNS name/IP for the generated certificate (repeatable)");
    srv->add_flag("--insecure-http", o->insecure_http, "Plain HTTP (only on a loopback address; for development)");
    srv->add_option("--threads", o->threads, "Worker threads")->capture_default_str();
    srv->add_option("--rate", o->rate, "Requests per second per device (token bucket refill; 0 = unlimited)")
        ->capture_default_str();
    srv->add_option("--burst", o->burst, "Token bucket size per device")->capture_default_str();
    srv->add_option("--metrics-listen", o->metrics_listen,
                    "HOST:PORT for GET /metrics (Prometheus text, plain HTTP); off when not given");
    srv->add_option("--header-timeout", o->header_timeout_s,
                    "Seconds a client has for the TLS handshake and a complete request header")
        ->capture_default_str();
    srv->add_option("--idle-timeout", o->idle_timeout_s, "Seconds an idle keep-alive connection stays open")
        ->capture_default_str();
    srv->add_option("--max-per-address", o->max_per_address, "Open connections allowed from one client address")
        ->capture_default_str();
    srv->callback([&ctx, o] { ctx.action = [&ctx, o] { return serve(ctx, *o); }; });
}

}  // namespace batchivo::central
