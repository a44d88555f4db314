// The sync status: one value type, published by the SyncEngine (snapshot under its lock, on_change with a copy) and
// shown as is by the station (kiosk top bar, Sync screen) and the CLI. A plain value: copy it freely, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace batchivo::sync {

struct SyncStatus {
    // What the station shows.
    bool paired = false;                       // the target has credentials (paired / connected)
    int64_t pending = 0;                       // pending + sent (not yet confirmed by the server)
    std::optional<int64_t> oldest_pending_ms;  // device time (epoch ms) of the oldest unconfirmed record
    int64_t rejected = 0;
    std::optional<int64_t> last_success_ms;    // epoch ms of the last full cycle (drain + catalog) that succeeded
    bool reachable = false;                    // the last request got an answer from the server
    bool revoked = false;                      // "device revoked / re-pair" (401); the queue is kept
    bool tls_alert = false;                    // certificate / pin verification failed: stopped, never downgraded
    std::string last_error;                    // operator-facing, empty after a success
    std::optional<int64_t> catalog_as_of_ms;   // the server's time (epoch ms) of the last catalog pull
    std::string tenant;                        // the tenant's name (else its slug) when paired; the only copy shown
    bool engine_running = false;               // the worker thread runs (false for a CLI one-shot)
    // The engine's own.
    std::string target;                        // the target kind ("central")
    bool syncing = false;                      // a cycle is running
    std::optional<int64_t> next_attempt_ms;    // epoch ms of the next try, when waiting after a failure

    bool operator==(const SyncStatus&) const = default;
};

}  // namespace batchivo::sync
