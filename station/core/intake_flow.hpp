// Adding a spool on the station (CLI `spool new`, the kiosk's Add spool screen): from what the operator gives
// (material, brand, color, the full spool's gross weight or nothing, an open purchase line) to the NewSpoolRecord
// the store writes. The initial weight is gross - tare with the tare chain of weighing (the brand/material's
// empty-spool weight from the tare data, else the station default, else a typed tare), or the nominal weight
// (the purchase line's weight per spool, else the tare data's net weight, else 1000 g) without a gross weight.
// Pure apart from reading the store's cached purchase line and material types.
#pragma once

#include <optional>
#include <string>

#include "sync/domain/intake.hpp"
#include "sync/domain/result.hpp"
#include "sync/domain/weighing.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

inline constexpr int kDefaultNominalWeightG = 1000;

struct IntakeInput {
    std::string material;  // may be empty with a purchase line (taken from the line)
    std::string brand;
    std::string color;
    std::string color_hex;
    std::optional<double> gross_g;        // the full spool on the scale; nullopt = nominal weight
    std::optional<double> manual_tare_g;  // typed tare, used when nothing more specific is known
    std::string spool_id;                 // optional human id
    std::string location;
    std::string purchase_item_id;         // optional open purchase line (cached from the catalog)
    std::string notes;
};

struct IntakePlan {
    NewSpoolRecord record;        // ready for StationStore::create_spool
    std::optional<Tare> tare;     // the tare used (gross given) or that would apply (nominal); nullopt = none known
    int initial_weight_g = 0;
    std::string weight_source;    // "scale" | "purchase line" | "tare data" | "default"
    int nominal_weight_g = 0;     // the nominal net weight for this brand/material (or line)
};

// Error codes: "invalid_input" (missing material, unknown/complete purchase line, gross below the tare, a spool id
// already used, ...) with an operator-readable message; "no_tare" when a gross weight is given but no tare is known.
Result<IntakePlan> plan_intake(const IntakeInput& in, StationStore& store, const TareCatalog* tares,
                               std::optional<double> station_default_tare_g);

}  // namespace batchivo::station
