#include "sync/central/admin/cli.hpp"

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "sync/central/store/pg/role_check.hpp"
#include "sync/central/admin/qr.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::central {

namespace fs = std::filesystem;
using nlohmann::json;

std::string default_data_dir() {
    if (const char* h = std::getenv("BATCHIVO_CENTRAL_HOME"); h && *h) return h;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/batchivo-central";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/batchivo-central";
    return "./batchivo-central-data";
}

bool parse_listen(const std::string& s, std::string& host, int& port) {
    const size_t colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = s.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string p = s.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
    port = std::stoi(p);
    return port <= 65535 && !host.empty();
}

namespace {

// Blocks SIGINT/SIGTERM in every thread started afterwards and waits for one of them, or for stdin to close when
// `watch_stdin` (the demo's child-process mode), whichever comes first.
class ShutdownWaiter {
public:
    // The watcher threads are detached and may outlive this object (a SIGTERM can arrive after stdin closed and
    // main returned), so the state they touch is shared, never owned by the stack frame.
    explicit ShutdownWaiter(bool watch_stdin) : state_(std::make_shared<State>()) {
        sigemptyset(&state_->set);
        sigaddset(&state_->set, SIGINT);
        sigaddset(&state_->set, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &state_->set, nullptr);
        std::thread([st = state_] {
            int sig = 0;
            sigwait(&st->set, &sig);
            st->trigger();
        }).detach();
        if (watch_stdin) {
            std::thread([st = state_] {
                char buf[256];
                while (true) {
                    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
                    if (n == 0 || (n < 0 && errno != EINTR)) break;
                }
                st->trigger();
            }).detach();
        }
    }
    void wait() {
        std::unique_lock lk(state_->mu);
        state_->cv.wait(lk, [&] { return state_->done; });
    }

private:
    struct State {
        sigset_t set;
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
        void trigger() {
            std::lock_guard lk(mu);
            done = true;
            cv.notify_all();
        }
    };
    std::shared_ptr<State> state_;
};

std::string db_url(const std::string& flag, const std::string& data_dir) {
    if (!flag.empty()) return flag;
    if (const char* e = std::getenv("BATCHIVO_DB"); e && *e) return e;
    fs::create_directories(data_dir);
    return "sqlite:" + data_dir + "/central.db";
}

Tenant require_tenant(Store& s, const std::string& key) {
    auto t = s.find_tenant(key);
    if (!t) throw StoreError("not_found", "no tenant '" + key + "' (see `batchivo-central tenant list`)");
    return *t;
}

// Minimal RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF).
std::vector<std::vector<std::string>> read_csv(std::istream& in) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, any = false;
    char c;
    while (in.get(c)) {
        any = true;
        if (quoted) {
            if (c == '"') {
                if (in.peek() == '"') {
                    field += '"';
                    in.get(c);
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(field);
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && in.peek() == '\n') in.get(c);
            row.push_back(field);
            field.clear();
            if (!(row.size() == 1 && row[0].empty())) rows.push_back(row);
            row.clear();
            any = false;
        } else {
            field += c;
        }
    }
    if (quoted) throw StoreError("invalid_input", "CSV: unterminated quoted field");
    if (any) {
        row.push_back(field);
        rows.push_back(row);
    }
    return rows;
}

std::optional<int> parse_int(const std::string& s) {
    std::string t(trim(s));
    if (t.empty()) return std::nullopt;
    size_t pos = 0;
    try {
        const double v = std::stod(t, &pos);
        if (pos != t.size() || v != static_cast<int>(v)) throw std::invalid_argument("not an integer");
        return static_cast<int>(v);
    } catch (const std::exception&) {
        throw StoreError("invalid_input", "'" + t + "' is not a whole number");
    }
}

void validate_spool(const Spool& s) {
    if (s.spool_id.empty() || s.spool_id.size() > 50) throw StoreError("invalid_input", "spool_id must be 1-50 characters");
    if (s.initial_weight_g <= 0) throw StoreError("invalid_input", s.spool_id + ": initial weight must be > 0");
    if (s.current_weight_g < 0 || s.current_weight_g > s.initial_weight_g)
        throw StoreError("invalid_input", s.spool_id + ": current weight must be between 0 and the initial weight");
    if (s.empty_spool_weight_g && (*s.empty_spool_weight_g <= 0 || *s.empty_spool_weight_g > 5000))
        throw StoreError("invalid_input", s.spool_id + ": empty spool weight must be 1-5000 g");
    if (!s.color_hex.empty()) {
        bool ok = s.color_hex.size() == 7 && s.color_hex[0] == '#';
        for (size_t i = 1; ok && i < 7; ++i) ok = std::isxdigit(static_cast<unsigned char>(s.color_hex[i])) != 0;
        if (!ok) throw StoreError("invalid_input", s.spool_id + ": color_hex must look like #RRGGBB");
    }
}

void print_json(const json& j) { std::cout << j.dump() << std::endl; }

struct Tls {
    std::string cert, key, ca;
};

Tls resolve_tls(const std::string& data_dir, const std::string& cert, const std::string& key,
                const std::vector<std::string>& hosts) {
    if (!cert.empty() || !key.empty()) {
        if (cert.empty() || key.empty()) throw StoreError("invalid_input", "--cert and --key go together");
        return {cert, key, ""};
    }
    const auto t = ensure_tls(data_dir + "/tls", hosts);
    return {t.cert_file, t.key_file, t.ca_file};
}

int serve_until_signal(std::shared_ptr<Store> store, ServerOptions so, bool watch_stdin, const std::function<void(CentralServer&)>& ready) {
    ShutdownWaiter waiter(watch_stdin);
    CentralServer server(std::move(store));
    std::string err;
    if (!server.start(so, &err)) {
        std::cerr << "batchivo-central: " << err << "\n";
        return 1;
    }
    ready(server);
    waiter.wait();
    server.stop();
    return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
    CLI::App app{"batchivo-central: the tenant-scoped Batchivo server (station API over HTTPS, admin CLI)"};
    app.require_subcommand(1);
    app.fallthrough();  // --db / --data-dir also work after the subcommand
    std::string db_flag, data_dir = default_data_dir();
    app.add_option("--db", db_flag, "Database URL: postgresql://... or sqlite:PATH (default: $BATCHIVO_DB, else SQLite in the data dir)");
    app.add_option("--data-dir", data_dir, "Data directory (SQLite DB, TLS material)")->capture_default_str();

    std::function<int()> action;
    auto store = [&]() -> std::shared_ptr<Store> { return open_store(db_url(db_flag, data_dir), 8); };

    // migrate
    auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations (run as the database owner)");
    migrate->callback([&] {
        action = [&] {
            auto s = store();
            const int n = s->migrate();
            std::cout << (n ? "applied " + std::to_string(n) + " migration(s)" : std::string("schema is up to date"))
                      << "; schema version " << s->schema_version() << "\n";
            return 0;
        };
    });

    // db
    auto* db = app.add_subcommand("db", "PostgreSQL role management");
    db->require_subcommand(1);
    std::string role_name = "batchivo_app", role_password;
    auto* mkrole = db->add_subcommand("create-app-role", "Create/refresh the non-owner role `serve` connects as (run as the owner, after migrate)");
    mkrole->add_option("--name", role_name, "Role name")->capture_default_str();
    mkrole->add_option("--password", role_password, "Role password")->required();
    mkrole->callback([&] {
        action = [&] {
            const std::string url = db_url(db_flag, data_dir);
            if (url.rfind("postgres", 0) != 0) throw StoreError("invalid_input", "create-app-role needs --db postgresql://OWNER@...");
            create_app_role(url, role_name, role_password);
            std::cout << "role " << role_name << " ready (LOGIN, NOSUPERUSER, NOBYPASSRLS, not an owner)\n";
            return 0;
        };
    });
    auto* dbcheck = db->add_subcommand("check", "Check that the --db role is safe for `serve` (RLS cannot be bypassed)");
    dbcheck->callback([&] {
        action = [&] {
            const auto problems = check_app_role(db_url(db_flag, data_dir));
            for (const auto& p : problems) std::cout << "problem: " << p << "\n";
            if (problems.empty()) std::cout << "ok: role cannot bypass row-level security\n";
            return problems.empty() ? 0 : 1;
        };
    });

    // serve
    auto* serve = app.add_subcommand("serve", "Serve the station API over HTTPS");
    std::string listen = "127.0.0.1:8443", cert, key;
    bool insecure_http = false;
    int threads = 8;
    double rate = 20, burst = 60;
    std::vector<std::string> tls_hosts;
    serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
    serve->add_option("--cert", cert, "Operator-provided TLS certificate chain (PEM)");
    serve->add_option("--key", key, "Operator-provided TLS private key (PEM)");
    serve->add_option("--tls-host", tls_hosts, "Extra DNS name/IP for the generated certificate (repeatable)");
    serve->add_flag("--insecure-http", insecure_http, "Plain HTTP (only on a loopback address; for development)");
    serve->add_option("--threads", threads, "Worker threads")->capture_default_str();
    serve->add_option("--rate", rate, "Requests per second per device (token bucket refill; 0 = unlimited)")->capture_default_str();
    serve->add_option("--burst", burst, "Token bucket size per device")->capture_default_str();
    serve->callback([&] {
        action = [&] {
            ServerOptions so;
            if (!parse_listen(listen, so.host, so.port)) throw StoreError("invalid_input", "--listen must be HOST:PORT");
            so.threads = threads;
            so.rate_per_s = rate;
            so.burst = burst;
            so.plain_http = insecure_http;
            if (insecure_http && !is_loopback_host(so.host))
                throw StoreError("invalid_input", "--insecure-http is only allowed on a loopback address");
            const std::string url = db_url(db_flag, data_dir);
            if (url.rfind("postgres", 0) == 0) {
                const auto problems = check_app_role(url);
                if (!problems.empty()) {
                    std::cerr << "batchivo-central: refusing to serve, the database role could bypass tenant isolation:\n";
                    for (const auto& p : problems) std::cerr << "  - " << p << "\n";
                    std::cerr << "connect as the application role (see `batchivo-central db create-app-role`)\n";
                    return 2;
                }
            }
            std::shared_ptr<Store> s = open_store(url, threads);
            if (s->backend() == "sqlite") s->migrate();
            if (!insecure_http) {
                std::vector<std::string> hosts = tls_hosts;
                if (so.host != "0.0.0.0" && so.host != "::") hosts.push_back(so.host);
                const Tls t = resolve_tls(data_dir, cert, key, hosts);
                so.cert_file = t.cert;
                so.key_file = t.key;
            }
            return serve_until_signal(s, so, false, [&](CentralServer& srv) {
                std::cerr << "batchivo-central: serving " << s->backend() << " on " << srv.url() << "\n";
            });
        };
    });

    // tenant
    auto* tenant = app.add_subcommand("tenant", "Tenants");
    tenant->require_subcommand(1);
    std::string slug, name;
    bool as_json = false;
    auto* tcreate = tenant->add_subcommand("create", "Create a tenant");
    tcreate->add_option("--slug", slug, "URL-friendly id [a-z0-9-]")->required();
    tcreate->add_option("--name", name, "Display name")->required();
    tcreate->add_flag("--json", as_json, "Print JSON");
    tcreate->callback([&] {
        action = [&] {
            const Tenant t = store()->create_tenant(slug, name);
            if (as_json) print_json({{"id", t.id}, {"slug", t.slug}, {"name", t.name}});
            else std::cout << "created tenant " << t.slug << " (" << t.id << ")\n";
            return 0;
        };
    });
    auto* tlist = tenant->add_subcommand("list", "List tenants");
    tlist->add_flag("--json", as_json, "Print JSON");
    tlist->callback([&] {
        action = [&] {
            json arr = json::array();
            for (const auto& t : store()->list_tenants()) {
                if (as_json) arr.push_back({{"id", t.id}, {"slug", t.slug}, {"name", t.name}, {"is_active", t.is_active}});
                else std::cout << t.slug << "\t" << t.name << "\t" << t.id << (t.is_active ? "" : "\t(inactive)") << "\n";
            }
            if (as_json) print_json(arr);
            return 0;
        };
    });

    // user
    auto* user = app.add_subcommand("user", "Users");
    user->require_subcommand(1);
    std::string tenant_key, email, role = "member";
    auto* uadd = user->add_subcommand("add", "Add a user to a tenant");
    uadd->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    uadd->add_option("--email", email, "E-mail")->required();
    uadd->add_option("--name", name, "Name");
    uadd->add_option("--role", role, "owner|admin|member|viewer")->capture_default_str();
    uadd->callback([&] {
        action = [&] {
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            const std::string id = s->add_user(t.id, email, name, role);
            std::cout << "user " << email << " (" << id << ") is " << role << " of " << t.slug << "\n";
            return 0;
        };
    });

    // device
    auto* device = app.add_subcommand("device", "Station devices");
    device->require_subcommand(1);
    std::string server_url, png, device_id;
    int ttl_minutes = 15;
    bool no_ca = false;
    auto* pair = device->add_subcommand("pair", "Create a one-time pairing code (text, terminal QR, PNG)");
    pair->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    pair->add_option("--name", name, "Station name, e.g. \"Printer bay 1\"")->required();
    pair->add_option("--server-url", server_url, "URL stations use to reach this server")->required();
    pair->add_option("--ttl-minutes", ttl_minutes, "Minutes until the code expires")->capture_default_str();
    pair->add_option("--png", png, "Also write the QR code to this PNG file");
    pair->add_option("--cert", cert, "The server certificate in use (default: the generated one in the data dir)");
    pair->add_flag("--no-ca", no_ca, "Do not embed the CA/pin (server has a publicly trusted certificate)");
    pair->add_flag("--json", as_json, "Print {\"code\",\"payload\"} only");
    pair->callback([&] {
        action = [&] {
            if (ttl_minutes < 1 || ttl_minutes > 24 * 60) throw StoreError("invalid_input", "--ttl-minutes must be 1..1440");
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            wire::PairingPayload p;
            p.server_url = server_url;
            if (server_url.rfind("https://", 0) == 0 && !no_ca) {
                if (!cert.empty()) {
                    p.pin = spki_pin_of_cert_file(cert);
                } else {
                    const auto tls = ensure_tls(data_dir + "/tls");
                    p.ca_der_base64url = cert_der_base64url(tls.ca_file);
                    p.pin = spki_pin_of_cert_file(tls.cert_file);
                }
            }
            const PairingCode pc = s->create_pairing_code(t.id, name, ttl_minutes * 60);
            p.code = pc.code;
            const std::string payload = wire::format_pairing_payload(p);
            if (!wire::parse_pairing_payload(payload)) throw StoreError("invalid_input", "--server-url is not a valid http(s) URL");
            if (!png.empty()) {
                std::string err;
                if (!write_qr_png(payload, png, 6, &err)) throw StoreError("io", err);
            }
            if (as_json) {
                print_json({{"code", pc.code}, {"payload", payload}});
            } else {
                std::cout << qr_terminal(payload) << "\nPairing code: " << pc.code << "  (tenant " << t.slug << ", station \""
                          << name << "\", expires " << pc.expires_at << ", one use)\nPayload: " << payload << "\n";
                if (!png.empty()) std::cout << "QR PNG: " << png << "\n";
            }
            return 0;
        };
    });
    auto* dlist = device->add_subcommand("list", "List a tenant's devices");
    dlist->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    dlist->add_flag("--json", as_json, "Print JSON");
    dlist->callback([&] {
        action = [&] {
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            json arr = json::array();
            for (const auto& d : s->list_devices(t.id)) {
                if (as_json)
                    arr.push_back({{"id", d.id}, {"name", d.name}, {"created_at", d.created_at}, {"last_seen_at", d.last_seen_at},
                                   {"revoked_at", d.revoked_at.empty() ? json(nullptr) : json(d.revoked_at)}});
                else
                    std::cout << d.id << "\t" << d.name << "\tlast seen " << (d.last_seen_at.empty() ? "never" : d.last_seen_at)
                              << (d.revoked_at.empty() ? "" : "\tREVOKED " + d.revoked_at) << "\n";
            }
            if (as_json) print_json(arr);
            return 0;
        };
    });
    auto* drevoke = device->add_subcommand("revoke", "Revoke a device token");
    drevoke->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    drevoke->add_option("--device", device_id, "Device id")->required();
    drevoke->callback([&] {
        action = [&] {
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            if (!s->revoke_device(t.id, device_id)) {
                std::cerr << "no active device " << device_id << " in tenant " << t.slug << "\n";
                return 1;
            }
            std::cout << "revoked " << device_id << "\n";
            return 0;
        };
    });

    // spool
    auto* spool = app.add_subcommand("spool", "Spools");
    spool->require_subcommand(1);
    Spool sp;
    int initial = 0, current = 0;
    std::optional<int> empty;
    std::string material, brand, color, color_hex, location, qr, csv_path;
    auto* sadd = spool->add_subcommand("add", "Add or update a spool (by --spool-id)");
    sadd->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    sadd->add_option("--spool-id", sp.spool_id, "User-facing id, e.g. FIL-001")->required();
    sadd->add_option("--initial", initial, "Initial filament weight (g)")->required();
    sadd->add_option("--current", current, "Current filament weight (g)")->required();
    sadd->add_option("--empty", empty, "Empty spool weight (g), the tare");
    sadd->add_option("--material", material, "Material type (see `material list`)");
    sadd->add_option("--brand", brand, "Brand");
    sadd->add_option("--color", color, "Color name");
    sadd->add_option("--color-hex", color_hex, "#RRGGBB");
    sadd->add_option("--location", location, "Storage location");
    sadd->add_option("--qr", qr, "QR code payload printed on the spool label");
    sadd->add_flag("--json", as_json, "Print the spool as JSON");
    sadd->callback([&] {
        action = [&] {
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            sp.initial_weight_g = initial;
            sp.current_weight_g = current;
            sp.empty_spool_weight_g = empty;
            sp.material_name = material;
            sp.brand = brand;
            sp.color = color;
            sp.color_hex = color_hex;
            sp.storage_location = location;
            sp.qr_code_data = qr;
            validate_spool(sp);
            const Spool out = s->upsert_spool(t.id, sp);
            if (as_json) print_json(wire::spool_to_json(out, stock_info(out)));
            else std::cout << "spool " << out.spool_id << " (" << out.id << ") saved\n";
            return 0;
        };
    });
    auto* simport = spool->add_subcommand("import", "Import spools from CSV (header row; see docs/CENTRAL.md)");
    simport->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    simport->add_option("csv", csv_path, "CSV file")->required();
    simport->callback([&] {
        action = [&] {
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            std::ifstream in(csv_path);
            if (!in) throw StoreError("io", "cannot read " + csv_path);
            const auto rows = read_csv(in);
            if (rows.empty()) throw StoreError("invalid_input", "CSV is empty");
            std::map<std::string, size_t> col;
            for (size_t i = 0; i < rows[0].size(); ++i) col[to_lower(trim(rows[0][i]))] = i;
            for (const char* req : {"spool_id", "initial_weight_g", "current_weight_g"})
                if (!col.count(req)) throw StoreError("invalid_input", std::string("CSV header lacks column '") + req + "'");
            std::set<std::string> known;
            for (const auto& m : s->materials()) known.insert(to_lower(m.name));
            std::vector<Spool> spools;
            std::vector<std::string> errors;
            std::map<std::string, size_t> first_line;  // spool_id -> CSV line
            for (size_t r = 1; r < rows.size(); ++r) {
                auto get = [&](const char* c) -> std::string {
                    auto it = col.find(c);
                    return it != col.end() && it->second < rows[r].size() ? std::string(trim(rows[r][it->second])) : "";
                };
                try {
                    Spool x;
                    x.spool_id = get("spool_id");
                    x.material_name = get("material");
                    if (!x.material_name.empty() && !known.count(to_lower(x.material_name)))
                        throw StoreError("invalid_input", "unknown material '" + x.material_name + "'");
                    x.brand = get("brand");
                    x.color = get("color");
                    x.color_hex = get("color_hex");
                    x.initial_weight_g = parse_int(get("initial_weight_g")).value_or(0);
                    x.current_weight_g = parse_int(get("current_weight_g")).value_or(-1);
                    x.empty_spool_weight_g = parse_int(get("empty_spool_weight_g"));
                    x.storage_location = get("storage_location");
                    x.finish_type = get("finish_type");
                    x.purchase_date = get("purchase_date");
                    x.supplier = get("supplier");
                    x.notes = get("notes");
                    x.qr_code_data = get("qr_code_data");
                    if (auto c = get("purchase_cost"); !c.empty()) x.purchase_cost = std::stod(c);
                    validate_spool(x);
                    if (auto [it, fresh] = first_line.emplace(x.spool_id, r + 1); !fresh)
                        throw StoreError("invalid_input", "spool_id '" + x.spool_id + "' already on line " +
                                                              std::to_string(it->second));
                    spools.push_back(x);
                } catch (const std::exception& e) {
                    errors.push_back("line " + std::to_string(r + 1) + ": " + e.what());
                }
            }
            if (!errors.empty()) {
                for (const auto& e : errors) std::cerr << e << "\n";
                std::cerr << "nothing imported (" << errors.size() << " invalid row(s))\n";
                return 1;
            }
            // One database transaction: a failure the database detects (constraint, connection) imports nothing.
            try {
                s->import_spools(t.id, spools);
            } catch (const StoreError& e) {
                std::cerr << e.what() << "\nnothing imported\n";
                return 1;
            }
            std::cout << "imported " << spools.size() << " spool(s) into " << t.slug << "\n";
            return 0;
        };
    });

    // material
    auto* mat = app.add_subcommand("material", "Material types");
    mat->require_subcommand(1);
    auto* mlist = mat->add_subcommand("list", "List material types");
    mlist->add_flag("--json", as_json, "Print JSON");
    mlist->callback([&] {
        action = [&] {
            json arr = json::array();
            for (const auto& m : store()->materials()) {
                if (as_json) arr.push_back(wire::material_to_json(m));
                else std::cout << m.name << "\t" << m.id << "\n";
            }
            if (as_json) print_json(arr);
            return 0;
        };
    });

    // reorder
    auto* reo = app.add_subcommand("reorder", "Reorder settings");
    reo->require_subcommand(1);
    ReorderSetting rs;
    auto* rset = reo->add_subcommand("set", "Create or update the reorder setting for (material, color, brand)");
    rset->add_option("--tenant", tenant_key, "Tenant slug or id")->required();
    rset->add_option("--material", rs.material_name, "Material type")->required();
    rset->add_option("--color", rs.color, "Color (empty = any)");
    rset->add_option("--brand", rs.brand, "Brand (empty = any)");
    rset->add_option("--lead-time-days", rs.lead_time_days, "Supplier lead time (days)")->required();
    rset->add_option("--safety-days", rs.safety_stock_days, "Safety stock (days)")->capture_default_str();
    rset->add_option("--avg-daily", rs.avg_daily_usage_grams, "Average daily usage (g)");
    rset->add_option("--reorder-point", rs.reorder_point_grams, "Reorder point (g); default avg-daily x (lead + safety)");
    rset->add_option("--reorder-quantity", rs.reorder_quantity_grams, "Quantity to order (g)");
    rset->callback([&] {
        action = [&] {
            auto s = store();
            const Tenant t = require_tenant(*s, tenant_key);
            if (rs.lead_time_days < 0 || rs.safety_stock_days < 0) throw StoreError("invalid_input", "days must be >= 0");
            if (!rs.reorder_point_grams && rs.avg_daily_usage_grams)
                rs.reorder_point_grams = reorder_point_g(*rs.avg_daily_usage_grams, rs.lead_time_days, rs.safety_stock_days);
            const auto out = s->set_reorder(t.id, rs);
            std::cout << "reorder setting " << out.id << " saved for " << out.material_name
                      << (out.color.empty() ? "" : " " + out.color) << (out.brand.empty() ? "" : " " + out.brand) << "\n";
            return 0;
        };
    });

    // demo
    auto* demo = app.add_subcommand("demo", "Seed a demo tenant in DIR and serve it over HTTPS (for the kiosk's --demo)");
    std::string demo_dir, demo_listen = "127.0.0.1:0";
    bool no_stdin_watch = false;
    demo->add_option("--data-dir", demo_dir, "Directory for the demo database and TLS material")->required();
    demo->add_option("--listen", demo_listen, "HOST:PORT (loopback)")->capture_default_str();
    demo->add_flag("--no-stdin-watch", no_stdin_watch, "Keep serving when stdin closes (manual runs)");
    demo->callback([&] {
        action = [&] {
            ServerOptions so;
            if (!parse_listen(demo_listen, so.host, so.port)) throw StoreError("invalid_input", "--listen must be HOST:PORT");
            fs::create_directories(demo_dir);
            std::shared_ptr<Store> s = open_store("sqlite:" + demo_dir + "/central.db");
            s->migrate();
            const Tenant t = seed_demo(*s);
            const auto tls = ensure_tls(demo_dir + "/tls", {so.host});
            so.cert_file = tls.cert_file;
            so.key_file = tls.key_file;
            return serve_until_signal(s, so, !no_stdin_watch, [&](CentralServer& srv) {
                const PairingCode pc = s->create_pairing_code(t.id, "Demo station", 3600);
                wire::PairingPayload p{srv.url(), pc.code, cert_der_base64url(tls.ca_file), spki_pin_of_cert_file(tls.cert_file)};
                std::cout << nlohmann::ordered_json{{"url", srv.url()}, {"pairing_payload", wire::format_pairing_payload(p)}, {"tenant", t.slug}}.dump()
                          << std::endl;
                std::cerr << "batchivo-central demo: serving tenant " << t.slug << " on " << srv.url() << "\n";
            });
        };
    });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        return action ? action() : 0;
    } catch (const StoreError& e) {
        std::cerr << "batchivo-central: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "batchivo-central: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace batchivo::central
