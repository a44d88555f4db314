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
};

constexpr int kLatestVersion = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

const char* kSpoolCols =
    "id, tenant_id, spool_id, material_type_id, material_name, brand, color, color_hex, finish_type, purchase_date, "
    "purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g, lead_time_days, "
    "storage_location, notes, qr_code_data, is_active, created_at, updated_at";

Spool read_spool(sql::Stmt& st) { return sql::read_spool_row(st); }

const char* kRecordCols =
    "seq, id, device_time_ms, spool_uuid, spool_label, transaction_type, quantity_grams, gross_g, tare_g, "
    "tare_source, net_g, notes, state, reason, server_weight_g, attempts, last_attempt_ms, updated_ms";

OutboxRecord read_record(sql::Stmt& st) {
    OutboxRecord r;
    r.seq = st.i64(0);
    r.id = st.text(1);
    r.device_time_ms = st.i64(2);
    r.spool_uuid = st.text(3);
    r.spool_label = st.text(4);
    r.type = transaction_type_from_string(st.text(5)).value_or(TransactionType::Usage);
    r.quantity_grams = st.i32(6);
    if (!st.is_null(7)) {
        Measurement m;
        m.gross_g = st.f64(7);
        m.tare_g = st.f64(8);
        m.tare_source = tare_source_from_string(st.text(9)).value_or(TareSource::Manual);
        m.net_g = st.f64(10);
        r.measurement = m;
    }
    r.notes = st.text(11);
    r.state = record_state_from_string(st.text(12)).value_or(RecordState::Pending);
    r.reason = st.text(13);
    if (auto v = st.opt_i64(14)) r.server_weight_g = static_cast<int>(*v);
    r.attempts = st.i32(15);
    r.last_attempt_ms = st.opt_i64(16);
    r.updated_ms = st.i64(17);
    return r;
}

std::string search_text_of(const Spool& s) {
    return to_lower(s.spool_id + " " + s.brand + " " + s.color + " " + s.material_name);
}

// Escapes LIKE wildcards so a search for "10%" finds the text "10%".
std::string like_pattern(std::string_view text) {
    std::string p = "%";
    for (char c : to_lower(trim(text))) {
        if (c == '%' || c == '_' || c == '\\') p += '\\';
        p += c;
    }
    return p + "%";
}

const char* kStatusExpr =
    "(CASE WHEN current_weight_g = 0 THEN 'depleted' WHEN current_weight_g * 10 <= initial_weight_g THEN 'critical' "
    "WHEN current_weight_g * 4 <= initial_weight_g THEN 'low' ELSE 'ok' END)";

std::string where_clause(const SpoolQuery& q) {
    std::string w = " WHERE 1=1";
    if (!q.include_inactive) w += " AND is_active = 1";
    if (!trim(q.text).empty()) w += " AND search_text LIKE ?1 ESCAPE '\\'";
    if (!trim(q.material_name).empty()) w += " AND material_name = ?2 COLLATE NOCASE";
    if (q.status) w += std::string(" AND ") + kStatusExpr + " = ?3";
    return w;
}

void bind_query(sql::Stmt& st, const SpoolQuery& q) {
    if (!trim(q.text).empty()) st.bind(1, like_pattern(q.text));
    if (!trim(q.material_name).empty()) st.bind(2, std::string(trim(q.material_name)));
    if (q.status) st.bind(3, to_string(*q.status));
}

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

void StationStore::upsert_spools(const std::vector<Spool>& spools) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, R"SQL(
INSERT INTO spools (id, tenant_id, spool_id, material_type_id, material_name, brand, color, color_hex, finish_type,
    purchase_date, purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g,
    lead_time_days, storage_location, notes, qr_code_data, is_active, created_at, updated_at, search_text)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
ON CONFLICT(id) DO UPDATE SET
    tenant_id = excluded.tenant_id, spool_id = excluded.spool_id, material_type_id = excluded.material_type_id,
    material_name = excluded.material_name, brand = excluded.brand, color = excluded.color,
    color_hex = excluded.color_hex, finish_type = excluded.finish_type, purchase_date = excluded.purchase_date,
    purchase_cost = excluded.purchase_cost, supplier = excluded.supplier, supplier_id = excluded.supplier_id,
    initial_weight_g = excluded.initial_weight_g,
    current_weight_g = CASE
        WHEN EXISTS (SELECT 1 FROM transactions t WHERE t.spool_uuid = excluded.id AND t.state IN ('pending', 'sent'))
        THEN MIN(spools.current_weight_g, excluded.initial_weight_g)
        ELSE excluded.current_weight_g END,
    empty_spool_weight_g = excluded.empty_spool_weight_g, lead_time_days = excluded.lead_time_days,
    storage_location = excluded.storage_location, notes = excluded.notes, qr_code_data = excluded.qr_code_data,
    is_active = excluded.is_active, created_at = excluded.created_at, updated_at = excluded.updated_at,
    search_text = excluded.search_text
)SQL");
    for (const auto& s : spools) {
        st.reset();
        st.bind(1, normalize_uuid(s.id).empty() ? s.id : normalize_uuid(s.id))
            .bind(2, s.tenant_id)
            .bind(3, s.spool_id)
            .bind_text_or_null(4, s.material_type_id)
            .bind(5, s.material_name)
            .bind(6, s.brand)
            .bind(7, s.color)
            .bind(8, s.color_hex)
            .bind(9, s.finish_type)
            .bind_text_or_null(10, s.purchase_date)
            .bind(11, s.purchase_cost)
            .bind(12, s.supplier)
            .bind_text_or_null(13, s.supplier_id)
            .bind(14, s.initial_weight_g)
            .bind(15, s.current_weight_g)
            .bind(16, s.empty_spool_weight_g)
            .bind(17, s.lead_time_days)
            .bind(18, s.storage_location)
            .bind(19, s.notes)
            .bind_text_or_null(20, s.qr_code_data)
            .bind(21, s.is_active)
            .bind_text_or_null(22, s.created_at)
            .bind_text_or_null(23, s.updated_at)
            .bind(24, search_text_of(s));
        st.run();
    }
    tx.commit();
}

void StationStore::remove_spools(const std::vector<std::string>& uuids) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "DELETE FROM spools WHERE id = ?1");
    for (const auto& id : uuids) {
        st.reset();
        st.bind(1, to_lower(id)).run();
    }
    tx.commit();
}

void StationStore::upsert_material_types(const std::vector<MaterialType>& types) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, R"SQL(INSERT INTO material_types (id, name, properties) VALUES (?1, ?2, ?3)
ON CONFLICT(id) DO UPDATE SET name = excluded.name, properties = excluded.properties)SQL");
    for (const auto& t : types) {
        st.reset();
        st.bind(1, to_lower(t.id)).bind(2, t.name).bind(3, t.properties_json.empty() ? "{}" : t.properties_json).run();
    }
    tx.commit();
}

void StationStore::upsert_reorder_settings(const std::vector<ReorderSetting>& settings) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, R"SQL(
INSERT INTO reorder_settings (id, tenant_id, material_type_id, material_name, color, brand, avg_daily_usage_grams,
    lead_time_days, safety_stock_days, reorder_point_grams, reorder_quantity_grams, last_calculated_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
ON CONFLICT(id) DO UPDATE SET tenant_id = excluded.tenant_id, material_type_id = excluded.material_type_id,
    material_name = excluded.material_name, color = excluded.color, brand = excluded.brand,
    avg_daily_usage_grams = excluded.avg_daily_usage_grams, lead_time_days = excluded.lead_time_days,
    safety_stock_days = excluded.safety_stock_days, reorder_point_grams = excluded.reorder_point_grams,
    reorder_quantity_grams = excluded.reorder_quantity_grams, last_calculated_at = excluded.last_calculated_at,
    updated_at = excluded.updated_at)SQL");
    for (const auto& r : settings) {
        st.reset();
        st.bind(1, to_lower(r.id))
            .bind(2, r.tenant_id)
            .bind_text_or_null(3, r.material_type_id)
            .bind(4, r.material_name)
            .bind_text_or_null(5, r.color)
            .bind_text_or_null(6, r.brand)
            .bind(7, r.avg_daily_usage_grams)
            .bind(8, r.lead_time_days)
            .bind(9, r.safety_stock_days)
            .bind(10, r.reorder_point_grams)
            .bind(11, r.reorder_quantity_grams)
            .bind_text_or_null(12, r.last_calculated_at)
            .bind_text_or_null(13, r.updated_at)
            .run();
    }
    tx.commit();
}

void StationStore::remove_reorder_settings(const std::vector<std::string>& ids) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "DELETE FROM reorder_settings WHERE id = ?1");
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, to_lower(id)).run();
    }
    tx.commit();
}

void StationStore::set_spool_weight(const std::string& uuid, int w) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_,
                 "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, ?2)) WHERE id = ?1");
    st.bind(1, to_lower(uuid)).bind(2, w).run();
}

bool StationStore::set_spool_weight_if_settled(const std::string& uuid, int w) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_,
                 "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, ?2)) WHERE id = ?1 AND NOT EXISTS "
                 "(SELECT 1 FROM transactions t WHERE t.spool_uuid = ?1 AND t.state IN ('pending', 'sent'))");
    st.bind(1, to_lower(uuid)).bind(2, w).run();
    return db_->changes() > 0;
}

std::optional<Spool> StationStore::spool_by_uuid(const std::string& uuid) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kSpoolCols + " FROM spools WHERE id = ?1");
    st.bind(1, to_lower(trim(uuid)));
    if (!st.step()) return std::nullopt;
    return read_spool(st);
}

std::optional<Spool> StationStore::spool_by_spool_id(const std::string& spool_id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kSpoolCols +
                           " FROM spools WHERE spool_id = ?1 COLLATE NOCASE ORDER BY is_active DESC LIMIT 1");
    st.bind(1, std::string(trim(spool_id)));
    if (!st.step()) return std::nullopt;
    return read_spool(st);
}

std::optional<Spool> StationStore::spool_by_qr(const std::string& qr) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kSpoolCols +
                           " FROM spools WHERE qr_code_data = ?1 ORDER BY is_active DESC LIMIT 1");
    st.bind(1, qr);
    if (!st.step()) return std::nullopt;
    return read_spool(st);
}

std::vector<Spool> StationStore::search_spools(const SpoolQuery& q) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kSpoolCols + " FROM spools" + where_clause(q) +
                           " ORDER BY spool_id COLLATE NOCASE LIMIT ?4 OFFSET ?5");
    bind_query(st, q);
    st.bind(4, q.limit).bind(5, q.offset);
    std::vector<Spool> out;
    while (st.step()) out.push_back(read_spool(st));
    return out;
}

int64_t StationStore::count_spools(const SpoolQuery& q) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT COUNT(*) FROM spools") + where_clause(q));
    bind_query(st, q);
    return st.step() ? st.i64(0) : 0;
}

std::vector<Spool> StationStore::all_spools(bool include_inactive) {
    SpoolQuery q;
    q.include_inactive = include_inactive;
    q.limit = -1;
    return search_spools(q);
}

std::vector<MaterialType> StationStore::material_types() {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "SELECT id, name, properties FROM material_types ORDER BY name COLLATE NOCASE");
    std::vector<MaterialType> out;
    while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2)});
    return out;
}

std::vector<ReorderSetting> StationStore::reorder_settings() {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, R"SQL(SELECT id, tenant_id, material_type_id, material_name, color, brand,
        avg_daily_usage_grams, lead_time_days, safety_stock_days, reorder_point_grams, reorder_quantity_grams,
        last_calculated_at, updated_at FROM reorder_settings ORDER BY material_name, brand, color)SQL");
    std::vector<ReorderSetting> out;
    while (st.step()) out.push_back(sql::read_reorder_row(st));
    return out;
}

OutboxRecord StationStore::record(const NewRecord& in) {
    if (in.spool_uuid.empty()) throw std::invalid_argument("record: spool UUID is required");
    OutboxRecord r;
    r.id = new_uuid_v7();
    r.device_time_ms = in.device_time_ms.value_or(now_epoch_ms());
    r.spool_uuid = normalize_uuid(in.spool_uuid).empty() ? in.spool_uuid : normalize_uuid(in.spool_uuid);
    r.spool_label = in.spool_label;
    r.type = in.type;
    r.quantity_grams = in.quantity_grams;
    r.measurement = in.measurement;
    r.notes = in.notes;
    r.updated_ms = now_epoch_ms();

    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    r.seq = db_->query_int("SELECT COALESCE(MAX(seq), 0) + 1 FROM transactions").value_or(1);
    sql::Stmt st(*db_, R"SQL(INSERT INTO transactions (seq, id, device_time_ms, spool_uuid, spool_label,
        transaction_type, quantity_grams, gross_g, tare_g, tare_source, net_g, notes, state, updated_ms)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'pending', ?13))SQL");
    st.bind(1, r.seq).bind(2, r.id).bind(3, r.device_time_ms).bind(4, r.spool_uuid).bind(5, r.spool_label);
    st.bind(6, to_string(r.type)).bind(7, r.quantity_grams);
    if (r.measurement) {
        st.bind(8, r.measurement->gross_g).bind(9, r.measurement->tare_g);
        st.bind(10, to_string(r.measurement->tare_source)).bind(11, r.measurement->net_g);
    } else {
        st.bind(8, std::nullopt).bind(9, std::nullopt).bind(10, std::nullopt).bind(11, std::nullopt);
    }
    st.bind(12, r.notes).bind(13, r.updated_ms);
    st.run();
    // Optimistic local weight: a weighing sets it to the measured net, anything else adds its quantity. Clamped to
    // the seed's constraints so a stale cache can never make the durable write fail.
    sql::Stmt upd(*db_, r.measurement
                            ? "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, ?2)) WHERE id = ?1"
                            : "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, current_weight_g + ?2)) "
                              "WHERE id = ?1");
    upd.bind(1, r.spool_uuid)
        .bind(2, r.measurement ? static_cast<int64_t>(std::llround(r.measurement->net_g))
                               : static_cast<int64_t>(r.quantity_grams))
        .run();
    tx.commit();
    return r;
}

std::optional<OutboxRecord> StationStore::get_record(const std::string& id_or_prefix) {
    std::lock_guard lk(mu_);
    const std::string key = to_lower(trim(id_or_prefix));
    if (key.empty()) return std::nullopt;
    // A full id, a unique id prefix (as `queue list` prints), or a sequence number "#42"/"42".
    {
        sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions WHERE id = ?1");
        st.bind(1, key);
        if (st.step()) return read_record(st);
    }
    if (key.find_first_not_of("#0123456789") == std::string::npos) {
        sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions WHERE seq = ?1");
        st.bind(1, static_cast<int64_t>(std::stoll(key[0] == '#' ? key.substr(1) : key)));
        if (st.step()) return read_record(st);
        return std::nullopt;
    }
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions WHERE id LIKE ?1 LIMIT 2");
    st.bind(1, key + "%");
    if (!st.step()) return std::nullopt;
    auto r = read_record(st);
    if (st.step()) return std::nullopt;  // ambiguous prefix
    return r;
}

std::vector<OutboxRecord> StationStore::unsent(int limit) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols +
                           " FROM transactions WHERE state IN ('pending', 'sent') ORDER BY seq LIMIT ?1");
    st.bind(1, limit);
    std::vector<OutboxRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

std::vector<OutboxRecord> StationStore::list_records(std::optional<RecordState> state, int limit) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols + " FROM transactions" +
                           (state ? " WHERE state = ?1" : "") + " ORDER BY seq DESC LIMIT ?2");
    if (state) st.bind(1, to_string(*state));
    st.bind(2, limit);
    std::vector<OutboxRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

std::vector<OutboxRecord> StationStore::records_for_spool(const std::string& spool_uuid, int limit) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, std::string("SELECT ") + kRecordCols +
                           " FROM transactions WHERE spool_uuid = ?1 ORDER BY seq DESC LIMIT ?2");
    st.bind(1, to_lower(spool_uuid)).bind(2, limit);
    std::vector<OutboxRecord> out;
    while (st.step()) out.push_back(read_record(st));
    return out;
}

OutboxCounts StationStore::counts() {
    std::lock_guard lk(mu_);
    OutboxCounts c;
    sql::Stmt st(*db_, "SELECT state, COUNT(*), MIN(device_time_ms) FROM transactions GROUP BY state");
    while (st.step()) {
        auto s = record_state_from_string(st.text(0));
        if (!s) continue;
        const int64_t n = st.i64(1);
        switch (*s) {
            case RecordState::Pending:
            case RecordState::Sent:
                c.pending += n;
                if (!c.oldest_pending_device_time_ms || st.i64(2) < *c.oldest_pending_device_time_ms)
                    c.oldest_pending_device_time_ms = st.i64(2);
                break;
            case RecordState::Applied: c.applied += n; break;
            case RecordState::Rejected: c.rejected += n; break;
            case RecordState::Discarded: c.discarded += n; break;
        }
    }
    return c;
}

void StationStore::mark_sent(const std::vector<std::string>& ids, int64_t now_ms) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'sent', attempts = attempts + 1, last_attempt_ms = ?2, "
                       "updated_ms = ?2 WHERE id = ?1 AND state IN ('pending', 'sent')");
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, id).bind(2, now_ms).run();
    }
    tx.commit();
}

void StationStore::mark_unsent(const std::vector<std::string>& ids) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'pending', updated_ms = ?2 WHERE id = ?1 AND state = 'sent'");
    const int64_t now = now_epoch_ms();
    for (const auto& id : ids) {
        st.reset();
        st.bind(1, id).bind(2, now).run();
    }
    tx.commit();
}

void StationStore::mark_applied(const std::string& id, std::optional<int> server_weight_g) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'applied', reason = '', server_weight_g = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent', 'rejected', 'discarded')");
    st.bind(1, id).bind(2, server_weight_g).bind(3, now_epoch_ms()).run();
    tx.commit();
}

void StationStore::mark_rejected(const std::string& id, const std::string& reason) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'rejected', reason = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent')");
    st.bind(1, id).bind(2, reason).bind(3, now_epoch_ms()).run();
}

void StationStore::apply_server_results(const std::vector<ServerResult>& results,
                                        const std::vector<std::pair<std::string, int>>& spool_weights) {
    std::lock_guard lk(mu_);
    const int64_t now = now_epoch_ms();
    sql::Transaction tx(*db_);
    sql::Stmt ap(*db_, "UPDATE transactions SET state = 'applied', reason = '', server_weight_g = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent', 'rejected', 'discarded')");
    sql::Stmt rj(*db_, "UPDATE transactions SET state = 'rejected', reason = ?2, updated_ms = ?3 "
                       "WHERE id = ?1 AND state IN ('pending', 'sent')");
    for (const auto& r : results) {
        if (r.applied) {
            ap.reset();
            ap.bind(1, r.id).bind(2, r.server_weight_g).bind(3, now).run();
        } else {
            rj.reset();
            rj.bind(1, r.id).bind(2, r.reason).bind(3, now).run();
        }
    }
    sql::Stmt w(*db_,
                "UPDATE spools SET current_weight_g = MAX(0, MIN(initial_weight_g, ?2)) WHERE id = ?1 AND NOT EXISTS "
                "(SELECT 1 FROM transactions t WHERE t.spool_uuid = ?1 AND t.state IN ('pending', 'sent'))");
    for (const auto& [uuid, g] : spool_weights) {
        w.reset();
        w.bind(1, to_lower(uuid)).bind(2, g).run();
    }
    tx.commit();
}

bool StationStore::retry(const std::string& id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'pending', reason = '', updated_ms = ?2 "
                       "WHERE id = ?1 AND state IN ('rejected', 'pending', 'sent')");
    st.bind(1, id).bind(2, now_epoch_ms()).run();
    return db_->changes() > 0;
}

bool StationStore::discard(const std::string& id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(*db_, "UPDATE transactions SET state = 'discarded', updated_ms = ?2 "
                       "WHERE id = ?1 AND state IN ('rejected', 'pending')");
    st.bind(1, id).bind(2, now_epoch_ms()).run();
    return db_->changes() > 0;
}

}  // namespace batchivo
