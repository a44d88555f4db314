// `connect spoolman --url URL [--api-key KEY] [--ca FILE] [--force]`,
// `connect batchivo --url URL --email EMAIL --password-file FILE|- [--tenant UUID] [--ca FILE] [--force]` and
// `status [--json]`.
//
// connect (station/core connect_target(), shared with the Setup screen): Spoolman answers GET /api/v1/info, Batchivo
// signs in (tokens kept, never the password); then the whole catalog is pulled through an engine built on the new
// target; only then is the connection stored (<data dir>/target.json, 0600) and make_target() picks it from then on.
// It refuses while records for the previous target are unconfirmed, unless --force, which marks them discarded
// after a warning. Secrets are never printed. http:// only for an address on the local network ("not encrypted").
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "station/cli/cli_common.hpp"
#include "station/core/sync_link.hpp"
#include "sync/domain/time.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/central/credentials.hpp"
#include "sync/targets/make_target.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/spoolman/spoolman_target.hpp"

namespace batchivo::station {

using namespace cli;

namespace {

struct ConnectArgs {
    std::string url;
    std::string api_key;
    std::string ca_file;
    std::string email;
    std::string password_file;
    std::string tenant;
    bool force = false;
};

// The password from a file (first line) or stdin ("-"); never from the command line (it would show in `ps`).
std::optional<std::string> read_password(const std::string& file) {
    std::string line;
    if (file == "-") {
        if (!std::getline(std::cin, line)) return std::nullopt;
    } else {
        std::ifstream in(file);
        if (!in || !std::getline(in, line)) return std::nullopt;
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    return line;
}

int run_connect(GlobalOptions& g, const std::string& kind, const ConnectArgs& a) {
    auto ctx = open_context(g);
    if (!ctx) return 1;
    ConnectRequest req;
    req.kind = kind;
    req.url = a.url;
    req.api_key = a.api_key;
    req.email = a.email;
    req.tenant_id = a.tenant;
    req.force = a.force;
    if (!a.ca_file.empty()) {
        std::ifstream in(a.ca_file);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in || ss.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
            std::fprintf(stderr, "connect: %s is not a PEM certificate file\n", a.ca_file.c_str());
            return 2;
        }
        req.ca_pem = ss.str();
    }
    if (kind == "batchivo") {
        auto pw = read_password(a.password_file);
        if (!pw || pw->empty()) {
            std::fprintf(stderr, "connect: no password in %s\n", a.password_file == "-" ? "stdin" : a.password_file.c_str());
            return 2;
        }
        req.password = *pw;
    }
    const std::string root = ctx->dir.root;
    try {
        StationStore store(ctx->dir.db());
        auto setup = sync_setup(ctx->config.sync, root);
        auto rep = connect_target(req, store, root, setup);
        if (!rep) {
            const auto& e = rep.error();
            std::fprintf(stderr, "connect: %s\n", e.message.c_str());
            return e.code == "insecure_url" || e.code == "invalid_input" ? 2 : 1;
        }
        if (!rep->warning.empty()) std::fprintf(stderr, "WARNING: --force: %s\n", rep->warning.c_str());
        std::printf("Connected to %s at %s%s.\n", rep->server.c_str(), rep->url.c_str(),
                    rep->plain_http ? " (not encrypted: plain http on the local network)" : "");
        if (kind == "batchivo")
            std::printf("Tenant: %s%s%s (%s).\n", rep->tenant_id.c_str(), rep->tenant_name.empty() ? "" : " ",
                        rep->tenant_name.c_str(),
                        rep->tenant_chosen ? "chosen with --tenant" : "Batchivo's default for this account: its oldest "
                                                                      "membership; sent as X-Tenant-ID from now on");
        if (rep->catalog_cleared)
            std::printf("The previous server's catalog was removed from this station%s.\n",
                        rep->spools_kept > 0 ? (" (" + std::to_string(rep->spools_kept) +
                                                " spool(s) kept, inactive, for records not yet confirmed)")
                                                   .c_str()
                                             : "");
        std::printf("Catalog: %d spool(s) pulled, %d removed. Connection saved to %s (owner-only)%s.\n", rep->spools,
                    rep->removed, sync::connection_path(root).c_str(),
                    kind == "batchivo" ? ", with the session tokens (not the password)"
                                       : (req.api_key.empty() ? "" : ", with an API key"));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        return 1;
    }
}

int print_status(GlobalOptions& g, bool json) {
    auto ctx = open_context(g);
    if (!ctx) return 1;
    const std::string root = ctx->dir.root;
    const std::string kind = sync::stored_target_kind(root);
    nlohmann::json j{{"target", kind}, {"url", nullptr}, {"tenant", nullptr}, {"encrypted", nullptr}};
    if (kind == "spoolman" || kind == "batchivo") {
        auto c = sync::load_connection(sync::connection_path(root));
        if (c && *c) {
            j["url"] = (*c)->url;
            j["encrypted"] = !sync::is_plain_http((*c)->url);
            if (kind == "spoolman") j["api_key_set"] = !(*c)->api_key.empty();
            if (kind == "batchivo") {
                j["tenant"] = (*c)->tenant_name.empty() ? (*c)->tenant_id : (*c)->tenant_name;
                j["tenant_id"] = (*c)->tenant_id;
                j["tenant_chosen"] = (*c)->tenant_chosen;
                j["email"] = (*c)->email;
            }
        }
    } else {
        std::string err;
        if (auto c = sync::load_credentials(sync::credentials_path(root), err)) {
            j["url"] = c->server_url;
            j["tenant"] = c->tenant_name.empty() ? c->tenant_slug : c->tenant_name;
            j["encrypted"] = true;
        }
    }
    try {
        StationStore store(ctx->dir.db());
        const auto counts = store.counts();
        j["pending"] = counts.pending;
        j["rejected"] = counts.rejected;
        const auto as_of = store.meta("catalog_as_of");
        j["last_sync"] = as_of && !as_of->empty() ? nlohmann::json(*as_of) : nlohmann::json(nullptr);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        return 1;
    }
    if (json) {
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("target:    %s\nurl:       %s%s\ntenant:    %s\npending:   %lld\nlast sync: %s\n", kind.c_str(),
                    j["url"].is_null() ? "(not connected)" : j["url"].get<std::string>().c_str(),
                    j["encrypted"] == false ? " (not encrypted)" : "",
                    j["tenant"].is_null() ? "-" : j["tenant"].get<std::string>().c_str(),
                    static_cast<long long>(j["pending"].get<int64_t>()),
                    j["last_sync"].is_null() ? "never" : j["last_sync"].get<std::string>().c_str());
    }
    return 0;
}

}  // namespace

void add_connect_commands(CLI::App& app, GlobalOptions& g) {
    auto* cmd = app.add_subcommand("connect", "Connect this station to another kind of server (instead of central)");
    cmd->require_subcommand(1);
    auto* sp = cmd->add_subcommand("spoolman", "Use a Spoolman server (v0.26 API) as the sync target");
    auto a = std::make_shared<ConnectArgs>();
    sp->add_option("--url", a->url, "Spoolman's base URL, e.g. http://192.168.1.20:7912")->required();
    sp->add_option("--api-key", a->api_key, "Optional API key (sent as Authorization: Bearer; stored 0600)");
    sp->add_option("--ca", a->ca_file, "CA certificate (PEM) that signs Spoolman's https certificate");
    sp->add_flag("--force", a->force, "Discard records still unconfirmed by the previous target");
    sp->callback([&g, a] { g.exit_code = run_connect(g, "spoolman", *a); });

    auto* bv = cmd->add_subcommand("batchivo", "Use a stock Batchivo server (API 0.2.0) as the sync target");
    auto b = std::make_shared<ConnectArgs>();
    bv->add_option("--url", b->url, "Batchivo's base URL, e.g. https://batchivo.example.com")->required();
    bv->add_option("--email", b->email, "The Batchivo account to sign in with")->required();
    bv->add_option("--password-file", b->password_file,
                   "File whose first line is the password, or - to read it from stdin (never stored)")
        ->required();
    bv->add_option("--tenant", b->tenant,
                   "Tenant UUID (sent as X-Tenant-ID); default: Batchivo's choice, the account's oldest membership");
    bv->add_option("--ca", b->ca_file, "CA certificate (PEM) that signs Batchivo's https certificate");
    bv->add_flag("--force", b->force, "Discard records still unconfirmed by the previous target");
    bv->callback([&g, b] { g.exit_code = run_connect(g, "batchivo", *b); });

    auto* st = app.add_subcommand("status", "Which server this station syncs with, and what is pending");
    auto json = std::make_shared<bool>(false);
    st->add_flag("--json", *json, "One JSON object: target, url, tenant, pending, last_sync, ...");
    st->callback([&g, json] { g.exit_code = print_status(g, *json); });
}

}  // namespace batchivo::station
