#include "station/cli/cli_common.hpp"

#include "station/core/catalog_index.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "platform/labels/label_parser.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station::cli {

SpoolLookup resolve_spool_ref(StationStore& store, const std::string& ref) {
    SpoolLookup out;
    const auto label = platform::parse_label(ref);  // trims and classifies
    out.spool = spool_for_label(store, label);      // the kiosk's own lookup
    if (out.spool) return out;
    switch (label.kind) {
        case platform::LabelKind::SpoolmanFilament:
            out.error = "'" + label.raw + "' is a Spoolman filament label, not a spool: scan the spool's own label.";
            break;
        case platform::LabelKind::Pairing:
            out.error = "'" + label.raw + "' is a pairing code: use `batchivo-station pair` with it.";
            break;
        default:
            out.error = "No spool matches '" + label.raw +
                        "' in this station's catalog. Check the label, or refresh the catalog with `batchivo-station "
                        "sync --once`.";
    }
    return out;
}

std::optional<Context> open_context(GlobalOptions& g) {
    Context c;
    try {
        c.dir = resolve_data_dir(g.data_dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        return std::nullopt;
    }
    auto cfg = load_config(c.dir.config_to_load());
    if (!cfg) {
        std::fprintf(stderr, "batchivo-station: %s\n", cfg.error().message.c_str());
        return std::nullopt;
    }
    c.config = *cfg;
    return c;
}

std::optional<TareCatalog> load_tare_catalog() {
    auto r = TareCatalog::load_file(assets_dir() + "/data/spool_tares.csv");
    if (!r) return std::nullopt;
    return std::move(*r);
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

}  // namespace batchivo::station::cli
