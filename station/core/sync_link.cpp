#include "station/core/sync_link.hpp"

#include "sync/store/station_store.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/targets/make_target.hpp"

namespace batchivo::station {

SyncSetup sync_setup(const SyncConfig& cfg, const std::string& data_dir) {
    SyncSetup s;
    s.engine.batch_size = cfg.batch_size;
    s.engine.interval_ms = cfg.interval_s * 1000;
    s.target.data_dir = data_dir;
    s.target.connect_timeout_ms = cfg.connect_timeout_s * 1000;
    s.target.total_timeout_ms = cfg.total_timeout_s * 1000;
    return s;
}

std::unique_ptr<sync::SyncEngine> make_sync_engine(StationStore& store, const SyncSetup& setup) {
    return std::make_unique<sync::SyncEngine>(store, sync::make_target(setup.target), setup.engine);
}

namespace {

class EngineSyncLink final : public SyncLink {
public:
    EngineSyncLink(StationStore& store, const SyncSetup& setup) : engine_(make_sync_engine(store, setup)) {}
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
    sync::SyncStatus status() override { return engine_->status(); }
    void notify() override { engine_->notify(); }
    void reload_credentials() override { engine_->reload_credentials(); }
    Result<sync::SpoolHistory> history(const std::string& spool_uuid, int limit,
                                       const std::atomic<bool>* abort) override {
        return engine_->target()->history(spool_uuid, limit, abort);
    }

private:
    std::unique_ptr<sync::SyncEngine> engine_;
};

}  // namespace

std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const SyncSetup& setup) {
    return std::make_unique<EngineSyncLink>(store, setup);
}

std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const std::string& data_dir, const SyncConfig& cfg) {
    return make_sync_link(store, sync_setup(cfg, data_dir));
}

Result<std::string> pair_with_payload(const std::string& payload, const std::string& data_dir, StationStore* store,
                                      const std::string& station_name, const std::atomic<bool>* abort) {
    if (payload.empty()) return Error{"invalid_pairing_payload", "no pairing code"};
    sync::PairOptions o;
    o.device_name = station_name;
    o.store = store;
    o.abort_flag = abort;
    auto r = sync::pair_station(payload, data_dir, o);
    if (!r.ok) return Error{"pairing", r.error};
    // Pairing with central makes central the target again (make_target prefers a stored connection).
    if (auto rm = sync::select_central_target(data_dir); !rm)
        return r.warning.empty() ? rm.error().message : r.warning + " " + rm.error().message;
    return r.warning;
}

}  // namespace batchivo::station
