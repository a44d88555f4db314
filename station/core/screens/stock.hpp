// Stock lookup: search the in-memory CatalogIndex by text, material and status chips.
// StockFlow is the screen's state (no I/O; every keystroke filters the index); StockScreen is its controller: it
// handles the stock intents, gets each new index from the Station's catalog load and fills
// StationSnapshot::stock. A scanned spool opens its detail. UI thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "station/core/screens/screen.hpp"

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

private:
    void run();
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
    void catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) override { flow_.set_index(idx); }

private:
    ScreenHost& host_;
    StockFlow flow_;
};

// A scanned spool on a catalog screen (stock, detail, reorder) opens its detail.
bool open_scanned_spool(ScreenHost& host, const std::optional<Spool>& spool);

}  // namespace batchivo::station
