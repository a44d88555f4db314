// A stock Batchivo server (backend API 0.2.0, /api/v1) as a SyncTarget. The connection (URL, email, tenant, the
// session tokens, optional CA) comes from <data dir>/target.json (kind "batchivo"), re-read when it changes on disk;
// token rotation writes it back (0600). The password is never stored.
//
//   auth      Bearer access token (JWT, `exp` read from it) + X-Tenant-ID on every call. Before expiry, or on a
//             401, POST /api/v1/auth/refresh once; when that is refused the target reports Revoked with "sign in
//             again" (the engine keeps the queue; the Sync screen shows it).
//   catalog   GET /api/v1/spools?page=N&page_size=100, every page until `total`, as a full snapshot.
//   weighing  PUT /api/v1/spools/{uuid} {"current_weight": gross - the tare the station showed} (absolute).
//   usage     GET the spool, then PUT {"current_weight": current + quantity}.
//   guard     before every PUT the attempt is journaled durably (apply_journal.hpp): a lost answer is recognised on
//             the resend (Duplicate), a spool changed by someone else meanwhile is reported (Rejected), never
//             overwritten silently. docs/TARGETS.md states what is and is not guaranteed.
//   history   unsupported: Batchivo writes no transaction rows; the station's records are the audit trail.
//
// Threads: as target.hpp. push()/pull_catalog() share one connection; look-ups make their own (target_plumbing.hpp);
// token refresh is serialised (refresh_mu_).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sync/engine/target.hpp"
#include "sync/http/http_client.hpp"
#include "sync/targets/batchivo/apply_journal.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/target_plumbing.hpp"

namespace batchivo::sync {

struct BatchivoTargetOptions {
    std::string connection_path;  // <data dir>/target.json
    std::string journal_path;     // "" = <dir of connection_path>/batchivo_journal.jsonl
    int connect_timeout_ms = 5'000;
    int total_timeout_ms = 30'000;
    int lookup_timeout_ms = 8'000;
    HttpClientFactory client_factory;  // tests substitute the transport; default: libcurl
};

// Signs in (POST /api/v1/auth/login), then asks who the user is (GET /api/v1/users/me) and, with a tenant given,
// checks it answers for that tenant. Fills email, tokens and tenant of `conn` (url, ca_pem set by the caller).
// Error codes: sign_in_failed (wrong email/password), rate_limited (5 logins/min), forbidden_tenant,
// not_batchivo, or a disposition name (retry, tls_alert, ...). The password is not kept.
Result<TargetConnection> batchivo_sign_in(TargetConnection conn, const std::string& email, const std::string& password,
                                          const std::string& tenant_id, const HttpClientFactory& factory = {},
                                          int connect_ms = 5'000, int total_ms = 15'000,
                                          const std::atomic<bool>* abort = nullptr);

class BatchivoTarget final : public SyncTarget {
public:
    explicit BatchivoTarget(BatchivoTargetOptions opts);

    std::string_view kind() const override { return "batchivo"; }
    bool refresh(bool force) override;
    TargetIdentity identity() const override;
    int max_batch_items() const override { return 50; }  // two requests per record
    Result<std::vector<PushedItem>> push(const std::vector<OutboxRecord>& records, int64_t now_ms, CallInfo& info,
                                         const std::atomic<bool>* abort) override;
    Result<CatalogPage> pull_catalog(const std::string& cursor, int limit, int64_t now_ms, CallInfo& info,
                                     const std::atomic<bool>* abort) override;
    Result<SpoolHistory> history(const std::string& spool_uuid, int limit, const std::atomic<bool>* abort) override;
    Result<TargetIdentity> whoami(const std::atomic<bool>* abort) override;

    static constexpr int kPageSize = 100;  // Batchivo's maximum page_size

private:
    // One authenticated call: refreshes the session when the access token expired or the server answers 401
    // (once), then retries; a refused refresh is Revoked ("sign in again").
    Result<HttpResponse> call(HttpClient& http, HttpRequest req, int64_t now_ms);
    Result<> refresh_session(HttpClient& http, const std::string& failed_access_token, int64_t now_ms);
    Result<PushedItem> push_one(HttpClient& http, const OutboxRecord& r, int64_t now_ms, CallInfo& info);

    TargetPlumbing<TargetConnection> link_;  // target.json (kind batchivo) and the HTTP clients
    std::mutex refresh_mu_;
    batchivo_api::ApplyJournal journal_;
};

}  // namespace batchivo::sync
