// `sync --once`: one engine cycle on this thread, the engine built exactly like the kiosk's (make_sync_engine()
// from [sync]); prints each outcome. Safe while the kiosk runs (same store; every record applied at most once).
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "station/cli/cli_common.hpp"
#include "station/core/sync_link.hpp"
#include "sync/engine/sync_engine.hpp"

namespace batchivo::station {

using namespace cli;

void add_sync_commands(CLI::App& app, GlobalOptions& g) {
    auto* cmd = app.add_subcommand("sync", "Send pending records to central and pull the catalog");
    auto once = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    cmd->add_flag("--once", *once, "One cycle, then exit (status 0 only when nothing is left pending)")->required();
    cmd->add_flag("--json", *json, "Print the report as JSON");
    cmd->callback([&g, json, once] {  // the flag writes into *once during parsing: keep it alive
        (void)once;
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        try {
            StationStore store(ctx->dir.db());
            auto engine = make_sync_engine(store, sync_setup(ctx->config.sync, ctx->dir.root));
            auto rep = engine->sync_once();
            auto st = engine->status();
            if (*json) {
                nlohmann::json j{{"outcome", std::string(sync::to_string(rep.outcome))},
                                 {"error", rep.error},
                                 {"applied", rep.applied},
                                 {"duplicates", rep.duplicates},
                                 {"rejected", rep.rejected},
                                 {"batches", rep.batches},
                                 {"catalog_pulled", rep.catalog_pulled},
                                 {"catalog_not_modified", rep.catalog_not_modified},
                                 {"catalog_spools", rep.catalog_spools},
                                 {"catalog_deleted", rep.catalog_deleted},
                                 {"pending", rep.pending_after},
                                 {"rejected_total", st.rejected}};
                auto items = nlohmann::json::array();
                for (auto& it : rep.items) {
                    items.push_back({{"id", it.id},
                                     {"seq", it.seq},
                                     {"outcome", it.outcome == sync::ItemOutcome::Applied     ? "applied"
                                                 : it.outcome == sync::ItemOutcome::Duplicate ? "duplicate"
                                                                                              : "rejected"},
                                     {"reason", it.reason},
                                     {"spool_weight_g", it.spool_weight_g ? nlohmann::json(*it.spool_weight_g)
                                                                          : nlohmann::json(nullptr)}});
                }
                j["items"] = items;
                std::printf("%s\n", j.dump(2).c_str());
            } else {
                for (auto& it : rep.items) {
                    if (it.outcome == sync::ItemOutcome::Rejected)
                        std::printf("  #%lld %.8s rejected: %s\n", static_cast<long long>(it.seq), it.id.c_str(),
                                    it.reason.c_str());
                    else
                        std::printf("  #%lld %.8s %s%s\n", static_cast<long long>(it.seq), it.id.c_str(),
                                    it.outcome == sync::ItemOutcome::Applied ? "applied" : "applied (already)",
                                    it.spool_weight_g ? (", spool now " + std::to_string(*it.spool_weight_g) + " g").c_str()
                                                      : "");
                }
                std::printf("Sent %d batch(es): %d applied, %d already applied, %d rejected. Catalog: %s.\n",
                            rep.batches, rep.applied, rep.duplicates, rep.rejected,
                            rep.catalog_not_modified ? "unchanged (server: not modified)"
                            : rep.catalog_pulled     ? (std::to_string(rep.catalog_spools) + " spool(s) updated, " +
                                                    std::to_string(rep.catalog_deleted) + " removed")
                                                       .c_str()
                                                     : "not refreshed");
                std::printf("%lld record(s) still pending; %lld rejected in total (see `queue list --state rejected`).\n",
                            static_cast<long long>(rep.pending_after), static_cast<long long>(st.rejected));
                if (rep.outcome != sync::Disposition::Success)
                    std::fprintf(stderr, "Sync incomplete (%s): %s\n", std::string(sync::to_string(rep.outcome)).c_str(),
                                 rep.error.c_str());
            }
            g.exit_code = rep.pending_after == 0 && rep.outcome == sync::Disposition::Success ? 0 : 1;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        }
    });
}

}  // namespace batchivo::station
