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
void StockFlow::set_products(std::vector<Product> products, std::vector<Spool> spools) {
    products_ = std::move(products);
    all_spools_ = std::move(spools);
    run();
}
void StockFlow::set_products_mode(bool on) {
    if (on != products_mode_) {
        products_mode_ = on;
        open_sku_.clear();
        query_.clear();
    }
    run();
}
bool StockFlow::open_product(const std::string& sku) {
    const Product* p = find_product(products_, sku);
    if (!p) return false;
    products_mode_ = true;
    open_sku_ = p->sku;
    keyboard_ = false;
    run();
    return true;
}
void StockFlow::close_product() {
    open_sku_.clear();
    run();
}

void StockFlow::run_products(StockView& v) const {
    v.products_total = static_cast<int64_t>(products_.size());
    const std::string q = to_lower(trim(query_));
    for (const auto& p : products_) {
        if (!q.empty() && to_lower(p.sku).find(q) == std::string::npos && to_lower(p.name).find(q) == std::string::npos)
            continue;
        const auto a = product_availability(p, all_spools_, products_);
        v.products.push_back({p.sku, p.name, a.max_units, a.cost_per_unit, !a.problems.empty()});
    }
    const Product* open = open_sku_.empty() ? nullptr : find_product(products_, open_sku_);
    if (!open) return;
    const auto a = product_availability(*open, all_spools_, products_);
    ProductCheckView pv;
    pv.sku = a.sku;
    pv.name = a.name;
    pv.max_units = a.max_units;
    pv.cost_per_unit = a.cost_per_unit;
    pv.problems = a.problems;
    for (const auto& l : a.lines) {
        ProductLineRow r;
        r.spool_id = l.spool_label.empty() ? l.spool_uuid.substr(0, 8) : l.spool_label;
        r.slot = l.slot;
        r.via = l.via;
        for (const auto& s : all_spools_)
            if (iequals(s.id, l.spool_uuid)) {
                r.material = s.material_name + " \u00b7 " + s.brand + " \u00b7 " + s.color;
                r.color_hex = s.color_hex;
            }
        r.grams_per_unit = l.grams_per_unit;
        r.linked_remaining_g = l.linked_remaining_g;
        r.available_g = l.available_g;
        r.equivalent_count = static_cast<int>(l.equivalent_spools.size());
        r.max_units = l.max_units;
        r.limiting = l.limiting;
        r.missing = !l.spool_found;
        pv.lines.push_back(std::move(r));
    }
    v.product = std::move(pv);
}

void StockFlow::run() {
    auto t0 = std::chrono::steady_clock::now();
    StockView v;
    v.products_mode = products_mode_;
    if (products_mode_) run_products(v);
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
        case IntentKind::StockMode: flow_.set_products_mode(in.text == "products"); return true;
        case IntentKind::StockOpenProduct:
            if (!flow_.open_product(in.text)) host_.toast("No product " + in.text + " in the catalog", true);
            return true;
        case IntentKind::StockCloseProduct: flow_.close_product(); return true;
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

bool StockScreen::scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) {
    // In the Products view a product's SKU wins; elsewhere a spool does, and a SKU is the fallback.
    if (flow_.products_mode() && flow_.find(label.raw)) return flow_.open_product(label.raw);
    if (open_scanned_spool(host_, spool)) return true;
    return flow_.find(label.raw) && flow_.open_product(label.raw);
}

void StockScreen::catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) {
    flow_.set_index(idx);
    load_products();  // a sync that changed the catalog may have brought new products
}

void StockScreen::load_products() {
    // Small reads (tens of products, hundreds of spools) on the operator's action or after a catalog load.
    flow_.set_products(host_.store().products(), host_.store().all_spools(true));
}

bool open_scanned_spool(ScreenHost& host, const std::optional<Spool>& spool) {
    if (!spool) return false;
    host.apply(Intent{IntentKind::OpenSpool, spool->id});
    return true;
}

}  // namespace batchivo::station
