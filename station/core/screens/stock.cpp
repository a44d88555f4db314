#include "station/core/screens/stock.hpp"

#include <chrono>

#include "sync/domain/text.hpp"

namespace batchivo::station {

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

// ---------------------------------------------------------------- controller
bool StockScreen::handle(const Intent& in) {
    switch (in.kind) {
        case IntentKind::StockKey:
            for (char c : in.text) flow_.key(c);
            return true;
        case IntentKind::StockBackspace: flow_.backspace(); return true;
        case IntentKind::StockClear: flow_.clear(); return true;
        case IntentKind::StockToggleKeyboard: flow_.toggle_keyboard(); return true;
        case IntentKind::StockMaterial: flow_.set_material(in.text); return true;
        case IntentKind::StockStatus: {
            StockStatus st;
            if (stock_status_from_string(in.text, st)) flow_.set_status(st);
            else flow_.set_status(std::nullopt);
            return true;
        }
        default: return false;
    }
}

void StockScreen::fill(StationSnapshot& s, int64_t) const {
    s.stock = flow_.view();
    s.stock.catalog_as_of_ms = host_.sync_status().catalog_as_of_ms;
}

bool StockScreen::scanned(const platform::LabelRef&, const std::optional<Spool>& spool) {
    return open_scanned_spool(host_, spool);
}

bool open_scanned_spool(ScreenHost& host, const std::optional<Spool>& spool) {
    if (!spool) return false;
    host.apply(Intent{IntentKind::OpenSpool, spool->id});
    return true;
}

}  // namespace batchivo::station
