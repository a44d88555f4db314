#include "station/core/sync_link.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "sync/store/station_store.hpp"

namespace batchivo::station {

namespace {

std::string tenant_from_credentials(const std::string& path) {
    std::ifstream in(path);
    if (!in) return {};
    try {
        auto j = nlohmann::json::parse(in);
        for (auto key : {"tenant_name", "tenant_slug", "tenant"})
            if (j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
    } catch (...) {
    }
    return {};
}

// No sync engine in this build: report what the store and the data directory say, nothing invented.
class LocalSyncLink final : public SyncLink {
public:
    LocalSyncLink(StationStore& store, std::string data_dir) : store_(store), dir_(std::move(data_dir)) {}
    void start(std::function<void()> on_change) override { on_change_ = std::move(on_change); }
    void stop() override {}
    SyncStatusView status() override {
        SyncStatusView s;
        const std::string cred = dir_ + "/credentials.json";
        s.paired = std::filesystem::exists(cred);
        s.tenant = tenant_from_credentials(cred);
        auto c = store_.counts();
        s.pending = c.pending;
        s.rejected = c.rejected;
        s.oldest_pending_ms = c.oldest_pending_device_time_ms;
        if (auto v = store_.meta("catalog_as_of_ms")) s.catalog_as_of_ms = std::atoll(v->c_str());
        if (auto v = store_.meta("last_sync_ms")) s.last_success_ms = std::atoll(v->c_str());
        s.last_error = "sync engine not available in this build";
        return s;
    }
    void notify() override {
        if (on_change_) on_change_();
    }

private:
    StationStore& store_;
    std::string dir_;
    std::function<void()> on_change_;
};

}  // namespace

std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const std::string& data_dir, int /*interval_s*/) {
    return std::make_unique<LocalSyncLink>(store, data_dir);
}

bool pair_with_payload(const std::string& payload, const std::string& /*data_dir*/, std::string& error) {
    if (payload.empty()) {
        error = "no pairing code";
        return false;
    }
    error = "pairing is not available in this build (sync client missing)";
    return false;
}

}  // namespace batchivo::station
