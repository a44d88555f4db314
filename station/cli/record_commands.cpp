// `record weigh|usage`: a durable record in the station store (synced later by whichever engine runs), checked
// like the kiosk checks it (sync/domain/weighing.hpp).
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "station/cli/cli_common.hpp"
#include "sync/domain/weighing.hpp"

namespace batchivo::station {

using namespace cli;

void add_record_commands(CLI::App& app, GlobalOptions& g) {
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

}  // namespace batchivo::station
