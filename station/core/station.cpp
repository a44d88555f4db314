#include "station/core/station.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "platform/scanner/scanner_registry.hpp"
#include "platform/labels/label_parser.hpp"
#include "station/core/screens/demo_controls.hpp"
#include "station/core/screens/registry.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

int64_t steady_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Station::Station(StationOptions opts) : opts_(std::move(opts)) {
    nav_.push_back(screen_registry().front().id);
    ScreenHost& host = *this;
    for (const auto& row : screen_registry()) controllers_.push_back(row.make(host));
    DemoLinks links;
    links.scale = [this] { return scale_.get(); };
    links.camera = [this] { return camera_.get(); };
    links.pairing_payload = [this] {
        return central_ && central_->running() ? central_->pairing_payload() : std::string();
    };
    demo_ = std::make_unique<DemoControls>(static_cast<ScreenHost&>(*this), std::move(links));
}

Station::~Station() { stop(); }

template <class F>
void Station::each_controller(F f) {
    for (auto& c : controllers_) f(*c);
    f(static_cast<ScreenController&>(*demo_));
}

ScreenController& Station::controller(Screen s) {
    const auto rows = screen_registry();
    for (size_t i = 0; i < rows.size(); ++i)
        if (rows[i].id == s) return *controllers_[i];
    return *controllers_.front();
}

Result<> Station::start(std::function<void()> waker) {
    queue_.set_waker(std::move(waker));
    try {
        dir_ = opts_.demo && opts_.data_dir.empty() ? DataDir{fresh_demo_dir()} : resolve_data_dir(opts_.data_dir);
    } catch (const std::exception& e) {
        return Error{"data_dir", e.what()};
    }
    // A fresh demo dir stays on the defaults; otherwise the data dir's config, else /etc's (paths.hpp).
    auto cfg = load_config(opts_.demo && opts_.data_dir.empty() ? dir_.config() : dir_.config_to_load());
    if (!cfg) return cfg.error();
    cfg_ = *cfg;
    try {
        store_ = std::make_unique<StationStore>(dir_.db());
    } catch (const std::exception& e) {
        return Error{"store", std::string("cannot open the station store: ") + e.what()};
    }
    // Without the tare data the station still weighs (spool's own tare, station default, manual); it says so.
    auto tares = TareCatalog::load_file(assets_dir() + "/data/spool_tares.csv");
    if (tares) tares_ = std::move(*tares);
    else toast("Empty-spool weights not loaded: " + tares.error().message, true);
    stopping_ = false;
    store_tasks_ = std::make_unique<TaskRunner>(queue_);
    net_tasks_ = std::make_unique<TaskRunner>(queue_);
    each_controller([&](ScreenController& c) { c.config_changed(cfg_); });
    now_ms_ = last_input_ms_ = steady_now_ms();
    if (opts_.demo) {
        auto r = start_demo_central(dir_.root, *store_, cfg_.station_name, opts_.central_timeout_ms,
                                    opts_.demo_spools, central_);
        demo_paired_ = r.ok();
        demo_->enable(central_ && central_->running() ? central_->url() : std::string(),
                      r ? std::string() : r.error().message);
        if (!r) toast("Offline demo: " + r.error().message, true);
    }
    sync_ = make_sync_link(*store_, dir_.root, cfg_.sync);
    sync_->start([this] { queue_.post([this] { refresh_sync_status(); }); });
    refresh_sync_status();
    start_devices();
    started_ = true;
    reload_catalog();
    rebuild_snapshot(now_ms_);
    return {};
}

void Station::stop() {
    stopping_ = true;  // no new catalog loads from here on
    // Queued record writes still finish (durable); network tasks see the abort flag; no result is applied after.
    if (net_tasks_) net_tasks_->stop();
    if (store_tasks_) store_tasks_->stop();
    stop_devices();
    if (sync_) sync_->stop();
    if (central_) central_->stop();
    queue_.drain();
    if (started_ && opts_.demo && opts_.data_dir.empty() && !dir_.root.empty()) {
        store_.reset();  // the demo's per-run directory goes away with it: nothing left behind
        std::error_code ec;
        std::filesystem::remove_all(dir_.root, ec);
    }
    started_ = false;
}

void Station::start_devices() {
    scale_ = opts_.scale_factory ? opts_.scale_factory(cfg_.scale) : make_scale_link(cfg_.scale);
    camera_ = opts_.camera_factory ? opts_.camera_factory(cfg_.camera) : make_camera_link(cfg_.camera);
    scale_->start([this](const platform::ScaleReadout& s) {
        queue_.post([this, s] {
            scale_state_ = s;
            each_controller([&](ScreenController& c) { c.scale_changed(s, now_ms_); });
            mark();
        });
    });
    CameraLink::Callbacks cb;
    cb.on_state = [this](const CameraState& s) {
        queue_.post([this, s] {
            camera_state_ = s;
            mark();
        });
    };
    cb.on_label = [this](const std::string& text) { queue_.post([this, text] { scanned(text); }); };
    camera_->start(std::move(cb));
    // A handheld scanner with its own backend (evdev); the "keyboard" driver types into the window instead.
    auto scanner = platform::create_scanner(
        cfg_.scanner, [this](const std::string& text) { queue_.post([this, text] { scanned(text); }); },
        [this](const std::string& msg) { queue_.post([this, msg] { toast("Scanner: " + msg, true); }); });
    if (!scanner) {
        toast("Scanner: " + scanner.error().message, true);
    } else if (*scanner) {
        if (auto started = (*scanner)->start(); !started)
            toast("Scanner " + (*scanner)->describe() + ": " + started.error().message, true);
        else
            scanner_ = std::move(*scanner);
    }
}

void Station::stop_devices() {
    if (scale_) scale_->stop();
    if (camera_) camera_->stop();
    scanner_.reset();  // stops its thread
}

void Station::refresh_sync_status() {
    if (!sync_) return;
    auto s = sync_->status();
    if (s.tenant.empty()) {
        if (opts_.demo && !demo_paired_) s.tenant = "Demo workshop (offline)";
    }
    bool catalog_changed = s.catalog_as_of_ms != sync_status_.catalog_as_of_ms;
    if (!(s == sync_status_)) {
        sync_status_ = s;
        each_controller([&](ScreenController& c) { c.sync_status_changed(s); });
        mark();
    }
    if (catalog_changed && started_) reload_catalog();
}

void Station::refresh_sync(bool wake_engine) {
    if (wake_engine && sync_) sync_->notify();
    refresh_sync_status();
}

void Station::credentials_changed() {
    if (sync_) sync_->reload_credentials();
    refresh_sync_status();
}

void Station::config_saved(const StationConfig& saved) {
    const bool devices_changed = saved.scale.driver != cfg_.scale.driver || saved.scale.device != cfg_.scale.device ||
                                 saved.camera.driver != cfg_.camera.driver ||
                                 saved.camera.device != cfg_.camera.device ||
                                 saved.scale.stable_spread_g != cfg_.scale.stable_spread_g;
    cfg_ = saved;
    each_controller([&](ScreenController& c) { c.config_changed(cfg_); });
    if (devices_changed) {
        stop_devices();
        start_devices();
    }
    toast("Settings saved");
}

Result<sync::SpoolHistory> Station::fetch_history(const std::string& spool_uuid, const std::atomic<bool>* abort) {
    if (opts_.history_fetcher) return opts_.history_fetcher(spool_uuid, abort);
    if (!sync_) return Error{"not_paired", "not paired"};
    return sync_->history(spool_uuid, 50, abort);
}

void Station::reload_catalog() {
    if (stopping_ || !store_tasks_) return;
    if (catalog_loading_) {
        catalog_reload_again_ = true;
        return;
    }
    catalog_loading_ = true;
    using Index = std::shared_ptr<const CatalogIndex>;
    store_tasks_->run<Index>(
        [store = store_.get()](const std::atomic<bool>&) -> Result<Index> {
            return Index(std::make_shared<const CatalogIndex>(store->all_spools()));
        },
        [this](Result<Index> r) {
            catalog_loading_ = false;
            catalog_ = r ? *r : std::make_shared<const CatalogIndex>();
            each_controller([&](ScreenController& c) { c.catalog_loaded(catalog_); });
            mark();
            if (catalog_reload_again_) {
                catalog_reload_again_ = false;
                reload_catalog();
            }
        });
}

void Station::record(NewRecord r, std::function<void(Result<Recorded>)> done) {
    ++saving_;
    mark();
    const bool queued = store_tasks_ && store_tasks_->run<Recorded>(
        [store = store_.get(), r](const std::atomic<bool>&) -> Result<Recorded> {
            auto rec = store->record(r);  // durable (fsync) when it returns
            auto sp = store->spool_by_uuid(r.spool_uuid);
            return Recorded{std::move(rec), sp ? sp->current_weight_g : 0};
        },
        [this, done](Result<Recorded> res) {
            --saving_;
            if (res) {
                last_record_id_ = res->record.id;
                refresh_sync(true);
                reload_catalog();
            } else {
                toast("Not saved: " + res.error().message, true);
            }
            done(res);
            mark();
        });
    if (!queued) {
        --saving_;
        done(Error{"stopped", "the station is shutting down"});
    }
}

void Station::create_spool(NewSpoolRecord r, std::function<void(Result<CreatedSpool>)> done) {
    ++saving_;
    mark();
    const bool queued = store_tasks_ && store_tasks_->run<CreatedSpool>(
        [store = store_.get(), r](const std::atomic<bool>&) -> Result<CreatedSpool> {
            try {
                auto rec = store->create_spool(r);  // durable (fsync) when it returns
                auto sp = store->spool_by_uuid(rec.spool_uuid);
                if (!sp) return Error{"io", "the new spool is not in the store after saving it"};
                return CreatedSpool{std::move(rec), std::move(*sp)};
            } catch (const std::invalid_argument& e) {  // refused by the store: nothing written
                return Error{"invalid_input", e.what()};
            }
        },
        [this, done](Result<CreatedSpool> res) {
            --saving_;
            if (res) {
                last_record_id_ = res->record.id;
                refresh_sync(true);
                reload_catalog();
            }
            done(res);
            mark();
        });
    if (!queued) {
        --saving_;
        done(Error{"stopped", "the station is shutting down"});
    }
}

bool Station::record_usage(const std::string& spool_uuid, const std::string& label, int grams) {
    NewRecord r;
    r.spool_uuid = spool_uuid;
    r.spool_label = label;
    r.type = TransactionType::Usage;
    r.quantity_grams = -std::abs(grams);
    r.notes = "scenario";
    if (!store_tasks_ || store_tasks_->stopped()) return false;
    record(r, [](const Result<Recorded>&) {});  // a failure is toasted by record()
    return true;
}

std::optional<Spool> Station::spool_in_hand() const {
    const Spool* s = controllers_.front()->spool();
    return s ? std::optional<Spool>(*s) : std::nullopt;
}

void Station::toast(std::string text, bool error) {
    toasts_.push_back(Toast{std::move(text), error, now_ms_ + (error ? 6000 : 3500)});
    if (toasts_.size() > 3) toasts_.erase(toasts_.begin());
    mark();
}

void Station::navigate(Screen s) {
    const Screen home = screen_registry().front().id;
    if (s == home) nav_.assign(1, home);
    else if (nav_.back() != s) nav_.push_back(s);
    controller(s).entered();
    mark();
}

void Station::scanned(const std::string& text) {
    last_input_ms_ = now_ms_;
    blanked_ = false;
    // The open screen takes the scan if it wants it; otherwise the weigh screen (home) does.
    const auto label = platform::parse_label(text);
    const auto sp = spool_for_label(*store_, label);
    if (!controller(nav_.back()).scanned(label, sp)) {
        navigate(screen_registry().front().id);
        controller(nav_.back()).scanned(label, sp);
    }
    mark();
}

bool Station::user_activity(int64_t now) {
    last_input_ms_ = now;
    if (blanked_) {
        blanked_ = false;
        mark();
        return true;
    }
    return false;
}

void Station::apply(const Intent& in) {
    mark();
    switch (in.kind) {  // the global intents; every other one belongs to a controller
        case IntentKind::Navigate:
            if (auto s = screen_from_string(in.text)) navigate(*s);
            return;
        case IntentKind::Back:
            if (nav_.size() > 1) nav_.pop_back();
            controller(nav_.back()).returned();
            return;
        case IntentKind::Home: navigate(screen_registry().front().id); return;
        case IntentKind::Wake: user_activity(now_ms_); return;
        case IntentKind::DismissToast: toasts_.clear(); return;
        default: break;
    }
    for (auto& c : controllers_)
        if (c->handle(in)) return;
    demo_->handle(in);
}

bool Station::animating(int64_t now) const {
    for (const auto& c : controllers_)
        if (c->animating(now)) return true;
    return false;
}

bool Station::frame(int64_t now) {
    now_ms_ = now;
    queue_.drain();
    each_controller([&](ScreenController& c) { c.tick(now); });
    size_t before = toasts_.size();
    std::erase_if(toasts_, [&](const Toast& t) { return t.until_ms <= now; });
    if (toasts_.size() != before) mark();
    // The camera preview refreshes every 2 s while the weigh screen waits for a scan (keeps idle redraws rare).
    if (camera_ && nav_.back() == Screen::Weigh && !blanked_ && now - last_preview_poll_ms_ >= 2000) {
        last_preview_poll_ms_ = now;
        if (auto img = camera_->poll_preview(preview_camera_seq_)) {
            preview_ = std::move(img);
            ++preview_seq_;
            if (snap_ && snap_->weigh.stage == WeighStage::Idle) mark();
        }
    }
    if (now - last_sync_poll_ms_ >= 1000) {
        last_sync_poll_ms_ = now;
        refresh_sync_status();
    }
    const int blank_ms = cfg_.display.blank_after_s * 1000;
    if (blank_ms > 0 && !blanked_ && now - last_input_ms_ >= blank_ms && !animating(now)) {
        blanked_ = true;
        mark();
    }
    if (camera_ && blanked_ != camera_paused_) {  // a blank screen does not decode; a touch wakes both
        camera_paused_ = blanked_;
        camera_->set_active(!blanked_);
    }
    if (animating(now)) mark();
    if (!dirty_) return false;
    rebuild_snapshot(now);
    return true;
}

void Station::rebuild_snapshot(int64_t now) {
    dirty_ = false;
    auto s = std::make_shared<StationSnapshot>();
    s->version = ++version_;
    s->now_ms = now;
    s->station_name = cfg_.station_name;
    s->tenant = sync_status_.tenant;
    s->screen = nav_.back();
    s->can_go_back = nav_.size() > 1;
    s->scale = scale_state_;
    s->camera = camera_state_;
    s->preview = preview_;
    s->preview_seq = preview_seq_;
    s->sync = sync_status_;
    each_controller([&](ScreenController& c) { c.fill(*s, now); });
    s->toasts = toasts_;
    s->blanked = blanked_;
    s->animating = animating(now) || (scale_state_.connected && !scale_state_.stable && scale_state_.grams &&
                                      std::abs(*scale_state_.grams) > 0.5);
    snap_ = std::move(s);
}

}  // namespace batchivo::station
