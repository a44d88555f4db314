// Pure mapping between Spoolman (v0.26) and the station's domain: the stable UUID scheme for Spoolman spool ids,
// the station's spool_id `S-<id>`, and spool + filament + vendor JSON -> Spool. No I/O; unit-tested.
//
// UUID scheme: a Spoolman spool has an integer id only, the station's records reference spools by UUID. The UUID
// is a name-based UUIDv5 (RFC 9562, SHA-1) in a fixed Batchivo namespace over the text "spoolman-spool:<id>", so
// it is the same on every station, across restarts and re-pulls, and push() can check a record's spool UUID
// against the id in its label. It does not include the server's address: connecting to another Spoolman replaces
// the catalog (and is refused while records for the old one are pending).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "sync/domain/result.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::sync::spoolman {

// The extra field (per spool) holding the ids of the last station records applied to it (the replay guard).
inline constexpr const char* kGuardField = "batchivo_applied";
inline constexpr int kGuardKeep = 32;  // record ids kept per spool

std::string uuid_v5(const std::string& name);            // in the Batchivo namespace
std::string spool_uuid(int64_t spoolman_id);             // uuid_v5("spoolman-spool:<id>")
std::string spool_code(int64_t spoolman_id);             // "S-<id>"
std::string spool_label(int64_t spoolman_id);            // "web+spoolman:s-<id>" (canonical label, qr_code_data)
// The Spoolman id of a record's spool, from its label ("S-<id>", any case) checked against its UUID.
std::optional<int64_t> spoolman_id_of(const std::string& spool_label, const std::string& spool_uuid);

// One element of GET /api/v1/spool (or GET /api/v1/spool/{id}) as a station Spool. Error on a malformed element.
Result<Spool> to_spool(const nlohmann::json& j);

// The guard list in a spool's extra (values are JSON-encoded strings): record ids, oldest first.
std::vector<std::string> guard_ids(const nlohmann::json& spool);
// The extra value to PATCH after applying `record_id`: the list plus the id, at most kGuardKeep, JSON-encoded.
std::string guard_value(std::vector<std::string> ids, const std::string& record_id);

}  // namespace batchivo::sync::spoolman
