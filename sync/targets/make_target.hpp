// The one place that picks a station's sync target, from the stored connection: <data dir>/target.json with kind
// "spoolman" (batchivo-station connect spoolman) -> Spoolman; kind "batchivo" (connect batchivo) -> a stock Batchivo
// server; otherwise batchivo-central (credentials.json from pairing). Pure factory: the
// target it returns is shared by the engine and the station's look-ups (see target.hpp for threads).
#pragma once

#include <memory>
#include <string>

#include "sync/engine/target.hpp"
#include "sync/http/http_client.hpp"

namespace batchivo::sync {

struct TargetOptions {
    std::string data_dir;            // holds credentials.json and/or target.json
    int connect_timeout_ms = 5'000;
    int total_timeout_ms = 30'000;   // batches and catalog pages
    int lookup_timeout_ms = 8'000;   // history / whoami
    HttpClientFactory client_factory;  // tests substitute the transport; default: libcurl
};

std::shared_ptr<SyncTarget> make_target(const TargetOptions& opts);
// "batchivo", "spoolman" or "central", from the files in `data_dir` (no network).
std::string stored_target_kind(const std::string& data_dir);
// Which server's catalog the station's cache should hold for the target stored in `opts.data_dir`:
// StationStore::catalog_source_key() of that target's identity (files only, no network); "" when none is stored.
std::string stored_catalog_source(const TargetOptions& opts);
// The same for a target at hand ("" unless it is connected/paired).
std::string catalog_source_of(const TargetIdentity& id);
// After pairing with batchivo-central: central is the target again (removes a stored Spoolman connection).
Result<> select_central_target(const std::string& data_dir);

}  // namespace batchivo::sync
