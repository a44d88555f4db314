// The kiosk's handle on sync: the engine (sync/engine) and its target (sync/targets), built from the config in one
// place (sync_setup(), also used by the CLI), a status snapshot, notify() after a record, look-ups through the same
// target, and a change callback.
//
// Ownership: the link owns the engine and shares the target with it; the store is borrowed and must outlive it.
// Threads: status(), notify(), reload_credentials() never block; history() blocks on the network (run it off the
// UI thread); the on_change callback runs on the engine's worker thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "station/core/config.hpp"
#include "sync/domain/result.hpp"
#include "sync/engine/status.hpp"
#include "sync/engine/sync_engine.hpp"
#include "sync/engine/target.hpp"
#include "sync/targets/make_target.hpp"

namespace batchivo {
class StationStore;
}

namespace batchivo::station {

// The status the kiosk shows is the engine's own sync::SyncStatus (sync/engine/status.hpp): one type.

// Everything [sync] configures: the engine (batch size, interval) and its target (timeouts, where the credentials
// are). Tests may then substitute the transport (setup.target.client_factory) or the clock.
struct SyncSetup {
    sync::SyncEngineOptions engine;
    sync::TargetOptions target;
};
SyncSetup sync_setup(const SyncConfig& cfg, const std::string& data_dir);

// The engine and its target, as the kiosk and the CLI both build them.
std::unique_ptr<sync::SyncEngine> make_sync_engine(StationStore& store, const SyncSetup& setup);

class SyncLink {
public:
    virtual ~SyncLink() = default;
    virtual void start(std::function<void()> on_change) = 0;
    virtual void stop() = 0;
    virtual sync::SyncStatus status() = 0;  // any thread
    virtual void notify() = 0;            // a record was written: send soon
    // After pairing or connecting: re-reads the credentials; when the stored target kind changed (central <->
    // Spoolman <-> Batchivo) the engine is rebuilt on the new target.
    virtual void reload_credentials() {}
    // A spool's recent transactions from the server, through the engine's target (credentials loaded once).
    // Blocking: call it off the UI thread. Error codes: not_paired, not_found, or a disposition name (retry, ...).
    virtual Result<sync::SpoolHistory> history(const std::string& spool_uuid, int limit,
                                               const std::atomic<bool>* abort) = 0;
};

// `data_dir` holds credentials.json; the store is shared with the UI thread (it is thread-safe).
std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const std::string& data_dir, const SyncConfig& cfg);
std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const SyncSetup& setup);

// Pairs this station from a pairing payload (scanned QR or typed code). On success the value is a warning for the
// operator ("" when none); errors "invalid_pairing_payload" or "pairing" with the reason.
// `store` is the station's open store (the tenant is recorded there); `station_name` names the device on central.
// Blocking (network): the kiosk calls it in a network task. `abort` (optional) cuts a transfer short.
// Connects this station to a Spoolman or Batchivo server instead of central (the CLI's `connect` and the Setup
// screen's Server tab). In order: URL check (https, or http:// on the local network), the pending-records rule
// (error "pending_records" unless `force`, which then marks them discarded after `warning` says so), sign-in
// (Batchivo) or /api/v1/info (Spoolman), a full catalog pull through an engine on the new target, and only then
// <data dir>/target.json (0600); the previous target stays in place until the new one answered. Blocking (network):
// the kiosk calls it in a network task. A running kiosk engine switches target on SyncLink::reload_credentials().
struct ConnectRequest {
    std::string kind;       // "spoolman" | "batchivo"
    std::string url;
    std::string api_key;    // Spoolman, optional
    std::string ca_pem;     // optional CA (PEM) for https
    std::string email;      // Batchivo
    std::string password;   // Batchivo; used for the sign-in only, never stored
    std::string tenant_id;  // Batchivo, optional: without it Batchivo picks the user's oldest membership
    bool force = false;     // discard records still unconfirmed by the previous target
};
struct ConnectReport {
    std::string server;        // "Spoolman 0.26.0", "Batchivo (tenant Acme)"
    std::string url;
    bool plain_http = false;   // "not encrypted"
    std::string tenant_id;     // Batchivo
    std::string tenant_name;
    bool tenant_chosen = false;  // false: Batchivo's default for the account
    int spools = 0;
    int removed = 0;
    int64_t discarded = 0;     // records discarded by `force`
    bool catalog_cleared = false;  // the cache held another server's catalog (StationStore::reset_catalog_for_target)
    int64_t spools_kept = 0;   // of it, spools that unconfirmed records still refer to (kept, inactive)
    std::string warning;       // operator-facing, "" when none
};
Result<ConnectReport> connect_target(const ConnectRequest& req, StationStore& store, const std::string& data_dir,
                                     const SyncSetup& setup, const std::atomic<bool>* abort = nullptr);

Result<std::string> pair_with_payload(const std::string& payload, const std::string& data_dir, StationStore* store,
                                      const std::string& station_name, const std::atomic<bool>* abort = nullptr);

}  // namespace batchivo::station
