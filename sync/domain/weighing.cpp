#include "sync/domain/weighing.hpp"

#include <cmath>
#include <cstdio>

#include "sync/domain/tare_catalog.hpp"

namespace batchivo {

std::string_view to_string(TareSource s) {
    switch (s) {
        case TareSource::Spool: return "spool";
        case TareSource::Catalog: return "catalog";
        case TareSource::StationDefault: return "station_default";
        case TareSource::Manual: return "manual";
    }
    return "manual";
}

std::optional<TareSource> tare_source_from_string(std::string_view s) {
    if (s == "spool") return TareSource::Spool;
    if (s == "catalog") return TareSource::Catalog;
    if (s == "station_default") return TareSource::StationDefault;
    if (s == "manual") return TareSource::Manual;
    return std::nullopt;
}

std::string_view to_string(WeighingError e) {
    switch (e) {
        case WeighingError::None: return "none";
        case WeighingError::NotFinite: return "not_finite";
        case WeighingError::AbsurdValue: return "absurd_value";
        case WeighingError::NegativeNet: return "negative_net";
        case WeighingError::AboveInitial: return "above_initial";
    }
    return "none";
}

static std::string grams_text(double g) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.0f g", g);
    return buf;
}

std::vector<Tare> tare_candidates(const TareInputs& in) {
    std::vector<Tare> out;
    auto usable = [](double g) { return std::isfinite(g) && g >= 0 && g <= kMaxTareGrams; };
    if (in.spool && in.spool->empty_spool_weight_g && usable(*in.spool->empty_spool_weight_g)) {
        out.push_back({static_cast<double>(*in.spool->empty_spool_weight_g), TareSource::Spool,
                       "this spool's own empty weight"});
    }
    if (in.spool && in.catalog) {
        if (auto row = in.catalog->find(in.spool->brand, in.spool->material_name, in.spool->initial_weight_g)) {
            if (usable(row->empty_spool_weight_g)) {
                out.push_back({row->empty_spool_weight_g, TareSource::Catalog,
                               row->manufacturer + " " + row->material + " (" + grams_text(row->net_weight_g) +
                                   " spool) from the brand catalog"});
            }
        }
    }
    if (in.station_default_g && usable(*in.station_default_g)) {
        out.push_back({*in.station_default_g, TareSource::StationDefault, "the station's default empty spool"});
    }
    if (in.manual_g && usable(*in.manual_g)) {
        out.push_back({*in.manual_g, TareSource::Manual, "entered by the operator"});
    }
    return out;
}

std::optional<Tare> resolve_tare(const TareInputs& in, std::optional<TareSource> preferred) {
    auto all = tare_candidates(in);
    if (all.empty()) return std::nullopt;
    if (preferred) {
        for (auto& t : all)
            if (t.source == *preferred) return t;
    }
    return all.front();
}

WeighingResult evaluate_weighing(double gross_g, const Tare& tare, int initial_weight_g, int last_known_weight_g) {
    WeighingResult r;
    r.gross_g = gross_g;
    r.tare = tare;
    if (!std::isfinite(gross_g) || !std::isfinite(tare.grams)) {
        r.error = WeighingError::NotFinite;
        r.message = "The scale reading is not a number; weigh again.";
        return r;
    }
    if (gross_g < 0 || gross_g > kMaxGrossGrams) {
        r.error = WeighingError::AbsurdValue;
        r.message = "The scale reading " + grams_text(gross_g) + " is not a plausible spool weight; weigh again.";
        return r;
    }
    if (tare.grams < 0 || tare.grams > kMaxTareGrams) {
        r.error = WeighingError::AbsurdValue;
        r.message = "The tare " + grams_text(tare.grams) + " is not a plausible empty-spool weight.";
        return r;
    }
    r.net_g = gross_g - tare.grams;
    r.net_whole_g = static_cast<int>(std::lround(r.net_g));
    if (r.net_whole_g < 0) {
        r.error = WeighingError::NegativeNet;
        r.message = "The reading (" + grams_text(gross_g) + ") is lighter than the empty spool (" +
                    grams_text(tare.grams) + "). Is the spool on the scale, and is the tare right?";
        return r;
    }
    if (initial_weight_g > 0 && r.net_whole_g > initial_weight_g) {
        r.error = WeighingError::AboveInitial;
        r.message = "Net " + grams_text(r.net_g) + " is more than the spool ever held (" +
                    grams_text(initial_weight_g) + "). The tare (" + grams_text(tare.grams) + ", " +
                    std::string(to_string(tare.source)) + ") is probably wrong: choose another tare.";
        return r;
    }
    r.quantity_grams = r.net_whole_g - last_known_weight_g;
    if (r.quantity_grams < 0) r.type = TransactionType::Usage;
    else if (r.quantity_grams > 0) r.type = TransactionType::Adjustment;
    return r;
}

UsageResult evaluate_usage(double grams_used, int current_weight_g) {
    UsageResult r;
    if (!std::isfinite(grams_used)) {
        r.message = "Enter the grams used as a number.";
        return r;
    }
    const long g = std::lround(grams_used);
    if (g <= 0) {
        r.message = "Usage must be at least 1 g.";
        return r;
    }
    if (g > current_weight_g) {
        r.message = "Usage of " + grams_text(static_cast<double>(g)) + " is more than the " +
                    grams_text(current_weight_g) + " left on this spool. Weigh the spool instead.";
        return r;
    }
    r.ok = true;
    r.quantity_grams = -static_cast<int>(g);
    r.resulting_weight_g = current_weight_g - static_cast<int>(g);
    return r;
}

}  // namespace batchivo
