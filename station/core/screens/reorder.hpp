// Reorder: stock per material / colour / brand against the reorder settings (reorder_report), computed when the
// screen opens from the loaded catalog. ReorderScreen fills StationSnapshot::reorder; a scanned spool opens its
// detail. UI thread only.
#pragma once

#include "station/core/screens/screen.hpp"

namespace batchivo::station {

class ReorderScreen : public ScreenController {
public:
    explicit ReorderScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent&) override { return false; }
    void fill(StationSnapshot& s, int64_t) const override { s.reorder = view_; }
    void entered() override;
    bool scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) override;

private:
    ScreenHost& host_;
    ReorderView view_;
};

}  // namespace batchivo::station
