// batchivo-central as a SyncTarget: the station API (POST /transactions, GET /catalog), look-ups (spool history,
// whoami) and the pairing credentials (credentials.json, loaded once and re-read only when refresh() is forced or
// the file changed on disk). Every call talks verified HTTPS with the CA and pin from pairing.
//
// Ownership: shared by the engine and the station's look-ups (std::shared_ptr). Threads: push()/pull_catalog() come
// from one engine at a time and reuse one connection; history()/whoami() may run concurrently on another thread
// with their own short-lived connection; the credentials are guarded by a mutex and handed out as copies.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sync/engine/target.hpp"
#include "sync/http/http_client.hpp"
#include "sync/targets/central/credentials.hpp"
#include "sync/targets/target_plumbing.hpp"

namespace batchivo::sync {

struct CentralTargetOptions {
    std::string credentials_path;    // <data dir>/credentials.json
    int connect_timeout_ms = 5'000;
    int total_timeout_ms = 30'000;   // transaction batches and catalog pages
    int lookup_timeout_ms = 8'000;   // history and whoami (the operator is waiting)
    HttpClientFactory client_factory;  // tests substitute the transport; default: libcurl
};

class CentralTarget final : public SyncTarget {
public:
    explicit CentralTarget(CentralTargetOptions opts);

    std::string_view kind() const override { return "central"; }
    bool refresh(bool force) override;
    TargetIdentity identity() const override;
    int max_batch_items() const override;
    Result<std::vector<PushedItem>> push(const std::vector<OutboxRecord>& records, int64_t now_ms, CallInfo& info,
                                         const std::atomic<bool>* abort) override;
    Result<CatalogPage> pull_catalog(const std::string& cursor, int limit, int64_t now_ms, CallInfo& info,
                                     const std::atomic<bool>* abort) override;
    Result<SpoolHistory> history(const std::string& spool_uuid, int limit, const std::atomic<bool>* abort) override;
    Result<TargetIdentity> whoami(const std::atomic<bool>* abort) override;

    std::optional<Credentials> credentials() const;  // a copy of the loaded credentials

private:
    TargetPlumbing<Credentials> link_;  // credentials.json and the HTTP clients (CA + pin from pairing)
};

}  // namespace batchivo::sync
