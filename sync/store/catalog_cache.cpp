// The station store's catalog cache: spools, material types and reorder settings pulled from the sync target,
// and the look-ups the kiosk and the CLI run on them (station_store.hpp has the contract).
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

namespace {

const char* kSpoolCols =
    "id, tenant_id, spool_id, material_type_id, material_name, brand, color, color_hex, finish_type, purchase_date, "
    "purchase_cost, supplier, supplier_id, initial_weight_g, current_weight_g, empty_spool_weight_g, lead_time_days, "
    "storage_location, notes, qr_code_data, is_active, created_at, updated_at";

Spool read_spool(sql::Stmt& st) { return sql::read_spool_row(st); }

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
    // The server's spool ids are the truth: a cached spool holding the same (tenant, spool_id) under another UUID
    // (a spool created here with a typed id the server gave to another spool, or a stale row) gives it up; the server's
    // answer or the next page brings its own id.
    sql::Stmt yield(*db_, "UPDATE spools SET spool_id = '' WHERE tenant_id = ?1 AND spool_id = ?2 AND id <> ?3");
    for (const auto& s : spools) {
        if (!s.spool_id.empty()) {
            yield.reset();
            yield.bind(1, s.tenant_id).bind(2, s.spool_id).bind(3, normalize_uuid(s.id).empty() ? s.id : normalize_uuid(s.id)).run();
        }
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

}  // namespace batchivo
