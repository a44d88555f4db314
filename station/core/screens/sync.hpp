// The Sync screen: queue tiles, Sync now, and the records central rejected with Retry / Discard (confirmed).
// SyncModel is the screen's state over the store (testable alone); SyncScreen is its controller: it handles the
// sync intents and fills StationSnapshot::sync_screen. UI thread only.
#pragma once

#include <string>

#include "station/core/screens/screen.hpp"

namespace batchivo::station {

class SyncModel {
public:
    void refresh(StationStore& store, const sync::SyncStatus& status);
    void set_status(const sync::SyncStatus& status) { view_.status = status; }
    bool retry(StationStore& store, const std::string& id);
    void ask_discard(const std::string& id);
    void cancel_discard();
    bool confirm_discard(StationStore& store);  // discards the record the confirmation was opened for
    SyncView view() const { return view_; }

private:
    SyncView view_;
};

class SyncScreen : public ScreenController {
public:
    explicit SyncScreen(ScreenHost& host) : host_(host) {}
    bool handle(const Intent& in) override;
    void fill(StationSnapshot& s, int64_t) const override;
    void entered() override { refresh(); }
    void returned() override { refresh(); }
    void sync_status_changed(const sync::SyncStatus& s) override;

private:
    void refresh() { model_.refresh(host_.store(), host_.sync_status()); }
    ScreenHost& host_;
    SyncModel model_;
};

}  // namespace batchivo::station
