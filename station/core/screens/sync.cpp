#include "station/core/screens/sync.hpp"

#include "sync/domain/time.hpp"

namespace batchivo::station {

void SyncModel::refresh(StationStore& store, const sync::SyncStatus& status) {
    view_.status = status;
    view_.rejected = store.list_records(RecordState::Rejected, 50);
    view_.recent = store.list_records(std::nullopt, 6);
    view_.notices.clear();
    const int64_t week_ago = now_epoch_ms() - 7LL * 24 * 3600 * 1000;
    for (auto& r : store.list_records(RecordState::Applied, 200))
        if (!r.reason.empty() && r.updated_ms >= week_ago && view_.notices.size() < 5) view_.notices.push_back(std::move(r));
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

// ---------------------------------------------------------------- controller
bool SyncScreen::handle(const Intent& in) {
    switch (in.kind) {
        case IntentKind::SyncNow:
            host_.refresh_sync(true);
            refresh();
            return true;
        case IntentKind::SyncRetry: {
            const bool queued = model_.retry(host_.store(), in.text);
            refresh();
            host_.refresh_sync(queued);
            return true;
        }
        case IntentKind::SyncDiscardAsk: model_.ask_discard(in.text); return true;
        case IntentKind::SyncDiscardCancel: model_.cancel_discard(); return true;
        case IntentKind::SyncDiscardConfirm:
            model_.confirm_discard(host_.store());
            refresh();
            host_.refresh_sync(false);
            return true;
        default: return false;
    }
}

void SyncScreen::fill(StationSnapshot& s, int64_t) const {
    s.sync_screen = model_.view();
    s.sync_screen.status = host_.sync_status();
}

void SyncScreen::sync_status_changed(const sync::SyncStatus& s) {
    model_.set_status(s);
    if (host_.current() == Screen::Sync) refresh();
}

}  // namespace batchivo::station
