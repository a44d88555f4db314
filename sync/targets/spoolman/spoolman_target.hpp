// Spoolman (v0.26 REST API, /api/v1) as a SyncTarget. The connection (URL, optional API key, optional CA) comes
// from <data dir>/target.json (connection.hpp), re-read when it changes on disk.
//
//   catalog   GET /api/v1/spool?limit=&offset=&sort=id:asc&allow_archived=true, all pages (x-total-count), as a
//             full snapshot (Spoolman has no deltas or deletion log: the engine removes spools no longer listed).
//   weighing  PATCH /api/v1/spool/{id} {"remaining_weight": gross - the tare the station showed} (absolute).
//   usage     GET the spool, then PATCH {"remaining_weight": remaining + quantity} -- never PUT /use, which
//             double-counts on a replay.
//   guard     every PATCH also writes the record id into the spool's extra field `batchivo_applied` (the last 32
//             ids) in the same request; before applying, push() reads the spool back and answers Duplicate for a
//             record already listed. A response lost after Spoolman applied the change is therefore never applied
//             twice. docs/TARGETS.md has the reasoning and its limits.
//   history   unsupported (Spoolman keeps none).
//
// Threads: as target.hpp. push()/pull_catalog() share one connection; look-ups make their own (target_plumbing.hpp).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sync/engine/target.hpp"
#include "sync/http/http_client.hpp"
#include "sync/targets/target_plumbing.hpp"
#include "sync/targets/connection.hpp"

namespace batchivo::sync {

struct SpoolmanTargetOptions {
    std::string connection_path;     // <data dir>/target.json
    int connect_timeout_ms = 5'000;
    int total_timeout_ms = 30'000;
    int lookup_timeout_ms = 8'000;
    HttpClientFactory client_factory;  // tests substitute the transport; default: libcurl
};

class SpoolmanTarget final : public SyncTarget {
public:
    explicit SpoolmanTarget(SpoolmanTargetOptions opts);

    std::string_view kind() const override { return "spoolman"; }
    bool refresh(bool force) override;
    TargetIdentity identity() const override;
    int max_batch_items() const override { return 50; }  // one or two requests per record
    Result<std::vector<PushedItem>> push(const std::vector<OutboxRecord>& records, int64_t now_ms, CallInfo& info,
                                         const std::atomic<bool>* abort) override;
    Result<CatalogPage> pull_catalog(const std::string& cursor, int limit, int64_t now_ms, CallInfo& info,
                                     const std::atomic<bool>* abort) override;
    Result<SpoolHistory> history(const std::string& spool_uuid, int limit, const std::atomic<bool>* abort) override;
    Result<TargetIdentity> whoami(const std::atomic<bool>* abort) override;

private:
    Result<PushedItem> push_one(HttpClient& http, const TargetConnection& c, const OutboxRecord& r, int64_t now_ms,
                                CallInfo& info);

    TargetPlumbing<TargetConnection> link_;  // target.json (kind spoolman) and the HTTP clients
    bool guard_field_ready_ = false;  // POST /api/v1/field/spool/batchivo_applied answered (under engine_mutex())
};

}  // namespace batchivo::sync
