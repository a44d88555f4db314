// Pairing a station with central, shared by `batchivo-station pair PAYLOAD` and the kiosk's setup screen:
// parse the pairing QR's text (wire::parse_pairing_payload), exchange the one-time code for a device token over
// verified TLS (the CA and pin from the payload itself), store the credentials (0600) and record the tenant id in
// the station store (to notice a change of tenant; the tenant's name lives only in the credentials). Blocking; no
// shared state: a running engine picks the new credentials up via SyncTarget::refresh().
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "sync/targets/central/credentials.hpp"
#include "sync/http/http_client.hpp"

namespace batchivo {
class StationStore;
}

namespace batchivo::sync {

struct PairOptions {
    std::string device_name;  // what the station calls itself (the config's station_name)
    int connect_timeout_ms = 5000;
    int total_timeout_ms = 30000;
    const std::atomic<bool>* abort_flag = nullptr;
    StationStore* store = nullptr;  // the open store, if the caller has one; else <data dir>/station.db is opened
    // Tests may substitute the transport; default: CurlHttpClient.
    HttpClientFactory client_factory;
};

struct PairResult {
    bool ok = false;
    std::string error;          // operator-facing when !ok
    std::string warning;        // operator-facing note when ok (e.g. the store could not be updated)
    Credentials credentials;    // when ok
    bool tenant_changed = false;  // the station was paired with another tenant before
    bool catalog_cleared = false;  // the cache held another server's catalog: cleared (StationStore::reset_catalog_for_target)
    int64_t pending_from_previous_pairing = 0;  // unsynced records that will now go to the new pairing
};

PairResult pair_station(std::string_view payload, const std::string& data_dir, const PairOptions& opts = {});

}  // namespace batchivo::sync
