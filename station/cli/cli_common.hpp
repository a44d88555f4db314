// Shared by the station's subcommands (pair, record, queue, sync): the data directory and config they share with
// the kiosk, label resolution like the kiosk's, and the JSON/text forms of a record. Single-threaded (CLI).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "station/cli/commands.hpp"
#include "station/core/config.hpp"
#include "station/core/paths.hpp"
#include "sync/domain/tare_catalog.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station::cli {

struct SpoolLookup {
    std::optional<Spool> spool;
    std::string error;
};

// REF = anything a label carries, resolved like the kiosk does: a spool UUID (bare, Batchivo URL,
// batchivo://spool/<uuid>) by UUID; otherwise the user-facing spool_id (case-insensitive); otherwise an exact
// match on the spool's stored QR payload.
SpoolLookup resolve_spool_ref(StationStore& store, const std::string& ref);

struct Context {
    DataDir dir;
    StationConfig config;
};
// The data directory and its config; prints the problem and returns nullopt when either is unusable.
std::optional<Context> open_context(GlobalOptions& g);

std::optional<TareCatalog> load_tare_catalog();
std::string grams(double g);
std::string time_text(int64_t ms);
nlohmann::json record_json(const OutboxRecord& r);
void print_recorded(const OutboxRecord& r, const std::string& what, bool json);

}  // namespace batchivo::station::cli
