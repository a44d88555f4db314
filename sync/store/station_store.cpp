#include "sync/store/station_store.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/sqlite/catalog_rows.hpp"
#include "sync/sqlite/sqlite.hpp"

namespace batchivo {

std::string_view to_string(RecordState s) {
    switch (s) {
        case RecordState::Pending: return "pending";
        case RecordState::Sent: return "sent";
        case RecordState::Applied: return "applied";
        case RecordState::Rejected: return "rejected";
        case RecordState::Discarded: return "discarded";
    }
    return "pending";
}

std::optional<RecordState> record_state_from_string(std::string_view s) {
    if (s == "pending") return RecordState::Pending;
    if (s == "sent") return RecordState::Sent;
    if (s == "applied") return RecordState::Applied;
    if (s == "rejected") return RecordState::Rejected;
    if (s == "discarded") return RecordState::Discarded;
    return std::nullopt;
}

namespace {

// Versioned migrations. Index i holds the SQL that takes the schema from version i to i + 1. Never edit a
// shipped migration; append a new one.
const char* const kMigrations[] = {
    // 1: catalog cache and transaction log
    R"SQL(
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE material_types (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    properties TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE spools (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    spool_id TEXT NOT NULL,
    material_type_id TEXT REFERENCES material_types(id),
    material_name TEXT NOT NULL DEFAULT '',
    brand TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    color_hex TEXT NOT NULL DEFAULT '',
    finish_type TEXT NOT NULL DEFAULT '',
    purchase_date TEXT,
    purchase_cost REAL,
    supplier TEXT NOT NULL DEFAULT '',
    supplier_id TEXT,
    initial_weight_g INTEGER NOT NULL,
    current_weight_g INTEGER NOT NULL,
    empty_spool_weight_g INTEGER,
    lead_time_days INTEGER,
    storage_location TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    qr_code_data TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    updated_at TEXT,
    -- lowercased spool_id, brand, color and material, maintained by the store for free-text search
    search_text TEXT NOT NULL DEFAULT '',
    UNIQUE (tenant_id, spool_id),
    CONSTRAINT positive_weight CHECK (current_weight_g >= 0),
    CONSTRAINT weight_logic CHECK (current_weight_g <= initial_weight_g),
    CONSTRAINT empty_weight_sane CHECK (empty_spool_weight_g IS NULL OR empty_spool_weight_g >= 0)
);
CREATE INDEX idx_spools_spool_id_nocase ON spools (spool_id COLLATE NOCASE);
CREATE INDEX idx_spools_qr ON spools (qr_code_data);
CREATE INDEX idx_spools_material ON spools (material_type_id);
CREATE INDEX idx_spools_active ON spools (is_active);

CREATE TABLE reorder_settings (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    material_type_id TEXT,
    material_name TEXT NOT NULL DEFAULT '',
    color TEXT,
    brand TEXT,
    avg_daily_usage_grams INTEGER,
    lead_time_days INTEGER NOT NULL,
    safety_stock_days INTEGER DEFAULT 7,
    reorder_point_grams INTEGER,
    reorder_quantity_grams INTEGER,
    last_calculated_at TEXT,
    updated_at TEXT,
    UNIQUE (tenant_id, material_type_id, color, brand)
);

-- The transaction log and outbox. seq is the per-station, gap-free device sequence.
CREATE TABLE transactions (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    device_time_ms INTEGER NOT NULL,
    spool_uuid TEXT NOT NULL,
    spool_label TEXT NOT NULL DEFAULT '',
    transaction_type TEXT NOT NULL CHECK (transaction_type IN
        ('purchase', 'usage', 'adjustment', 'return', 'disposal')),
    quantity_grams INTEGER NOT NULL,
    gross_g REAL,
    tare_g REAL,
    tare_source TEXT CHECK (tare_source IS NULL OR tare_source IN ('spool', 'catalog', 'station_default', 'manual')),
    net_g REAL,
    notes TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'applied', 'rejected', 'discarded')),
    reason TEXT NOT NULL DEFAULT '',
    server_weight_g INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_ms INTEGER,
    updated_ms INTEGER NOT NULL,
    CONSTRAINT measurement_complete CHECK ((gross_g IS NULL) = (net_g IS NULL) AND (gross_g IS NULL) = (tare_g IS NULL))
);
CREATE INDEX idx_transactions_state_seq ON transactions (state, seq);
CREATE INDEX idx_transactions_spool ON transactions (spool_uuid, seq);

CREATE TRIGGER transactions_never_deleted BEFORE DELETE ON transactions
BEGIN
    SELECT RAISE(ABORT, 'transactions are never deleted');
END;
)SQL",
    // 2: intake. Spools created on the station have no human spool_id until central assigns one, so the cache's
    // (tenant_id, spool_id) uniqueness holds only for non-empty ids (a partial unique index). "Spool created"
    // records keep the new spool's fields in new_spools; the catalog's open purchases are cached as lines.
    R"SQL(
CREATE TABLE spools_v2 (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    spool_id TEXT NOT NULL,
    material_type_id TEXT REFERENCES material_types(id),
    material_name TEXT NOT NULL DEFAULT '',
    brand TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    color_hex TEXT NOT NULL DEFAULT '',
    finish_type TEXT NOT NULL DEFAULT '',
    purchase_date TEXT,
    purchase_cost REAL,
    supplier TEXT NOT NULL DEFAULT '',
    supplier_id TEXT,
    initial_weight_g INTEGER NOT NULL,
    current_weight_g INTEGER NOT NULL,
    empty_spool_weight_g INTEGER,
    lead_time_days INTEGER,
    storage_location TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    qr_code_data TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT,
    updated_at TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    CONSTRAINT positive_weight CHECK (current_weight_g >= 0),
    CONSTRAINT weight_logic CHECK (current_weight_g <= initial_weight_g),
    CONSTRAINT empty_weight_sane CHECK (empty_spool_weight_g IS NULL OR empty_spool_weight_g >= 0)
);
INSERT INTO spools_v2 SELECT id, tenant_id, spool_id, material_type_id, material_name, brand, color, color_hex,
    finish_type, purchase_date, purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g,
    empty_spool_weight_g, lead_time_days, storage_location, notes, qr_code_data, is_active, created_at, updated_at,
    search_text FROM spools;
DROP TABLE spools;
ALTER TABLE spools_v2 RENAME TO spools;
CREATE INDEX idx_spools_spool_id_nocase ON spools (spool_id COLLATE NOCASE);
CREATE UNIQUE INDEX uq_spools_tenant_spool_id ON spools (tenant_id, spool_id) WHERE spool_id <> '';
CREATE INDEX idx_spools_qr ON spools (qr_code_data);
CREATE INDEX idx_spools_material ON spools (material_type_id);
CREATE INDEX idx_spools_active ON spools (is_active);

CREATE TABLE new_spools (
    record_id TEXT PRIMARY KEY REFERENCES transactions(id),
    spool_uuid TEXT NOT NULL UNIQUE,
    spool_id TEXT NOT NULL DEFAULT '',
    material TEXT NOT NULL,
    brand TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    color_hex TEXT NOT NULL DEFAULT '',
    initial_weight_g INTEGER NOT NULL CHECK (initial_weight_g > 0),
    empty_spool_weight_g INTEGER,
    storage_location TEXT NOT NULL DEFAULT '',
    purchase_item_id TEXT NOT NULL DEFAULT '',
    gross_g REAL,
    tare_g REAL,
    tare_source TEXT
);

CREATE TABLE purchase_lines (
    id TEXT PRIMARY KEY,
    purchase_id TEXT NOT NULL,
    po_number TEXT NOT NULL DEFAULT '',
    supplier TEXT NOT NULL DEFAULT '',
    order_date TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    material TEXT NOT NULL DEFAULT '',
    brand TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL,
    received INTEGER NOT NULL,
    weight_per_spool_g INTEGER,
    unit_cost REAL,
    ord INTEGER NOT NULL
);
)SQL",
    // 3: product cache (products with BOM lines and components, replaced whole by the catalog pull)
    R"SQL(
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    labor_hours REAL NOT NULL DEFAULT 0,
    labor_rate REAL,
    include_overhead INTEGER NOT NULL DEFAULT 0,
    overhead_rate REAL,
    is_active INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT
);
CREATE UNIQUE INDEX idx_products_sku ON products (sku COLLATE NOCASE);
CREATE TABLE product_materials (
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    spool_uuid TEXT NOT NULL,  -- no reference: the spool may be missing from the cache (shown as such)
    spool_label TEXT NOT NULL DEFAULT '',
    grams_per_unit INTEGER NOT NULL CHECK (grams_per_unit >= 0),
    slot TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, position)
);
CREATE TABLE product_components (
    product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_cost REAL NOT NULL CHECK (unit_cost >= 0),
    PRIMARY KEY (product_id, position)
);
-- The next pull starts from the beginning, so a station synced before products existed gets the list too.
DELETE FROM meta WHERE key = 'catalog_cursor';
)SQL",
    // 4: a label printed at the station before its "spool created" record was sent travels with the record
    // (new_spools.qr_code_data; StationStore::mark_label_printed)
    R"SQL(
ALTER TABLE new_spools ADD COLUMN qr_code_data TEXT NOT NULL DEFAULT '';
)SQL",
};

constexpr int kLatestVersion = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

}  // namespace

int StationStore::latest_schema_version() { return kLatestVersion; }

StationStore::StationStore(const std::string& path, StoreOptions opts) {
    db_ = std::make_unique<sql::Db>(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, opts.vfs);
    auto mode = db_->query_text("PRAGMA journal_mode=WAL");
    if (!mode || to_lower(*mode) != "wal")
        throw std::runtime_error("station store " + path + ": cannot enable WAL journal (got " +
                                 mode.value_or("nothing") + ")");
    db_->exec(opts.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
    db_->exec("PRAGMA foreign_keys=ON");
    auto p = pragmas();
    if (opts.durable && p.synchronous != 2)
        throw std::runtime_error("station store " + path + ": synchronous=FULL did not take");
    if (!p.foreign_keys) throw std::runtime_error("station store " + path + ": foreign keys cannot be enabled");
    migrate();
}

StationStore::~StationStore() = default;

sql::Db& StationStore::db() { return *db_; }

void StationStore::migrate() {
    std::lock_guard lk(mu_);
    const int current = static_cast<int>(db_->query_int("PRAGMA user_version").value_or(0));
    if (current > kLatestVersion)
        throw std::runtime_error("station store schema version " + std::to_string(current) +
                                 " is newer than this program (" + std::to_string(kLatestVersion) +
                                 "); refusing to open it");
    for (int v = current; v < kLatestVersion; ++v) {
        sql::Transaction tx(*db_);
        db_->exec(kMigrations[v]);
        db_->exec("PRAGMA user_version=" + std::to_string(v + 1));
        tx.commit();
    }
}

StorePragmas StationStore::pragmas() {
    StorePragmas p;
    p.journal_mode = db_->query_text("PRAGMA journal_mode").value_or("");
    p.synchronous = static_cast<int>(db_->query_int("PRAGMA synchronous").value_or(-1));
    p.foreign_keys = db_->query_int("PRAGMA foreign_keys").value_or(0) == 1;
    p.schema_version = static_cast<int>(db_->query_int("PRAGMA user_version").value_or(0));
    return p;
}

bool StationStore::integrity_ok() {
    std::lock_guard lk(mu_);
    return db_->query_text("PRAGMA integrity_check").value_or("") == "ok";
}

std::optional<std::string> StationStore::meta(const std::string& key) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "SELECT value FROM meta WHERE key = ?1");
    st.bind(1, key);
    if (!st.step()) return std::nullopt;
    return st.text(0);
}

void StationStore::set_meta(const std::string& key, const std::string& value) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    st.bind(1, key).bind(2, value).run();
}


}  // namespace batchivo
