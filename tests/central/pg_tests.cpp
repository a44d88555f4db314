// PostgreSQL-only tests: migrations, the seed's view and functions, forced RLS on every tenant table through the
// non-owner application role, and the start-up safety check.
#include <catch2/catch.hpp>

#include <algorithm>

#include "central_test_util.hpp"
#include "sync/central/store/pg/pg.hpp"
#include "sync/central/store/pg/role_check.hpp"
#include "sync/domain/stock.hpp"

using namespace batchivo;
using namespace batchivo::central;

namespace {

const std::string A = "aaaaaaaa-0000-4000-8000-000000000001", B = "bbbbbbbb-0000-4000-8000-000000000001";

// One row per tenant in every tenant table (inserted by the owner, who bypasses RLS).
const char* kFixture = R"SQL(
INSERT INTO tenants(id, name, slug) VALUES ('{A}', 'A', 'ta'), ('{B}', 'B', 'tb');
INSERT INTO users(id, email) VALUES ('{A}', 'a@example.com'), ('{B}', 'b@example.com');
INSERT INTO user_tenants(user_id, tenant_id) VALUES ('{A}', '{A}'), ('{B}', '{B}');
INSERT INTO suppliers(id, tenant_id, name) VALUES ('{A}', '{A}', 's'), ('{B}', '{B}', 's');
INSERT INTO spools(id, tenant_id, spool_id, initial_weight_g, current_weight_g, purchase_cost, supplier_id)
    VALUES ('{A}', '{A}', 'X', 1000, 500, 20, '{A}'), ('{B}', '{B}', 'X', 1000, 500, 20, '{B}');
INSERT INTO inventory_transactions(tenant_id, spool_id, transaction_type, quantity_grams)
    VALUES ('{A}', '{A}', 'usage', -1), ('{B}', '{B}', 'usage', -1);
INSERT INTO products(id, tenant_id, sku, name, labor_hours, labor_rate, include_overhead, overhead_rate)
    VALUES ('{A}', '{A}', 'P', 'p', 1.5, 10, true, 2), ('{B}', '{B}', 'P', 'p', 1, 10, false, 0);
INSERT INTO product_materials(tenant_id, product_id, spool_id, weight_grams)
    VALUES ('{A}', '{A}', '{A}', 100), ('{B}', '{B}', '{B}', 100);
INSERT INTO product_components(tenant_id, product_id, component_name, quantity, unit_cost)
    VALUES ('{A}', '{A}', 'magnet', 2, 0.5), ('{B}', '{B}', 'magnet', 2, 0.5);
INSERT INTO sales_channels(id, tenant_id, name, fee_type) VALUES ('{A}', '{A}', 'etsy', 'percentage'), ('{B}', '{B}', 'etsy', 'percentage');
INSERT INTO product_pricing(tenant_id, product_id, sales_channel_id) VALUES ('{A}', '{A}', '{A}'), ('{B}', '{B}', '{B}');
INSERT INTO orders(tenant_id, order_number, order_date, product_id, item_price, total_sale)
    VALUES ('{A}', '1', '2026-01-01', '{A}', 1, 1), ('{B}', '1', '2026-01-01', '{B}', 1, 1);
INSERT INTO purchases(id, tenant_id, order_date) VALUES ('{A}', '{A}', '2026-01-01'), ('{B}', '{B}', '2026-01-01');
INSERT INTO purchase_items(tenant_id, purchase_id, quantity, unit_cost, total_cost) VALUES ('{A}', '{A}', 1, 1, 1), ('{B}', '{B}', 1, 1, 1);
INSERT INTO reorder_settings(tenant_id, lead_time_days) VALUES ('{A}', 5), ('{B}', 5);
INSERT INTO devices(tenant_id, name, token_hash) VALUES ('{A}', 'd', repeat('a', 64)), ('{B}', 'd', repeat('b', 64));
INSERT INTO pairing_codes(tenant_id, code_hash, station_name, expires_at)
    VALUES ('{A}', repeat('c', 64), 's', now()), ('{B}', repeat('d', 64), 's', now());
INSERT INTO spools(tenant_id, spool_id, initial_weight_g, current_weight_g) VALUES ('{A}', 'DEL', 1, 1), ('{B}', 'DEL', 1, 1);
DELETE FROM spools WHERE spool_id = 'DEL';
)SQL";

std::string fill(std::string s) {
    for (auto [k, v] : {std::pair{std::string("{A}"), A}, std::pair{std::string("{B}"), B}}) {
        for (size_t p; (p = s.find(k)) != std::string::npos;) s.replace(p, k.size(), v);
    }
    return s;
}

std::string tenant_column(const std::string& table) { return table == "tenants" ? "id" : "tenant_id"; }

// Runs `sql` as the app role in its own transaction with the tenant set (or not); returns the SQLSTATE of the
// error, or "" on success with the first value in *out.
std::string try_sql(pg::Conn& c, const std::optional<std::string>& tenant, const std::string& sql, std::string* out = nullptr,
                    long long* affected = nullptr) {
    pg::Tx tx(c);
    try {
        if (tenant) c.query("SELECT set_config('app.current_tenant_id', $1, true)", {*tenant});
        auto r = c.query(sql);
        if (out && r.rows() > 0) *out = r.text(0, 0);
        if (affected) *affected = r.affected();
        tx.commit();
        return "";
    } catch (const pg::Error& e) {
        return e.sqlstate.empty() ? "error" : e.sqlstate;
    }
}

}  // namespace

TEST_CASE("migrations are versioned, idempotent and atomic", "[pg]") {
    const auto db = ct::make_pg_db();
    auto owner = open_store(db.owner_url, 1);
    const int latest = postgres_migrations().back().version;
    CHECK(latest == 4);
    CHECK(owner->schema_version() == latest);
    CHECK(owner->migrate() == 0);  // second run is a no-op
    auto migrations = postgres_migrations();
    migrations.push_back({latest + 1, "broken", "ALTER TABLE spools ADD COLUMN should_vanish INTEGER;\n"
                                       "CREATE TABLE should_not_exist (x INTEGER);\n"
                                       "SELECT no_such_function();"});
    CHECK_THROWS_AS(owner->migrate_with(migrations), StoreError);
    CHECK(owner->schema_version() == latest);
    pg::Conn c(db.owner_url);
    CHECK(c.query("SELECT to_regclass('should_not_exist') IS NULL").boolean(0, 0));
    CHECK(c.query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'spools' AND column_name = 'should_vanish'")
              .i64(0, 0) == 0);
    // every seed table exists, material types are seeded
    for (const char* t : {"tenants", "users", "user_tenants", "material_types", "spools", "inventory_transactions",
                          "products", "product_materials", "product_components", "sales_channels", "product_pricing",
                          "orders", "suppliers", "purchases", "purchase_items", "reorder_settings"})
        CHECK(c.query(std::string("SELECT to_regclass('") + t + "') IS NOT NULL").boolean(0, 0));
    CHECK(c.query("SELECT count(*) FROM material_types").i64(0, 0) == 10);
    CHECK(c.query("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'update_%_updated_at'").i64(0, 0) == 9);
    // migrating as a role that cannot bypass RLS is refused
    auto app = open_store(db.app_url, 1);
    CHECK_THROWS_AS(app->migrate(), StoreError);
}

TEST_CASE("every tenant table has forced RLS - tenant A can neither read nor write tenant B's rows", "[pg]") {
    const auto db = ct::make_pg_db();
    {
        pg::Conn owner(db.owner_url);
        owner.exec(fill(kFixture));
    }
    const auto tables = tenant_tables(db.owner_url);
    for (const char* t : {"tenants", "spools", "inventory_transactions", "products", "product_materials",
                          "product_components", "sales_channels", "product_pricing", "orders", "suppliers", "purchases",
                          "purchase_items", "reorder_settings", "user_tenants", "devices", "pairing_codes",
                          "catalog_counters", "catalog_tombstones"})
        CHECK(std::find(tables.begin(), tables.end(), t) != tables.end());
    CHECK(check_app_role(db.app_url).empty());

    pg::Conn app(db.app_url);
    CHECK(app.query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user").i64(0, 0) == 0);
    for (const auto& t : tables) {
        CAPTURE(t);
        const std::string col = tenant_column(t);
        pg::Conn owner(db.owner_url);
        CHECK(owner.query("SELECT count(*) FROM " + t + " WHERE " + col + " = '" + B + "'").i64(0, 0) >= 1);
        CHECK(owner.query("SELECT relforcerowsecurity AND relrowsecurity FROM pg_class WHERE relname = '" + t + "'").boolean(0, 0));
        std::string v;
        const std::string state = try_sql(app, A, "SELECT count(*) FROM " + t, &v);
        if (t == "pairing_codes") {
            CHECK(state == "42501");  // the app role has no privileges at all on pairing codes
            continue;
        }
        REQUIRE(state == "");
        CHECK(std::stoll(v) >= 1);  // A's own rows are visible
        CHECK(try_sql(app, A, "SELECT count(*) FROM " + t + " WHERE " + col + " <> '" + A + "'", &v) == "");
        CHECK(v == "0");
        CHECK(try_sql(app, std::nullopt, "SELECT count(*) FROM " + t, &v) == "");  // no tenant -> no rows
        CHECK(v == "0");
        CHECK(try_sql(app, std::string(""), "SELECT count(*) FROM " + t, &v) == "");  // empty tenant -> no rows
        CHECK(v == "0");
        // writes into B: moving A's rows to B violates the policy (or lacks privilege); B's rows are untouchable
        CHECK(try_sql(app, A, "UPDATE " + t + " SET " + col + " = '" + B + "'") == "42501");
        if (t != "tenants") {
            long long n = -1;
            CHECK(try_sql(app, A, "DELETE FROM " + t + " WHERE " + col + " = '" + B + "'", nullptr, &n) == "");
            CHECK(n == 0);
            CHECK(try_sql(app, A, "UPDATE " + t + " SET " + col + " = " + col + " WHERE " + col + " = '" + B + "'", nullptr, &n) == "");
            CHECK(n == 0);
        }
        CHECK(owner.query("SELECT count(*) FROM " + t + " WHERE " + col + " = '" + B + "'").i64(0, 0) >= 1);
    }
    // inserting a row for B while acting as A fails
    CHECK(try_sql(app, A, "INSERT INTO spools(tenant_id, spool_id, initial_weight_g, current_weight_g) VALUES ('" + B +
                              "', 'EVIL', 10, 5)") == "42501");
    CHECK(try_sql(app, A, "INSERT INTO inventory_transactions(tenant_id, spool_id, transaction_type, quantity_grams) VALUES ('" + B +
                              "', '" + B + "', 'usage', -5)") == "42501");
    // users are not readable by the app role at all
    CHECK(try_sql(app, A, "SELECT count(*) FROM users") == "42501");
}

TEST_CASE("the seed's view and functions behave as defined, under RLS", "[pg]") {
    const auto db = ct::make_pg_db();
    pg::Conn owner(db.owner_url);
    owner.exec(fill(kFixture));
    const int weights[] = {0, 1, 50, 100, 101, 249, 250, 251, 999, 1000};
    for (int w : weights)
        owner.exec(fill("INSERT INTO spools(tenant_id, spool_id, initial_weight_g, current_weight_g) VALUES ('{A}', 'W" +
                        std::to_string(w) + "', 1000, " + std::to_string(w) + ")"));
    pg::Conn app(db.app_url);
    {
        pg::Tx tx(app);
        app.query("SELECT set_config('app.current_tenant_id', $1, true)", {A});
        auto r = app.query("SELECT current_weight_g, remaining_percent::text, stock_status, used_weight_g, tenant_id "
                           "FROM spool_inventory_status WHERE spool_id LIKE 'W%' ORDER BY current_weight_g");
        REQUIRE(r.rows() == 10);
        for (int i = 0; i < r.rows(); ++i) {
            const auto st = stock_info(1000, r.i32(i, 0));
            CAPTURE(r.i32(i, 0));
            CHECK(r.text(i, 2) == std::string(to_string(st.status)));
            CHECK(std::stod(r.text(i, 1)) == Approx(st.remaining_percent));
            CHECK(r.i32(i, 3) == st.used_weight_g);
            CHECK(r.text(i, 4) == A);
        }
        CHECK(app.query("SELECT count(*) FROM spool_inventory_status WHERE tenant_id <> '" + A + "'").i64(0, 0) == 0);
        // material 100/1000 * 20 = 2.00, components 2 * 0.50 = 1.00, labor 1.5 * 10 = 15.00, overhead 1.5 * 2 = 3.00
        CHECK(app.query("SELECT calculate_product_cost('" + A + "')::text").text(0, 0) == "21.00");
        // B's product is invisible: the invoker-rights function sees nothing
        CHECK(app.query("SELECT calculate_product_cost('" + B + "')::text").text(0, 0) == "0.00");
        CHECK(app.query("SELECT update_spool_weight('" + A + "', 420, 'usage')").boolean(0, 0));
        CHECK(app.query("SELECT current_weight_g FROM spools WHERE id = '" + A + "'").i32(0, 0) == 420);
        auto t = app.query("SELECT quantity_grams, transaction_type, reference_type FROM inventory_transactions WHERE spool_id = '" + A +
                           "' ORDER BY created_at DESC LIMIT 1");
        CHECK(t.i32(0, 0) == -80);
        CHECK(t.text(0, 1) == "usage");
        CHECK(t.text(0, 2) == "manual");
        tx.commit();
    }
    // updating another tenant's spool through the function fails and changes nothing
    CHECK(try_sql(app, A, "SELECT update_spool_weight('" + B + "', 1, 'usage')") != "");
    CHECK(owner.query("SELECT current_weight_g FROM spools WHERE id = '" + B + "'").i32(0, 0) == 500);
    // weight constraints from the seed hold
    CHECK(try_sql(app, A, "UPDATE spools SET current_weight_g = 1001 WHERE id = '" + A + "'") == "23514");
    CHECK(try_sql(app, A, "UPDATE spools SET current_weight_g = -1 WHERE id = '" + A + "'") == "23514");
    // updated_at trigger
    CHECK(owner.query("SELECT updated_at > created_at FROM spools WHERE id = '" + A + "'").boolean(0, 0));
}

TEST_CASE("serve refuses roles that could bypass RLS and tables without forced RLS", "[pg]") {
    const auto db = ct::make_pg_db();
    CHECK(check_app_role(db.app_url).empty());
    const auto owner_problems = check_app_role(db.owner_url);
    CHECK_FALSE(owner_problems.empty());
    bool owns = false, bypass = false;
    for (const auto& p : owner_problems) {
        owns |= p.find("owns") != std::string::npos;
        bypass |= p.find("BYPASSRLS") != std::string::npos;
    }
    CHECK(owns);
    CHECK(bypass);
    const std::string super_db = db.super_url.substr(0, db.super_url.rfind('/')) + "/" + db.name;
    bool super = false;
    for (const auto& p : check_app_role(super_db)) super |= p.find("superuser") != std::string::npos;
    CHECK(super);
    {
        pg::Conn owner(db.owner_url);
        owner.exec("ALTER TABLE suppliers NO FORCE ROW LEVEL SECURITY");
    }
    const auto p2 = check_app_role(db.app_url);
    REQUIRE(p2.size() == 1);
    CHECK_THAT(p2[0], Catch::Contains("suppliers") && Catch::Contains("FORCE"));
    {
        pg::Conn owner(db.owner_url);
        owner.exec("ALTER TABLE suppliers FORCE ROW LEVEL SECURITY; CREATE TABLE extra_tenant_data (id INT, tenant_id UUID)");
        owner.exec("GRANT SELECT ON extra_tenant_data TO " + db.app_role);
    }
    const auto p3 = check_app_role(db.app_url);
    CHECK(p3.size() == 3);  // not enabled, not forced, no policy
    // the device-token lookup works before the tenant is known, and only for exact token hashes
    pg::Conn app(db.app_url);
    CHECK(app.query("SELECT count(*) FROM central_auth_device(repeat('z', 64))").i64(0, 0) == 0);
}

TEST_CASE("change numbers: only numbers the transaction reserved for the row's tenant skip the spools trigger", "[pg]") {
    const auto db = ct::make_pg_db();
    pg::Conn owner(db.owner_url);
    owner.exec(fill(kFixture));
    pg::Conn app(db.app_url);
    auto counter = [&](const std::string& t) {
        return owner.query("SELECT seq FROM catalog_counters WHERE tenant_id = $1", {t}).i64(0, 0);
    };
    auto seq_of = [&](const std::string& t) {
        return owner.query("SELECT change_seq FROM spools WHERE id = $1", {t}).i64(0, 0);
    };
    // A plain update gets the next number of its tenant's counter.
    long long before = counter(A);
    CHECK(try_sql(app, A, fill("UPDATE spools SET current_weight_g = 400 WHERE id = '{A}'")).empty());
    CHECK(seq_of(A) == before + 1);
    CHECK(counter(A) == before + 1);
    // A number the statement makes up (not reserved) is replaced by a fresh one.
    before = counter(A);
    CHECK(try_sql(app, A, fill("UPDATE spools SET current_weight_g = 390, change_seq = change_seq + 1000 WHERE id = '{A}'")).empty());
    CHECK(seq_of(A) == before + 1);
    // Within a reservation: numbers up to the reserved last are kept, a number above it is replaced.
    {
        pg::Tx tx(app);
        app.query("SELECT set_config('app.current_tenant_id', $1, true)", {A});
        const long long last = app.query("SELECT bump_catalog_seq_by($1, 2)", {A}).i64(0, 0);
        app.query("UPDATE spools SET current_weight_g = 380, change_seq = $2 WHERE id = $1", {A, std::to_string(last - 1)});
        CHECK(app.query("SELECT change_seq FROM spools WHERE id = $1", {A}).i64(0, 0) == last - 1);  // kept: reserved
        app.query("UPDATE spools SET current_weight_g = 370, change_seq = $2 WHERE id = $1", {A, std::to_string(last + 5)});
        CHECK(app.query("SELECT change_seq FROM spools WHERE id = $1", {A}).i64(0, 0) == last + 1);  // above: fresh
        tx.commit();
    }
    // The reservation ends with its transaction.
    before = counter(A);
    CHECK(try_sql(app, A, fill("UPDATE spools SET current_weight_g = 360, change_seq = change_seq + 1 WHERE id = '{A}'")).empty());
    CHECK(seq_of(A) == before + 1);
    // A reservation for tenant A does not cover tenant B's rows (the owner sees both tenants).
    {
        pg::Tx tx(owner);
        const long long last_a = owner.query("SELECT bump_catalog_seq_by($1, 100)", {A}).i64(0, 0);
        const long long b_before = owner.query("SELECT seq FROM catalog_counters WHERE tenant_id = $1", {B}).i64(0, 0);
        owner.query("UPDATE spools SET current_weight_g = 350, change_seq = $2 WHERE id = $1", {B, std::to_string(last_a)});
        CHECK(owner.query("SELECT change_seq FROM spools WHERE id = $1", {B}).i64(0, 0) == b_before + 1);
        tx.commit();
    }
    // Inserts always get a fresh number.
    before = counter(A);
    CHECK(try_sql(app, A, fill("INSERT INTO spools(tenant_id, spool_id, initial_weight_g, current_weight_g, change_seq) "
                               "VALUES ('{A}', 'NEW', 10, 10, 999999)")).empty());
    CHECK(owner.query(fill("SELECT change_seq FROM spools WHERE tenant_id = '{A}' AND spool_id = 'NEW'")).i64(0, 0) == before + 1);
}
