// Weighing math: gross - tare = net filament, the tare chosen from the most specific source available, and the
// transaction a weighing yields relative to the last known weight. Pure functions; errors are values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/domain/spool.hpp"

namespace batchivo {

class TareCatalog;

// Most specific first; the order is the resolution order.
enum class TareSource { Spool, Catalog, StationDefault, Manual };
std::string_view to_string(TareSource s);
std::optional<TareSource> tare_source_from_string(std::string_view s);

struct Tare {
    double grams = 0;
    TareSource source = TareSource::Manual;
    std::string detail;  // human explanation, e.g. "Bambu Lab PLA (1000 g) from SpoolmanDB"
};

struct TareInputs {
    const Spool* spool = nullptr;              // its empty_spool_weight_g, brand, material, initial weight
    const TareCatalog* catalog = nullptr;      // brand/material catalog; may be null
    std::optional<double> station_default_g;   // from the station config
    std::optional<double> manual_g;            // typed by the operator
};

// Every tare that is available, most specific first (at most one per source).
std::vector<Tare> tare_candidates(const TareInputs& in);

// The tare to use: `preferred` if that source is available, else the most specific one. nullopt when no source
// at all is available (no spool weight, no catalog row, no default, nothing typed).
std::optional<Tare> resolve_tare(const TareInputs& in, std::optional<TareSource> preferred = std::nullopt);

// Limits beyond which a reading is treated as a glitch rather than a weight.
inline constexpr double kMaxGrossGrams = 50'000.0;  // no filament spool weighs 50 kg
inline constexpr double kMaxTareGrams = 5'000.0;

enum class WeighingError {
    None,
    NotFinite,       // NaN/inf in gross or tare
    AbsurdValue,     // negative gross, gross or tare beyond the limits above
    NegativeNet,     // gross below the tare: wrong tare or nothing on the pan
    AboveInitial,    // net above the spool's initial weight (seed weight_logic): usually a wrong tare
};
std::string_view to_string(WeighingError e);

struct WeighingResult {
    WeighingError error = WeighingError::None;
    std::string message;  // clear, operator-facing reason when error != None
    double gross_g = 0;
    Tare tare;
    double net_g = 0;         // gross - tare, unrounded
    int net_whole_g = 0;      // rounded to whole grams (the seed stores integers)
    // The transaction to record: usage (negative quantity) when lighter than the last known weight,
    // adjustment (positive) when heavier, nothing when equal.
    std::optional<TransactionType> type;
    int quantity_grams = 0;   // net_whole_g - last_known_weight_g
    bool ok() const { return error == WeighingError::None; }
};

WeighingResult evaluate_weighing(double gross_g, const Tare& tare, int initial_weight_g, int last_known_weight_g);

// A usage logged without a scale (grams typed on the keypad).
struct UsageResult {
    bool ok = false;
    std::string message;
    int quantity_grams = 0;  // negative
    int resulting_weight_g = 0;
};
UsageResult evaluate_usage(double grams_used, int current_weight_g);

}  // namespace batchivo
