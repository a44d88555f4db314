// The sync engine: a worker thread that drains the outbox to central in device-sequence order, in batches, and
// pulls catalog deltas into the station store. Exactly once = at-least-once delivery (the same ids are resent
// until the server answers for them) + the server's idempotent apply (duplicate = applied).
//
// Threads: start() runs one worker; notify(), network_changed(), reload_credentials() and status() never block on
// the network (they set a flag and write an eventfd). on_change is invoked on the worker thread (or the thread
// that called sync_once()); the kiosk pushes the snapshot onto its UI queue. No exception leaves the worker.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/credentials.hpp"
#include "sync/client/http_client.hpp"
#include "sync/client/retry_policy.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::sync {

struct SyncStatus {
    bool paired = false;
    int64_t pending = 0;                       // pending + sent (not yet confirmed by the server)
    std::optional<int64_t> oldest_pending_ms;  // device time of the oldest unconfirmed record
    int64_t rejected = 0;
    std::optional<int64_t> last_success_ms;    // last time a full cycle (drain + catalog) succeeded
    bool reachable = false;                    // the last request got an HTTP answer from central
    bool revoked = false;                      // 401: "device revoked / re-pair"; the queue is kept
    bool tls_alert = false;                    // certificate / pin verification failed: stopped, never downgraded
    std::string last_error;                    // operator-facing, empty after a success
    std::string catalog_as_of;                 // server time of the last catalog pull (ISO-8601)
    bool syncing = false;                      // a cycle is running
    std::optional<int64_t> next_attempt_ms;    // when the worker tries again (backoff), if waiting after a failure
    std::string tenant_name;
};

enum class ItemOutcome { Applied, Duplicate, Rejected };

struct SyncReport {
    Disposition outcome = Disposition::Success;  // of the cycle: Success only when drain and catalog both succeeded
    std::string error;
    int batches = 0;
    int applied = 0;
    int duplicates = 0;
    int rejected = 0;
    int catalog_spools = 0;   // spools upserted by the catalog pull
    int catalog_deleted = 0;
    bool catalog_pulled = false;
    int64_t pending_after = 0;
    double http_ms = 0;   // wall time spent waiting for central (transaction batches)
    double store_ms = 0;  // wall time spent in the station store for those batches (read, mark sent, results)
    struct Item {
        std::string id;
        int64_t seq = 0;
        ItemOutcome outcome = ItemOutcome::Applied;
        std::string reason;
        std::optional<int> spool_weight_g;
    };
    std::vector<Item> items;
};

struct SyncEngineOptions {
    std::string credentials_path;           // <data dir>/credentials.json
    int batch_size = 100;                   // clamped to 1..wire::kMaxBatchItems
    int interval_ms = 30'000;               // idle poll (catalog pull, anything missed)
    int connect_timeout_ms = 5'000;
    int total_timeout_ms = 30'000;
    int catalog_page = 500;
    Backoff::Params backoff{};
    Backoff::Rng rng;                       // default: OS-seeded
    std::function<int64_t()> clock;         // epoch ms; default: the system clock
    bool watch_network = true;              // netlink: wake when interfaces/addresses/routes change
    // Transport factory (tests: scripted client or a client pointed through a proxy). Default: CurlHttpClient.
    std::function<std::unique_ptr<HttpClient>(const Credentials&, const std::atomic<bool>* abort)> client_factory;
};

class SyncEngine {
public:
    SyncEngine(StationStore& store, SyncEngineOptions opts);
    ~SyncEngine();  // stop()
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    void start();
    // Aborts a transfer in progress (records stay 'sent' and are resent later with the same ids) and joins.
    void stop();
    bool running() const { return worker_.joinable(); }

    void notify();             // a record was added: wake up (unless backing off after a failure)
    void network_changed();    // the network came back: reset the backoff and try now
    void reload_credentials(); // after pairing: re-read credentials.json, clear revoked/TLS alerts, try now

    SyncStatus status() const;
    void set_on_change(std::function<void(const SyncStatus&)> cb);

    // One full cycle on the calling thread: drain everything pending, then pull the catalog. Serialised with the
    // worker's cycles. Used by `batchivo-station sync --once` and tests.
    SyncReport sync_once();

private:
    void run();
    SyncReport cycle();
    Disposition send_items(std::vector<OutboxRecord> items, SyncReport& rep, std::string& err, int depth);
    Disposition pull_catalog(SyncReport& rep, std::string& err);
    bool ensure_client();
    void refresh_counts_and_publish();
    void publish();
    void wait_ms(int64_t ms, bool wake_on_notify);
    int64_t now() const;

    StationStore& store_;
    SyncEngineOptions opts_;
    Backoff backoff_;

    std::mutex cycle_mu_;  // one cycle at a time (worker vs sync_once)
    std::unique_ptr<HttpClient> http_;
    std::optional<Credentials> creds_;
    bool creds_loaded_ = false;
    int64_t cred_mtime_ns_ = -1;
    int64_t cred_size_ = -1;
    std::optional<int64_t> last_retry_after_;

    mutable std::mutex status_mu_;
    SyncStatus status_;
    std::function<void(const SyncStatus&)> on_change_;
    std::mutex cb_mu_;

    std::atomic<bool> stop_{false};
    std::atomic<bool> abort_{false};
    std::atomic<bool> notified_{false};
    std::atomic<bool> net_changed_{false};
    std::atomic<bool> creds_changed_{false};
    int wake_fd_ = -1;
    int netlink_fd_ = -1;
    std::thread worker_;
};

}  // namespace batchivo::sync
