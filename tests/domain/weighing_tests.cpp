#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "sync/domain/tare_catalog.hpp"
#include "sync/domain/weighing.hpp"

using namespace batchivo;

namespace {
const char* kCsv =
    "manufacturer,material,net_weight_g,empty_spool_weight_g,spool_type,density_g_cm3\n"
    "Bambu Lab,PLA,1000.0,250,plastic,1.24\n"
    "Bambu Lab,PLA,500.0,180,plastic,1.24\n"
    "Prusament,PETG,1000.0,201,,1.27\n"
    "broken line\n";

Spool pla_spool() {
    Spool s;
    s.id = "0b7c6e44-4a9e-4e1e-9a66-2f0d8e4b5c11";
    s.spool_id = "FIL-001";
    s.brand = "bambu lab";
    s.material_name = "pla";
    s.initial_weight_g = 1000;
    s.current_weight_g = 800;
    return s;
}
}  // namespace

TEST_CASE("tare catalog parses the SpoolmanDB CSV and skips malformed lines", "[domain][tare]") {
    int skipped = 0;
    auto cat = TareCatalog::parse_csv(kCsv, &skipped);
    CHECK(cat.size() == 3);
    CHECK(skipped == 1);
    auto row = cat.find(" BAMBU LAB ", "pla", 500);
    REQUIRE(row);
    CHECK(row->empty_spool_weight_g == 180);
    // no exact size: the 1 kg row
    row = cat.find("Bambu Lab", "PLA", 750);
    REQUIRE(row);
    CHECK(row->empty_spool_weight_g == 250);
    CHECK_FALSE(cat.find("Nobody", "PLA", 1000));
    CHECK_FALSE(cat.find("", "", 1000));
}

TEST_CASE("the shipped tare catalog loads", "[domain][tare]") {
    // tests/domain/CMakeLists sets BATCHIVO_ASSETS to the source assets/ folder
    const char* assets = std::getenv("BATCHIVO_ASSETS");
    REQUIRE(assets);
    FILE* f = std::fopen((std::string(assets) + "/data/spool_tares.csv").c_str(), "rb");
    REQUIRE(f);
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
    int skipped = -1;
    auto cat = TareCatalog::parse_csv(text, &skipped);
    CHECK(cat.size() > 300);
    // every data line is either a usable row or one of the few without a published empty-spool weight
    CHECK(cat.size() + static_cast<size_t>(skipped) == 336);
    CHECK(skipped == 6);
}

TEST_CASE("tare resolution takes the most specific source and says which", "[domain][tare]") {
    auto cat = TareCatalog::parse_csv(kCsv);
    Spool s = pla_spool();
    TareInputs in{&s, &cat, 200.0, 123.0};

    auto t = resolve_tare(in);
    REQUIRE(t);
    CHECK(t->source == TareSource::Catalog);  // no own empty weight yet
    CHECK(t->grams == 250);
    CHECK(t->detail.find("catalog") != std::string::npos);

    s.empty_spool_weight_g = 231;
    t = resolve_tare(in);
    REQUIRE(t);
    CHECK(t->source == TareSource::Spool);
    CHECK(t->grams == 231);

    auto all = tare_candidates(in);
    REQUIRE(all.size() == 4);
    CHECK(all[0].source == TareSource::Spool);
    CHECK(all[1].source == TareSource::Catalog);
    CHECK(all[2].source == TareSource::StationDefault);
    CHECK(all[3].source == TareSource::Manual);

    // the operator can pick another available source
    t = resolve_tare(in, TareSource::StationDefault);
    REQUIRE(t);
    CHECK(t->grams == 200);

    s.empty_spool_weight_g.reset();
    s.brand = "Unknown brand";
    in.station_default_g.reset();
    t = resolve_tare(in);
    REQUIRE(t);
    CHECK(t->source == TareSource::Manual);

    in.manual_g.reset();
    CHECK_FALSE(resolve_tare(in));
    // an implausible manual value is not a tare
    in.manual_g = std::numeric_limits<double>::quiet_NaN();
    CHECK_FALSE(resolve_tare(in));
}

TEST_CASE("a weighing yields usage, adjustment or nothing relative to the last known weight", "[domain][weighing]") {
    Tare tare{250, TareSource::Catalog, ""};
    auto r = evaluate_weighing(950.4, tare, 1000, 800);
    REQUIRE(r.ok());
    CHECK(r.net_whole_g == 700);
    CHECK(r.type == TransactionType::Usage);
    CHECK(r.quantity_grams == -100);

    r = evaluate_weighing(1150, tare, 1000, 800);
    REQUIRE(r.ok());
    CHECK(r.type == TransactionType::Adjustment);
    CHECK(r.quantity_grams == 100);

    r = evaluate_weighing(1050.2, tare, 1000, 800);
    REQUIRE(r.ok());
    CHECK_FALSE(r.type);
    CHECK(r.quantity_grams == 0);

    r = evaluate_weighing(250, tare, 1000, 800);  // an empty spool
    REQUIRE(r.ok());
    CHECK(r.net_whole_g == 0);
    CHECK(r.quantity_grams == -800);
}

TEST_CASE("a weighing is rejected with a clear reason", "[domain][weighing]") {
    Tare tare{250, TareSource::Spool, ""};
    auto r = evaluate_weighing(200, tare, 1000, 800);
    CHECK(r.error == WeighingError::NegativeNet);
    CHECK(r.message.find("lighter than the empty spool") != std::string::npos);

    r = evaluate_weighing(1300, tare, 1000, 800);
    CHECK(r.error == WeighingError::AboveInitial);
    CHECK(r.message.find("tare") != std::string::npos);

    CHECK(evaluate_weighing(std::nan(""), tare, 1000, 800).error == WeighingError::NotFinite);
    CHECK(evaluate_weighing(INFINITY, tare, 1000, 800).error == WeighingError::NotFinite);
    CHECK(evaluate_weighing(-5, tare, 1000, 800).error == WeighingError::AbsurdValue);
    CHECK(evaluate_weighing(60000, tare, 1000, 800).error == WeighingError::AbsurdValue);
    CHECK(evaluate_weighing(900, Tare{-1, TareSource::Manual, ""}, 1000, 800).error == WeighingError::AbsurdValue);
    CHECK(evaluate_weighing(900, Tare{std::nan(""), TareSource::Manual, ""}, 1000, 800).error ==
          WeighingError::NotFinite);
    // half a gram below the tare rounds to 0 g, which is a valid empty spool
    CHECK(evaluate_weighing(249.6, tare, 1000, 800).ok());
}

TEST_CASE("usage typed on the keypad", "[domain][weighing]") {
    auto u = evaluate_usage(42, 800);
    REQUIRE(u.ok);
    CHECK(u.quantity_grams == -42);
    CHECK(u.resulting_weight_g == 758);
    CHECK_FALSE(evaluate_usage(0, 800).ok);
    CHECK_FALSE(evaluate_usage(-3, 800).ok);
    CHECK_FALSE(evaluate_usage(std::nan(""), 800).ok);
    auto too_much = evaluate_usage(801, 800);
    CHECK_FALSE(too_much.ok);
    CHECK(too_much.message.find("left on this spool") != std::string::npos);
    CHECK(evaluate_usage(800, 800).ok);
}

TEST_CASE("tare source and transaction type names round-trip", "[domain]") {
    for (auto s : {TareSource::Spool, TareSource::Catalog, TareSource::StationDefault, TareSource::Manual})
        CHECK(tare_source_from_string(to_string(s)) == s);
    for (auto t : {TransactionType::Purchase, TransactionType::Usage, TransactionType::Adjustment,
                   TransactionType::Return, TransactionType::Disposal})
        CHECK(transaction_type_from_string(to_string(t)) == t);
    CHECK_FALSE(transaction_type_from_string("Usage"));
}
