// SQLite store, AdminStore part: tenants, users, spools, reorder settings, materials, history seeding.
#include "sync/central/store/sqlite/sqlite_store.hpp"

namespace batchivo::central::sqlite_impl {

Tenant SqliteStore::create_tenant(const std::string& slug, const std::string& name) {
    std::lock_guard lk(mu_);
    Tenant t{new_uuid_v7(), name, slug, true};
    try {
        sql::Stmt st(db_, "INSERT INTO tenants(id, name, slug) VALUES (?, ?, ?)");
        st.bind(1, t.id).bind(2, name).bind(3, slug).run();
    } catch (const sql::Error& e) {
        throw StoreError("invalid_input", std::string("cannot create tenant: ") + e.what());
    }
    return t;
}

std::vector<Tenant> SqliteStore::list_tenants() {
    std::lock_guard lk(mu_);
    std::vector<Tenant> out;
    sql::Stmt st(db_, "SELECT id, name, slug, is_active FROM tenants ORDER BY slug");
    while (st.step()) out.push_back(read_tenant(st));
    return out;
}

std::optional<Tenant> SqliteStore::find_tenant(const std::string& key) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "SELECT id, name, slug, is_active FROM tenants WHERE slug = ? OR id = ?");
    st.bind(1, key).bind(2, normalize_uuid(key));
    if (!st.step()) return std::nullopt;
    return read_tenant(st);
}

std::string SqliteStore::add_user(const std::string& tenant_id, const std::string& email, const std::string& name,
                     const std::string& role) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    std::string uid;
    {
        sql::Stmt f(db_, "SELECT id FROM users WHERE email = ?");
        f.bind(1, email);
        if (f.step()) uid = f.text(0);
    }
    try {
        if (uid.empty()) {
            uid = new_uuid_v7();
            sql::Stmt st(db_, "INSERT INTO users(id, email, name) VALUES (?, ?, ?)");
            st.bind(1, uid).bind(2, email).bind_text_or_null(3, name).run();
        }
        sql::Stmt m(db_, "INSERT INTO user_tenants(id, user_id, tenant_id, role) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(user_id, tenant_id) DO UPDATE SET role = excluded.role");
        m.bind(1, new_uuid_v7()).bind(2, uid).bind(3, tenant_id).bind(4, role).run();
    } catch (const sql::Error& e) {
        throw StoreError("invalid_input", std::string("cannot add user: ") + e.what());
    }
    tx.commit();
    return uid;
}

std::string SqliteStore::material_id(const std::string& name) {
    if (name.empty()) return {};
    sql::Stmt st(db_, "SELECT id FROM material_types WHERE lower(name) = lower(?)");
    st.bind(1, name);
    if (!st.step()) throw StoreError("invalid_input", "unknown material type '" + name + "'");
    return st.text(0);
}

Spool SqliteStore::upsert_spool(const std::string& tenant_id, const Spool& in) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    const std::string id = upsert_spool_in_tx(tenant_id, in);
    tx.commit();
    auto out = get_spool_locked(tenant_id, id);
    return *out;
}

std::vector<Spool> SqliteStore::import_spools(const std::string& tenant_id, const std::vector<Spool>& spools) {
    require_distinct_spool_ids(spools);
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);  // rolled back by its destructor when a row throws
    std::vector<std::string> ids;
    ids.reserve(spools.size());
    for (const auto& s : spools) ids.push_back(upsert_spool_in_tx(tenant_id, s));
    std::vector<Spool> out;
    out.reserve(ids.size());
    for (const auto& id : ids) out.push_back(*get_spool_locked(tenant_id, id));
    tx.commit();
    return out;
}

std::string SqliteStore::upsert_spool_in_tx(const std::string& tenant_id, const Spool& in) {
    Spool s = in;
    if (s.material_type_id.empty()) s.material_type_id = material_id(s.material_name);
    std::string id;
    {
        sql::Stmt f(db_, "SELECT id FROM spools WHERE tenant_id = ? AND spool_id = ?");
        f.bind(1, tenant_id).bind(2, s.spool_id);
        if (f.step()) id = f.text(0);
    }
    try {
        if (id.empty()) {
            id = s.id.empty() ? new_uuid_v7() : normalize_uuid(s.id);
            sql::Stmt st(db_, "INSERT INTO spools(id, tenant_id, spool_id, material_type_id, brand, color, color_hex, "
                              "finish_type, purchase_date, purchase_cost, supplier, initial_weight_g, current_weight_g, "
                              "empty_spool_weight_g, lead_time_days, storage_location, notes, qr_code_data, is_active) "
                              "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
            bind_spool(st, id, tenant_id, s);
            st.run();
        } else {
            sql::Stmt st(db_, "UPDATE spools SET id = ?, tenant_id = ?, spool_id = ?, material_type_id = ?, brand = ?, "
                              "color = ?, color_hex = ?, finish_type = ?, purchase_date = ?, purchase_cost = ?, "
                              "supplier = ?, initial_weight_g = ?, current_weight_g = ?, empty_spool_weight_g = ?, "
                              "lead_time_days = ?, storage_location = ?, notes = ?, qr_code_data = ?, is_active = ? "
                              "WHERE id = ?1 AND tenant_id = ?2");
            bind_spool(st, id, tenant_id, s);
            st.run();
        }
    } catch (const sql::Error& e) {
        throw StoreError("invalid_input", std::string("cannot save spool ") + s.spool_id + ": " + e.what());
    }
    return id;
}

void SqliteStore::bind_spool(sql::Stmt& st, const std::string& id, const std::string& tenant_id, const Spool& s) {
    st.bind(1, id).bind(2, tenant_id).bind(3, s.spool_id).bind_text_or_null(4, s.material_type_id);
    st.bind_text_or_null(5, s.brand).bind_text_or_null(6, s.color).bind_text_or_null(7, s.color_hex);
    st.bind_text_or_null(8, s.finish_type).bind_text_or_null(9, s.purchase_date).bind(10, s.purchase_cost);
    st.bind_text_or_null(11, s.supplier).bind(12, s.initial_weight_g).bind(13, s.current_weight_g);
    st.bind(14, s.empty_spool_weight_g).bind(15, s.lead_time_days).bind_text_or_null(16, s.storage_location);
    st.bind_text_or_null(17, s.notes).bind_text_or_null(18, s.qr_code_data).bind(19, s.is_active);
}

bool SqliteStore::delete_spool(const std::string& tenant_id, const std::string& spool_uuid) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "DELETE FROM spools WHERE tenant_id = ? AND id = ?");
    st.bind(1, tenant_id).bind(2, normalize_uuid(spool_uuid)).run();
    return db_.changes() > 0;
}

ReorderSetting SqliteStore::set_reorder(const std::string& tenant_id, const ReorderSetting& in) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    ReorderSetting r = in;
    if (r.material_type_id.empty()) r.material_type_id = material_id(r.material_name);
    std::string id;
    {
        sql::Stmt f(db_, "SELECT id FROM reorder_settings WHERE tenant_id = ? AND ifnull(material_type_id,'') = ? "
                         "AND ifnull(color,'') = ? AND ifnull(brand,'') = ?");
        f.bind(1, tenant_id).bind(2, r.material_type_id).bind(3, r.color).bind(4, r.brand);
        if (f.step()) id = f.text(0);
    }
    const bool insert = id.empty();
    if (insert) id = new_uuid_v7();
    sql::Stmt st(db_, insert ? "INSERT INTO reorder_settings(id, tenant_id, material_type_id, color, brand, avg_daily_usage_grams, "
                               "lead_time_days, safety_stock_days, reorder_point_grams, reorder_quantity_grams, last_calculated_at) "
                               "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
                             : "UPDATE reorder_settings SET material_type_id=?3, color=?4, brand=?5, avg_daily_usage_grams=?6, "
                               "lead_time_days=?7, safety_stock_days=?8, reorder_point_grams=?9, reorder_quantity_grams=?10, "
                               "last_calculated_at=?11 WHERE id=?1 AND tenant_id=?2");
    st.bind(1, id).bind(2, tenant_id).bind_text_or_null(3, r.material_type_id).bind_text_or_null(4, r.color);
    st.bind_text_or_null(5, r.brand).bind(6, r.avg_daily_usage_grams).bind(7, r.lead_time_days);
    st.bind(8, r.safety_stock_days).bind(9, r.reorder_point_grams).bind(10, r.reorder_quantity_grams);
    st.bind_text_or_null(11, r.last_calculated_at);
    try {
        st.run();
    } catch (const sql::Error& e) {
        throw StoreError("invalid_input", std::string("cannot save reorder setting: ") + e.what());
    }
    tx.commit();
    sql::Stmt g(db_, std::string("SELECT ") + kReorderCols +
                         " FROM reorder_settings r LEFT JOIN material_types mt ON mt.id = r.material_type_id WHERE r.id = ?");
    g.bind(1, id);
    g.step();
    return read_reorder(g);
}

bool SqliteStore::delete_reorder(const std::string& tenant_id, const std::string& id) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "DELETE FROM reorder_settings WHERE tenant_id = ? AND id = ?");
    st.bind(1, tenant_id).bind(2, normalize_uuid(id)).run();
    return db_.changes() > 0;
}

std::vector<MaterialType> SqliteStore::materials() {
    std::lock_guard lk(mu_);
    return materials_since(0);
}

void SqliteStore::add_history(const std::string& tenant_id, const std::string& spool_uuid, TransactionType type, int grams,
                 const std::string& notes, const std::string& created_at) {
    std::lock_guard lk(mu_);
    sql::Stmt st(db_, "INSERT INTO inventory_transactions(id, tenant_id, spool_id, transaction_type, quantity_grams, "
                      "reference_type, notes, created_at) SELECT ?, tenant_id, id, ?, ?, 'manual', ?, ? FROM spools "
                      "WHERE tenant_id = ? AND id = ?");
    st.bind(1, new_uuid_v7()).bind(2, std::string(to_string(type))).bind(3, grams).bind_text_or_null(4, notes);
    st.bind(5, created_at).bind(6, tenant_id).bind(7, normalize_uuid(spool_uuid)).run();
    if (db_.changes() == 0) throw StoreError("not_found", "no such spool in this tenant");
}

}  // namespace batchivo::central::sqlite_impl
