// The Station: the one object the UI thread owns. It keeps navigation, the store, the device and sync links, the
// catalog and the task runners, and assembles the immutable StationSnapshot. Each screen's state and intents live
// in its controller (station/core/screens/, one per row of the screen registry); the Station applies the global
// intents (navigate, back, home, wake, toasts) itself and offers every other intent to the controllers. It is the
// controllers' ScreenHost.
//
// Thread-safety: everything except the callbacks it installs runs on the UI thread (the thread that calls
// start(), frame() and apply()). Device and sync threads, and the task runners, only post closures to the queue.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "station/core/catalog_index.hpp"
#include "station/core/demo.hpp"
#include "station/core/devices.hpp"
#include "station/core/event_queue.hpp"
#include "station/core/paths.hpp"
#include "station/core/screens/screen.hpp"
#include "station/core/snapshot.hpp"
#include "station/core/sync_link.hpp"
#include "station/core/task.hpp"
#include "sync/targets/central/lookup_api.hpp"
#include "sync/domain/result.hpp"
#include "sync/domain/tare_catalog.hpp"

namespace batchivo::platform {
class Scanner;
}

namespace batchivo::station {

class DemoControls;

struct StationOptions {
    std::string data_dir;  // empty = XDG default (ignored in demo mode: a fresh per-run directory)
    bool demo = false;
    // Tests and benches: devices to use instead of the configured ones (nullptr = from the config).
    std::function<std::unique_ptr<ScaleLink>(const platform::ScaleSettings&)> scale_factory;
    std::function<std::unique_ptr<CameraLink>(const platform::CameraSettings&)> camera_factory;
    int demo_spools = 40;
    int central_timeout_ms = 20000;
    // A spool's recent transactions from the sync target (runs in a network task, never on the UI thread).
    // nullptr = SyncLink::history (the target's credentials, loaded once; verified TLS, CA + pin from pairing).
    std::function<Result<sync::SpoolHistory>(const std::string& spool_uuid, const std::atomic<bool>* abort)>
        history_fetcher;
};

class Station final : private ScreenHost {
public:
    explicit Station(StationOptions opts);
    ~Station() override;
    Station(const Station&) = delete;
    Station& operator=(const Station&) = delete;

    // Opens the store, loads the config, starts devices and sync (demo: starts the central child and pairs).
    // An error when the station cannot run (unreadable config, store cannot be opened).
    Result<> start(std::function<void()> waker);
    void stop();

    // Once per frame on the UI thread: runs queued events, advances timers. Returns true when the snapshot
    // changed since the previous call.
    bool frame(int64_t steady_now_ms);
    std::shared_ptr<const StationSnapshot> snapshot() const { return snap_; }

    void apply(const Intent& intent) override;
    void apply(const Intents& intents) {
        for (const auto& i : intents) apply(i);
    }
    // Text from a handheld scanner or a decoded camera frame.
    void scanned(const std::string& text);
    // Any touch/key: resets the blanking timer. Returns true when the screen was blank (the touch only wakes).
    bool user_activity(int64_t steady_now_ms);

    // --- for automation and tests
    EventQueue& queue() { return queue_; }
    StationStore& store() override { return *store_; }
    ScaleLink* scale() { return scale_.get(); }
    CameraLink* camera() { return camera_.get(); }
    SyncLink* sync() { return sync_.get(); }
    const DataDir& data_dir() const override { return dir_; }
    const StationConfig& config() const override { return cfg_; }
    std::string last_record_id() const { return last_record_id_; }
    bool saving() const { return saving_ > 0; }  // a record write is in flight (its result not yet applied)
    void navigate(Screen s) override;
    ScreenController& controller(Screen s);
    // Automation (scenarios): records a usage of `grams` for a spool UUID that need not be in the catalog (e.g.
    // one removed on the server since), exactly as a screen would: durable (in the store task), then the sync
    // engine is notified. False when it could not be queued; saving() is true until it is written.
    bool record_usage(const std::string& spool_uuid, const std::string& label, int grams);
    void refresh_sync_status();
    bool demo_paired() const { return demo_paired_; }

private:
    // --- ScreenHost
    const sync::SyncStatus& sync_status() const override { return sync_status_; }
    const TareCatalog& tares() const override { return tares_; }
    std::shared_ptr<const CatalogIndex> catalog() const override { return catalog_; }
    Screen current() const override { return nav_.back(); }
    int64_t now_ms() const override { return now_ms_; }
    std::optional<Spool> spool_in_hand() const override;
    void toast(std::string text, bool error = false) override;
    void changed() override { dirty_ = true; }
    TaskRunner& network_tasks() override { return *net_tasks_; }
    void record(NewRecord r, std::function<void(Result<Recorded>)> done) override;
    void create_spool(NewSpoolRecord r, std::function<void(Result<CreatedSpool>)> done) override;
    void refresh_sync(bool wake_engine) override;
    void credentials_changed() override;
    void config_saved(const StationConfig& cfg) override;
    Result<sync::SpoolHistory> fetch_history(const std::string& spool_uuid, const std::atomic<bool>* abort) override;

    void mark() { dirty_ = true; }
    template <class F>
    void each_controller(F f);  // every screen's controller, then the demo controls
    void reload_catalog();
    void start_devices();
    void stop_devices();
    void rebuild_snapshot(int64_t now);
    bool animating(int64_t now) const;

    StationOptions opts_;
    DataDir dir_;
    StationConfig cfg_;
    std::unique_ptr<StationStore> store_;
    std::unique_ptr<ScaleLink> scale_;
    std::unique_ptr<CameraLink> camera_;
    std::unique_ptr<platform::Scanner> scanner_;  // [scanner] driver with a backend of its own (evdev), when configured
    std::unique_ptr<SyncLink> sync_;
    std::unique_ptr<CentralChild> central_;
    TareCatalog tares_;
    EventQueue queue_;
    std::unique_ptr<TaskRunner> store_tasks_;  // record writes and catalog loads, in order
    std::unique_ptr<TaskRunner> net_tasks_;    // history and pairing: slow, never in front of a write
    std::shared_ptr<const CatalogIndex> catalog_;
    bool catalog_loading_ = false;
    bool catalog_reload_again_ = false;
    int saving_ = 0;

    std::vector<std::unique_ptr<ScreenController>> controllers_;  // one per registry row, in its order
    std::unique_ptr<DemoControls> demo_;
    std::vector<Screen> nav_;
    platform::ScaleReadout scale_state_;
    CameraState camera_state_;
    std::shared_ptr<const platform::GrayImage> preview_;
    uint64_t preview_seq_ = 0;
    sync::SyncStatus sync_status_;
    std::vector<Toast> toasts_;
    bool demo_paired_ = false;
    std::string last_record_id_;

    int64_t now_ms_ = 0;
    int64_t last_input_ms_ = 0;
    int64_t last_sync_poll_ms_ = 0;
    int64_t last_preview_poll_ms_ = 0;
    uint64_t preview_camera_seq_ = 0;
    bool blanked_ = false;
    bool camera_paused_ = false;
    bool dirty_ = true;
    uint64_t version_ = 0;
    std::shared_ptr<const StationSnapshot> snap_;
    bool started_ = false;
    bool stopping_ = false;
};

int64_t steady_now_ms();

}  // namespace batchivo::station
