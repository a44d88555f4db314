#include "station/core/station.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/scanner/evdev_scanner.hpp"
#include "sync/domain/text.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/domain/time.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

int64_t steady_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string_view to_string(Screen s) {
    switch (s) {
        case Screen::Weigh: return "weigh";
        case Screen::LogUsage: return "usage";
        case Screen::Stock: return "stock";
        case Screen::SpoolDetail: return "detail";
        case Screen::Reorder: return "reorder";
        case Screen::Sync: return "sync";
        case Screen::Setup: return "setup";
    }
    return "weigh";
}

std::optional<Screen> screen_from_string(std::string_view s) {
    for (Screen x : {Screen::Weigh, Screen::LogUsage, Screen::Stock, Screen::SpoolDetail, Screen::Reorder,
                     Screen::Sync, Screen::Setup})
        if (to_string(x) == s) return x;
    if (s == "home") return Screen::Weigh;
    return std::nullopt;
}

Station::Station(StationOptions opts) : opts_(std::move(opts)) {}

Station::~Station() { stop(); }

bool Station::start(std::function<void()> waker, std::string& error) {
    queue_.set_waker(std::move(waker));
    try {
        if (opts_.demo) {
            dir_ = DataDir{fresh_demo_dir()};
            if (!opts_.data_dir.empty()) dir_ = resolve_data_dir(opts_.data_dir);
        } else {
            dir_ = resolve_data_dir(opts_.data_dir);
        }
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
    auto cfg = load_config(dir_.config(), error);
    if (!cfg) return false;
    cfg_ = *cfg;
    try {
        store_ = std::make_unique<StationStore>(dir_.db());
    } catch (const std::exception& e) {
        error = std::string("cannot open the station store: ") + e.what();
        return false;
    }
    {
        std::ifstream in(assets_dir() + "/data/spool_tares.csv");
        std::stringstream ss;
        ss << in.rdbuf();
        tares_ = TareCatalog::parse_csv(ss.str());
    }
    apply_weigh_settings();
    now_ms_ = last_input_ms_ = steady_now_ms();
    if (opts_.demo) {
        std::string derr;
        start_demo(derr);
        if (!derr.empty()) demo_.central_error = derr;
    }
    sync_ = make_sync_link(*store_, dir_.root, cfg_.sync);
    sync_->start([this] { queue_.post([this] { refresh_sync_status(); }); });
    refresh_sync_status();
    setup_.load(cfg_, sync_status_.paired, sync_status_.tenant);
    start_devices();
    reload_catalog();
    started_ = true;
    rebuild_snapshot(now_ms_);
    return true;
}

void Station::start_demo(std::string& error) {
    demo_.enabled = true;
    std::string bin = find_central_binary();
    if (!bin.empty()) {
        central_ = std::make_unique<CentralChild>();
        std::string err;
        if (central_->start(bin, dir_.root, opts_.central_timeout_ms, err)) {
            demo_.central_url = central_->url();
            std::string perr;
            if (pair_with_payload(central_->pairing_payload(), dir_.root, store_.get(), cfg_.station_name, perr)) {
                demo_paired_ = true;
            } else {
                error = "pairing with the demo central failed: " + perr;
            }
        } else {
            error = err;
        }
    } else {
        error = "batchivo-central is not built next to this program";
    }
    if (!demo_paired_) {
        // Offline demo: the same kind of catalog the demo central seeds, straight into the local cache.
        auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", opts_.demo_spools);
        store_->upsert_material_types(cat.materials);
        store_->upsert_spools(cat.spools);
        store_->upsert_reorder_settings(cat.reorder);
        store_->set_meta("catalog_as_of_ms", std::to_string(now_epoch_ms()));
        toast("Offline demo: " + error, true);
    }
}

void Station::stop() {
    stopping_ = true;  // no new catalog loads from here on
    if (catalog_loader_.joinable()) catalog_loader_.join();
    {
        std::lock_guard<std::mutex> lk(history_mu_);
        history_quit_ = true;
        history_abort_ = true;  // aborts a transfer in progress
    }
    history_cv_.notify_all();
    if (history_thread_.joinable()) history_thread_.join();
    if (pair_thread_.joinable()) pair_thread_.join();
    stop_devices();
    if (sync_) sync_->stop();
    if (central_) central_->stop();
    queue_.drain();
    if (catalog_loader_.joinable()) catalog_loader_.join();
    if (started_ && opts_.demo && opts_.data_dir.empty() && !dir_.root.empty()) {
        store_.reset();  // the demo's per-run directory goes away with it: nothing left behind
        std::error_code ec;
        std::filesystem::remove_all(dir_.root, ec);
    }
    started_ = false;
}

void Station::apply_weigh_settings() {
    WeighSettings ws;
    ws.auto_commit = cfg_.weigh.auto_commit;
    ws.auto_commit_stable_ms = cfg_.weigh.auto_commit_stable_ms;
    ws.undo_ms = cfg_.weigh.undo_seconds * 1000;
    ws.station_default_tare_g = cfg_.weigh.default_tare_g;
    ws.catalog = &tares_;
    weigh_.set_settings(ws);
}

void Station::start_devices() {
    scale_ = opts_.scale_factory ? opts_.scale_factory(cfg_.scale) : make_scale_link(cfg_.scale);
    camera_ = opts_.camera_factory ? opts_.camera_factory(cfg_.camera) : make_camera_link(cfg_.camera);
    scale_->start([this](const ScaleState& s) {
        queue_.post([this, s] {
            scale_state_ = s;
            weigh_.scale(s, now_ms_);
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
    if (!cfg_.scanner.evdev_device.empty()) {
        scanner_ = std::make_unique<platform::EvdevScanner>(
            cfg_.scanner.evdev_device, [this](const std::string& text) { queue_.post([this, text] { scanned(text); }); },
            [this](const std::string& msg) { queue_.post([this, msg] { toast("Scanner: " + msg, true); }); });
        std::string err;
        if (!scanner_->start(err)) {
            toast("Scanner " + cfg_.scanner.evdev_device + ": " + err, true);
            scanner_.reset();
        }
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
        setup_.set_paired(s.paired, s.tenant);
        sync_model_.set_status(s);
        if (!nav_.empty() && nav_.back() == Screen::Sync) sync_model_.refresh(*store_, s);
        if (!nav_.empty() && nav_.back() == Screen::SpoolDetail && !detail_uuid_.empty()) refresh_detail();
        mark();
    }
    if (catalog_changed && started_) reload_catalog();
}

void Station::reload_catalog() {
    if (stopping_) return;
    if (catalog_loading_) {
        catalog_reload_again_ = true;
        return;
    }
    if (catalog_loader_.joinable()) catalog_loader_.join();
    catalog_loading_ = true;
    catalog_loader_ = std::thread([this] {
        std::shared_ptr<const CatalogIndex> idx;
        try {
            idx = std::make_shared<CatalogIndex>(store_->all_spools());
        } catch (...) {
            idx = std::make_shared<CatalogIndex>();
        }
        queue_.post([this, idx] {
            catalog_loading_ = false;
            stock_.set_index(idx);
            for (const auto& s : idx->spools()) {
                weigh_.spool_updated(s);
                usage_.spool_updated(s);
            }
            if (demo_.enabled) {
                demo_.spools.clear();
                for (const auto& s : idx->spools())
                    if (demo_.spools.size() < 200) demo_.spools.push_back(SpoolCard{s, stock_info(s)});
                if (demo_.selected >= static_cast<int>(demo_.spools.size())) demo_.selected = 0;
                if (demo_.grams == 0 && !demo_.spools.empty()) demo_select(demo_.selected);
            }
            mark();
            if (catalog_reload_again_) {
                catalog_reload_again_ = false;
                reload_catalog();
            }
        });
    });
}

void Station::toast(std::string text, bool error) {
    toasts_.push_back(Toast{std::move(text), error, now_ms_ + (error ? 6000 : 3500)});
    if (toasts_.size() > 3) toasts_.erase(toasts_.begin());
    mark();
}

void Station::navigate(Screen s) {
    if (s == Screen::Weigh) {
        nav_.assign(1, Screen::Weigh);
    } else if (nav_.back() != s) {
        nav_.push_back(s);
    }
    if (s == Screen::Sync) sync_model_.refresh(*store_, sync_status_);
    if (s == Screen::Reorder) reorder_.lines = reorder_report(store_->reorder_settings(), stock_.index() ? stock_.index()->spools() : store_->all_spools());
    if (s == Screen::Setup) setup_.load(cfg_, sync_status_.paired, sync_status_.tenant);
    if (s == Screen::LogUsage && !usage_.spool() && weigh_.spool()) usage_.set_spool(*weigh_.spool());
    mark();
}

void Station::open_detail(const std::string& uuid) {
    auto sp = store_->spool_by_uuid(uuid);
    if (!sp) {
        toast("That spool is no longer in the catalog.", true);
        return;
    }
    if (uuid != detail_uuid_) detail_server_.reset();
    detail_uuid_ = uuid;
    ++detail_gen_;
    refresh_detail();
    if (sync_status_.paired) {
        detail_.source = HistorySource::Loading;
        detail_.history_note = detail_server_ ? "Updating from the server\u2026" : "Asking the server\u2026";
        request_history(uuid);
    } else {
        detail_.source = HistorySource::LocalOnly;
        detail_.history_note = "Not paired: showing this station's records only.";
    }
    navigate(Screen::SpoolDetail);
}

void Station::refresh_detail() {
    auto sp = store_->spool_by_uuid(detail_uuid_);
    if (!sp) return;
    detail_.card = SpoolCard{*sp, stock_info(*sp)};
    detail_.recent = store_->records_for_spool(detail_uuid_, 20);
    detail_.rows = merge_history(detail_.recent, detail_server_);
    detail_.plot = history_plot(detail_.rows, sp->current_weight_g, now_epoch_ms());
    mark();
}

void Station::request_history(const std::string& uuid) {
    {
        std::lock_guard<std::mutex> lk(history_mu_);
        if (history_quit_) return;
        history_request_ = std::make_pair(uuid, detail_gen_);
        if (!history_thread_.joinable()) history_thread_ = std::thread([this] { history_worker(); });
    }
    history_cv_.notify_all();
}

void Station::start_pairing(std::string payload) {
    if (pairing_) {
        setup_.message("Pairing is already in progress\u2026", false);
        return;
    }
    if (pair_thread_.joinable()) pair_thread_.join();  // the previous attempt has finished (its result was posted)
    pairing_ = true;
    setup_.set_pairing(true);
    setup_.message("Pairing with the server\u2026", false);
    mark();
    pair_thread_ = std::thread([this, payload = std::move(payload), name = cfg_.station_name] {
        std::string err;
        bool ok = false;
        try {
            ok = pair_with_payload(payload, dir_.root, store_.get(), name, err, &history_abort_);
        } catch (const std::exception& e) {  // exceptions never cross a thread
            err = e.what();
        }
        queue_.post([this, ok, err, payload] {
            pairing_ = false;
            setup_.set_pairing(false);
            if (ok) {
                setup_.message(err.empty() ? "Paired." : "Paired. " + err, false);
                if (sync_) sync_->reload_credentials();
                refresh_sync_status();
            } else {
                std::string hint;
                auto p = wire::parse_pairing_payload(payload);
                if (p && p->ca_der_base64url.empty() && err.find("certificate") != std::string::npos)
                    hint = " Typed pairing trusts only publicly trusted certificates: for a server with its own "
                           "certificate authority, scan its pairing QR code here.";
                setup_.message("Pairing failed: " + err + hint, true);
            }
            mark();
        });
    });
}

void Station::history_worker() {
    for (;;) {
        std::pair<std::string, uint64_t> req;
        {
            std::unique_lock<std::mutex> lk(history_mu_);
            history_cv_.wait(lk, [&] { return history_quit_ || history_request_.has_value(); });
            if (history_quit_) return;
            req = *history_request_;
            history_request_.reset();
        }
        sync::HistoryResult r;
        try {
            r = opts_.history_fetcher ? opts_.history_fetcher(dir_.root, req.first, &history_abort_)
                                      : sync::fetch_spool_history(dir_.root, req.first, 50, &history_abort_);
        } catch (const std::exception& e) {  // exceptions never cross a thread
            r = sync::HistoryResult{};
            r.error = e.what();
        }
        queue_.post([this, gen = req.second, r = std::move(r)] {
            if (gen != detail_gen_) return;  // the operator opened another spool meanwhile
            if (r.ok) {
                detail_server_ = r.history;
                detail_.source = HistorySource::Server;
                detail_.history_note.clear();
            } else {
                detail_.source = HistorySource::Unavailable;
                detail_.history_note = (detail_server_ ? "Server history may be out of date: " : "Server history unavailable: ") + r.error +
                                       ". Showing this station's records.";
            }
            refresh_detail();
        });
    }
}

std::optional<OutboxRecord> Station::write(const NewRecord& r, int& resulting_weight) {
    try {
        auto rec = store_->record(r);
        auto sp = store_->spool_by_uuid(r.spool_uuid);
        resulting_weight = sp ? sp->current_weight_g : 0;
        last_record_id_ = rec.id;
        if (sync_) sync_->notify();
        refresh_sync_status();
        reload_catalog();
        return rec;
    } catch (const std::exception& e) {
        toast(std::string("Not saved: ") + e.what(), true);
        return std::nullopt;
    }
}

bool Station::record_usage(const std::string& spool_uuid, const std::string& label, int grams) {
    NewRecord r;
    r.spool_uuid = spool_uuid;
    r.spool_label = label;
    r.type = TransactionType::Usage;
    r.quantity_grams = -std::abs(grams);
    r.notes = "scenario";
    int w = 0;
    return write(r, w).has_value();
}

void Station::scanned(const std::string& text) {
    last_input_ms_ = now_ms_;
    blanked_ = false;
    resolve_scan(text);
    mark();
}

void Station::resolve_scan(const std::string& text) {
    auto label = classify_label(text);
    const Screen here = nav_.back();
    if (label.kind == LabelKind::Pairing) {
        if (here == Screen::Setup) {
            start_pairing(label.value);
        } else {
            navigate(Screen::Weigh);
            weigh_.scan_problem(WeighProblem::PairingLabel,
                                "This is a pairing code, not a spool. Open Setup and scan it there to pair this station.",
                                label.raw);
        }
        return;
    }
    std::optional<Spool> sp = store_->spool_by_qr(label.raw);
    if (!sp && label.kind == LabelKind::SpoolUuid) sp = store_->spool_by_uuid(label.value);
    if (!sp && label.kind == LabelKind::SpoolId) sp = store_->spool_by_spool_id(label.value);
    if (sp) {
        if (here == Screen::LogUsage) {
            usage_.set_spool(*sp);
        } else if (here == Screen::Stock || here == Screen::SpoolDetail || here == Screen::Reorder) {
            open_detail(sp->id);
        } else {
            navigate(Screen::Weigh);
            weigh_.scan_spool(*sp, label.raw);
        }
        return;
    }
    navigate(Screen::Weigh);
    switch (label.kind) {
        case LabelKind::SpoolUuid:
        case LabelKind::SpoolId:
            weigh_.scan_problem(WeighProblem::NotInCatalog,
                                "Spool " + label.value + " is not in this station's catalog" +
                                    (sync_status_.paired ? std::string(" yet. If it is new, it arrives with the next sync;"
                                                                       " otherwise it belongs to another workspace.")
                                                         : std::string(". Pair the station to receive the catalog.")),
                                label.raw);
            break;
        case LabelKind::SpoolmanSpool:
            weigh_.scan_problem(WeighProblem::ForeignLabel,
                                "This is a Spoolman label (spool " + label.value +
                                    "). This station reads Batchivo labels: use the spool's Batchivo label or find it in Stock.",
                                label.raw);
            break;
        case LabelKind::SpoolmanFilament:
            weigh_.scan_problem(WeighProblem::FilamentLabel,
                                "This is a Spoolman filament label (a filament type, not a spool). Scan the spool's own label.",
                                label.raw);
            break;
        default:
            weigh_.scan_problem(WeighProblem::UnknownLabel,
                                "Unknown label \u201c" + (label.raw.size() > 40 ? label.raw.substr(0, 40) + "\u2026" : label.raw) +
                                    "\u201d. Scan the spool's Batchivo QR code or its spool ID.",
                                label.raw);
    }
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

std::optional<double> Station::demo_gross_for(const Spool& s) const {
    TareInputs in;
    in.spool = &s;
    in.catalog = &tares_;
    in.station_default_g = cfg_.weigh.default_tare_g;
    auto t = resolve_tare(in);
    double tare = t ? t->grams : 200.0;
    double used = s.current_weight_g > 60 ? 37.4 : 0;
    return std::round((s.current_weight_g - used + tare) * 10) / 10;
}

void Station::demo_select(int index) {
    if (demo_.spools.empty()) return;
    int n = static_cast<int>(demo_.spools.size());
    demo_.selected = ((index % n) + n) % n;
    demo_.grams = demo_gross_for(demo_.spools[size_t(demo_.selected)].spool).value_or(1000);
}

void Station::apply(const Intent& in) {
    mark();
    switch (in.kind) {
        case IntentKind::Navigate:
            if (auto s = screen_from_string(in.text)) navigate(*s);
            break;
        case IntentKind::Back:
            if (nav_.size() > 1) nav_.pop_back();
            if (nav_.back() == Screen::Sync) sync_model_.refresh(*store_, sync_status_);
            if (nav_.back() == Screen::SpoolDetail && !detail_uuid_.empty()) refresh_detail();
            break;
        case IntentKind::Home: navigate(Screen::Weigh); break;
        case IntentKind::Wake: user_activity(now_ms_); break;
        case IntentKind::Confirm: {
            if (auto r = weigh_.confirm(now_ms_)) {
                int w = 0;
                if (auto rec = write(*r, w)) weigh_.saved(*rec, w, now_ms_);
                else weigh_.save_failed("the local store refused the record");
            }
            break;
        }
        case IntentKind::Undo: {
            if (auto r = weigh_.undo(now_ms_)) {
                int w = 0;
                if (write(*r, w)) weigh_.undone(w);
            }
            break;
        }
        case IntentKind::ChooseTare: weigh_.choose_tare(in.index); break;
        case IntentKind::ClearSpool: weigh_.clear(); break;
        case IntentKind::LogUsageForCard:
            if (!in.text.empty()) {  // from a spool's detail
                if (auto sp = store_->spool_by_uuid(in.text)) usage_.set_spool(*sp);
            } else if (weigh_.spool()) {
                usage_.set_spool(*weigh_.spool());
            }
            navigate(Screen::LogUsage);
            break;
        case IntentKind::ShowSpoolDetail:
            if (!in.text.empty()) open_detail(in.text);
            else if (weigh_.spool()) open_detail(weigh_.spool()->id);
            break;
        case IntentKind::KeypadKey:
            if (!in.text.empty()) usage_.key(in.text[0]);
            break;
        case IntentKind::KeypadBackspace: usage_.backspace(); break;
        case IntentKind::KeypadClear: usage_.clear_entry(); break;
        case IntentKind::KeypadSubmit:
            if (auto r = usage_.submit()) {
                int w = 0;
                if (write(*r, w)) usage_.saved(w);
            }
            break;
        case IntentKind::StockKey:
            for (char c : in.text) stock_.key(c);
            break;
        case IntentKind::StockBackspace: stock_.backspace(); break;
        case IntentKind::StockClear: stock_.clear(); break;
        case IntentKind::StockToggleKeyboard: stock_.toggle_keyboard(); break;
        case IntentKind::StockMaterial: stock_.set_material(in.text); break;
        case IntentKind::StockStatus: {
            StockStatus st;
            if (stock_status_from_string(in.text, st)) stock_.set_status(st);
            else stock_.set_status(std::nullopt);
            break;
        }
        case IntentKind::OpenSpool: open_detail(in.text); break;
        case IntentKind::SyncNow:
            if (sync_) sync_->notify();
            refresh_sync_status();
            sync_model_.refresh(*store_, sync_status_);
            break;
        case IntentKind::SyncRetry:
            if (sync_model_.retry(*store_, in.text) && sync_) sync_->notify();
            sync_model_.refresh(*store_, sync_status_);
            refresh_sync_status();
            break;
        case IntentKind::SyncDiscardAsk: sync_model_.ask_discard(in.text); break;
        case IntentKind::SyncDiscardCancel: sync_model_.cancel_discard(); break;
        case IntentKind::SyncDiscardConfirm:
            sync_model_.confirm_discard(*store_);
            sync_model_.refresh(*store_, sync_status_);
            refresh_sync_status();
            break;
        case IntentKind::SetupScaleDriver: setup_.set_scale_driver(in.text); break;
        case IntentKind::SetupCameraDriver: setup_.set_camera_driver(in.text); break;
        case IntentKind::SetupToggleAutoCommit: setup_.toggle_auto_commit(); break;
        case IntentKind::SetupAdjust: setup_.adjust(in.text, in.value); break;
        case IntentKind::SetupBlank: setup_.set_blank(static_cast<int>(in.value)); break;
        case IntentKind::SetupEdit: setup_.begin_edit(static_cast<SetupField>(in.index)); break;
        case IntentKind::SetupKey:
            for (char c : in.text) setup_.key(c);
            break;
        case IntentKind::SetupBackspace: setup_.backspace(); break;
        case IntentKind::SetupEditCancel: setup_.cancel_edit(); break;
        case IntentKind::SetupEditDone:
            if (auto payload = setup_.finish_edit()) start_pairing(*payload);
            break;
        case IntentKind::SetupCalZero:
        case IntentKind::SetupCalKnown: {
            const auto& sc = setup_.draft().scale;
            std::optional<double> counts;
            if (sc.driver != "hx711" || sc.device.empty()) {
                setup_.message("Calibration is for the HX711 load cell: choose the hx711 driver and its device first.", true);
                break;
            }
            std::string err;
            counts = read_hx711_counts(sc.device, err);
            if (!counts) {
                setup_.message(err, true);
                break;
            }
            if (in.kind == IntentKind::SetupCalZero) setup_.cal_zero(counts);
            else setup_.cal_known(counts);
            break;
        }
        case IntentKind::SetupCalReset: setup_.cal_reset(); break;
        case IntentKind::SetupRevert: setup_.revert(); break;
        case IntentKind::SetupSave:
            if (setup_.save(dir_.config())) {
                const bool devices_changed = setup_.saved_config().scale.driver != cfg_.scale.driver ||
                                             setup_.saved_config().scale.device != cfg_.scale.device ||
                                             setup_.saved_config().camera.driver != cfg_.camera.driver ||
                                             setup_.saved_config().camera.device != cfg_.camera.device ||
                                             setup_.saved_config().scale.stable_spread_g != cfg_.scale.stable_spread_g;
                cfg_ = setup_.saved_config();
                apply_weigh_settings();
                if (devices_changed) {
                    stop_devices();
                    start_devices();
                }
                toast("Settings saved");
            }
            break;
        case IntentKind::DemoTogglePanel: demo_.panel_open = !demo_.panel_open; break;
        case IntentKind::DemoSelect: demo_select(demo_.selected + in.index); break;
        case IntentKind::DemoAdjustGrams: demo_.grams = std::max(0.0, demo_.grams + in.value); break;
        case IntentKind::DemoPlace:
            if (scale_) scale_->place(in.value > 0 ? in.value : demo_.grams);
            break;
        case IntentKind::DemoRemove:
            if (scale_) scale_->remove();
            break;
        case IntentKind::DemoShowLabel:
            if (camera_) {
                std::string text = in.text;
                if (text.empty() && !demo_.spools.empty()) {
                    const auto& s = demo_.spools[size_t(demo_.selected)].spool;
                    text = s.qr_code_data.empty() ? "batchivo://spool/" + s.id : s.qr_code_data;
                }
                camera_->show_label("");  // take the previous label away so the same one reads again
                camera_->show_label(text);
            }
            break;
        case IntentKind::DemoShowPairing:
            if (camera_ && central_ && central_->running()) camera_->show_label(central_->pairing_payload());
            break;
        case IntentKind::DemoScaleConnected:
            if (scale_) scale_->set_connected(in.value != 0);
            break;
        case IntentKind::DismissToast: toasts_.clear(); break;
    }
}

bool Station::frame(int64_t now) {
    now_ms_ = now;
    queue_.drain();
    if (auto r = weigh_.tick(now)) {
        int w = 0;
        if (auto rec = write(*r, w)) weigh_.saved(*rec, w, now);
        mark();
    }
    size_t before = toasts_.size();
    std::erase_if(toasts_, [&](const Toast& t) { return t.until_ms <= now; });
    if (toasts_.size() != before) mark();
    // The camera preview refreshes every 2 s while the weigh screen waits for a scan (keeps idle redraws rare).
    if (camera_ && nav_.back() == Screen::Weigh && !blanked_ && now - last_preview_poll_ms_ >= 2000) {
        last_preview_poll_ms_ = now;
        if (auto img = camera_->poll_preview(preview_camera_seq_)) {
            preview_ = std::move(img);
            ++preview_seq_;
            if (weigh_.view(now).stage == WeighStage::Idle) mark();
        }
    }
    if (now - last_sync_poll_ms_ >= 1000) {
        last_sync_poll_ms_ = now;
        refresh_sync_status();
    }
    const int blank_ms = cfg_.display.blank_after_s * 1000;
    if (blank_ms > 0 && !blanked_ && now - last_input_ms_ >= blank_ms && !weigh_.animating(now)) {
        blanked_ = true;
        mark();
    }
    if (camera_ && blanked_ != camera_paused_) {  // a blank screen does not decode; a touch wakes both
        camera_paused_ = blanked_;
        camera_->set_active(!blanked_);
    }
    if (weigh_.animating(now)) mark();
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
    s->weigh = weigh_.view(now);
    s->usage = usage_.view();
    s->stock = stock_.view();
    s->stock.catalog_as_of_ms = sync_status_.catalog_as_of_ms;
    s->detail = detail_;
    s->reorder = reorder_;
    s->sync_screen = sync_model_.view();
    s->sync_screen.status = sync_status_;
    s->setup = setup_.view();
    s->toasts = toasts_;
    s->demo = demo_;
    s->blanked = blanked_;
    s->animating = weigh_.animating(now) || (scale_state_.connected && !scale_state_.stable && scale_state_.grams &&
                                             std::abs(*scale_state_.grams) > 0.5);
    snap_ = std::move(s);
}

}  // namespace batchivo::station
