// PostgreSQL store, AdminStore part: tenants, users, spools, reorder settings, materials, history seeding.
#include "sync/central/store/pg/pg_store.hpp"

namespace batchivo::central::pg_impl {

Tenant PgStore::create_tenant(const std::string& slug, const std::string& name) {
    auto c = pool_.get();
    Tenant t{new_uuid_v7(), name, slug, true};
    pg::Tx tx(*c);
    set_tenant(*c, t.id);
    try {
        c->query("INSERT INTO tenants(id, name, slug) VALUES ($1, $2, $3)", {P(t.id), P(name), P(slug)});
    } catch (const pg::Error& e) {
        throw input_error("cannot create tenant", e);
    }
    tx.commit();
    return t;
}

std::vector<Tenant> PgStore::list_tenants() {
    auto c = pool_.get();
    auto r = c->query("SELECT id, name, slug, is_active FROM tenants ORDER BY slug");
    std::vector<Tenant> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.boolean(i, 3)});
    return out;
}

std::optional<Tenant> PgStore::find_tenant(const std::string& key) {
    auto c = pool_.get();
    const std::string id = normalize_uuid(key);
    auto r = id.empty() ? c->query("SELECT id, name, slug, is_active FROM tenants WHERE slug = $1", {P(key)})
                        : c->query("SELECT id, name, slug, is_active FROM tenants WHERE id = $1::uuid", {P(id)});
    if (r.rows() == 0) return std::nullopt;
    return Tenant{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.boolean(0, 3)};
}

std::string PgStore::add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                     const std::string& role) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    try {
        auto r = c->query("INSERT INTO users(email, name) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET "
                          "name = coalesce(EXCLUDED.name, users.name) RETURNING id",
                          {P(email), PN(name)});
        const std::string uid = r.text(0, 0);
        c->query("INSERT INTO user_tenants(user_id, tenant_id, role) VALUES ($1, $2, $3) ON CONFLICT (user_id, tenant_id) "
                 "DO UPDATE SET role = EXCLUDED.role",
                 {P(uid), P(tenant_id), P(role)});
        tx.commit();
        return uid;
    } catch (const pg::Error& e) {
        throw input_error("cannot add user", e);
    }
}

std::string PgStore::material_id(pg::Conn& c, const std::string& name) {
    if (name.empty()) return {};
    auto r = c.query("SELECT id FROM material_types WHERE lower(name) = lower($1)", {P(name)});
    if (r.rows() == 0) throw StoreError("invalid_input", "unknown material type '" + name + "'");
    return r.text(0, 0);
}

Spool PgStore::upsert_spool(const std::string& tenant_id, const Spool& in) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    Spool out = upsert_spool_in_tx(*c, tenant_id, in);
    tx.commit();
    return out;
}

std::vector<Spool> PgStore::import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) {
    require_distinct_spool_ids(spools);
    auto c = pool_.get();
    pg::Tx tx(*c);  // rolled back by its destructor when a row throws
    set_tenant(*c, tenant_id);
    std::vector<Spool> out;
    out.reserve(spools.size());
    for (const auto& s : spools) out.push_back(upsert_spool_in_tx(*c, tenant_id, s));
    tx.commit();
    return out;
}

Spool PgStore::upsert_spool_in_tx(pg::Conn& conn, const std::string& tenant_id, const Spool& in) {
    pg::Conn* c = &conn;
    Spool s = in;
    if (s.material_type_id.empty()) s.material_type_id = material_id(*c, s.material_name);
    const std::string id = s.id.empty() ? new_uuid_v7() : normalize_uuid(s.id);
    try {
        auto r = c->query(
            "INSERT INTO spools(id, tenant_id, spool_id, material_type_id, brand, color, color_hex, finish_type, "
            "purchase_date, purchase_cost, supplier, initial_weight_g, current_weight_g, empty_spool_weight_g, "
            "lead_time_days, storage_location, notes, qr_code_data, is_active) VALUES "
            "($1,$2,$3,$4,$5,$6,$7,$8,$9::date,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) "
            "ON CONFLICT (tenant_id, spool_id) DO UPDATE SET material_type_id = EXCLUDED.material_type_id, "
            "brand = EXCLUDED.brand, color = EXCLUDED.color, color_hex = EXCLUDED.color_hex, finish_type = EXCLUDED.finish_type, "
            "purchase_date = EXCLUDED.purchase_date, purchase_cost = EXCLUDED.purchase_cost, supplier = EXCLUDED.supplier, "
            "initial_weight_g = EXCLUDED.initial_weight_g, current_weight_g = EXCLUDED.current_weight_g, "
            "empty_spool_weight_g = EXCLUDED.empty_spool_weight_g, lead_time_days = EXCLUDED.lead_time_days, "
            "storage_location = EXCLUDED.storage_location, notes = EXCLUDED.notes, qr_code_data = EXCLUDED.qr_code_data, "
            "is_active = EXCLUDED.is_active RETURNING id",
            {P(id), P(tenant_id), P(s.spool_id), PN(s.material_type_id), PN(s.brand), PN(s.color), PN(s.color_hex),
             PN(s.finish_type), PN(s.purchase_date), s.purchase_cost ? PD(*s.purchase_cost) : Param(), PN(s.supplier),
             PI(s.initial_weight_g), PI(s.current_weight_g), PI(s.empty_spool_weight_g), PI(s.lead_time_days),
             PN(s.storage_location), PN(s.notes), PN(s.qr_code_data), P(s.is_active ? "true" : "false")});
        return *get_spool_in(*c, tenant_id, r.text(0, 0));
    } catch (const pg::Error& e) {
        throw input_error("cannot save spool " + s.spool_id, e);
    }
}

bool PgStore::delete_spool(const std::string& tenant_id, const std::string& spool_uuid) {
    const std::string id = normalize_uuid(spool_uuid);
    if (id.empty()) return false;
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    auto r = c->query("DELETE FROM spools WHERE tenant_id = $1 AND id = $2", {P(tenant_id), P(id)});
    tx.commit();
    return r.affected() > 0;
}

ReorderSetting PgStore::set_reorder(const std::string& tenant_id, const ReorderSetting& in) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    ReorderSetting r = in;
    if (r.material_type_id.empty()) r.material_type_id = material_id(*c, r.material_name);
    try {
        auto res = c->query(
            "INSERT INTO reorder_settings(tenant_id, material_type_id, color, brand, avg_daily_usage_grams, lead_time_days, "
            "safety_stock_days, reorder_point_grams, reorder_quantity_grams, last_calculated_at) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::timestamptz) ON CONFLICT ON CONSTRAINT reorder_settings_key DO UPDATE SET "
            "avg_daily_usage_grams = EXCLUDED.avg_daily_usage_grams, lead_time_days = EXCLUDED.lead_time_days, "
            "safety_stock_days = EXCLUDED.safety_stock_days, reorder_point_grams = EXCLUDED.reorder_point_grams, "
            "reorder_quantity_grams = EXCLUDED.reorder_quantity_grams, last_calculated_at = EXCLUDED.last_calculated_at "
            "RETURNING id",
            {P(tenant_id), PN(r.material_type_id), PN(r.color), PN(r.brand), PI(r.avg_daily_usage_grams),
             PI(r.lead_time_days), PI(r.safety_stock_days), PI(r.reorder_point_grams), PI(r.reorder_quantity_grams),
             PN(r.last_calculated_at)});
        auto g = c->query(std::string("SELECT ") + kReorderCols +
                              " FROM reorder_settings r LEFT JOIN material_types mt ON mt.id = r.material_type_id WHERE r.id = $1",
                          {P(res.text(0, 0))});
        tx.commit();
        return read_reorder(g, 0);
    } catch (const pg::Error& e) {
        throw input_error("cannot save reorder setting", e);
    }
}

bool PgStore::delete_reorder(const std::string& tenant_id, const std::string& id) {
    const std::string rid = normalize_uuid(id);
    if (rid.empty()) return false;
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    auto r = c->query("DELETE FROM reorder_settings WHERE tenant_id = $1 AND id = $2", {P(tenant_id), P(rid)});
    tx.commit();
    return r.affected() > 0;
}

std::vector<MaterialType> PgStore::materials() {
    auto c = pool_.get();
    return materials_since(*c, 0);
}

void PgStore::add_history(const std::string& tenant_id, const std::string& spool_uuid, TransactionType type, int grams,
                 const std::string& notes, const std::string& created_at) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    auto r = c->query("INSERT INTO inventory_transactions(tenant_id, spool_id, transaction_type, quantity_grams, "
                      "reference_type, notes, created_at) SELECT tenant_id, id, $3, $4, 'manual', $5, $6::timestamptz "
                      "FROM spools WHERE tenant_id = $1 AND id = $2",
                      {P(tenant_id), P(normalize_uuid(spool_uuid)), P(std::string(to_string(type))), PI(grams), PN(notes),
                       P(created_at)});
    if (r.affected() == 0) throw StoreError("not_found", "no such spool in this tenant");
    tx.commit();
}

}  // namespace batchivo::central::pg_impl
