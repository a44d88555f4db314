// The station's local store: one SQLite file per station holding the catalog cache of the paired tenant and the
// transaction log / outbox. The store is the source of truth on the station: a record is durable (WAL,
// synchronous=FULL, committed) when record() returns, before any network attempt. Nothing is ever deleted by
// sync; records move between states.
//
// Thread-safety: every method may be called from any thread; calls are serialised by an internal mutex
// (the kiosk's UI thread, the sync worker and the CLI share one store object per process). Several processes
// may open the same file (SQLite locking, 10 s busy timeout).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sync/domain/intake.hpp"
#include "sync/domain/product.hpp"
#include "sync/domain/spool.hpp"
#include "sync/domain/stock.hpp"
#include "sync/domain/weighing.hpp"

namespace batchivo::sql {
class Db;
}

namespace batchivo {

enum class RecordState { Pending, Sent, Applied, Rejected, Discarded };
std::string_view to_string(RecordState s);
std::optional<RecordState> record_state_from_string(std::string_view s);

// What a weighing measured (absent for a usage typed without a scale).
struct Measurement {
    double gross_g = 0;
    double tare_g = 0;
    TareSource tare_source = TareSource::Manual;
    double net_g = 0;
};

// A new transaction as the kiosk or CLI records it.
struct NewRecord {
    std::string spool_uuid;
    std::string spool_label;  // the spool's spool_id at record time, for display
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;   // negative for usage
    std::optional<Measurement> measurement;  // present for weighings
    std::string notes;
    std::optional<int64_t> device_time_ms;   // defaults to now
};

struct OutboxRecord {
    std::string id;        // client-generated UUIDv7
    int64_t seq = 0;       // per-station, gap-free, starts at 1
    int64_t device_time_ms = 0;
    std::string spool_uuid;
    std::string spool_label;
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;
    std::optional<Measurement> measurement;
    std::string notes;
    RecordState state = RecordState::Pending;
    std::string reason;                  // server's reason when rejected
    std::optional<int> server_weight_g;  // spool weight the server reported after applying
    int attempts = 0;
    std::optional<int64_t> last_attempt_ms;
    int64_t updated_ms = 0;
    // "spool created" records (type purchase, quantity = initial weight): the spool's fields, sent with the
    // record (attached by unsent() and get_record()).
    std::optional<NewSpool> new_spool;
};

// A spool created on the station (create_spool): durable and in the local catalog at once, synced as a
// "spool created" outbox record before any later record for it.
struct NewSpoolRecord {
    std::string spool_uuid;  // empty = a new UUIDv7
    NewSpool spool;          // spool_id may be empty (central assigns one; the catalog brings it back)
    std::string tenant_id;   // the paired tenant (meta tenant_id) or empty
    std::optional<Measurement> measurement;  // the weighing that gave initial_weight_g (kept for display)
    std::string notes;
    std::optional<int64_t> device_time_ms;   // defaults to now
};

struct OutboxCounts {
    int64_t pending = 0;  // pending + sent (not yet confirmed)
    int64_t applied = 0;
    int64_t rejected = 0;
    int64_t discarded = 0;
    std::optional<int64_t> oldest_pending_device_time_ms;
};

struct SpoolQuery {
    std::string text;             // free text over spool_id, brand, color, material (case-insensitive)
    std::string material_name;    // exact material name filter (case-insensitive); empty = any
    std::optional<StockStatus> status;
    bool include_inactive = false;
    int limit = 200;
    int offset = 0;
};

struct StorePragmas {
    std::string journal_mode;
    int synchronous = -1;  // 2 = FULL
    bool foreign_keys = false;
    int schema_version = 0;
};

// Options mostly for tests: the durability tests use a fault-injecting VFS and synchronous=OFF as a negative
// control. Production code uses the defaults.
struct StoreOptions {
    const char* vfs = nullptr;
    bool durable = true;  // false -> synchronous=OFF (negative control only)
};

class StationStore {
public:
    // Opens or creates the store, applies pending migrations, sets and verifies the pragmas. Throws
    // std::runtime_error with a clear message when the file cannot be opened or the pragmas do not take.
    explicit StationStore(const std::string& path, StoreOptions opts = {});
    ~StationStore();

    static int latest_schema_version();
    StorePragmas pragmas();
    bool integrity_ok();

    // --- which server the catalog cache belongs to (catalog_reset.cpp)
    // The cache holds one server's catalog, named by a "source": kind, URL and tenant (catalog_source_key()), kept
    // in meta "catalog_source". When the station is pointed at another source (connect, pair),
    // reset_catalog_for_target() clears the cache in ONE transaction: spools, material types no kept spool uses,
    // reorder settings, products, open purchase lines and every catalog_* meta key (cursor, as-of time, ETag), then
    // records the new source. Kept: the spools that records not yet confirmed (pending or sent) refer to -- a
    // spool created on this station whose "spool created" record is unconfirmed stays as it is (the new target
    // creates it); any other kept spool is marked inactive (out of the lookups until the new server lists it).
    // Records are never touched (discarded ones keep their label for display). With no source recorded (a store from
    // before this existed), `assumed_previous` stands in for it ("" = unknown: the cache is cleared).
    struct CatalogReset {
        bool cleared = false;         // the cache held another server's catalog (an empty one just takes the source)
        std::string previous_source;  // the source the cache belonged to ("" = unknown)
        int64_t spools_removed = 0;
        int64_t spools_kept = 0;      // referenced by unconfirmed records
    };
    CatalogReset reset_catalog_for_target(const std::string& source, const std::string& assumed_previous = "");
    // "<kind> <url without trailing slash> <tenant>", lowercased kind and tenant; "" when url is empty.
    static std::string catalog_source_key(std::string_view kind, std::string_view url, std::string_view tenant_id);

    // --- key/value metadata (catalog cursor, last sync time, paired tenant, ...)
    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

    // --- catalog cache
    // Upserts in one transaction; the seed's constraints are enforced (throws sql::Error on violation, nothing
    // written). Spools whose local weight has unconfirmed records keep the local weight (see docs/SYNC.md).
    void upsert_spools(const std::vector<Spool>& spools);
    void remove_spools(const std::vector<std::string>& uuids);
    void upsert_material_types(const std::vector<MaterialType>& types);
    void upsert_reorder_settings(const std::vector<ReorderSetting>& settings);
    void remove_reorder_settings(const std::vector<std::string>& ids);
    // Replaces the local weight of a spool with what the server reports (after an applied record).
    void set_spool_weight(const std::string& uuid, int current_weight_g);
    // Same, but only when the spool has no pending/sent records left (their optimistic effect would be lost);
    // returns true when the weight was written. Used by the sync engine after per-item results.
    bool set_spool_weight_if_settled(const std::string& uuid, int current_weight_g);

    std::optional<Spool> spool_by_uuid(const std::string& uuid);
    std::optional<Spool> spool_by_spool_id(const std::string& spool_id);  // case-insensitive
    std::optional<Spool> spool_by_qr(const std::string& qr_code_data);    // exact
    std::vector<Spool> search_spools(const SpoolQuery& q);
    int64_t count_spools(const SpoolQuery& q);
    std::vector<MaterialType> material_types();
    std::vector<ReorderSetting> reorder_settings();
    std::vector<Spool> all_spools(bool include_inactive = false);
    // Products (product_cache.cpp): the catalog carries the full active list whenever it changed; it replaces the
    // cached one in one transaction. products() lists them by SKU with their BOM lines and components;
    // search_products() matches SKU or name (case-insensitive substring, exact SKU first).
    void replace_products(const std::vector<Product>& products);
    std::vector<Product> products();
    std::optional<Product> product_by_sku(const std::string& sku);  // case-insensitive, trimmed
    std::vector<Product> search_products(const std::string& text, int limit = 50);

    // --- transaction log / outbox
    // Assigns a UUIDv7 and the next sequence number and commits, in one SQLite transaction. When the spool is
    // in the cache its local weight is updated in the same transaction. Durable when it returns.
    OutboxRecord record(const NewRecord& r);
    std::optional<OutboxRecord> get_record(const std::string& id_or_prefix);
    // Pending and sent records in sequence order (what the sync worker sends next).
    std::vector<OutboxRecord> unsent(int limit);
    // Most recent first, optionally filtered by state.
    std::vector<OutboxRecord> list_records(std::optional<RecordState> state = std::nullopt, int limit = 200);
    std::vector<OutboxRecord> records_for_spool(const std::string& spool_uuid, int limit = 50);
    OutboxCounts counts();

    // Creates a spool: in ONE SQLite transaction the spool row in the catalog cache (current = initial weight,
    // material type resolved by name when cached) and a "spool created" record with the next sequence number.
    // Durable when it returns. Throws std::invalid_argument for a NewSpool that validate_new_spool refuses, for a
    // spool UUID that exists, or a spool_id already in the cache; nothing is written then.
    OutboxRecord create_spool(const NewSpoolRecord& r);
    // A label was printed for a spool: the cached spool's qr_code_data takes the payload (when empty) and, if the
    // spool's "spool created" record has never been handed to the server (pending, no attempt), the record carries
    // it so central marks the spool labelled. Returns true when central will learn it from the record (now or
    // earlier); false when the record was already sent (central then still lists the spool as unlabelled).
    bool mark_label_printed(const std::string& spool_uuid, const std::string& payload);
    // The catalog's open purchases, flattened to lines (replaces the cached list) and read back (PO, line order).
    void replace_open_purchases(const std::vector<PurchaseLine>& lines);
    std::vector<PurchaseLine> open_purchase_lines(bool only_remaining = true);
    std::optional<PurchaseLine> purchase_line(const std::string& id);

    void mark_sent(const std::vector<std::string>& ids, int64_t now_ms);
    // Sent -> pending, in one transaction: the server answered without processing them (401, 429), so they are
    // known not to be applied (an operator may discard them).
    void mark_unsent(const std::vector<std::string>& ids);
    void mark_applied(const std::string& id, std::optional<int> server_weight_g);
    void mark_rejected(const std::string& id, const std::string& reason);
    // The server's answers for one batch in a single transaction (one fsync instead of one per item): each result
    // marks its record applied (with the server's weight) or rejected (with the reason); then each spool in
    // `spool_weights` takes the server's weight if it has no unconfirmed records left (set_spool_weight_if_settled).
    // An applied result with a spool_id sets the record's spool's spool_id (skipped if another cached spool holds
    // that id: the next catalog pull settles it).
    struct ServerResult {
        std::string id;
        bool applied = false;
        std::optional<int> server_weight_g;
        std::string reason;   // rejected: why; applied: a notice for the operator (kept on the record), usually empty
        std::string spool_id; // applied "spool created" record: the spool's human id on the server, written into the
                              // local spool at once (not waiting for the next catalog pull)
    };
    void apply_server_results(const std::vector<ServerResult>& results,
                              const std::vector<std::pair<std::string, int>>& spool_weights);
    // Operator actions: a rejected (or pending) record back to pending; a record marked discarded (kept).
    bool retry(const std::string& id);
    bool discard(const std::string& id);

    sql::Db& db();  // for tests and migrations checks

private:
    void migrate();
    void attach_new_spools_locked(std::vector<OutboxRecord>& records);
    std::unique_ptr<sql::Db> db_;
    std::mutex mu_;
};

}  // namespace batchivo
