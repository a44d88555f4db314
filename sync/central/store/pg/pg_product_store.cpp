// PostgreSQL store, ProductStore and LabelStore parts: products with their BOM lines and components, and which
// spools still need a label. Every call runs in a transaction scoped to the tenant (forced RLS). The SQLite twin
// is sqlite/sqlite_product_store.cpp; both answer the same way.
#include "sync/central/store/pg/pg_store.hpp"

#include "sync/domain/text.hpp"

namespace batchivo::central::pg_impl {

std::vector<Product> PgStore::products(const std::string& tenant_id, bool include_inactive) {
    auto c = pool_.get();
    pg::Tx tx(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    set_tenant(*c, tenant_id);
    auto out = products_in(*c, tenant_id, include_inactive);
    tx.commit();
    return out;
}

std::vector<Product> PgStore::products_in(pg::Conn& c, const std::string& tenant_id, bool include_inactive) {
    std::vector<Product> out;
    std::map<std::string, size_t> index;
    auto r = c.query(std::string("SELECT id, sku, name, description, category, labor_hours, labor_rate, include_overhead, "
                                 "overhead_rate, is_active, iso_utc(updated_at) FROM products WHERE tenant_id = $1") +
                         (include_inactive ? "" : " AND is_active") + " ORDER BY sku COLLATE \"C\"",
                     {P(tenant_id)});
    for (int i = 0; i < r.rows(); ++i) {
        Product p;
        p.id = r.text(i, 0);
        p.tenant_id = tenant_id;
        p.sku = r.text(i, 1);
        p.name = r.text(i, 2);
        p.description = r.text(i, 3);
        p.category = r.text(i, 4);
        p.labor_hours = r.opt_f64(i, 5).value_or(0);
        p.labor_rate = r.opt_f64(i, 6);
        p.include_overhead = r.boolean(i, 7);
        p.overhead_rate = r.opt_f64(i, 8);
        p.is_active = r.boolean(i, 9);
        p.updated_at = r.text(i, 10);
        index[p.id] = out.size();
        out.push_back(std::move(p));
    }
    // Lines in insertion order: ids are UUIDv7 (time-ordered) when this program wrote them.
    auto m = c.query("SELECT pm.product_id, pm.spool_id, s.spool_id, pm.weight_grams, pm.material_slot "
                     "FROM product_materials pm LEFT JOIN spools s ON s.id = pm.spool_id "
                     "WHERE pm.tenant_id = $1 ORDER BY pm.product_id, pm.id",
                     {P(tenant_id)});
    for (int i = 0; i < m.rows(); ++i) {
        auto it = index.find(m.text(i, 0));
        if (it == index.end()) continue;
        out[it->second].materials.push_back({m.text(i, 1), m.text(i, 2), m.i32(i, 3), m.text(i, 4)});
    }
    auto k = c.query("SELECT product_id, component_name, quantity, unit_cost FROM product_components "
                     "WHERE tenant_id = $1 ORDER BY product_id, id",
                     {P(tenant_id)});
    for (int i = 0; i < k.rows(); ++i) {
        auto it = index.find(k.text(i, 0));
        if (it == index.end()) continue;
        out[it->second].components.push_back({k.text(i, 1), k.i32(i, 2), k.f64(i, 3)});
    }
    return out;
}

std::vector<Product> PgStore::save_products(const std::string& tenant_id, const std::vector<Product>& ps, bool replace) {
    validate_products(ps);
    auto c = pool_.get();
    pg::Tx tx(*c);  // rolled back by its destructor when anything throws
    set_tenant(*c, tenant_id);
    const Param t = P(tenant_id);
    for (const auto& in : ps) {
        const std::string sku(trim(in.sku));
        std::vector<std::string> spool_ids;
        for (const auto& mat : in.materials) {
            auto r = mat.spool_uuid.empty()
                         ? c->query("SELECT id FROM spools WHERE tenant_id = $1 AND lower(spool_id) = lower($2)",
                                    {t, P(mat.spool_label)})
                         : c->query("SELECT id FROM spools WHERE tenant_id = $1 AND id::text = $2",
                                    {t, P(normalize_uuid(mat.spool_uuid))});
            if (r.rows() == 0)
                throw StoreError("not_found", "product " + sku + ": no spool '" +
                                                  (mat.spool_uuid.empty() ? mat.spool_label : mat.spool_uuid) +
                                                  "' in this tenant");
            spool_ids.push_back(r.text(0, 0));
        }
        auto f = c->query("SELECT id FROM products WHERE tenant_id = $1 AND lower(sku) = lower($2)", {t, P(sku)});
        std::string id = f.rows() ? f.text(0, 0) : "";
        if (!id.empty() && !replace)
            throw StoreError("conflict", "product " + sku + " already exists (use `product import` to replace it)");
        try {
            const Param hours = PD(in.labor_hours), rate = in.labor_rate ? PD(*in.labor_rate) : Param(),
                        over = in.overhead_rate ? PD(*in.overhead_rate) : Param();
            if (id.empty()) {
                id = new_uuid_v7();
                c->query("INSERT INTO products(id, tenant_id, sku, name, description, category, labor_hours, labor_rate, "
                         "include_overhead, overhead_rate, is_active) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                         {P(id), t, P(sku), P(in.name), PN(in.description), PN(in.category), hours, rate,
                          P(in.include_overhead ? "true" : "false"), over, P(in.is_active ? "true" : "false")});
            } else {
                c->query("UPDATE products SET name = $3, description = $4, category = $5, labor_hours = $6, "
                         "labor_rate = $7, include_overhead = $8, overhead_rate = $9, is_active = $10, updated_at = NOW() "
                         "WHERE id = $1 AND tenant_id = $2",
                         {P(id), t, P(in.name), PN(in.description), PN(in.category), hours, rate,
                          P(in.include_overhead ? "true" : "false"), over, P(in.is_active ? "true" : "false")});
                c->query("DELETE FROM product_materials WHERE tenant_id = $1 AND product_id = $2", {t, P(id)});
                c->query("DELETE FROM product_components WHERE tenant_id = $1 AND product_id = $2", {t, P(id)});
            }
            const auto ids = ordered_ids(in.materials.size() + in.components.size());
            size_t next_id = 0;
            for (size_t i = 0; i < in.materials.size(); ++i)
                c->query("INSERT INTO product_materials(id, tenant_id, product_id, spool_id, weight_grams, material_slot) "
                         "VALUES ($1,$2,$3,$4,$5,$6)",
                         {P(ids[next_id++]), t, P(id), P(spool_ids[i]), PI(static_cast<long long>(in.materials[i].grams_per_unit)),
                          PN(in.materials[i].slot)});
            for (const auto& comp : in.components)
                c->query("INSERT INTO product_components(id, tenant_id, product_id, component_name, quantity, unit_cost) "
                         "VALUES ($1,$2,$3,$4,$5,$6)",
                         {P(ids[next_id++]), t, P(id), P(std::string(trim(comp.name))),
                          PI(static_cast<long long>(comp.quantity)), PD(comp.unit_cost)});
        } catch (const pg::Error& e) {
            throw StoreError("invalid_input", "cannot save product " + sku + ": " + e.what());
        }
    }
    c->query("SELECT bump_catalog_seq($1)", {t});
    auto all = products_in(*c, tenant_id, true);
    tx.commit();
    std::vector<Product> out;
    for (const auto& in : ps)
        if (const Product* p = find_product(all, in.sku)) out.push_back(*p);
    return out;
}

Product PgStore::add_component(const std::string& tenant_id, const std::string& sku, const ProductComponent& comp) {
    Product probe;
    probe.sku = sku;
    probe.name = sku;  // only the component is checked here
    probe.components.push_back(comp);
    validate_products({probe});
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    const Param t = P(tenant_id);
    auto f = c->query("SELECT id FROM products WHERE tenant_id = $1 AND lower(sku) = lower($2)",
                      {t, P(std::string(trim(sku)))});
    if (f.rows() == 0) throw StoreError("not_found", "no product " + sku + " in this tenant (see `product list`)");
    const std::string id = f.text(0, 0);
    const std::string last = c->query("SELECT coalesce(max(id::text), '') FROM product_components WHERE tenant_id = $1 "
                                      "AND product_id = $2",
                                      {t, P(id)})
                                 .text(0, 0);
    c->query("INSERT INTO product_components(id, tenant_id, product_id, component_name, quantity, unit_cost) "
             "VALUES ($1,$2,$3,$4,$5,$6)",
             {P(id_after(last)), t, P(id), P(std::string(trim(comp.name))), PI(static_cast<long long>(comp.quantity)),
              PD(comp.unit_cost)});
    c->query("UPDATE products SET updated_at = NOW() WHERE id = $1 AND tenant_id = $2", {P(id), t});
    c->query("SELECT bump_catalog_seq($1)", {t});
    auto all = products_in(*c, tenant_id, true);
    tx.commit();
    return *find_product(all, sku);
}

std::vector<Spool> PgStore::unlabeled_spools(const std::string& tenant_id) {
    auto c = pool_.get();
    pg::Tx tx(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    set_tenant(*c, tenant_id);
    auto r = c->query(std::string("SELECT ") + kSpoolCols + " FROM spools s LEFT JOIN material_types mt ON "
                          "mt.id = s.material_type_id WHERE s.tenant_id = $1 AND s.is_active AND "
                          "coalesce(s.qr_code_data, '') = '' ORDER BY s.spool_id COLLATE \"C\"",
                      {P(tenant_id)});
    std::vector<Spool> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_spool(r, i));
    tx.commit();
    return out;
}

int PgStore::mark_labeled(const std::string& tenant_id,
                          const std::vector<std::pair<std::string, std::string>>& uuid_payloads) {
    auto c = pool_.get();
    pg::Tx tx(*c);
    set_tenant(*c, tenant_id);
    long long n = 0;
    for (const auto& [uuid, payload] : uuid_payloads) {
        auto r = c->query("UPDATE spools SET qr_code_data = $3, updated_at = NOW() WHERE tenant_id = $1 AND id::text = $2 "
                          "AND coalesce(qr_code_data, '') = ''",
                          {P(tenant_id), P(normalize_uuid(uuid)), P(payload)});
        n += r.affected();
    }
    tx.commit();
    return static_cast<int>(n);
}

}  // namespace batchivo::central::pg_impl
