// The sync engine: a worker thread that drains the outbox to a SyncTarget in device-sequence order, in batches
// (bisecting a batch the server refuses as a whole), and pulls catalog pages into the station store. Exactly once
// = at-least-once delivery (the same ids are resent until the server answers for them) + the server's idempotent
// apply (duplicate = applied). It knows no server API: every exchange goes through target.hpp.
//
// Ownership: borrows the store (must outlive the engine); shares the target (the station also uses it for look-ups).
// Threads: start() runs one worker; notify(), network_changed(), reload_credentials() and status() never block on
// the network (they set a flag and write an eventfd). on_change is invoked on the worker thread (or the thread
// that called sync_once()); the kiosk pushes the snapshot onto its UI queue. No exception leaves the worker.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sync/engine/retry_policy.hpp"
#include "sync/engine/status.hpp"
#include "sync/engine/target.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::sync {

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
    bool catalog_not_modified = false;  // the pull was one "not modified" answer (If-None-Match matched)
    int64_t pending_after = 0;
    double http_ms = 0;   // wall time spent waiting for the server (transaction batches)
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

// Engine-only settings; the target's (server, timeouts, transport) are in sync/targets/make_target.hpp.
struct SyncEngineOptions {
    int batch_size = 100;                   // clamped to 1..target.max_batch_items()
    int interval_ms = 30'000;               // idle poll (catalog pull, anything missed)
    int catalog_page = 500;
    Backoff::Params backoff{};
    Backoff::Rng rng;                       // default: OS-seeded
    std::function<int64_t()> clock;         // epoch ms; default: the system clock
    bool watch_network = true;              // netlink: wake when interfaces/addresses/routes change
    // Poison items (docs/SYNC.md "Server errors"): a batch answered with 5xx this many times in a row is bisected
    // like a refused batch; a single record answered with 5xx this many times, while other records went through
    // in between, is parked as rejected with reason "server error: <message>".
    int bisect_after_server_errors = 2;
    int server_error_tries = 3;
};

class SyncEngine {
public:
    SyncEngine(StationStore& store, std::shared_ptr<SyncTarget> target, SyncEngineOptions opts);
    ~SyncEngine();  // stop()
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    void start();
    // Aborts a transfer in progress (records stay 'sent' and are resent later with the same ids) and joins.
    void stop();
    bool running() const { return worker_.joinable(); }

    void notify();             // a record was added: wake up (unless backing off after a failure)
    void network_changed();    // the network came back: reset the backoff and try now
    void reload_credentials(); // after pairing: the target re-reads its credentials, alerts clear, try now

    SyncStatus status() const;
    void set_on_change(std::function<void(const SyncStatus&)> cb);
    const std::shared_ptr<SyncTarget>& target() const { return target_; }
    const SyncEngineOptions& options() const { return opts_; }

    // One full cycle on the calling thread: drain everything pending, then pull the catalog. Serialised with the
    // worker's cycles. Used by `batchivo-station sync --once` and tests.
    SyncReport sync_once();

private:
    void run();
    SyncReport cycle();
    Disposition send_items(std::vector<OutboxRecord> items, SyncReport& rep, std::string& err, int depth);
    Disposition apply_results(const std::vector<OutboxRecord>& items, const std::vector<PushedItem>& answers,
                              SyncReport& rep, std::string& err);
    Disposition pull_catalog(SyncReport& rep, std::string& err);
    void store_catalog_page(const CatalogPage& page, SyncReport& rep, const std::string& tenant_id);
    bool refresh_target();
    void note_call(const CallInfo& info);
    void refresh_counts_and_publish();
    void publish();
    void wake();
    void wait_ms(int64_t ms, bool wake_on_notify);
    int64_t now() const;

    StationStore& store_;
    std::shared_ptr<SyncTarget> target_;
    SyncEngineOptions opts_;
    Backoff backoff_;

    std::mutex cycle_mu_;  // one cycle at a time (worker vs sync_once)
    // Poison-item tracking (worker / cycle only, under cycle_mu_; in memory: a restart starts counting again).
    struct ServerErrorTries {
        int tries = 0;                  // 5xx answers to this record sent alone
        int64_t pushes_at_first = 0;    // successful_pushes_ when it first failed alone
    };
    std::map<std::string, ServerErrorTries> server_error_tries_;
    int server_error_streak_ = 0;       // consecutive 5xx answers to a whole (depth 0) batch
    int64_t successful_pushes_ = 0;     // 2xx answers to pushes
    int64_t bisect_start_pushes_ = 0;   // successful_pushes_ when the current 5xx bisection started
    int bisect_failed_singles_ = 0;     // records that failed alone in the current 5xx bisection
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
