// `connect spoolman --url URL [--api-key KEY] [--ca FILE] [--force]` and `status [--json]`.
//
// connect: checks GET /api/v1/info, then pulls the whole catalog through an engine built on the new target; only
// then is the connection stored (<data dir>/target.json, 0600) and make_target() picks Spoolman from then on. It
// refuses while records for the previous target are unconfirmed, unless --force, which marks them discarded after
// a warning. The API key is never printed. http:// only for an address on the local network ("not encrypted").
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "station/cli/cli_common.hpp"
#include "station/core/sync_link.hpp"
#include "sync/domain/time.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/central/credentials.hpp"
#include "sync/targets/make_target.hpp"
#include "sync/targets/spoolman/connection.hpp"
#include "sync/targets/spoolman/spoolman_target.hpp"

namespace batchivo::station {

using namespace cli;

namespace {

struct ConnectArgs {
    std::string url;
    std::string api_key;
    std::string ca_file;
    bool force = false;
};

int connect_spoolman(GlobalOptions& g, const ConnectArgs& a) {
    auto ctx = open_context(g);
    if (!ctx) return 1;
    std::string url = a.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (auto ok = sync::check_target_url(url); !ok) {
        std::fprintf(stderr, "connect: %s\n", ok.error().message.c_str());
        return 2;
    }
    sync::TargetConnection conn;
    conn.kind = "spoolman";
    conn.url = url;
    conn.api_key = a.api_key;
    conn.connected_at = iso8601_utc_ms(now_epoch_ms());
    if (!a.ca_file.empty()) {
        std::ifstream in(a.ca_file);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in || ss.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
            std::fprintf(stderr, "connect: %s is not a PEM certificate file\n", a.ca_file.c_str());
            return 2;
        }
        conn.ca_pem = ss.str();
    }
    const std::string root = ctx->dir.root;
    const auto old = sync::load_connection(sync::connection_path(root));
    const bool same_target = old && *old && (*old)->kind == "spoolman" && (*old)->url == url;
    try {
        StationStore store(ctx->dir.db());
        // Records not yet confirmed by the previous target would never reach it once the target changes.
        const auto counts = store.counts();
        if (counts.pending > 0 && !same_target) {
            if (!a.force) {
                std::fprintf(stderr,
                             "connect: %lld record(s) are not yet confirmed by the current target (%s). Run "
                             "`batchivo-station sync --once` first, or add --force to discard them.\n",
                             static_cast<long long>(counts.pending), sync::stored_target_kind(root).c_str());
                return 1;
            }
        }
        // Check the new server first: the previous connection stays in place until it answers.
        const std::string trial = sync::connection_path(root) + ".trial";
        if (auto s = sync::save_connection(trial, conn); !s) {
            std::fprintf(stderr, "connect: %s\n", s.error().message.c_str());
            return 1;
        }
        auto setup = sync_setup(ctx->config.sync, root);
        sync::SpoolmanTargetOptions so;
        so.connection_path = trial;
        so.connect_timeout_ms = setup.target.connect_timeout_ms;
        so.total_timeout_ms = setup.target.total_timeout_ms;
        so.lookup_timeout_ms = setup.target.lookup_timeout_ms;
        so.client_factory = setup.target.client_factory;
        auto target = std::make_shared<sync::SpoolmanTarget>(so);
        auto who = target->whoami(nullptr);
        if (!who) {
            (void)sync::remove_connection(trial);
            std::fprintf(stderr, "connect: %s did not answer like Spoolman: %s\n", url.c_str(),
                         who.error().message.c_str());
            return 1;
        }
        if (counts.pending > 0 && !same_target) {
            std::fprintf(stderr,
                         "WARNING: --force: %lld unconfirmed record(s) for the previous target are marked discarded "
                         "(kept in the log, never sent). Records already sent may have been applied there.\n",
                         static_cast<long long>(counts.pending));
            std::vector<std::string> ids;
            for (const auto& r : store.unsent(1'000'000)) ids.push_back(r.id);
            store.mark_unsent(ids);
            for (const auto& id : ids) store.discard(id);
        }
        if (!same_target) store.set_meta("catalog_cursor", "");  // another server's cursor means nothing here
        auto eo = setup.engine;
        eo.watch_network = false;
        sync::SyncEngine engine(store, target, eo);
        const auto rep = engine.sync_once();
        if (!rep.catalog_pulled) {
            (void)sync::remove_connection(trial);
            std::fprintf(stderr, "connect: the catalog could not be pulled: %s\n", rep.error.c_str());
            return 1;
        }
        if (auto s = sync::save_connection(sync::connection_path(root), conn); !s) {
            (void)sync::remove_connection(trial);
            std::fprintf(stderr, "connect: %s\n", s.error().message.c_str());
            return 1;
        }
        (void)sync::remove_connection(trial);
        std::printf("Connected to %s at %s%s.\n", who->tenant_name.c_str(), url.c_str(),
                    sync::is_plain_http(url) ? " (not encrypted: plain http on the local network)" : "");
        std::printf("Catalog: %d spool(s) pulled, %d removed. Connection saved to %s (owner-only)%s.\n",
                    rep.catalog_spools, rep.catalog_deleted, sync::connection_path(root).c_str(),
                    conn.api_key.empty() ? "" : ", with an API key");
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
    if (kind == "spoolman") {
        auto c = sync::load_connection(sync::connection_path(root));
        if (c && *c) {
            j["url"] = (*c)->url;
            j["encrypted"] = !sync::is_plain_http((*c)->url);
            j["api_key_set"] = !(*c)->api_key.empty();
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
    sp->callback([&g, a] { g.exit_code = connect_spoolman(g, *a); });

    auto* st = app.add_subcommand("status", "Which server this station syncs with, and what is pending");
    auto json = std::make_shared<bool>(false);
    st->add_flag("--json", *json, "One JSON object: target, url, tenant, pending, last_sync, ...");
    st->callback([&g, json] { g.exit_code = print_status(g, *json); });
}

}  // namespace batchivo::station
