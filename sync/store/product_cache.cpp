// The station store's product cache: products with their BOM lines and components as the catalog last sent them
// (station_store.hpp has the contract). Read offline by `product check` and the Stock screen's Products view.
#include <algorithm>
#include <map>

#include "sync/domain/text.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo {

namespace {

std::vector<Product> load_products(sql::Db& db, const std::string& where, const std::string& arg) {
    std::vector<Product> out;
    std::map<std::string, size_t> index;
    {
        sql::Stmt st(db, "SELECT id, sku, name, description, category, labor_hours, labor_rate, include_overhead, "
                         "overhead_rate, is_active, updated_at FROM products " + where + " ORDER BY sku COLLATE NOCASE");
        if (!arg.empty()) st.bind(1, arg);
        while (st.step()) {
            Product p;
            p.id = st.text(0);
            p.sku = st.text(1);
            p.name = st.text(2);
            p.description = st.text(3);
            p.category = st.text(4);
            p.labor_hours = st.f64(5);
            p.labor_rate = st.opt_f64(6);
            p.include_overhead = st.i64(7) != 0;
            p.overhead_rate = st.opt_f64(8);
            p.is_active = st.i64(9) != 0;
            p.updated_at = st.text(10);
            index[p.id] = out.size();
            out.push_back(std::move(p));
        }
    }
    if (out.empty()) return out;
    {
        sql::Stmt st(db, "SELECT product_id, spool_uuid, spool_label, grams_per_unit, slot FROM product_materials "
                         "ORDER BY product_id, position");
        while (st.step())
            if (auto it = index.find(st.text(0)); it != index.end())
                out[it->second].materials.push_back({st.text(1), st.text(2), static_cast<int>(st.i64(3)), st.text(4)});
    }
    {
        sql::Stmt st(db, "SELECT product_id, name, quantity, unit_cost FROM product_components ORDER BY product_id, position");
        while (st.step())
            if (auto it = index.find(st.text(0)); it != index.end())
                out[it->second].components.push_back({st.text(1), static_cast<int>(st.i64(2)), st.f64(3)});
    }
    return out;
}

}  // namespace

void StationStore::replace_products(const std::vector<Product>& products) {
    std::lock_guard lk(mu_);
    sql::Transaction tx(*db_);
    db_->exec("DELETE FROM product_materials; DELETE FROM product_components; DELETE FROM products;");
    sql::Stmt ip(*db_, "INSERT INTO products(id, sku, name, description, category, labor_hours, labor_rate, "
                       "include_overhead, overhead_rate, is_active, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    sql::Stmt im(*db_, "INSERT INTO product_materials(product_id, position, spool_uuid, spool_label, grams_per_unit, slot) "
                       "VALUES (?,?,?,?,?,?)");
    sql::Stmt ic(*db_, "INSERT INTO product_components(product_id, position, name, quantity, unit_cost) VALUES (?,?,?,?,?)");
    for (const auto& p : products) {
        ip.reset();
        ip.bind(1, to_lower(p.id)).bind(2, p.sku).bind(3, p.name).bind(4, p.description).bind(5, p.category);
        ip.bind(6, p.labor_hours).bind(7, p.labor_rate).bind(8, p.include_overhead).bind(9, p.overhead_rate);
        ip.bind(10, p.is_active).bind(11, p.updated_at);
        ip.run();
        for (size_t i = 0; i < p.materials.size(); ++i) {
            const auto& m = p.materials[i];
            im.reset();
            im.bind(1, to_lower(p.id)).bind(2, static_cast<int64_t>(i)).bind(3, to_lower(m.spool_uuid));
            im.bind(4, m.spool_label).bind(5, m.grams_per_unit).bind(6, m.slot);
            im.run();
        }
        for (size_t i = 0; i < p.components.size(); ++i) {
            const auto& c = p.components[i];
            ic.reset();
            ic.bind(1, to_lower(p.id)).bind(2, static_cast<int64_t>(i)).bind(3, c.name).bind(4, c.quantity);
            ic.bind(5, c.unit_cost);
            ic.run();
        }
    }
    tx.commit();
}

std::vector<Product> StationStore::products() {
    std::lock_guard lk(mu_);
    return load_products(*db_, "", "");
}

std::optional<Product> StationStore::product_by_sku(const std::string& sku) {
    std::lock_guard lk(mu_);
    auto v = load_products(*db_, "WHERE sku = ?1 COLLATE NOCASE", std::string(trim(sku)));
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Product> StationStore::search_products(const std::string& text, int limit) {
    const std::string q = to_lower(trim(text));
    std::vector<Product> all = products();
    std::vector<Product> out;
    for (auto& p : all)
        if (q.empty() || to_lower(p.sku).find(q) != std::string::npos || to_lower(p.name).find(q) != std::string::npos)
            out.push_back(std::move(p));
    std::stable_sort(out.begin(), out.end(), [&](const Product& a, const Product& b) {
        return (to_lower(a.sku) == q) > (to_lower(b.sku) == q);
    });
    if (limit >= 0 && out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
    return out;
}

}  // namespace batchivo
