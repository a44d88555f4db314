// The contract between the Station and one screen's controller.
//
// A ScreenController owns one screen's state, handles that screen's intents and fills that screen's part of the
// StationSnapshot. It never touches ImGui, devices or threads directly: slow work goes through the host's task
// runners, and everything else it needs from the station (store, config, navigation, toasts, the durable record
// write) comes through ScreenHost, which the Station implements.
//
// Threads: every method here is called on the UI thread only (task results arrive there through the EventQueue).
// Ownership: the Station owns the controllers (one per registry row, plus the demo controls) and outlives them.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "station/core/catalog_index.hpp"
#include "platform/labels/label_parser.hpp"
#include "station/core/paths.hpp"
#include "station/core/snapshot.hpp"
#include "station/core/task.hpp"
#include "sync/targets/central/lookup_api.hpp"
#include "sync/domain/result.hpp"
#include "sync/domain/tare_catalog.hpp"

namespace batchivo::station {

// A record written durably: the record and the spool's weight after it.
struct Recorded {
    OutboxRecord record;
    int resulting_weight_g = 0;
};

// A spool created durably on the station (the "spool created" record and the spool in the local catalog).
struct CreatedSpool {
    OutboxRecord record;
    Spool spool;
};

class ScreenHost {
public:
    virtual ~ScreenHost() = default;
    // --- what controllers read
    virtual StationStore& store() = 0;               // thread-safe; quick reads only on the UI thread
    virtual const StationConfig& config() const = 0;
    virtual const DataDir& data_dir() const = 0;
    virtual const sync::SyncStatus& sync_status() const = 0;
    virtual const TareCatalog& tares() const = 0;
    virtual std::shared_ptr<const CatalogIndex> catalog() const = 0;  // null until the first load
    virtual Screen current() const = 0;
    virtual int64_t now_ms() const = 0;  // steady ms of the current frame
    virtual std::optional<Spool> spool_in_hand() const = 0;  // the weigh screen's spool, if any
    // --- what controllers ask for
    virtual void navigate(Screen s) = 0;
    virtual void apply(const Intent& in) = 0;  // hand an intent on (e.g. the weigh card's "Details")
    virtual void toast(std::string text, bool error = false) = 0;
    virtual void changed() = 0;                // the snapshot must be rebuilt
    virtual TaskRunner& network_tasks() = 0;   // slow network work (history, pairing)
    // Writes `r` durably on the store task (the UI thread never waits on the fsync), then notifies the sync
    // engine; `done` runs on the UI thread with the record or the error (nothing was written then).
    virtual void record(NewRecord r, std::function<void(Result<Recorded>)> done) = 0;
    // Creates a spool (StationStore::create_spool) on the store task, like record(): durable when `done` runs with
    // the result; the sync engine is woken and the catalog reloaded. An error means nothing was written.
    virtual void create_spool(NewSpoolRecord r, std::function<void(Result<CreatedSpool>)> done) = 0;
    virtual void refresh_sync(bool wake_engine) = 0;            // the outbox changed: refresh the sync status
    virtual void credentials_changed() = 0;                     // after pairing
    virtual void config_saved(const StationConfig& cfg) = 0;    // Setup saved: apply it, restart devices if needed
    // A spool's recent transactions from central. Blocking (network): call it inside a network task (any thread).
    virtual Result<sync::SpoolHistory> fetch_history(const std::string& spool_uuid, const std::atomic<bool>* abort) = 0;
};

class ScreenController {
public:
    virtual ~ScreenController() = default;
    // Returns true when the intent was this controller's (the Station stops offering it then).
    virtual bool handle(const Intent& in) = 0;
    // Writes this screen's part of the snapshot.
    virtual void fill(StationSnapshot& s, int64_t now_ms) const = 0;

    // --- lifecycle hooks (all optional)
    virtual void entered() {}   // navigated to this screen: refresh what it shows
    virtual void returned() {}  // shown again by Back
    // A scan while this screen is open. `spool` is the catalog's spool for the label, when there is one.
    // Return false to let the weigh screen take it (the Station then goes home).
    virtual bool scanned(const platform::LabelRef&, const std::optional<Spool>& /*spool*/) { return false; }
    virtual void catalog_loaded(const std::shared_ptr<const CatalogIndex>&) {}
    virtual void sync_status_changed(const sync::SyncStatus&) {}
    virtual void config_changed(const StationConfig&) {}
    virtual void scale_changed(const platform::ScaleReadout&, int64_t /*now_ms*/) {}
    virtual void tick(int64_t /*now_ms*/) {}
    virtual bool animating(int64_t /*now_ms*/) const { return false; }
    virtual const Spool* spool() const { return nullptr; }  // the spool this screen is about, if any
};

}  // namespace batchivo::station
