// SQLite store, ProductStore and LabelStore parts: products with their BOM lines and components, and which spools
// still need a label. The PostgreSQL twin is pg/pg_product_store.cpp; both answer the same way.
#include "sync/central/store/sqlite/sqlite_store.hpp"

#include "sync/domain/text.hpp"

namespace batchivo::central::sqlite_impl {

void SqliteStore::bump_catalog_seq(const std::string& tenant_id) {
    sql::Stmt ins(db_, "INSERT OR IGNORE INTO catalog_counters(tenant_id, seq) VALUES (?, 0)");
    ins.bind(1, tenant_id).run();
    sql::Stmt up(db_, "UPDATE catalog_counters SET seq = seq + 1 WHERE tenant_id = ?");
    up.bind(1, tenant_id).run();
}

std::vector<Product> SqliteStore::products(const std::string& tenant_id, bool include_inactive) {
    std::lock_guard lk(mu_);
    return products_locked(tenant_id, include_inactive);
}

std::vector<Product> SqliteStore::products_locked(const std::string& tenant_id, bool include_inactive) {
    std::vector<Product> out;
    std::map<std::string, size_t> index;
    {
        sql::Stmt st(db_, std::string("SELECT id, sku, name, description, category, labor_hours, labor_rate, "
                                      "include_overhead, overhead_rate, is_active, updated_at FROM products "
                                      "WHERE tenant_id = ?") +
                              (include_inactive ? "" : " AND is_active = 1") + " ORDER BY sku");
        st.bind(1, tenant_id);
        while (st.step()) {
            Product p;
            p.id = st.text(0);
            p.tenant_id = tenant_id;
            p.sku = st.text(1);
            p.name = st.text(2);
            p.description = st.text(3);
            p.category = st.text(4);
            p.labor_hours = st.opt_f64(5).value_or(0);
            p.labor_rate = st.opt_f64(6);
            p.include_overhead = st.i64(7) != 0;
            p.overhead_rate = st.opt_f64(8);
            p.is_active = st.i64(9) != 0;
            p.updated_at = st.text(10);
            index[p.id] = out.size();
            out.push_back(std::move(p));
        }
    }
    {
        sql::Stmt st(db_, "SELECT pm.product_id, pm.spool_id, s.spool_id, pm.weight_grams, pm.material_slot "
                          "FROM product_materials pm LEFT JOIN spools s ON s.id = pm.spool_id "
                          "WHERE pm.tenant_id = ? ORDER BY pm.product_id, pm.id");
        st.bind(1, tenant_id);
        while (st.step()) {
            auto it = index.find(st.text(0));
            if (it == index.end()) continue;
            out[it->second].materials.push_back(
                {st.text(1), st.text(2), static_cast<int>(st.i64(3)), st.text(4)});
        }
    }
    {
        sql::Stmt st(db_, "SELECT product_id, component_name, quantity, unit_cost FROM product_components "
                          "WHERE tenant_id = ? ORDER BY product_id, id");
        st.bind(1, tenant_id);
        while (st.step()) {
            auto it = index.find(st.text(0));
            if (it == index.end()) continue;
            out[it->second].components.push_back({st.text(1), static_cast<int>(st.i64(2)), st.f64(3)});
        }
    }
    return out;
}

std::vector<Product> SqliteStore::save_products(const std::string& tenant_id, const std::vector<Product>& ps,
                                                bool replace) {
    validate_products(ps);
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);  // rolled back by its destructor when anything throws
    const std::string now = iso8601_utc_ms(now_epoch_ms());
    for (const auto& in : ps) {
        const std::string sku(trim(in.sku));
        // Resolve every spool first: a missing one names the line.
        std::vector<std::string> spool_ids;
        for (const auto& m : in.materials) {
            sql::Stmt f(db_, m.spool_uuid.empty()
                                 ? "SELECT id FROM spools WHERE tenant_id = ? AND spool_id = ? COLLATE NOCASE"
                                 : "SELECT id FROM spools WHERE tenant_id = ? AND id = ?");
            f.bind(1, tenant_id).bind(2, m.spool_uuid.empty() ? m.spool_label : normalize_uuid(m.spool_uuid));
            if (!f.step())
                throw StoreError("not_found", "product " + sku + ": no spool '" +
                                                  (m.spool_uuid.empty() ? m.spool_label : m.spool_uuid) +
                                                  "' in this tenant");
            spool_ids.push_back(f.text(0));
        }
        std::string id;
        {
            sql::Stmt f(db_, "SELECT id FROM products WHERE tenant_id = ? AND sku = ? COLLATE NOCASE");
            f.bind(1, tenant_id).bind(2, sku);
            if (f.step()) id = f.text(0);
        }
        if (!id.empty() && !replace)
            throw StoreError("conflict", "product " + sku + " already exists (use `product import` to replace it)");
        try {
            if (id.empty()) {
                id = new_uuid_v7();
                sql::Stmt st(db_, "INSERT INTO products(id, tenant_id, sku, name, description, category, labor_hours, "
                                  "labor_rate, include_overhead, overhead_rate, is_active, updated_at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
                st.bind(1, id).bind(2, tenant_id).bind(3, sku).bind(4, in.name).bind_text_or_null(5, in.description);
                st.bind_text_or_null(6, in.category).bind(7, in.labor_hours).bind(8, in.labor_rate);
                st.bind(9, in.include_overhead).bind(10, in.overhead_rate).bind(11, in.is_active).bind(12, now);
                st.run();
            } else {
                sql::Stmt st(db_, "UPDATE products SET name = ?, description = ?, category = ?, labor_hours = ?, "
                                  "labor_rate = ?, include_overhead = ?, overhead_rate = ?, is_active = ?, updated_at = ? "
                                  "WHERE id = ? AND tenant_id = ?");
                st.bind(1, in.name).bind_text_or_null(2, in.description).bind_text_or_null(3, in.category);
                st.bind(4, in.labor_hours).bind(5, in.labor_rate).bind(6, in.include_overhead);
                st.bind(7, in.overhead_rate).bind(8, in.is_active).bind(9, now).bind(10, id).bind(11, tenant_id);
                st.run();
                for (const char* t : {"product_materials", "product_components"}) {
                    sql::Stmt d(db_, std::string("DELETE FROM ") + t + " WHERE tenant_id = ? AND product_id = ?");
                    d.bind(1, tenant_id).bind(2, id).run();
                }
            }
            const auto ids = ordered_ids(in.materials.size() + in.components.size());
            size_t next_id = 0;
            for (size_t i = 0; i < in.materials.size(); ++i) {
                const auto& m = in.materials[i];
                sql::Stmt st(db_, "INSERT INTO product_materials(id, tenant_id, product_id, spool_id, weight_grams, "
                                  "material_slot) VALUES (?,?,?,?,?,?)");
                st.bind(1, ids[next_id++]).bind(2, tenant_id).bind(3, id).bind(4, spool_ids[i]);
                st.bind(5, m.grams_per_unit).bind_text_or_null(6, m.slot).run();
            }
            for (const auto& c : in.components) {
                sql::Stmt st(db_, "INSERT INTO product_components(id, tenant_id, product_id, component_name, quantity, "
                                  "unit_cost) VALUES (?,?,?,?,?,?)");
                st.bind(1, ids[next_id++]).bind(2, tenant_id).bind(3, id).bind(4, std::string(trim(c.name)));
                st.bind(5, c.quantity).bind(6, c.unit_cost).run();
            }
        } catch (const sql::Error& e) {
            throw StoreError("invalid_input", "cannot save product " + sku + ": " + e.what());
        }
    }
    bump_catalog_seq(tenant_id);
    auto all = products_locked(tenant_id, true);
    tx.commit();
    std::vector<Product> out;
    for (const auto& in : ps)
        if (const Product* p = find_product(all, in.sku)) out.push_back(*p);
    return out;
}

Product SqliteStore::add_component(const std::string& tenant_id, const std::string& sku, const ProductComponent& c) {
    Product probe;
    probe.sku = sku;
    probe.name = sku;  // only the component is checked here
    probe.components.push_back(c);
    validate_products({probe});
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    std::string id;
    {
        sql::Stmt f(db_, "SELECT id FROM products WHERE tenant_id = ? AND sku = ? COLLATE NOCASE");
        f.bind(1, tenant_id).bind(2, std::string(trim(sku)));
        if (f.step()) id = f.text(0);
    }
    if (id.empty()) throw StoreError("not_found", "no product " + sku + " in this tenant (see `product list`)");
    std::string last;
    {
        sql::Stmt m(db_, "SELECT ifnull(max(id), '') FROM product_components WHERE tenant_id = ? AND product_id = ?");
        m.bind(1, tenant_id).bind(2, id);
        if (m.step()) last = m.text(0);
    }
    sql::Stmt st(db_, "INSERT INTO product_components(id, tenant_id, product_id, component_name, quantity, unit_cost) "
                      "VALUES (?,?,?,?,?,?)");
    st.bind(1, id_after(last)).bind(2, tenant_id).bind(3, id).bind(4, std::string(trim(c.name)));
    st.bind(5, c.quantity).bind(6, c.unit_cost).run();
    sql::Stmt up(db_, "UPDATE products SET updated_at = ? WHERE id = ?");
    up.bind(1, iso8601_utc_ms(now_epoch_ms())).bind(2, id).run();
    bump_catalog_seq(tenant_id);
    auto all = products_locked(tenant_id, true);
    tx.commit();
    return *find_product(all, sku);
}

std::vector<Spool> SqliteStore::unlabeled_spools(const std::string& tenant_id) {
    std::lock_guard lk(mu_);
    std::vector<Spool> out;
    sql::Stmt st(db_, std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                      "mt.id = s.material_type_id WHERE s.tenant_id = ? AND s.is_active = 1 AND "
                      "(s.qr_code_data IS NULL OR s.qr_code_data = '') ORDER BY s.spool_id");
    st.bind(1, tenant_id);
    while (st.step()) out.push_back(read_spool(st));
    return out;
}

int SqliteStore::mark_labeled(const std::string& tenant_id,
                              const std::vector<std::pair<std::string, std::string>>& uuid_payloads) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(db_);
    int n = 0;
    for (const auto& [uuid, payload] : uuid_payloads) {
        sql::Stmt st(db_, "UPDATE spools SET qr_code_data = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND "
                          "(qr_code_data IS NULL OR qr_code_data = '')");
        st.bind(1, payload).bind(2, iso8601_utc_ms(now_epoch_ms())).bind(3, tenant_id).bind(4, normalize_uuid(uuid));
        st.run();
        n += static_cast<int>(db_.changes());
    }
    tx.commit();
    return n;
}

}  // namespace batchivo::central::sqlite_impl
