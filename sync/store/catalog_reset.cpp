// The station store's catalog source and its reset on a change of target (station_store.hpp has the contract;
// docs/TARGETS.md "Switching targets" the reasoning).
#include "sync/domain/text.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo {

std::string StationStore::catalog_source_key(std::string_view kind, std::string_view url, std::string_view tenant_id) {
    std::string u(trim(url));
    while (!u.empty() && u.back() == '/') u.pop_back();
    if (u.empty()) return {};
    return to_lower(std::string(trim(kind))) + " " + u + " " + to_lower(std::string(trim(tenant_id)));
}

StationStore::CatalogReset StationStore::reset_catalog_for_target(const std::string& source,
                                                                  const std::string& assumed_previous) {
    std::lock_guard lk(mu_);
    CatalogReset out;
    sql::Transaction tx(*db_);
    std::optional<std::string> stored;
    {
        sql::Stmt st(*db_, "SELECT value FROM meta WHERE key = 'catalog_source'");
        if (st.step()) stored = st.text(0);
    }
    out.previous_source = stored && !stored->empty() ? *stored : assumed_previous;
    auto set_source = [&] {
        sql::Stmt st(*db_, "INSERT INTO meta(key, value) VALUES('catalog_source', ?1) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        st.bind(1, source).run();
    };
    if (!out.previous_source.empty() && out.previous_source == source) {
        set_source();
        tx.commit();
        return out;
    }
    // Spools that unconfirmed records refer to stay (their records are still going out); the others go.
    const char* kUnconfirmed =
        "SELECT lower(t.spool_uuid) FROM transactions t WHERE t.state IN ('pending', 'sent')";
    const char* kCreatedHere =
        "SELECT lower(n.spool_uuid) FROM new_spools n JOIN transactions t ON t.id = n.record_id "
        "WHERE t.state IN ('pending', 'sent')";
    out.spools_kept = db_->query_int(std::string("SELECT COUNT(*) FROM spools WHERE id IN (") + kUnconfirmed + ")")
                          .value_or(0);
    int64_t gone = 0;
    auto run = [&](const std::string& sql) {
        db_->exec(sql);
        return db_->changes();
    };
    out.spools_removed = run(std::string("DELETE FROM spools WHERE id NOT IN (") + kUnconfirmed + ")");
    gone += out.spools_removed;
    run(std::string("UPDATE spools SET is_active = 0 WHERE id NOT IN (") + kCreatedHere + ")");
    gone += run("DELETE FROM reorder_settings");
    gone += run("DELETE FROM products");  // BOM lines and components cascade
    gone += run("DELETE FROM purchase_lines");
    gone += run("DELETE FROM material_types WHERE id NOT IN "
                "(SELECT material_type_id FROM spools WHERE material_type_id IS NOT NULL)");
    gone += run("DELETE FROM meta WHERE key LIKE 'catalog%' AND key <> 'catalog_source'");
    set_source();
    tx.commit();
    out.cleared = gone > 0 || out.spools_kept > 0;  // an empty cache just takes the source
    return out;
}

}  // namespace batchivo
