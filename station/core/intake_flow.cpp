#include "station/core/intake_flow.hpp"

#include <cmath>

#include "sync/domain/tare_catalog.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::station {

Result<IntakePlan> plan_intake(const IntakeInput& in, StationStore& store, const TareCatalog* tares,
                               std::optional<double> station_default_tare_g) {
    const auto invalid = [](std::string why) { return Error{"invalid_input", std::move(why)}; };
    IntakePlan plan;
    NewSpool n;
    n.material = std::string(trim(in.material));
    n.brand = std::string(trim(in.brand));
    n.color = std::string(trim(in.color));
    n.color_hex = std::string(trim(in.color_hex));
    n.spool_id = std::string(trim(in.spool_id));
    n.storage_location = std::string(trim(in.location));
    std::optional<PurchaseLine> line;
    if (!trim(in.purchase_item_id).empty()) {
        line = store.purchase_line(std::string(trim(in.purchase_item_id)));
        if (!line)
            return invalid("no open purchase line " + std::string(trim(in.purchase_item_id)) +
                           " in the station's catalog (sync, or check the id)");
        if (line->remaining() <= 0)
            return invalid("all " + std::to_string(line->quantity) + " spools of that purchase line are already in");
        n.purchase_item_id = line->id;
        if (n.material.empty()) n.material = line->material;
        if (n.brand.empty()) n.brand = line->brand;
        if (n.color.empty()) n.color = line->color;
    }
    if (n.material.empty()) return invalid("a material is required (e.g. PLA)");
    for (const auto& m : store.material_types())
        if (iequals(m.name, n.material)) n.material = m.name;  // the catalog's spelling
    if (!n.spool_id.empty() && store.spool_by_spool_id(n.spool_id))
        return invalid("spool id '" + n.spool_id + "' is already used on this station");

    // Nominal net weight: the purchase line's, else the tare data's for this brand/material, else 1000 g.
    std::optional<TareRow> row;
    if (tares) row = tares->find(n.brand, n.material, line && line->weight_per_spool_g ? *line->weight_per_spool_g : 1000.0);
    if (line && line->weight_per_spool_g) {
        plan.nominal_weight_g = *line->weight_per_spool_g;
        plan.weight_source = "purchase line";
    } else if (row && row->net_weight_g > 0) {
        plan.nominal_weight_g = static_cast<int>(std::lround(row->net_weight_g));
        plan.weight_source = "tare data";
    } else {
        plan.nominal_weight_g = kDefaultNominalWeightG;
        plan.weight_source = "default";
    }

    Spool probe;  // what the tare chain sees: a spool of this brand/material without its own empty weight
    probe.brand = n.brand;
    probe.material_name = n.material;
    probe.initial_weight_g = plan.nominal_weight_g;
    TareInputs ti;
    ti.spool = &probe;
    ti.catalog = tares;
    ti.station_default_g = station_default_tare_g;
    ti.manual_g = in.manual_tare_g;
    plan.tare = resolve_tare(ti);

    if (in.gross_g) {
        const double gross = *in.gross_g;
        if (!std::isfinite(gross) || gross <= 0 || gross > kMaxGrossGrams)
            return invalid("the gross weight must be between 0 and " + std::to_string(static_cast<int>(kMaxGrossGrams)) + " g");
        if (!plan.tare)
            return Error{"no_tare", "no tare known for " + n.brand + " " + n.material +
                                        ": no tare data row, no station default; give the empty-spool weight"};
        const double net = gross - plan.tare->grams;
        if (net < 1)
            return invalid("the gross weight " + std::to_string(static_cast<int>(std::lround(gross))) +
                           " g is not above the tare " + std::to_string(static_cast<int>(std::lround(plan.tare->grams))) +
                           " g: put the full spool on the scale");
        plan.initial_weight_g = static_cast<int>(std::lround(net));
        plan.weight_source = "scale";
        plan.record.measurement = Measurement{gross, plan.tare->grams, plan.tare->source, net};
    } else {
        plan.initial_weight_g = plan.nominal_weight_g;
    }
    n.initial_weight_g = plan.initial_weight_g;
    // The empty-spool weight travels with the spool when it came from the tare data (later weighings use it).
    if (plan.tare && plan.tare->source == TareSource::Catalog)
        n.empty_spool_weight_g = static_cast<int>(std::lround(plan.tare->grams));
    if (auto v = validate_new_spool(n); !v) return invalid(v.error().message);
    plan.record.spool = n;
    plan.record.notes = in.notes;
    return plan;
}

}  // namespace batchivo::station
