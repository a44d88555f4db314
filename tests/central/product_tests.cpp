// Products in central's two stores (SQLite and PostgreSQL through the non-owner app role): saving with BOM lines
// and components, all-or-nothing, conflicts, tenant scope, the catalog carrying the product list when it changed,
// the domain's cost against the seed's calculate_product_cost(), and the label bookkeeping (--unlabeled).
#include <catch2/catch.hpp>

#include "central_test_util.hpp"
#include "sync/central/store/pg/pg.hpp"
#include "sync/domain/product.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/catalog.hpp"

using namespace batchivo;
using namespace batchivo::central;
using ct::PgBackend;
using ct::SqliteBackend;

namespace {

Product make(const std::string& sku, std::vector<ProductMaterial> m, std::vector<ProductComponent> c = {}) {
    Product p;
    p.sku = sku;
    p.name = "Product " + sku;
    p.materials = std::move(m);
    p.components = std::move(c);
    return p;
}

ProductMaterial by_label(const std::string& spool_id, int grams, const std::string& slot = "") {
    return ProductMaterial{"", spool_id, grams, slot};
}

}  // namespace

TEMPLATE_TEST_CASE("products: save, list, components, conflicts, all-or-nothing, tenant scope", "[store][product]",
                   SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 4);
    auto g = ct::make_tenant(*b.admin, "rival", 2);
    const std::string t = f.tenant.id;

    auto saved = b.admin->save_products(
        t, {make("VASE-001", {by_label("fil-1", 45, "primary"), by_label("FIL-3", 12, "accent")})}, false);
    REQUIRE(saved.size() == 1);
    CHECK(is_uuid(saved[0].id));
    REQUIRE(saved[0].materials.size() == 2);
    CHECK(saved[0].materials[0].spool_uuid == f.spools[0].id);
    CHECK(saved[0].materials[0].spool_label == "FIL-1");
    CHECK(saved[0].materials[0].grams_per_unit == 45);
    CHECK(saved[0].materials[0].slot == "primary");
    CHECK(saved[0].materials[1].spool_label == "FIL-3");

    // Components (a plain part and a sub-assembly by SKU) keep their order.
    b.admin->save_products(t, {make("LID", {by_label("FIL-2", 5)})}, false);
    b.admin->add_component(t, "vase-001", {"magnet 6x2", 4, 0.15});
    auto p = b.admin->add_component(t, "VASE-001", {"LID", 1, 0.5});
    REQUIRE(p.components.size() == 2);
    CHECK(p.components[0].name == "magnet 6x2");
    CHECK(p.components[0].quantity == 4);
    CHECK(p.components[0].unit_cost == Approx(0.15));
    CHECK(p.components[1].name == "LID");

    // The app role (what the server uses) reads the same thing, ordered by SKU.
    auto list = b.app->products(t);
    REQUIRE(list.size() == 2);
    CHECK(list[0].sku == "LID");
    CHECK(list[1].sku == "VASE-001");
    CHECK(list[1].materials.size() == 2);
    CHECK(list[1].components.size() == 2);

    // Errors change nothing.
    CHECK_THROWS_MATCHES(b.admin->save_products(t, {make("vase-001", {by_label("FIL-1", 1)})}, false), StoreError,
                         Catch::Predicate<StoreError>([](const StoreError& e) { return e.code == "conflict"; }));
    CHECK_THROWS_MATCHES(
        b.admin->save_products(t, {make("NEW-1", {by_label("FIL-1", 10)}), make("NEW-2", {by_label("FIL-404", 10)})},
                               true),
        StoreError, Catch::Predicate<StoreError>([](const StoreError& e) {
            return e.code == "not_found" && std::string(e.what()).find("FIL-404") != std::string::npos;
        }));
    CHECK_THROWS_MATCHES(b.admin->save_products(t, {make("BAD", {by_label("FIL-1", 0)})}, false), StoreError,
                         Catch::Predicate<StoreError>([](const StoreError& e) { return e.code == "invalid_input"; }));
    CHECK_THROWS_AS(b.admin->save_products(t, {make("BAD", {by_label("FIL-1", 5), by_label("fil-1", 6)})}, false),
                    StoreError);
    CHECK_THROWS_AS(b.admin->add_component(t, "NOPE", {"x", 1, 0}), StoreError);
    CHECK_THROWS_AS(b.admin->add_component(t, "LID", {"x", 0, 0}), StoreError);
    // Another tenant's spool cannot be named, by id or by UUID.
    CHECK_THROWS_AS(b.admin->save_products(t, {make("X", {ProductMaterial{g.spools[0].id, "", 5, ""}})}, false),
                    StoreError);
    CHECK(b.admin->products(t).size() == 2);

    // Replace (import): fields, lines and components replaced whole.
    auto r = b.admin->save_products(t, {make("VASE-001", {by_label("FIL-4", 30, "body")})}, true);
    REQUIRE(r.size() == 1);
    CHECK(r[0].id == saved[0].id);
    REQUIRE(r[0].materials.size() == 1);
    CHECK(r[0].materials[0].spool_label == "FIL-4");
    CHECK(r[0].components.empty());

    // Tenant scope.
    CHECK(b.app->products(g.tenant.id).empty());
    b.admin->save_products(g.tenant.id, {make("VASE-001", {by_label("FIL-1", 1)})}, false);  // same SKU, other tenant
    CHECK(b.app->products(g.tenant.id).size() == 1);
    CHECK(b.app->products(t).size() == 2);
}

TEMPLATE_TEST_CASE("catalog: the product list travels when the catalog changed", "[store][product]", SqliteBackend,
                   PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 3);
    const std::string t = f.tenant.id;
    auto first = b.app->catalog(t, "", 1000);
    REQUIRE(first.products);
    CHECK(first.products->empty());

    b.admin->save_products(t, {make("A", {by_label("FIL-1", 10)})}, false);
    auto d = b.app->catalog(t, first.next_cursor, 1000);
    REQUIRE(d.products);
    REQUIRE(d.products->size() == 1);
    CHECK(d.products->at(0).materials.at(0).spool_uuid == f.spools[0].id);
    CHECK(d.next_cursor != first.next_cursor);

    auto none = b.app->catalog(t, d.next_cursor, 1000);
    CHECK_FALSE(none.products);  // nothing changed: the station keeps its list

    b.admin->add_component(t, "A", {"screw", 2, 0.1});
    auto d2 = b.app->catalog(t, d.next_cursor, 1000);
    REQUIRE(d2.products);
    CHECK(d2.products->at(0).components.size() == 1);

    // Paged pulls: only the last page carries them.
    auto p1 = b.app->catalog(t, "", 2);
    CHECK(p1.has_more);
    CHECK_FALSE(p1.products);
    auto p2 = b.app->catalog(t, p1.next_cursor, 1000);
    CHECK_FALSE(p2.has_more);
    REQUIRE(p2.products);
    CHECK(p2.products->size() == 1);

    // The wire form round-trips the list; absent stays absent.
    auto j = nlohmann::json(d2);
    auto back = j.get<wire::CatalogDelta>();
    REQUIRE(back.products);
    CHECK(back.products->at(0).sku == "A");
    CHECK(back.products->at(0).components.at(0).quantity == 2);
    CHECK_FALSE(nlohmann::json(none).get<wire::CatalogDelta>().products);
}

TEMPLATE_TEST_CASE("labels: unlabeled spools, marked once", "[store][label]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 4);
    auto g = ct::make_tenant(*b.admin, "rival", 1);
    const std::string t = f.tenant.id;
    Spool coded = f.spools[1];
    coded.qr_code_data = "web+spoolman:s-7";  // came with a label
    b.admin->upsert_spool(t, coded);
    Spool off = f.spools[2];
    off.is_active = false;
    b.admin->upsert_spool(t, off);
    auto u = b.admin->unlabeled_spools(t);
    REQUIRE(u.size() == 2);
    CHECK(u[0].spool_id == "FIL-1");
    CHECK(u[1].spool_id == "FIL-4");
    // Marks only where still empty; another tenant's spool is untouched.
    CHECK(b.admin->mark_labeled(t, {{u[0].id, "batchivo://spool/" + u[0].id}, {coded.id, "x"}, {g.spools[0].id, "x"}}) == 1);
    CHECK(b.admin->get_spool(t, coded.id)->qr_code_data == "web+spoolman:s-7");
    CHECK(b.admin->get_spool(t, u[0].id)->qr_code_data == "batchivo://spool/" + u[0].id);
    CHECK(b.admin->unlabeled_spools(g.tenant.id).size() == 1);
    u = b.admin->unlabeled_spools(t);
    REQUIRE(u.size() == 1);
    CHECK(u[0].spool_id == "FIL-4");
}

TEST_CASE("product cost: the domain computes what calculate_product_cost() returns", "[store][product][pg]") {
    auto b = PgBackend::make();
    auto f = ct::make_tenant(*b.admin, "acme", 3);
    const std::string t = f.tenant.id;
    const double costs[] = {24.99, 19.5, 31.0};
    std::vector<Spool> spools;
    for (int i = 0; i < 3; ++i) {
        Spool s = f.spools[static_cast<size_t>(i)];
        if (i < 2) s.purchase_cost = costs[i];  // the third has no cost: it adds nothing
        s.initial_weight_g = 850 + 250 * i;
        spools.push_back(b.admin->upsert_spool(t, s));
    }
    Product p = make("COST", {by_label("FIL-1", 37), by_label("FIL-2", 113, "b"), by_label("FIL-3", 9)},
                     {{"magnet", 3, 0.17}, {"insert", 2, 0.05}});
    p.labor_hours = 0.35;
    p.labor_rate = 21.5;
    p.include_overhead = true;
    p.overhead_rate = 3.33;
    auto saved = b.admin->save_products(t, {p}, false).at(0);
    pg::Conn c(b.pg.owner_url);
    auto r = c.query("SELECT calculate_product_cost($1)::text", {saved.id});
    const double sql_cost = std::stod(r.text(0, 0));
    CHECK(product_cost(saved, spools) == Approx(sql_cost).margin(0.0001));
    // Without overhead and labour.
    saved.include_overhead = false;
    saved.labor_rate.reset();
    b.admin->save_products(t, {saved}, true);
    r = c.query("SELECT calculate_product_cost($1)::text", {saved.id});
    CHECK(product_cost(saved, spools) == Approx(std::stod(r.text(0, 0))).margin(0.0001));
}
