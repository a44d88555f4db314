#include "station/core/sync_link.hpp"

#include "sync/client/pairing.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/domain/time.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

namespace {

SyncStatusView to_view(const sync::SyncStatus& s) {
    SyncStatusView v;
    v.paired = s.paired;
    v.pending = s.pending;
    v.oldest_pending_ms = s.oldest_pending_ms;
    v.rejected = s.rejected;
    v.last_success_ms = s.last_success_ms;
    v.reachable = s.reachable;
    v.revoked = s.revoked;
    v.tls_alert = s.tls_alert;
    v.last_error = s.last_error;
    if (!s.catalog_as_of.empty()) v.catalog_as_of_ms = parse_iso8601_ms(s.catalog_as_of);
    v.tenant = s.tenant_name;
    v.engine_running = true;
    return v;
}

class EngineSyncLink final : public SyncLink {
public:
    EngineSyncLink(StationStore& store, const std::string& data_dir, int interval_s) {
        sync::SyncEngineOptions o;
        o.credentials_path = data_dir + "/credentials.json";
        o.interval_ms = interval_s * 1000;
        engine_ = std::make_unique<sync::SyncEngine>(store, std::move(o));
    }
    ~EngineSyncLink() override { stop(); }
    void start(std::function<void()> on_change) override {
        engine_->set_on_change([cb = std::move(on_change)](const sync::SyncStatus&) {
            if (cb) cb();
        });
        engine_->start();
    }
    void stop() override {
        if (engine_) engine_->stop();
    }
    SyncStatusView status() override { return to_view(engine_->status()); }
    void notify() override { engine_->notify(); }
    void reload_credentials() override { engine_->reload_credentials(); }

private:
    std::unique_ptr<sync::SyncEngine> engine_;
};

}  // namespace

std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const std::string& data_dir, int interval_s) {
    return std::make_unique<EngineSyncLink>(store, data_dir, interval_s);
}

bool pair_with_payload(const std::string& payload, const std::string& data_dir, StationStore* store,
                       const std::string& station_name, std::string& error, const std::atomic<bool>* abort) {
    if (payload.empty()) {
        error = "no pairing code";
        return false;
    }
    sync::PairOptions o;
    o.device_name = station_name;
    o.store = store;
    o.abort_flag = abort;
    auto r = sync::pair_station(payload, data_dir, o);
    if (!r.ok) {
        error = r.error;
        return false;
    }
    if (!r.warning.empty()) error = r.warning;
    return true;
}

}  // namespace batchivo::station
