// The Stock screen's Products view through the Station without a display: products and spools in the station's
// cache, intents as the screen sends them, a scanned SKU (handheld scanner) opening the product.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "station/core/station.hpp"

using namespace batchivo;
using namespace batchivo::station;

namespace {

Spool spool(std::string uuid, std::string sid, std::string brand, std::string color, int current, bool active = true) {
    Spool s;
    s.id = std::move(uuid);
    s.tenant_id = "0193d000-0000-7000-8000-000000000001";
    s.spool_id = std::move(sid);
    s.material_name = "PLA";
    s.brand = std::move(brand);
    s.color = std::move(color);
    s.color_hex = "#111111";
    s.initial_weight_g = 1000;
    s.current_weight_g = current;
    s.purchase_cost = 20.0;
    s.is_active = active;
    return s;
}

const char* kA = "0193d000-0000-7000-8000-00000000000a";
const char* kB = "0193d000-0000-7000-8000-00000000000b";
const char* kC = "0193d000-0000-7000-8000-00000000000c";

struct Fixture {
    std::string dir;
    std::unique_ptr<Station> st;
    Fixture() {
        dir = std::filesystem::temp_directory_path() / ("station-products-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        {
            StationStore store(dir + "/station.db");
            store.upsert_spools({spool(kA, "BLK-1", "Acme", "Black", 500), spool(kB, "BLK-2", "acme", "black", 300),
                                 spool(kC, "RED-1", "Acme", "Red", 90)});
            Product box;
            box.id = "0193d000-0000-7000-8000-0000000000b0";
            box.sku = "BOX-001";
            box.name = "Parts box";
            box.materials = {{kA, "BLK-1", 60, "body"}, {kB, "BLK-2", 40, "lid"}, {kC, "RED-1", 10, "accent"}};
            box.components = {{"magnet", 4, 0.25}};
            Product vase;
            vase.id = "0193d000-0000-7000-8000-0000000000b1";
            vase.sku = "VASE-001";
            vase.name = "Spiral vase";
            vase.materials = {{kA, "BLK-1", 85, "primary"}};
            store.replace_products({box, vase});
        }
        StationOptions o;
        o.data_dir = dir;
        st = std::make_unique<Station>(o);
        REQUIRE(st->start([] {}).ok());
    }
    ~Fixture() {
        st.reset();
        std::filesystem::remove_all(dir);
    }
    template <class P>
    bool until(P pred, int timeout_ms = 8000) {
        auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < end) {
            st->frame(steady_now_ms());
            if (pred(*st->snapshot())) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
    std::shared_ptr<const StationSnapshot> snap() {
        st->frame(steady_now_ms());
        return st->snapshot();
    }
};

}  // namespace

TEST_CASE("stock products view: search, can print N, limiting line, cost, back") {
    Fixture f;
    REQUIRE(f.until([](const StationSnapshot& s) { return s.stock.catalog_size == 3; }));
    f.st->apply(Intent{IntentKind::Navigate, "stock"});
    f.st->apply(Intent{IntentKind::StockMode, "products"});
    auto s = f.snap();
    REQUIRE(s->stock.products_mode);
    CHECK(s->stock.products_total == 2);
    REQUIRE(s->stock.products.size() == 2);
    CHECK(s->stock.products[0].sku == "BOX-001");
    CHECK(s->stock.products[0].max_units == 8);   // black shared: 800 g / 100 g; red: 90 / 10 = 9
    CHECK(s->stock.products[1].max_units == 9);   // 800 / 85
    CHECK(s->stock.products[1].cost_per_unit == Approx(1.70));
    CHECK_FALSE(s->stock.product);

    // Typing filters by SKU or name.
    for (char c : std::string("spiral")) f.st->apply(Intent{IntentKind::StockKey, std::string(1, c)});
    s = f.snap();
    REQUIRE(s->stock.products.size() == 1);
    CHECK(s->stock.products[0].sku == "VASE-001");
    f.st->apply(Intent{IntentKind::StockClear});

    f.st->apply(Intent{IntentKind::StockOpenProduct, "box-001"});
    s = f.snap();
    REQUIRE(s->stock.product);
    const auto& p = *s->stock.product;
    CHECK(p.sku == "BOX-001");
    CHECK(p.max_units == 8);
    CHECK(p.cost_per_unit == Approx(2.00 + 0.20 + 1.00));  // 100 g + 10 g at 0.02 / g, 4 magnets at 0.25
    REQUIRE(p.lines.size() == 3);
    CHECK(p.lines[0].spool_id == "BLK-1");
    CHECK(p.lines[0].linked_remaining_g == 500);
    CHECK(p.lines[0].available_g == 800);
    CHECK(p.lines[0].equivalent_count == 2);
    CHECK(p.lines[0].limiting);
    CHECK(p.lines[1].limiting);
    CHECK_FALSE(p.lines[2].limiting);
    CHECK(p.lines[2].max_units == 9);
    CHECK(p.problems.empty());

    f.st->apply(Intent{IntentKind::StockCloseProduct});
    CHECK_FALSE(f.snap()->stock.product);
    // An unknown SKU changes nothing (a toast says so).
    f.st->apply(Intent{IntentKind::StockOpenProduct, "NOPE"});
    CHECK_FALSE(f.snap()->stock.product);
    // Back to spools.
    f.st->apply(Intent{IntentKind::StockMode, "spools"});
    s = f.snap();
    CHECK_FALSE(s->stock.products_mode);
    CHECK(s->stock.products.empty());
    CHECK(s->stock.total == 3);
}

TEST_CASE("stock products view: a scanned SKU opens the product, a scanned spool still opens its detail") {
    Fixture f;
    REQUIRE(f.until([](const StationSnapshot& s) { return s.stock.catalog_size == 3; }));
    f.st->apply(Intent{IntentKind::Navigate, "stock"});
    f.st->scanned("VASE-001");  // a handheld scanner typing the product's barcode
    auto s = f.snap();
    REQUIRE(s->stock.products_mode);
    REQUIRE(s->stock.product);
    CHECK(s->stock.product->sku == "VASE-001");
    CHECK(s->stock.product->max_units == 9);
    f.st->scanned("BLK-2");
    s = f.snap();
    CHECK(s->screen == Screen::SpoolDetail);
}
