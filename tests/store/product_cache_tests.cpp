// The station store's product cache: replaced whole by each catalog list, read by SKU (case-insensitive) and by
// search, survives reopening; a version-1 store migrates in place and pulls the whole catalog again.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>

#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"

using namespace batchivo;
namespace fs = std::filesystem;

namespace {

struct Tmp {
    fs::path path;
    Tmp() {
        char tmpl[] = "/tmp/batchivo-pcache-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~Tmp() { fs::remove_all(path); }
    std::string db() const { return (path / "station.db").string(); }
};

Product product(std::string id, std::string sku, std::string name) {
    Product p;
    p.id = std::move(id);
    p.sku = std::move(sku);
    p.name = std::move(name);
    return p;
}

}  // namespace

TEST_CASE("product cache: replace, read back in order, search, clear", "[store][product]") {
    Tmp t;
    {
        StationStore s(t.db());
        auto box = product("0193d000-0000-7000-8000-0000000000b0", "BOX-001", "Parts box");
        box.labor_hours = 0.2;
        box.labor_rate = 18;
        box.materials = {{"0193D000-0000-7000-8000-00000000000A", "BLK-1", 60, "body"},
                         {"0193d000-0000-7000-8000-00000000000b", "BLK-2", 40, "lid"}};
        box.components = {{"magnet", 4, 0.15}, {"WHEEL", 2, 0.3}};
        s.replace_products({product("0193d000-0000-7000-8000-0000000000b1", "VASE-001", "Spiral vase"), box});
    }
    StationStore s(t.db());  // reopened: the cache is durable
    auto all = s.products();
    REQUIRE(all.size() == 2);
    CHECK(all[0].sku == "BOX-001");
    REQUIRE(all[0].materials.size() == 2);
    CHECK(all[0].materials[0].spool_uuid == "0193d000-0000-7000-8000-00000000000a");  // lower-cased
    CHECK(all[0].materials[0].spool_label == "BLK-1");
    CHECK(all[0].materials[0].grams_per_unit == 60);
    CHECK(all[0].materials[1].slot == "lid");
    REQUIRE(all[0].components.size() == 2);
    CHECK(all[0].components[1].name == "WHEEL");
    CHECK(all[0].components[1].quantity == 2);
    CHECK(all[0].labor_rate == Approx(18));
    CHECK_FALSE(all[1].labor_rate);

    REQUIRE(s.product_by_sku("  box-001 "));
    CHECK(s.product_by_sku("box-001")->materials.size() == 2);
    CHECK_FALSE(s.product_by_sku("BOX"));
    auto found = s.search_products("vase");
    REQUIRE(found.size() == 1);
    CHECK(found[0].sku == "VASE-001");
    CHECK(s.search_products("").size() == 2);
    CHECK(s.search_products("001").size() == 2);

    // A new list replaces the old one whole; an empty list clears it.
    s.replace_products({product("0193d000-0000-7000-8000-0000000000b2", "HOOK", "Hook")});
    CHECK(s.products().size() == 1);
    CHECK_FALSE(s.product_by_sku("BOX-001"));
    s.replace_products({});
    CHECK(s.products().empty());
    // Two SKUs differing only in case cannot both be cached (the server refuses them too): nothing changes.
    s.replace_products({product("0193d000-0000-7000-8000-0000000000b3", "A", "a")});
    CHECK_THROWS(s.replace_products({product("0193d000-0000-7000-8000-0000000000b4", "X", "x"),
                                     product("0193d000-0000-7000-8000-0000000000b5", "x", "x")}));
    REQUIRE(s.products().size() == 1);
    CHECK(s.products()[0].sku == "A");
}

TEST_CASE("product cache: a version-2 store migrates in place and pulls the whole catalog again", "[store][product]") {
    Tmp t;
    {
        StationStore s(t.db());
        s.set_meta("catalog_cursor", "v1:5:1");
    }
    {
        // Back to version 2 (intake, before products): drop the product tables as a version-2 program never had them.
        sql::Db db(t.db());
        db.exec("DROP TABLE product_materials; DROP TABLE product_components; DROP TABLE products; "
                "ALTER TABLE new_spools DROP COLUMN qr_code_data; PRAGMA user_version=2;");
    }
    StationStore s(t.db());
    CHECK(s.pragmas().schema_version == StationStore::latest_schema_version());
    CHECK_FALSE(s.meta("catalog_cursor"));  // the next pull is a full one: it brings the product list
    CHECK(s.products().empty());
    s.replace_products({product("0193d000-0000-7000-8000-0000000000b1", "VASE-001", "Spiral vase")});
    CHECK(s.products().size() == 1);
}
