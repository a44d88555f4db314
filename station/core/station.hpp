// The Station: the one object the UI thread owns. It holds the store, the device and sync links, the flows and
// the navigation stack; applies the screens' intents; turns device/sync callbacks (posted to the EventQueue from
// their threads) into flow inputs; and publishes an immutable StationSnapshot after every change.
//
// Thread-safety: everything except the callbacks it installs runs on the UI thread (the thread that calls
// start(), frame() and apply()). Device and sync threads only post closures to the queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "station/core/demo.hpp"
#include "station/core/devices.hpp"
#include "station/core/event_queue.hpp"
#include "station/core/flows.hpp"
#include "station/core/label_adapter.hpp"
#include "station/core/paths.hpp"
#include "station/core/snapshot.hpp"
#include "station/core/sync_link.hpp"
#include "station/core/weigh_flow.hpp"
#include "sync/client/lookup_api.hpp"
#include "sync/domain/tare_catalog.hpp"

namespace batchivo::platform {
class EvdevScanner;
}

namespace batchivo::station {

struct StationOptions {
    std::string data_dir;  // empty = XDG default (ignored in demo mode: a fresh per-run directory)
    bool demo = false;
    // Tests and benches: devices to use instead of the configured ones (nullptr = from the config).
    std::function<std::unique_ptr<ScaleLink>(const ScaleConfig&)> scale_factory;
    std::function<std::unique_ptr<CameraLink>(const CameraConfig&)> camera_factory;
    int demo_spools = 40;
    int central_timeout_ms = 20000;
    // A spool's recent transactions from central (runs on the history thread, never the UI thread).
    // nullptr = sync::fetch_spool_history with the station's credentials (verified TLS, CA + pin from pairing).
    std::function<sync::HistoryResult(const std::string& data_dir, const std::string& spool_uuid,
                                      const std::atomic<bool>* abort)>
        history_fetcher;
};

class Station {
public:
    explicit Station(StationOptions opts);
    ~Station();
    Station(const Station&) = delete;
    Station& operator=(const Station&) = delete;

    // Opens the store, loads the config, starts devices and sync (demo: starts the central child and pairs).
    // Returns false with a message when the station cannot run (unreadable config, store cannot be opened).
    bool start(std::function<void()> waker, std::string& error);
    void stop();

    // Once per frame on the UI thread: runs queued events, advances timers. Returns true when the snapshot
    // changed since the previous call.
    bool frame(int64_t steady_now_ms);
    std::shared_ptr<const StationSnapshot> snapshot() const { return snap_; }

    void apply(const Intent& intent);
    void apply(const Intents& intents) {
        for (const auto& i : intents) apply(i);
    }
    // Text from a handheld scanner or a decoded camera frame.
    void scanned(const std::string& text);
    // Any touch/key: resets the blanking timer. Returns true when the screen was blank (the touch only wakes).
    bool user_activity(int64_t steady_now_ms);

    // --- for automation and tests
    EventQueue& queue() { return queue_; }
    StationStore& store() { return *store_; }
    ScaleLink* scale() { return scale_.get(); }
    CameraLink* camera() { return camera_.get(); }
    SyncLink* sync() { return sync_.get(); }
    const DataDir& data_dir() const { return dir_; }
    const StationConfig& config() const { return cfg_; }
    const WeighFlow& weigh() const { return weigh_; }
    std::string last_record_id() const { return last_record_id_; }
    void navigate(Screen s);
    // Automation (scenarios): records a usage of `grams` for a spool UUID that need not be in the catalog (e.g.
    // one removed on the server since), exactly as a screen would: durable, then the sync engine is notified.
    bool record_usage(const std::string& spool_uuid, const std::string& label, int grams);
    void refresh_sync_status();
    bool demo_paired() const { return demo_paired_; }
    bool pairing() const { return pairing_; }

private:
    void mark() { dirty_ = true; }
    void toast(std::string text, bool error = false);
    void resolve_scan(const std::string& text);
    std::optional<OutboxRecord> write(const NewRecord& r, int& resulting_weight);
    void reload_catalog();
    void start_devices();
    void stop_devices();
    void open_detail(const std::string& uuid);
    void refresh_detail();  // recompute the merged history and plot of the open detail
    void request_history(const std::string& uuid);
    void history_worker();
    void start_pairing(std::string payload);
    void apply_weigh_settings();
    void rebuild_snapshot(int64_t now);
    void start_demo(std::string& error);
    void demo_select(int index);
    std::optional<double> demo_gross_for(const Spool& s) const;

    StationOptions opts_;
    DataDir dir_;
    StationConfig cfg_;
    std::unique_ptr<StationStore> store_;
    std::unique_ptr<ScaleLink> scale_;
    std::unique_ptr<CameraLink> camera_;
    std::unique_ptr<platform::EvdevScanner> scanner_;  // [scanner] evdev_device, when configured
    std::unique_ptr<SyncLink> sync_;
    std::unique_ptr<CentralChild> central_;
    TareCatalog tares_;
    EventQueue queue_;
    std::thread catalog_loader_;
    std::atomic<bool> catalog_loading_{false};
    bool catalog_reload_again_ = false;

    std::vector<Screen> nav_{Screen::Weigh};
    WeighFlow weigh_;
    UsageFlow usage_;
    StockFlow stock_;
    SyncModel sync_model_;
    SetupFlow setup_;
    DetailView detail_;
    std::string detail_uuid_;
    std::optional<sync::SpoolHistory> detail_server_;
    uint64_t detail_gen_ = 0;
    // The history thread: takes the latest request (uuid + generation), fetches, posts the result to the queue.
    std::thread history_thread_;
    std::mutex history_mu_;
    std::condition_variable history_cv_;
    std::optional<std::pair<std::string, uint64_t>> history_request_;
    bool history_quit_ = false;
    std::atomic<bool> history_abort_{false};
    std::thread pair_thread_;
    bool pairing_ = false;  // UI thread only
    ReorderView reorder_;
    ScaleState scale_state_;
    CameraState camera_state_;
    std::shared_ptr<const GrayImage> preview_;
    uint64_t preview_seq_ = 0;
    SyncStatusView sync_status_;
    std::vector<Toast> toasts_;
    DemoView demo_;
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
