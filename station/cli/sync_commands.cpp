// pair | record | queue | sync: the station's sync-related subcommands. They share the kiosk's data directory
// (store, config, credentials), so a script can record while the kiosk runs and the kiosk's engine sends it.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/labels/label_parser.hpp"
#include "station/cli/commands.hpp"
#include "station/core/config.hpp"
#include "station/core/paths.hpp"
#include "sync/client/credentials.hpp"
#include "sync/client/pairing.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/domain/tare_catalog.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/weighing.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

namespace {

struct SpoolLookup {
    std::optional<Spool> spool;
    std::string error;
};

// REF = anything a label carries, resolved like the kiosk does: a spool UUID (bare, Batchivo URL,
// batchivo://spool/<uuid>) by UUID; otherwise the user-facing spool_id (case-insensitive); otherwise an exact
// match on the spool's stored QR payload.
SpoolLookup resolve_spool_ref(StationStore& store, const std::string& ref) {
    SpoolLookup out;
    const std::string raw(trim(ref));
    const auto label = platform::parse_label(raw);
    switch (label.kind) {
        case platform::LabelKind::SpoolUuid:
            out.spool = store.spool_by_uuid(label.value);
            break;
        case platform::LabelKind::SpoolId:
            out.spool = store.spool_by_spool_id(label.value);
            break;
        case platform::LabelKind::SpoolmanFilament:
            if (!(out.spool = store.spool_by_qr(raw)))
                out.error = "'" + raw + "' is a Spoolman filament label, not a spool: scan the spool's own label.";
            return out;
        case platform::LabelKind::Pairing:
            out.error = "'" + raw + "' is a pairing code: use `batchivo-station pair` with it.";
            return out;
        default: break;
    }
    if (!out.spool) out.spool = store.spool_by_qr(raw);
    if (!out.spool)
        out.error = "No spool matches '" + raw +
                    "' in this station's catalog. Check the label, or refresh the catalog with `batchivo-station sync "
                    "--once`.";
    return out;
}

struct Context {
    DataDir dir;
    StationConfig config;
};

std::optional<Context> open_context(GlobalOptions& g) {
    Context c;
    try {
        c.dir = resolve_data_dir(g.data_dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        return std::nullopt;
    }
    std::string err;
    auto cfg = load_config(c.dir.config(), err);
    if (!cfg) {
        std::fprintf(stderr, "batchivo-station: %s: %s\n", c.dir.config().c_str(), err.c_str());
        return std::nullopt;
    }
    c.config = *cfg;
    return c;
}

std::optional<TareCatalog> load_tare_catalog() {
    std::ifstream in(assets_dir() + "/data/spool_tares.csv");
    if (!in) return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return TareCatalog::parse_csv(ss.str());
}

std::string grams(double g) {
    char buf[32];
    if (std::fabs(g - std::round(g)) < 0.05) std::snprintf(buf, sizeof buf, "%.0f g", g);
    else std::snprintf(buf, sizeof buf, "%.1f g", g);
    return buf;
}

std::string time_text(int64_t ms) { return iso8601_utc_ms(ms); }

nlohmann::json record_json(const OutboxRecord& r) {
    nlohmann::json j{{"id", r.id},
                     {"seq", r.seq},
                     {"state", std::string(to_string(r.state))},
                     {"type", std::string(to_string(r.type))},
                     {"quantity_grams", r.quantity_grams},
                     {"spool_uuid", r.spool_uuid},
                     {"spool_label", r.spool_label},
                     {"device_time", time_text(r.device_time_ms)},
                     {"attempts", r.attempts},
                     {"reason", r.reason},
                     {"notes", r.notes}};
    j["server_weight_g"] = r.server_weight_g ? nlohmann::json(*r.server_weight_g) : nlohmann::json(nullptr);
    j["last_attempt"] = r.last_attempt_ms ? nlohmann::json(time_text(*r.last_attempt_ms)) : nlohmann::json(nullptr);
    if (r.measurement) {
        j["measurement"] = {{"gross_g", r.measurement->gross_g},
                            {"tare_g", r.measurement->tare_g},
                            {"tare_source", std::string(to_string(r.measurement->tare_source))},
                            {"net_g", r.measurement->net_g}};
    }
    return j;
}

void print_recorded(const OutboxRecord& r, const std::string& what, bool json) {
    if (json) {
        std::printf("%s\n", record_json(r).dump().c_str());
        return;
    }
    std::printf("%s\nSaved on this station (durable), will sync: id %s seq %lld\n", what.c_str(), r.id.c_str(),
                static_cast<long long>(r.seq));
}

// --- pair ------------------------------------------------------------------------------------------------

void add_pair(CLI::App& app, GlobalOptions& g) {
    auto* cmd = app.add_subcommand("pair", "Pair this station with central using the pairing QR's text");
    auto payload = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    cmd->add_option("PAYLOAD", *payload, "The pairing QR code's text (batchivo-pair:v1?url=...&code=...)")->required();
    cmd->add_option("--name", *name, "What this station calls itself (default: station_name from the config)");
    cmd->callback([&g, payload, name] {
        auto ctx = open_context(g);
        if (!ctx) {
            g.exit_code = 1;
            return;
        }
        sync::PairOptions o;
        o.device_name = name->empty() ? ctx->config.station_name : *name;
        o.connect_timeout_ms = ctx->config.sync.connect_timeout_s * 1000;
        o.total_timeout_ms = ctx->config.sync.total_timeout_s * 1000;
        auto r = sync::pair_station(*payload, ctx->dir.root, o);
        if (!r.ok) {
            std::fprintf(stderr, "Pairing failed: %s\n", r.error.c_str());
            g.exit_code = 1;
            return;
        }
        const auto& c = r.credentials;
        std::printf("Paired with %s (%s) at %s as \"%s\" (device %s).\n", c.tenant_name.c_str(), c.tenant_slug.c_str(),
                    c.server_url.c_str(), c.station_name.c_str(), c.device_id.c_str());
        std::printf("Credentials saved to %s (owner-only).\n", sync::credentials_path(ctx->dir.root).c_str());
        if (r.tenant_changed)
            std::printf("This station belonged to another tenant before: its catalog cache was cleared.\n");
        if (r.pending_from_previous_pairing > 0)
            std::printf("%lld unsynced record(s) from before will be sent with the new pairing.\n",
                        static_cast<long long>(r.pending_from_previous_pairing));
        if (!r.warning.empty()) std::fprintf(stderr, "Warning: %s\n", r.warning.c_str());
    });
}

// --- record ----------------------------------------------------------------------------------------------

void add_record(CLI::App& app, GlobalOptions& g) {
    auto* rec = app.add_subcommand("record", "Record a weighing or a usage (durable on return; synced later)");
    rec->require_subcommand(1);

    struct WeighArgs {
        std::string spool;
        double gross = NAN;
        std::optional<double> tare;
        std::string tare_source;
        std::string notes;
        bool json = false;
    };
    auto w = std::make_shared<WeighArgs>();
    auto* weigh = rec->add_subcommand("weigh", "Record a weighing: gross minus tare sets the spool's weight");
    weigh->add_option("--spool", w->spool, "Spool: anything its label carries (UUID, URL, spool id, QR text)")
        ->required();
    weigh->add_option("--gross", w->gross, "Scale reading in grams (spool + filament)")->required();
    weigh->add_option("--tare", w->tare, "Empty-spool weight in grams, used when no more specific tare is known");
    weigh->add_option("--tare-source", w->tare_source,
                      "Prefer this tare source: spool | catalog | station_default | manual");
    weigh->add_option("--notes", w->notes, "Free text stored with the record");
    weigh->add_flag("--json", w->json, "Print the record as JSON");
    weigh->callback([&g, w] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        try {
            StationStore store(ctx->dir.db());
            auto found = resolve_spool_ref(store, w->spool);
            if (!found.spool) {
                std::fprintf(stderr, "%s\n", found.error.c_str());
                return;
            }
            const Spool& s = *found.spool;
            auto catalog = load_tare_catalog();
            TareInputs in;
            in.spool = &s;
            in.catalog = catalog ? &*catalog : nullptr;
            in.station_default_g = ctx->config.weigh.default_tare_g;
            in.manual_g = w->tare;
            std::optional<TareSource> preferred;
            if (!w->tare_source.empty()) {
                preferred = tare_source_from_string(w->tare_source);
                if (!preferred) {
                    std::fprintf(stderr, "Unknown tare source '%s' (spool, catalog, station_default, manual).\n",
                                 w->tare_source.c_str());
                    return;
                }
            }
            auto tare = resolve_tare(in, preferred);
            if (!tare) {
                std::fprintf(stderr,
                             "No tare known for %s: it has no empty-spool weight, no catalog entry matches %s %s, and "
                             "the station has no default. Pass --tare GRAMS.\n",
                             s.spool_id.c_str(), s.brand.c_str(), s.material_name.c_str());
                return;
            }
            if (preferred && tare->source != *preferred) {
                std::fprintf(stderr, "No %s tare is available for %s.\n", std::string(to_string(*preferred)).c_str(),
                             s.spool_id.c_str());
                return;
            }
            auto res = evaluate_weighing(w->gross, *tare, s.initial_weight_g, s.current_weight_g);
            if (!res.ok()) {
                std::fprintf(stderr, "Not recorded: %s\n", res.message.c_str());
                return;
            }
            NewRecord nr;
            nr.spool_uuid = s.id;
            nr.spool_label = s.spool_id;
            // A weighing equal to the last known weight still confirms it: recorded as a 0 g adjustment.
            nr.type = res.type.value_or(TransactionType::Adjustment);
            nr.quantity_grams = res.quantity_grams;
            nr.measurement = Measurement{res.gross_g, res.tare.grams, res.tare.source, res.net_g};
            nr.notes = w->notes;
            auto r = store.record(nr);
            print_recorded(r,
                           "Weighed " + s.spool_id + ": gross " + grams(res.gross_g) + " - tare " +
                               grams(res.tare.grams) + " (" + std::string(to_string(res.tare.source)) + ": " +
                               res.tare.detail + ") = net " + std::to_string(res.net_whole_g) + " g; " +
                               std::string(to_string(nr.type)) + " " + std::to_string(res.quantity_grams) + " g.",
                           w->json);
            g.exit_code = 0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "Not recorded: %s\n", e.what());
        }
    });

    struct UsageArgs {
        std::string spool;
        double grams = NAN;
        std::string notes;
        bool json = false;
    };
    auto u = std::make_shared<UsageArgs>();
    auto* usage = rec->add_subcommand("usage", "Record grams used from a spool (no scale)");
    usage->add_option("--spool", u->spool, "Spool: anything its label carries (UUID, URL, spool id, QR text)")
        ->required();
    usage->add_option("--grams", u->grams, "Grams of filament used (positive)")->required();
    usage->add_option("--notes", u->notes, "Free text stored with the record (e.g. the print job)");
    usage->add_flag("--json", u->json, "Print the record as JSON");
    usage->callback([&g, u] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        try {
            StationStore store(ctx->dir.db());
            auto found = resolve_spool_ref(store, u->spool);
            if (!found.spool) {
                std::fprintf(stderr, "%s\n", found.error.c_str());
                return;
            }
            const Spool& s = *found.spool;
            auto res = evaluate_usage(u->grams, s.current_weight_g);
            if (!res.ok) {
                std::fprintf(stderr, "Not recorded: %s\n", res.message.c_str());
                return;
            }
            NewRecord nr;
            nr.spool_uuid = s.id;
            nr.spool_label = s.spool_id;
            nr.type = TransactionType::Usage;
            nr.quantity_grams = res.quantity_grams;
            nr.notes = u->notes;
            auto r = store.record(nr);
            print_recorded(r,
                           "Used " + std::to_string(-res.quantity_grams) + " g of " + s.spool_id + " (now " +
                               std::to_string(res.resulting_weight_g) + " g locally).",
                           u->json);
            g.exit_code = 0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "Not recorded: %s\n", e.what());
        }
    });
}

// --- queue -----------------------------------------------------------------------------------------------

void print_record_line(const OutboxRecord& r) {
    std::printf("%6lld  %s  %-9s  %-10s  %6d g  %-14s  %s%s%s\n", static_cast<long long>(r.seq), r.id.c_str(),
                std::string(to_string(r.state)).c_str(), std::string(to_string(r.type)).c_str(), r.quantity_grams,
                r.spool_label.empty() ? r.spool_uuid.substr(0, 8).c_str() : r.spool_label.c_str(),
                time_text(r.device_time_ms).c_str(), r.reason.empty() ? "" : "  ", r.reason.c_str());
}

void add_queue(CLI::App& app, GlobalOptions& g) {
    auto* q = app.add_subcommand("queue", "Inspect and manage the station's transaction log / outbox");
    q->require_subcommand(1);

    struct ListArgs {
        bool json = false;
        std::string state;
        int limit = 200;
    };
    auto la = std::make_shared<ListArgs>();
    auto* list = q->add_subcommand("list", "List records, newest first");
    list->add_flag("--json", la->json, "Print a JSON array");
    list->add_option("--state", la->state, "Only records in this state: pending | sent | applied | rejected | discarded");
    list->add_option("--limit", la->limit, "At most this many records (default 200)");
    list->callback([&g, la] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        std::optional<RecordState> st;
        if (!la->state.empty()) {
            st = record_state_from_string(la->state);
            if (!st) {
                std::fprintf(stderr, "Unknown state '%s'.\n", la->state.c_str());
                return;
            }
        }
        try {
            StationStore store(ctx->dir.db());
            auto recs = store.list_records(st, la->limit);
            if (la->json) {
                auto arr = nlohmann::json::array();
                for (auto& r : recs) arr.push_back(record_json(r));
                std::printf("%s\n", arr.dump(2).c_str());
            } else {
                auto c = store.counts();
                std::printf("%lld pending, %lld applied, %lld rejected, %lld discarded\n",
                            static_cast<long long>(c.pending), static_cast<long long>(c.applied),
                            static_cast<long long>(c.rejected), static_cast<long long>(c.discarded));
                if (!recs.empty())
                    std::printf("%6s  %-36s  %-9s  %-10s  %8s  %-14s  %s\n", "seq", "id", "state", "type", "grams",
                                "spool", "device time");
                for (auto& r : recs) print_record_line(r);
            }
            g.exit_code = 0;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        }
    });

    auto id = std::make_shared<std::string>();
    auto* show = q->add_subcommand("show", "Show one record (id, unique id prefix, or sequence number)");
    show->add_option("ID", *id, "Record id, unique prefix, or #seq")->required();
    show->callback([&g, id] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        StationStore store(ctx->dir.db());
        auto r = store.get_record(*id);
        if (!r) {
            std::fprintf(stderr, "No record '%s' (or the prefix is ambiguous).\n", id->c_str());
            return;
        }
        std::printf("%s\n", record_json(*r).dump(2).c_str());
        g.exit_code = 0;
    });

    auto rid = std::make_shared<std::string>();
    auto* retry = q->add_subcommand("retry", "Put a rejected record back in the queue (same id: applied at most once)");
    retry->add_option("ID", *rid, "Record id, unique prefix, or #seq")->required();
    retry->callback([&g, rid] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        StationStore store(ctx->dir.db());
        auto r = store.get_record(*rid);
        if (!r) {
            std::fprintf(stderr, "No record '%s' (or the prefix is ambiguous).\n", rid->c_str());
            return;
        }
        if (r->state == RecordState::Applied || r->state == RecordState::Discarded) {
            std::fprintf(stderr, "Record %lld is %s; only rejected (or pending) records can be retried.\n",
                         static_cast<long long>(r->seq), std::string(to_string(r->state)).c_str());
            return;
        }
        if (!store.retry(r->id)) {
            std::fprintf(stderr, "Record %lld could not be put back in the queue.\n", static_cast<long long>(r->seq));
            return;
        }
        std::printf("Record %lld (%s) is pending again; it will be sent with the same id.\n",
                    static_cast<long long>(r->seq), r->id.c_str());
        g.exit_code = 0;
    });

    auto did = std::make_shared<std::string>();
    auto* discard = q->add_subcommand("discard", "Mark a rejected or pending record discarded (kept, never sent)");
    discard->add_option("ID", *did, "Record id, unique prefix, or #seq")->required();
    discard->callback([&g, did] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        StationStore store(ctx->dir.db());
        auto r = store.get_record(*did);
        if (!r) {
            std::fprintf(stderr, "No record '%s' (or the prefix is ambiguous).\n", did->c_str());
            return;
        }
        if (r->state == RecordState::Sent) {
            std::fprintf(stderr,
                         "Record %lld was already sent and central may have applied it; run `sync --once` first.\n",
                         static_cast<long long>(r->seq));
            return;
        }
        if (!store.discard(r->id)) {
            std::fprintf(stderr, "Record %lld is %s and cannot be discarded.\n", static_cast<long long>(r->seq),
                         std::string(to_string(r->state)).c_str());
            return;
        }
        std::printf("Record %lld (%s) is discarded: kept in the log, never sent.\n", static_cast<long long>(r->seq),
                    r->id.c_str());
        g.exit_code = 0;
    });
}

// --- sync ------------------------------------------------------------------------------------------------

void add_sync(CLI::App& app, GlobalOptions& g) {
    auto* cmd = app.add_subcommand("sync", "Send pending records to central and pull the catalog");
    auto once = std::make_shared<bool>(false);
    auto json = std::make_shared<bool>(false);
    cmd->add_flag("--once", *once, "One cycle, then exit (status 0 only when nothing is left pending)")->required();
    cmd->add_flag("--json", *json, "Print the report as JSON");
    cmd->callback([&g, json] {
        g.exit_code = 1;
        auto ctx = open_context(g);
        if (!ctx) return;
        try {
            StationStore store(ctx->dir.db());
            sync::SyncEngineOptions o;
            o.credentials_path = sync::credentials_path(ctx->dir.root);
            o.batch_size = ctx->config.sync.batch_size;
            o.connect_timeout_ms = ctx->config.sync.connect_timeout_s * 1000;
            o.total_timeout_ms = ctx->config.sync.total_timeout_s * 1000;
            o.watch_network = false;
            sync::SyncEngine engine(store, o);
            auto rep = engine.sync_once();
            auto st = engine.status();
            if (*json) {
                nlohmann::json j{{"outcome", std::string(sync::to_string(rep.outcome))},
                                 {"error", rep.error},
                                 {"applied", rep.applied},
                                 {"duplicates", rep.duplicates},
                                 {"rejected", rep.rejected},
                                 {"batches", rep.batches},
                                 {"catalog_pulled", rep.catalog_pulled},
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
                            rep.catalog_pulled ? (std::to_string(rep.catalog_spools) + " spool(s) updated, " +
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

}  // namespace

void add_sync_commands(CLI::App& app, GlobalOptions& g) {
    add_pair(app, g);
    add_record(app, g);
    add_queue(app, g);
    add_sync(app, g);
}

}  // namespace batchivo::station
