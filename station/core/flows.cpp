#include "station/core/flows.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <unordered_set>

#include "platform/scale/hx711_scale.hpp"
#include "sync/client/http_client.hpp"
#include "sync/domain/text.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::station {

// ---------------------------------------------------------------- log usage
void UsageFlow::set_spool(const Spool& s) {
    spool_ = s;
    entry_.clear();
    message_.clear();
    error_ = false;
}
void UsageFlow::clear_spool() {
    spool_.reset();
    entry_.clear();
    message_.clear();
}
void UsageFlow::key(char c) {
    message_.clear();
    if (c == '.') {
        if (entry_.find('.') != std::string::npos) return;
        if (entry_.empty()) entry_ = "0";
        entry_ += '.';
        return;
    }
    if (c < '0' || c > '9') return;
    auto dot = entry_.find('.');
    if (dot != std::string::npos && entry_.size() - dot > 1) return;  // one decimal is plenty for grams
    if (dot == std::string::npos && entry_.size() >= 5) return;
    if (entry_ == "0") entry_.clear();
    entry_ += c;
}
void UsageFlow::backspace() {
    if (!entry_.empty()) entry_.pop_back();
    message_.clear();
}
void UsageFlow::clear_entry() {
    entry_.clear();
    message_.clear();
}
std::optional<NewRecord> UsageFlow::submit() {
    error_ = true;
    if (!spool_) {
        message_ = "Scan a spool first.";
        return std::nullopt;
    }
    if (entry_.empty()) {
        message_ = "Type the grams used.";
        return std::nullopt;
    }
    double g = std::strtod(entry_.c_str(), nullptr);
    auto r = evaluate_usage(g, spool_->current_weight_g);
    if (!r.ok) {
        message_ = r.message;
        return std::nullopt;
    }
    NewRecord rec;
    rec.spool_uuid = spool_->id;
    rec.spool_label = spool_->spool_id;
    rec.type = TransactionType::Usage;
    rec.quantity_grams = r.quantity_grams;
    rec.notes = "logged on the keypad";
    return rec;
}
void UsageFlow::saved(int resulting_weight_g) {
    if (spool_) spool_->current_weight_g = resulting_weight_g;
    message_ = "Saved \u2014 will sync. " + std::to_string(resulting_weight_g) + " g left.";
    error_ = false;
    entry_.clear();
}
void UsageFlow::spool_updated(const Spool& s) {
    if (spool_ && spool_->id == s.id) spool_ = s;
}
UsageView UsageFlow::view() const {
    UsageView v;
    if (spool_) v.card = SpoolCard{*spool_, stock_info(*spool_)};
    v.entry = entry_;
    v.message = message_;
    v.message_is_error = error_;
    if (spool_ && !entry_.empty()) {
        auto r = evaluate_usage(std::strtod(entry_.c_str(), nullptr), spool_->current_weight_g);
        if (r.ok) {
            v.resulting_weight_g = r.resulting_weight_g;
            v.can_submit = true;
        }
    }
    return v;
}

// ---------------------------------------------------------------- stock lookup
CatalogIndex::CatalogIndex(std::vector<Spool> spools) : spools_(std::move(spools)) {
    std::sort(spools_.begin(), spools_.end(), [](const Spool& a, const Spool& b) { return a.spool_id < b.spool_id; });
    std::set<std::string> mats;
    hay_.reserve(spools_.size());
    for (const auto& s : spools_) {
        hay_.push_back(to_lower(s.spool_id + " " + s.brand + " " + s.material_name + " " + s.color + " " +
                                s.storage_location + " " + s.finish_type));
        status_.push_back(stock_info(s).status);
        material_lower_.push_back(to_lower(s.material_name));
        if (!s.material_name.empty()) mats.insert(s.material_name);
    }
    materials_.assign(mats.begin(), mats.end());
}

CatalogIndex::Result CatalogIndex::search(const std::string& text, const std::string& material,
                                          std::optional<StockStatus> status, int limit) const {
    std::vector<std::string> tokens;
    std::string low = to_lower(text), cur;
    for (char c : low) {
        if (c == ' ') {
            if (!cur.empty()) tokens.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) tokens.push_back(cur);
    const std::string mat = to_lower(material);
    Result r;
    for (size_t i = 0; i < spools_.size(); ++i) {
        if (!spools_[i].is_active) continue;
        if (status && status_[i] != *status) continue;
        if (!mat.empty() && material_lower_[i] != mat) continue;
        bool ok = true;
        for (const auto& t : tokens)
            if (hay_[i].find(t) == std::string::npos) {
                ok = false;
                break;
            }
        if (!ok) continue;
        if (static_cast<int>(r.rows.size()) < limit) r.rows.push_back(&spools_[i]);
        ++r.total;
    }
    return r;
}

const Spool* CatalogIndex::by_uuid(const std::string& uuid) const {
    for (const auto& s : spools_)
        if (s.id == uuid) return &s;
    return nullptr;
}

StockRow make_stock_row(const Spool& s) {
    auto info = stock_info(s);
    StockRow r;
    r.uuid = s.id;
    r.spool_id = s.spool_id;
    r.brand = s.brand;
    r.material = s.material_name;
    r.color = s.color;
    r.color_hex = s.color_hex;
    r.location = s.storage_location;
    r.remaining_g = s.current_weight_g;
    r.remaining_percent = info.remaining_percent;
    r.status = info.status;
    return r;
}

void StockFlow::set_index(std::shared_ptr<const CatalogIndex> idx) {
    idx_ = std::move(idx);
    run();
}
void StockFlow::key(char c) {
    if (query_.size() < 40) query_ += c;
    run();
}
void StockFlow::backspace() {
    if (!query_.empty()) query_.pop_back();
    run();
}
void StockFlow::clear() {
    query_.clear();
    run();
}
void StockFlow::set_material(const std::string& m) {
    material_ = iequals(m, material_) ? std::string() : m;
    run();
}
void StockFlow::set_status(std::optional<StockStatus> s) {
    status_ = (s && status_ && *s == *status_) ? std::nullopt : s;
    run();
}
void StockFlow::set_query(const std::string& q) {
    query_ = q;
    run();
}
void StockFlow::run() {
    auto t0 = std::chrono::steady_clock::now();
    StockView v;
    v.query = query_;
    v.material = material_;
    v.status = status_;
    v.keyboard = keyboard_;
    if (idx_) {
        auto r = idx_->search(query_, material_, status_);
        v.total = r.total;
        v.rows.reserve(r.rows.size());
        for (auto* s : r.rows) v.rows.push_back(make_stock_row(*s));
        v.materials = idx_->materials();
        v.catalog_size = static_cast<int64_t>(idx_->size());
    }
    v.catalog_as_of_ms = view_.catalog_as_of_ms;
    v.search_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    view_ = std::move(v);
}

std::vector<UsagePoint> usage_plot(const std::vector<OutboxRecord>& newest_first, int current_weight_g,
                                   int64_t now_epoch_ms) {
    std::vector<UsagePoint> pts;
    pts.push_back({now_epoch_ms, current_weight_g});
    int w = current_weight_g;
    for (const auto& r : newest_first) {
        if (r.state == RecordState::Discarded || r.state == RecordState::Rejected) continue;
        pts.push_back({r.device_time_ms, w});
        w -= r.quantity_grams;
        pts.push_back({r.device_time_ms - 1, w});
    }
    std::reverse(pts.begin(), pts.end());
    return pts;
}

std::vector<DetailTx> merge_history(const std::vector<OutboxRecord>& local, const std::optional<sync::SpoolHistory>& server) {
    std::vector<DetailTx> rows;
    std::unordered_set<std::string> on_server;
    if (server) {
        for (const auto& t : server->transactions) {
            DetailTx d;
            d.at_ms = t.at_ms;
            d.type = t.type;
            d.quantity_grams = t.quantity_grams;
            d.on_server = true;
            d.local_state = RecordState::Applied;
            rows.push_back(d);
            if (!t.client_id.empty()) on_server.insert(to_lower(t.client_id));
            on_server.insert(to_lower(t.id));
        }
    }
    for (const auto& r : local) {
        if (on_server.count(to_lower(r.id))) continue;  // central has it: shown once, as central's
        // Applied locally but outside central's window (older than its list): still a real transaction, once.
        DetailTx d;
        d.at_ms = r.device_time_ms;
        d.type = r.type;
        d.quantity_grams = r.quantity_grams;
        d.local_state = r.state;
        d.counts = r.state != RecordState::Rejected && r.state != RecordState::Discarded;
        d.reason = r.reason;
        rows.push_back(d);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const DetailTx& a, const DetailTx& b) { return a.at_ms > b.at_ms; });
    return rows;
}

std::vector<UsagePoint> history_plot(const std::vector<DetailTx>& newest_first, int current_weight_g,
                                     int64_t now_epoch_ms) {
    std::vector<UsagePoint> pts;
    pts.push_back({now_epoch_ms, current_weight_g});
    int w = current_weight_g;
    for (const auto& r : newest_first) {
        if (!r.counts) continue;
        pts.push_back({r.at_ms, w});
        w -= r.quantity_grams;
        pts.push_back({r.at_ms - 1, w});
    }
    std::reverse(pts.begin(), pts.end());
    return pts;
}

// ---------------------------------------------------------------- sync screen
void SyncModel::refresh(StationStore& store, const SyncStatusView& status) {
    view_.status = status;
    view_.rejected = store.list_records(RecordState::Rejected, 50);
    view_.recent = store.list_records(std::nullopt, 6);
}
bool SyncModel::retry(StationStore& store, const std::string& id) {
    bool ok = store.retry(id);
    view_.message = ok ? "Queued again \u2014 it will be sent with the next sync." : "That record cannot be retried.";
    return ok;
}
void SyncModel::ask_discard(const std::string& id) { view_.confirm_discard_id = id; }
void SyncModel::cancel_discard() { view_.confirm_discard_id.clear(); }
bool SyncModel::confirm_discard(StationStore& store) {
    if (view_.confirm_discard_id.empty()) return false;
    bool ok = store.discard(view_.confirm_discard_id);
    view_.message = ok ? "Discarded. The record is kept on the station but will not be sent."
                       : "That record can no longer be discarded.";
    view_.confirm_discard_id.clear();
    return ok;
}

// ---------------------------------------------------------------- setup
std::optional<Calibration> two_point_calibration(double zero_raw, double known_raw, double known_g,
                                                 std::string& error) {
    if (!(known_g > 0) || !std::isfinite(known_g)) {
        error = "The known weight must be more than 0 g.";
        return std::nullopt;
    }
    if (!std::isfinite(zero_raw) || !std::isfinite(known_raw) || std::abs(known_raw - zero_raw) < 10) {
        error = "The reading did not change. Is the weight on the pan?";
        return std::nullopt;
    }
    auto c = platform::hx711_calibrate(zero_raw, known_raw, known_g);
    if (!c) {
        error = "These readings cannot calibrate the load cell.";
        return std::nullopt;
    }
    return Calibration{c->offset, c->grams_per_count};
}

void SetupFlow::load(const StationConfig& cfg, bool paired, const std::string& tenant) {
    saved_ = cfg;
    view_ = SetupView{};
    view_.config = cfg;
    view_.paired = paired;
    view_.tenant = tenant;
}
void SetupFlow::set_paired(bool paired, const std::string& tenant) {
    view_.paired = paired;
    view_.tenant = tenant;
}
void SetupFlow::set_scale_driver(const std::string& d) {
    view_.config.scale.driver = d;
    view_.dirty = true;
}
void SetupFlow::set_camera_driver(const std::string& d) {
    view_.config.camera.driver = d;
    view_.dirty = true;
}
void SetupFlow::toggle_auto_commit() {
    view_.config.weigh.auto_commit = !view_.config.weigh.auto_commit;
    view_.dirty = true;
}
void SetupFlow::adjust(const std::string& field, double delta) {
    auto& c = view_.config;
    if (field == "auto_commit_s")
        c.weigh.auto_commit_stable_ms = std::clamp(c.weigh.auto_commit_stable_ms + int(delta * 1000), 500, 30000);
    else if (field == "undo_s")
        c.weigh.undo_seconds = std::clamp(c.weigh.undo_seconds + int(delta), 0, 60);
    else if (field == "stable_spread")
        c.scale.stable_spread_g = std::clamp(c.scale.stable_spread_g + delta, 0.5, 20.0);
    else
        return;
    view_.dirty = true;
}
void SetupFlow::set_blank(int seconds) {
    view_.config.display.blank_after_s = std::max(0, seconds);
    view_.dirty = true;
}
void SetupFlow::begin_edit(SetupField f) {
    view_.editing = f;
    view_.edit_numeric = f == SetupField::DefaultTare || f == SetupField::CalKnownWeight;
    char buf[32];
    switch (f) {
        case SetupField::ScaleDevice: view_.edit_buffer = view_.config.scale.device; break;
        case SetupField::CameraDevice: view_.edit_buffer = view_.config.camera.device; break;
        case SetupField::StationName: view_.edit_buffer = view_.config.station_name; break;
        case SetupField::ServerUrl:
            view_.edit_buffer = view_.pair_url.empty() ? std::string("https://") : view_.pair_url;
            break;
        case SetupField::DefaultTare:
            view_.edit_buffer.clear();
            if (view_.config.weigh.default_tare_g) {
                std::snprintf(buf, sizeof buf, "%g", *view_.config.weigh.default_tare_g);
                view_.edit_buffer = buf;
            }
            break;
        case SetupField::CalKnownWeight:
            std::snprintf(buf, sizeof buf, "%g", view_.cal_known_g);
            view_.edit_buffer = buf;
            break;
        default: view_.edit_buffer.clear(); break;
    }
}
void SetupFlow::key(char c) {
    if (view_.editing == SetupField::None) return;
    if (view_.edit_numeric && !((c >= '0' && c <= '9') || c == '.')) return;
    if (view_.edit_buffer.size() < 200) view_.edit_buffer += c;
}
void SetupFlow::backspace() {
    if (!view_.edit_buffer.empty()) view_.edit_buffer.pop_back();
}
void SetupFlow::cancel_edit() {
    view_.editing = SetupField::None;
    view_.edit_buffer.clear();
}
std::optional<std::string> typed_pairing_payload(const std::string& server_url_in, const std::string& code_in,
                                                 std::string& error) {
    std::string code(trim(code_in));
    if (code.rfind("batchivo-pair:", 0) == 0) {
        if (!wire::parse_pairing_payload(code)) {
            error = "That pairing text is incomplete or damaged. Scan the QR code, or type the server address and the code.";
            return std::nullopt;
        }
        return code;
    }
    if (!wire::looks_like_pairing_code(code)) {
        error = "A pairing code looks like PAIR-XXXX-XXXX (from the Batchivo server's device pairing page).";
        return std::nullopt;
    }
    std::string url(trim(server_url_in));
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.empty() || url == "https:" || url == "https:/") {
        error = "Type the server address first (for example https://batchivo.example.com).";
        return std::nullopt;
    }
    const std::string lower_url = to_lower(url);
    if (lower_url.find("://") == std::string::npos) {
        url = "https://" + url;
    } else if (lower_url.rfind("https://", 0) != 0) {
        if (!(lower_url.rfind("http://", 0) == 0 && sync::is_loopback_url(url))) {
            error = "The server address must start with https:// (plain http:// only for this machine).";
            return std::nullopt;
        }
    }
    const std::string host = url.substr(url.find("://") + 3);
    if (host.empty() || host.find_first_of(" \t") != std::string::npos) {
        error = "\u201c" + url + "\u201d is not a server address.";
        return std::nullopt;
    }
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    wire::PairingPayload p;
    p.server_url = url;
    p.code = code;  // no CA, no pin: the system trust store verifies the server
    return wire::format_pairing_payload(p);
}

std::optional<std::string> SetupFlow::finish_edit() {
    auto f = view_.editing;
    std::string b(trim(view_.edit_buffer));
    view_.editing = SetupField::None;
    switch (f) {
        case SetupField::PairCode: {
            std::string err;
            auto payload = typed_pairing_payload(view_.pair_url, b, err);
            if (!payload) message(err, true);
            return payload;
        }
        case SetupField::ServerUrl: view_.pair_url = b; break;
        case SetupField::ScaleDevice: view_.config.scale.device = b; break;
        case SetupField::CameraDevice: view_.config.camera.device = b; break;
        case SetupField::StationName:
            if (b.empty()) {
                message("The station name cannot be empty.", true);
                return std::nullopt;
            }
            view_.config.station_name = b;
            break;
        case SetupField::DefaultTare:
            if (b.empty()) {
                view_.config.weigh.default_tare_g.reset();
            } else {
                double g = std::strtod(b.c_str(), nullptr);
                if (g < 0 || g > 5000) {
                    message("A default tare must be 0 to 5000 g.", true);
                    return std::nullopt;
                }
                view_.config.weigh.default_tare_g = g;
            }
            break;
        case SetupField::CalKnownWeight: {
            double g = std::strtod(b.c_str(), nullptr);
            if (!(g > 0)) {
                message("The known weight must be more than 0 g.", true);
                return std::nullopt;
            }
            view_.cal_known_g = g;
            return std::nullopt;
        }
        case SetupField::None: return std::nullopt;
    }
    view_.dirty = true;
    return std::nullopt;
}
void SetupFlow::cal_zero(std::optional<double> raw) {
    if (!raw) {
        message("No reading from the load cell.", true);
        return;
    }
    view_.cal_zero_raw = *raw;
    view_.cal_stage = CalStage::ZeroCaptured;
    message("Zero captured. Put the known weight on the pan and tap \"Capture weight\".", false);
}
void SetupFlow::cal_known(std::optional<double> raw) {
    if (view_.cal_stage != CalStage::ZeroCaptured) {
        message("Capture zero first, with the pan empty.", true);
        return;
    }
    if (!raw) {
        message("No reading from the load cell.", true);
        return;
    }
    std::string err;
    auto c = two_point_calibration(view_.cal_zero_raw, *raw, view_.cal_known_g, err);
    if (!c) {
        message(err, true);
        return;
    }
    view_.config.scale.hx711_offset = c->offset;
    view_.config.scale.hx711_grams_per_count = c->grams_per_count;
    view_.cal_stage = CalStage::Done;
    view_.dirty = true;
    char buf[160];
    std::snprintf(buf, sizeof buf, "Calibrated: offset %.0f, %.6f g per count. Save to keep it.", c->offset,
                  c->grams_per_count);
    message(buf, false);
}
void SetupFlow::cal_reset() {
    view_.cal_stage = CalStage::Idle;
    view_.message.clear();
}
bool SetupFlow::save(const std::string& path) {
    std::string err;
    if (!parse_config(format_config(view_.config), err)) {
        message(err, true);
        return false;
    }
    if (!save_config(path, view_.config, err)) {
        message(err, true);
        return false;
    }
    saved_ = view_.config;
    view_.dirty = false;
    message("Saved to " + path, false);
    return true;
}
void SetupFlow::revert() {
    view_.config = saved_;
    view_.dirty = false;
    view_.editing = SetupField::None;
    message("Changes discarded.", false);
}

}  // namespace batchivo::station
