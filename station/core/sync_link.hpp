// The kiosk's view of the sync engine (sync/client): a status snapshot, notify() after a record, and a change
// callback. Thin adapter over batchivo::sync::SyncEngine and sync::pair_station(); the station code only sees
// SyncStatusView, so the screens and flows do not depend on the client's types.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace batchivo {
class StationStore;
}

namespace batchivo::station {

struct SyncStatusView {
    bool paired = false;
    int64_t pending = 0;
    std::optional<int64_t> oldest_pending_ms;  // device time (epoch ms) of the oldest unconfirmed record
    int64_t rejected = 0;
    std::optional<int64_t> last_success_ms;    // epoch ms
    bool reachable = false;
    bool revoked = false;
    bool tls_alert = false;
    std::string last_error;
    std::optional<int64_t> catalog_as_of_ms;    // epoch ms of the catalog snapshot
    std::string tenant;                         // tenant name/slug when known
    bool engine_running = false;
    bool operator==(const SyncStatusView&) const = default;
};

class SyncLink {
public:
    virtual ~SyncLink() = default;
    virtual void start(std::function<void()> on_change) = 0;
    virtual void stop() = 0;
    virtual SyncStatusView status() = 0;  // any thread
    virtual void notify() = 0;            // a record was written: send soon
    virtual void reload_credentials() {}  // after pairing
};

// `data_dir` holds credentials.json; the store is shared with the UI thread (it is thread-safe).
std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const std::string& data_dir, int interval_s);

// Pairs this station from a pairing payload (scanned QR or typed code). Errors as a value.
// `store` is the station's open store (the tenant is recorded there); `station_name` names the device on central.
// Blocking (network): the kiosk calls it on its pairing thread. `abort` (optional) cuts a transfer short.
bool pair_with_payload(const std::string& payload, const std::string& data_dir, StationStore* store,
                       const std::string& station_name, std::string& error,
                       const std::atomic<bool>* abort = nullptr);

}  // namespace batchivo::station
