// The seam between the sync engine and a server: one SyncTarget per server kind (sync/targets/<kind>/), picked in
// one place (sync/targets/make_target.hpp). The engine owns the outbox, ordering, batching, bisection, backoff and
// the store writes; a target only translates records and catalog pages to and from its server's API.
//
// Errors are values (batchivo::Result). A failed push/pull carries the engine's classification in Error::code
// (failure()/disposition_of() in retry_policy.hpp: retry, revoked, tls_alert, bad_request, aborted, not_paired)
// plus CallInfo (reachable, Retry-After, whether the server may have applied anything).
//
// Threads: push() and pull_catalog() are called by one engine, one call at a time (worker or sync_once()).
// history(), whoami(), identity() and refresh() may be called from any other thread at the same time (the kiosk's
// look-up thread): implementations guard their credentials and use a separate connection for look-ups.
// Nothing throws across this interface.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/domain/result.hpp"
#include "sync/domain/product.hpp"
#include "sync/domain/spool.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::sync {

// Who the station is paired with, from the stored credentials (no network).
struct TargetIdentity {
    bool paired = false;
    std::string problem;      // why not paired when the credentials exist but cannot be read; else empty
    std::string kind;         // "central"
    std::string server_url;
    std::string tenant_id;
    std::string tenant_slug;
    std::string tenant_name;
    std::string device_id;
    std::string station_name;
    // The tenant as the operator sees it: its name, else its slug.
    std::string tenant_label() const { return tenant_name.empty() ? tenant_slug : tenant_name; }
};

// Per-call facts the engine needs besides the value or the error (filled by the target), and one the engine
// passes in.
struct CallInfo {
    bool reachable = false;                  // an answer arrived from the server (any status)
    std::optional<int64_t> retry_after_ms;   // the server asked to wait at least this long
    bool maybe_applied = true;               // false: known not applied (refused before apply, TLS never connected)
    int http_status = 0;                     // the answer's HTTP status (0: none, or a target without HTTP)
    // In, pull_catalog only: the tag (CatalogPage::etag) of an earlier answer for the same cursor. A target whose
    // server supports it sends it (If-None-Match) and may answer CatalogPage::not_modified; others ignore it.
    std::string if_none_match{};
};

enum class ItemOutcome { Applied, Duplicate, Rejected };

// The server's answer for one pushed record. A record missing from the answer is resent with the same id.
struct PushedItem {
    std::string id;                       // the OutboxRecord's id
    ItemOutcome outcome = ItemOutcome::Applied;
    std::optional<int> spool_weight_g;    // the spool's weight on the server after applying (when known)
    std::string reason;                   // operator-facing, for Rejected
    // A "spool created" record applied: the spool's human spool_id on the server (assigned, or as sent). The engine
    // writes it into the local spool at once; one that differs from a typed id is kept as a notice on the record.
    std::string spool_id;
};

// One page of catalog changes, in domain types. The engine applies it to the store in this order: material types,
// spools, reorder settings, deletions; then stores next_cursor.
struct CatalogPage {
    std::vector<MaterialType> material_types;
    std::vector<Spool> spools;                 // tenant_id may be empty: the engine fills in the paired tenant
    std::vector<ReorderSetting> reorder_settings;
    std::vector<std::string> deleted_spools;
    std::vector<std::string> deleted_reorder_settings;
    std::string next_cursor;                   // opaque to the engine; "" asks for everything
    bool has_more = false;
    std::string server_time;                   // ISO-8601: "catalog as of"
    // The pages of this pull list every spool the server has (no deltas, no deletion log: Spoolman). After the
    // last page of a pass that started from cursor "", the engine removes the station's spools not listed.
    bool full_snapshot = false;
    // The server's open purchases as lines, complete (the engine replaces the cached list); absent = unchanged.
    std::optional<std::vector<PurchaseLine>> open_purchases = std::nullopt;
    // Present: the tenant's full active product list, which replaces the station's cached one.
    std::optional<std::vector<Product>> products;
    // The server's entity tag for this answer, i.e. for the requested cursor and limit ("" = none). Sent back as
    // CallInfo::if_none_match with the same cursor, it lets the server answer "not modified".
    std::string etag{};
    // The server confirmed nothing changed after the cursor (the tag matched): the page carries no changes,
    // next_cursor is the requested cursor, has_more is false; server_time is the answer's time when known.
    bool not_modified = false;
};

// A spool's recent transactions as the server has them (look-ups for the kiosk's detail screen).
struct RemoteTransaction {
    std::string id;          // the server's transaction id
    std::string client_id;   // the station record's id when it came from a station (empty otherwise)
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;  // the change applied on the server
    int64_t at_ms = 0;       // occurred_at (server clock), else created_at; epoch ms
    std::optional<int> resulting_weight_g;
    std::string notes;
};

struct SpoolHistory {
    std::optional<int> current_weight_g;           // the server's current weight of the spool
    std::vector<RemoteTransaction> transactions;   // newest first
};

class SyncTarget {
public:
    virtual ~SyncTarget() = default;

    virtual std::string_view kind() const = 0;
    // Re-reads the credentials when `force` or when they changed on disk (paired from another process).
    // Returns true when they changed (the engine then clears revoked/TLS alerts and tries again).
    virtual bool refresh(bool force) = 0;
    virtual TargetIdentity identity() const = 0;
    // The most records one push() may carry (the engine clamps its batch size to it).
    virtual int max_batch_items() const = 0;

    // Sends records (device-sequence order) for idempotent apply. On success, one PushedItem per record the
    // server answered for. Error codes: bad_request = the whole request was refused (the engine bisects).
    // `now_ms` is the device clock (sent_at, Retry-After dates); `abort` cuts a transfer short on shutdown.
    virtual Result<std::vector<PushedItem>> push(const std::vector<OutboxRecord>& records, int64_t now_ms,
                                                 CallInfo& info, const std::atomic<bool>* abort) = 0;
    // One page of catalog changes after `cursor` ("" = from the start), at most `limit` entries.
    virtual Result<CatalogPage> pull_catalog(const std::string& cursor, int limit, int64_t now_ms, CallInfo& info,
                                             const std::atomic<bool>* abort) = 0;

    // Look-ups (blocking; callers run them off the UI thread). Error codes: not_paired, not_found, unsupported
    // (the server keeps no history), or a disposition name.
    virtual Result<SpoolHistory> history(const std::string& spool_uuid, int limit, const std::atomic<bool>* abort) = 0;
    // Asks the server who this device is; fills what it answers into the stored identity.
    virtual Result<TargetIdentity> whoami(const std::atomic<bool>* abort) = 0;
};

}  // namespace batchivo::sync
