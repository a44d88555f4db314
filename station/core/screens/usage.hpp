// Log usage (keypad): the grams used from a spool typed on a numeric keypad.
// UsageFlow is the screen's state machine (no I/O, testable alone); UsageScreen is its controller: it handles the
// keypad intents, writes the record through the host (a "Saving…" state until the durable write is back) and
// fills StationSnapshot::usage. UI thread only.
#pragma once

#include <optional>
#include <string>

#include "station/core/screens/screen.hpp"

namespace batchivo::station {

class UsageFlow {
public:
    void set_spool(const Spool& s);
    void clear_spool();
    void key(char digit);  // '0'..'9' or '.'
    void backspace();
    void clear_entry();
    // The record to write for the typed grams; nullopt (and an error message) when the entry is not valid, or
    // while the previous record is still being saved (a second tap writes nothing).
    std::optional<NewRecord> submit();
    void saved(int resulting_weight_g);
    void save_failed(const std::string& message);
    bool saving() const { return saving_; }
    void spool_updated(const Spool& s);
    UsageView view() const;
    const std::optional<Spool>& spool() const { return spool_; }

private:
    std::optional<Spool> spool_;
    std::string entry_;
    std::string message_;
    bool error_ = false;
    bool saving_ = false;
};

class UsageScreen : public ScreenController {
public:
    explicit UsageScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t) const override { s.usage = flow_.view(); }
    void entered() override;
    bool scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) override;
    void catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) override;
    const Spool* spool() const override { return flow_.spool() ? &*flow_.spool() : nullptr; }

private:
    ScreenHost& host_;
    UsageFlow flow_;
};

}  // namespace batchivo::station
