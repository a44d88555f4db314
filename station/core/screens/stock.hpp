// Stock lookup: search the in-memory CatalogIndex by text, material and status chips; or, in the Products view,
// the cached products by SKU or name with "can print N" (sync/domain/product.hpp) for each and, for the opened
// product, its BOM lines with the limiting one marked.
// StockFlow is the screen's state (no I/O; every keystroke filters the index or the product list); StockScreen is
// its controller: it handles the stock intents, gets each new index from the Station's catalog load (and then
// re-reads the product cache) and fills StationSnapshot::stock. A scanned spool opens its detail; a scanned
// product SKU (a handheld scanner types it) opens the product. UI thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "station/core/screens/screen.hpp"
#include "sync/domain/product.hpp"

namespace batchivo::station {

StockRow make_stock_row(const Spool& s);

class StockFlow {
public:
    void set_index(std::shared_ptr<const CatalogIndex> idx);
    void key(char c);
    void backspace();
    void clear();
    void toggle_keyboard() { show_keyboard(!keyboard_); }
    void show_keyboard(bool on) { keyboard_ = view_.keyboard = on; }
    void set_material(const std::string& m);     // toggles: the same chip again clears the filter
    void set_status(std::optional<StockStatus> s);
    void set_query(const std::string& q);
    StockView view() const { return view_; }
    const CatalogIndex* index() const { return idx_.get(); }

    // Products view. `spools` are every cached spool, active or not (availability and cost need both).
    void set_products(std::vector<Product> products, std::vector<Spool> spools);
    void set_products_mode(bool on);
    bool products_mode() const { return products_mode_; }
    bool open_product(const std::string& sku);  // false when no cached product has this SKU
    void close_product();
    const Product* find(const std::string& sku) const { return find_product(products_, sku); }

private:
    void run();
    void run_products(StockView& v) const;
    std::vector<Product> products_;
    std::vector<Spool> all_spools_;
    bool products_mode_ = false;
    std::string open_sku_;
    std::shared_ptr<const CatalogIndex> idx_;
    std::string query_;
    std::string material_;
    std::optional<StockStatus> status_;
    bool keyboard_ = false;
    StockView view_;
};

class StockScreen : public ScreenController {
public:
    explicit StockScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t now_ms) const override;
    bool scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) override;
    void catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) override;
    void entered() override { load_products(); }

private:
    void load_products();
    ScreenHost& host_;
    StockFlow flow_;
};

// A scanned spool on a catalog screen (stock, detail, reorder) opens its detail.
bool open_scanned_spool(ScreenHost& host, const std::optional<Spool>& spool);

}  // namespace batchivo::station
