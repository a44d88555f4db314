#include "sync/central/store/pg/role_check.hpp"

#include "sync/central/store/pg/pg.hpp"
#include "sync/central/store/store.hpp"

namespace batchivo::central {

namespace {
constexpr const char* kTenantTablesSql =
    "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, pg_has_role(current_user, c.relowner, 'MEMBER'), "
    "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() AND (c.relname = 'tenants' OR EXISTS ("
    "SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)) "
    "ORDER BY c.relname";
}

std::vector<std::string> tenant_tables(const std::string& conninfo) {
    pg::Conn c(conninfo);
    auto r = c.query(kTenantTablesSql);
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
}

std::vector<std::string> check_app_role(const std::string& conninfo) {
    std::vector<std::string> problems;
    pg::Conn c(conninfo);
    auto role = c.query("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
    if (role.rows() != 1) return {"cannot read the current role"};
    const std::string me = role.text(0, 0);
    if (role.boolean(0, 1)) problems.push_back("role " + me + " is a superuser (superusers bypass row-level security)");
    if (role.boolean(0, 2)) problems.push_back("role " + me + " has BYPASSRLS");
    auto t = c.query(kTenantTablesSql);
    bool has_spools = false;
    for (int i = 0; i < t.rows(); ++i) {
        const std::string name = t.text(i, 0);
        if (name == "spools") has_spools = true;
        if (!t.boolean(i, 1)) problems.push_back("table " + name + " does not have row-level security enabled");
        if (!t.boolean(i, 2)) problems.push_back("table " + name + " does not FORCE row-level security");
        if (t.boolean(i, 3)) problems.push_back("role " + me + " owns (or is a member of the owner of) table " + name);
        if (t.i64(i, 4) == 0) problems.push_back("table " + name + " has no RLS policy");
    }
    if (!has_spools) problems.push_back("schema is not migrated (run `batchivo-central migrate` as the owner)");
    return problems;
}

void create_app_role(const std::string& owner_conninfo, const std::string& role, const std::string& password) {
    if (role.empty()) throw StoreError("invalid_input", "role name must not be empty");
    pg::Conn c(owner_conninfo);
    pg::Tx tx(c);
    auto exists = c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", {role});
    // CREATE ROLE's defaults are NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION (naming them would
    // need superuser on ALTER); check_app_role() verifies the result before `serve` uses it.
    const char* verb = exists.rows() ? "ALTER" : "CREATE";
    auto sql = c.query(std::string("SELECT format('") + verb + " ROLE %I WITH LOGIN PASSWORD %L', $1::text, $2::text)",
                       {role, password});
    c.exec(sql.text(0, 0));
    auto q = [&](const std::string& fmt) {
        auto s = c.query("SELECT format($1, $2::text, current_database(), current_schema())", {fmt, role});
        c.exec(s.text(0, 0));
    };
    q("GRANT CONNECT ON DATABASE %2$I TO %1$I");
    q("GRANT USAGE ON SCHEMA %3$I TO %1$I");
    q("GRANT SELECT ON material_types, spool_inventory_status TO %1$I");
    q("GRANT SELECT ON tenants TO %1$I");
    for (const auto& t : std::vector<std::string>{"spools", "inventory_transactions", "products", "product_materials",
                                                  "product_components", "sales_channels", "product_pricing", "orders",
                                                  "suppliers", "purchases", "purchase_items", "reorder_settings",
                                                  "user_tenants", "devices", "catalog_counters", "catalog_tombstones"})
        q("GRANT SELECT, INSERT, UPDATE, DELETE ON " + t + " TO %1$I");
    q("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %3$I TO %1$I");
    q("GRANT EXECUTE ON FUNCTION central_auth_device(text), central_redeem_pairing(text, text, text) TO %1$I");
    tx.commit();
}

}  // namespace batchivo::central
