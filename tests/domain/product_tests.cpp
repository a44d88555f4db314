#include <catch2/catch.hpp>

#include "sync/domain/product.hpp"

using namespace batchivo;

namespace {

Spool spool(std::string uuid, std::string sid, std::string mat, std::string brand, std::string color, int current,
            bool active = true) {
    Spool s;
    s.id = std::move(uuid);
    s.spool_id = std::move(sid);
    s.material_name = std::move(mat);
    s.brand = std::move(brand);
    s.color = std::move(color);
    s.initial_weight_g = 1000;
    s.current_weight_g = current;
    s.is_active = active;
    return s;
}

Product product(const std::string& sku, std::vector<ProductMaterial> m, std::vector<ProductComponent> c = {}) {
    Product p;
    p.id = "p-" + sku;
    p.sku = sku;
    p.name = sku + " name";
    p.materials = std::move(m);
    p.components = std::move(c);
    return p;
}

}  // namespace

TEST_CASE("availability: the limiting line decides, equivalents add up", "[domain][product]") {
    std::vector<Spool> spools = {spool("a", "FIL-A", "PLA", "Acme", "Black", 500),
                                 spool("b", "FIL-B", "pla", "ACME", "black ", 300),  // equivalent (case, spaces)
                                 spool("c", "FIL-C", "PLA", "Acme", "Red", 100),
                                 spool("d", "FIL-D", "PETG", "Acme", "Black", 900)};  // other material
    auto p = product("VASE", {{"a", "FIL-A", 40, "primary"}, {"c", "FIL-C", 30, "accent"}});
    auto r = product_availability(p, spools);
    REQUIRE(r.lines.size() == 2);
    CHECK(r.lines[0].available_g == 800);
    CHECK(r.lines[0].linked_remaining_g == 500);
    CHECK(r.lines[0].max_units == 20);
    CHECK(r.lines[0].equivalent_spools.size() == 2);
    CHECK(r.lines[1].available_g == 100);
    CHECK(r.lines[1].max_units == 3);
    CHECK(r.max_units == 3);
    CHECK_FALSE(r.lines[0].limiting);
    CHECK(r.lines[1].limiting);
    CHECK(r.enough_for(3));
    CHECK_FALSE(r.enough_for(4));
    CHECK(r.problems.empty());
}

TEST_CASE("availability: two lines on the same stock share it", "[domain][product]") {
    std::vector<Spool> spools = {spool("a", "FIL-A", "PLA", "Acme", "Black", 500),
                                 spool("b", "FIL-B", "PLA", "Acme", "Black", 500)};
    // 60 g per unit from A and 40 g from B: both black Acme PLA, 1000 g together -> 10 units, not 16 or 25.
    auto p = product("BOX", {{"a", "FIL-A", 60, "body"}, {"b", "FIL-B", 40, "lid"}});
    auto r = product_availability(p, spools);
    CHECK(r.max_units == 10);
    for (const auto& l : r.lines) {
        CHECK(l.available_g == 1000);
        CHECK(l.pool_grams_per_unit == 100);
        CHECK(l.max_units == 10);
        CHECK(l.limiting);
    }
}

TEST_CASE("availability: inactive and missing spools", "[domain][product]") {
    std::vector<Spool> spools = {spool("a", "FIL-A", "PLA", "Acme", "Black", 500, false),
                                 spool("b", "FIL-B", "PLA", "Acme", "Black", 250)};
    auto r = product_availability(product("P", {{"a", "FIL-A", 50, ""}}), spools);
    CHECK(r.lines[0].spool_found);
    CHECK_FALSE(r.lines[0].spool_active);
    CHECK(r.lines[0].linked_remaining_g == 0);
    CHECK(r.lines[0].available_g == 250);  // only the active equivalent
    CHECK(r.max_units == 5);
    CHECK(r.problems.size() == 1);

    auto m = product_availability(product("Q", {{"zzz", "FIL-GONE", 50, "primary"}, {"b", "FIL-B", 10, ""}}), spools);
    CHECK_FALSE(m.lines[0].spool_found);
    CHECK(m.lines[0].available_g == 0);
    CHECK(m.lines[0].max_units == 0);
    CHECK(m.max_units == 0);
    CHECK(m.lines[0].limiting);
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].find("FIL-GONE") != std::string::npos);
}

TEST_CASE("availability: zero grams and no lines do not limit", "[domain][product]") {
    std::vector<Spool> spools = {spool("a", "FIL-A", "PLA", "Acme", "Black", 0)};
    auto z = product_availability(product("Z", {{"a", "FIL-A", 0, ""}}), spools);
    CHECK_FALSE(z.max_units);
    CHECK_FALSE(z.lines[0].max_units);
    CHECK(z.enough_for(1000));
    auto none = product_availability(product("N", {}), spools);
    CHECK_FALSE(none.max_units);
    CHECK(none.lines.empty());
    // A depleted spool limits to zero.
    auto d = product_availability(product("D", {{"a", "FIL-A", 1, ""}}), spools);
    CHECK(d.max_units == 0);
    CHECK_FALSE(d.enough_for(1));
}

TEST_CASE("availability: sub-assemblies by SKU draw their BOM times quantity, plain parts do not limit", "[domain][product]") {
    std::vector<Spool> spools = {spool("a", "FIL-A", "PLA", "Acme", "Black", 1000),
                                 spool("c", "FIL-C", "PETG", "Acme", "Clear", 300)};
    auto wheel = product("WHEEL", {{"c", "FIL-C", 10, ""}});
    auto car = product("CAR", {{"a", "FIL-A", 100, "body"}}, {{"wheel", 4, 0.5}, {"M3 screw", 8, 0.02}});
    std::vector<Product> all{wheel, car};
    auto r = product_availability(car, spools, all);
    REQUIRE(r.lines.size() == 2);
    CHECK(r.lines[1].via == "WHEEL");
    CHECK(r.lines[1].grams_per_unit == 40);
    CHECK(r.lines[1].max_units == 7);  // 300 / 40
    CHECK(r.lines[0].max_units == 10);
    CHECK(r.max_units == 7);
    // A loop is reported, not followed forever.
    auto a = product("LOOP-A", {{"a", "FIL-A", 10, ""}}, {{"LOOP-B", 1, 0}});
    auto b = product("LOOP-B", {{"a", "FIL-A", 10, ""}}, {{"LOOP-A", 1, 0}});
    auto l = product_availability(a, spools, {a, b});
    CHECK(l.lines.size() == 2);
    CHECK(l.max_units == 50);  // both on FIL-A: 20 g per unit
    CHECK(l.problems.size() == 1);
}

TEST_CASE("cost follows calculate_product_cost", "[domain][product]") {
    std::vector<Spool> spools = {spool("a", "FIL-A", "PLA", "Acme", "Black", 500),
                                 spool("b", "FIL-B", "PLA", "Acme", "Red", 500),
                                 spool("n", "FIL-N", "PLA", "Acme", "Blue", 500)};
    spools[0].purchase_cost = 20.0;   // 1000 g for 20.00 -> 0.02 / g
    spools[1].purchase_cost = 25.99;
    auto p = product("P", {{"a", "FIL-A", 45, ""}, {"b", "FIL-B", 12, ""}, {"n", "FIL-N", 100, ""}, {"x", "", 50, ""}},
                     {{"magnet", 4, 0.15}});
    // materials 0.90 + 0.31188 = 1.21 (FIL-N has no cost, x is unknown), components 0.60
    CHECK(product_cost(p, spools) == Approx(1.81));
    p.labor_hours = 0.25;
    p.labor_rate = 18.0;  // 4.50
    CHECK(product_cost(p, spools) == Approx(6.31));
    p.overhead_rate = 10.0;
    CHECK(product_cost(p, spools) == Approx(6.31));  // overhead only when include_overhead
    p.include_overhead = true;
    CHECK(product_cost(p, spools) == Approx(8.81));
    CHECK(product_availability(p, spools).cost_per_unit == Approx(8.81));
}
