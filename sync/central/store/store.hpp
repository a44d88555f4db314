// Central's store, split by concern into three interfaces (StationApiStore, AuthStore, AdminStore) that Store
// composes; two implementations (store/pg: PostgreSQL with forced row-level security for production, store/sqlite:
// SQLite for development and the demo). Every tenant-scoped method takes the tenant explicitly; the HTTP layer only
// ever passes the tenant that the device token maps to. Failures throw StoreError inside central; the API layer and
// the CLI catch it (it never crosses a thread).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sync/central/store/product_store.hpp"
#include "sync/domain/reorder.hpp"
#include "sync/domain/spool.hpp"
#include "sync/central/store/intake_store.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::central {

// A failure with a stable machine code (e.g. "not_found", "invalid_pairing_code", "conflict", "invalid_input").
struct StoreError : std::runtime_error {
    std::string code;
    StoreError(std::string c, const std::string& m) : std::runtime_error(m), code(std::move(c)) {}
};

struct Migration {
    int version = 0;
    std::string name;
    std::string sql;
};

struct DeviceAuth {
    std::string device_id;
    std::string tenant_id;
    std::string tenant_slug;
    std::string name;
};

struct DeviceInfo {
    std::string id;
    std::string tenant_id;
    std::string name;
    std::string created_at;
    std::string last_seen_at;
    std::string revoked_at;  // empty when active
};

struct PairingCode {
    std::string code;  // plaintext, shown once (stored hashed)
    std::string tenant_id;
    std::string station_name;
    std::string expires_at;
};

struct SpoolQuery {
    std::string q;         // matches spool_id, brand, color, material, location, qr_code_data (case-insensitive)
    std::string material;  // material type name, case-insensitive
    std::string status;    // ok | low | critical | depleted
    bool low_stock = false;  // only spools whose (material, color, brand) needs a reorder, or stock low/critical/depleted
    bool include_inactive = false;
    int limit = 50;
    int offset = 0;
};

struct SpoolPage {
    std::vector<wire::CatalogSpool> spools;
    int total = 0;
};

// A database connection pool's use right now (GET /metrics).
struct PoolUse {
    int in_use = 0;  // connections leased right now
    int open = 0;    // connections open (idle + in use)
    int max = 0;     // the pool's size
};

// One inventory_transactions row with the station columns; its wire form is the same type.
using TxRecord = wire::HistoryTransaction;

// The station API's reads and writes (GET /catalog, POST /transactions, the lookups). Every method is scoped to the
// tenant the caller passes, which the HTTP layer takes only from the device token. Implementations are thread-safe.
class StationApiStore {
public:
    virtual ~StationApiStore() = default;
    virtual wire::CatalogDelta catalog(const std::string& tenant_id, const std::string& since, int limit) = 0;
    virtual wire::TxBatchResponse apply_batch(const DeviceAuth& device, const wire::TxBatch& batch) = 0;
    virtual std::vector<Spool> active_spools(const std::string& tenant_id) = 0;
    virtual std::optional<Spool> get_spool(const std::string& tenant_id, const std::string& spool_uuid) = 0;
    virtual std::vector<TxRecord> spool_transactions(const std::string& tenant_id, const std::string& spool_uuid,
                                                     int limit) = 0;
    virtual std::vector<ReorderSetting> reorder_settings(const std::string& tenant_id) = 0;
    // The connection pool's use (PostgreSQL); nullopt for stores without a pool (SQLite).
    virtual std::optional<PoolUse> pool_use() { return std::nullopt; }

    // Shared logic on top of the primitives above (store.cpp).
    SpoolPage search_spools(const std::string& tenant_id, const SpoolQuery& q);
    std::vector<ReorderLine> reorder(const std::string& tenant_id);
};

// Devices and their credentials: one-time pairing codes, device tokens (stored as SHA-256), revocation.
class AuthStore {
public:
    virtual ~AuthStore() = default;
    virtual PairingCode create_pairing_code(const std::string& tenant_id, const std::string& station_name,
                                            int ttl_seconds) = 0;
    // Exchanges a one-time code for a device token; throws StoreError("invalid_pairing_code") when unknown, used
    // or expired.
    virtual wire::PairResponse redeem_pairing(const std::string& code, const std::string& device_name) = 0;
    // The device a bearer token belongs to; nullopt for unknown or revoked tokens.
    virtual std::optional<DeviceAuth> authenticate(const std::string& token) = 0;
    virtual std::vector<DeviceInfo> list_devices(const std::string& tenant_id) = 0;
    virtual bool revoke_device(const std::string& tenant_id, const std::string& device_id) = 0;
};

// Administration (the CLI, the demo, tests): schema migrations, tenants, users, spools, reorder settings.
class AdminStore {
public:
    virtual ~AdminStore() = default;
    virtual std::string backend() const = 0;  // "postgresql" | "sqlite"

    // Applies pending migrations, each in its own transaction; returns how many were applied (0 = up to date).
    virtual int migrate_with(const std::vector<Migration>& migrations) = 0;
    int migrate();  // this backend's migrations
    virtual int schema_version() = 0;

    virtual Tenant create_tenant(const std::string& slug, const std::string& name) = 0;
    virtual std::vector<Tenant> list_tenants() = 0;
    virtual std::optional<Tenant> find_tenant(const std::string& slug_or_id) = 0;
    virtual std::string add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                                 const std::string& role) = 0;
    // Inserts or updates (by tenant + spool_id). material_name resolves to material_type_id when the id is empty.
    virtual Spool upsert_spool(const std::string& tenant_id, const Spool& s) = 0;
    // upsert_spool for many spools in ONE database transaction: all are saved or none (any failure, including one
    // only the database detects, rolls the whole import back). Two spools with the same spool_id are refused
    // (StoreError "invalid_input") before anything is written. Returns the saved spools in input order.
    virtual std::vector<Spool> import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) = 0;
    virtual bool delete_spool(const std::string& tenant_id, const std::string& spool_uuid) = 0;
    virtual ReorderSetting set_reorder(const std::string& tenant_id, const ReorderSetting& r) = 0;
    virtual bool delete_reorder(const std::string& tenant_id, const std::string& id) = 0;
    virtual std::vector<MaterialType> materials() = 0;
    // Records a historic transaction (demo seeding/imports); does not change the weight.
    virtual void add_history(const std::string& tenant_id, const std::string& spool_uuid, TransactionType type,
                             int grams, const std::string& notes, const std::string& created_at_iso) = 0;
};

// Everything, for callers that need all three concerns (open_store, the demo, tests). The HTTP layer takes
// StationApiStore + AuthStore, each CLI command the one interface it uses.
class Store : public StationApiStore, public AuthStore, public AdminStore, public IntakeStore, public ProductStore,
              public LabelStore {};

// Throws StoreError("invalid_input") naming the first spool_id that occurs twice (import_spools' pre-check).
void require_distinct_spool_ids(const std::vector<Spool>& spools);

// "postgresql://..." / "postgres://..." / "sqlite:PATH" (or a bare path ending in .db/.sqlite).
// pool_size: PostgreSQL connections kept open (one per concurrent request).
std::unique_ptr<Store> open_store(const std::string& url, int pool_size = 4);

std::vector<Migration> sqlite_migrations();
std::vector<Migration> postgres_migrations();

}  // namespace batchivo::central
