// Demo support: the central child process (`batchivo-central demo`) and a deterministic demo catalog.
//
// CentralChild runs `<dir of this executable>/batchivo-central demo --data-dir DIR --listen 127.0.0.1:0`, reads
// its one JSON line {"url","pairing_payload","tenant"} and owns the process: stop() (and the destructor) close
// its stdin, send SIGTERM, and reap it, so nothing is left running. The child also gets PR_SET_PDEATHSIG so a
// crashed kiosk does not leave it behind.
#pragma once

#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

#include "sync/domain/result.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo {
class StationStore;
}

namespace batchivo::station {

class CentralChild {
public:
    CentralChild() = default;
    ~CentralChild() { stop(); }
    CentralChild(const CentralChild&) = delete;
    CentralChild& operator=(const CentralChild&) = delete;

    // Starts `batchivo-central demo` on a fresh SQLite database and waits for its url and pairing payload.
    Result<> start(const std::string& central_binary, const std::string& data_dir, int timeout_ms);  // "demo_central"
    void stop();
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }
    const std::string& url() const { return url_; }
    const std::string& pairing_payload() const { return pairing_; }
    const std::string& tenant() const { return tenant_; }

private:
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;
    std::string url_, pairing_, tenant_;
};

// `batchivo-central` next to /proc/self/exe (empty when it is not there).
std::string find_central_binary();
// A fresh per-run demo data directory: $XDG_RUNTIME_DIR/batchivo-demo-<pid> or /tmp/batchivo-demo-<uid>-<pid>.
std::string fresh_demo_dir();

struct DemoCatalog {
    std::vector<MaterialType> materials;
    std::vector<Spool> spools;
    std::vector<ReorderSetting> reorder;
};
// A realistic catalog: `count` spools across materials, brands, colours and stock states (deterministic).
DemoCatalog make_demo_catalog(const std::string& tenant_id, int count);

// Demo start (UI thread, once, from Station::start): runs the demo central next to this program and pairs the
// station with it. On failure the error comes back and the store is seeded with an offline demo catalog of
// `offline_spools` spools instead, so the demo still has something to weigh. `central` is set when the child runs.
Result<> start_demo_central(const std::string& data_dir, StationStore& store, const std::string& station_name,
                            int timeout_ms, int offline_spools, std::unique_ptr<CentralChild>& central);

}  // namespace batchivo::station
