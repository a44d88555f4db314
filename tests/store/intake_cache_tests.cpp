// The station store's intake part: spools created on the station are durable and usable at once, travel as
// "spool created" records ahead of their later records, take central's spool_id from the catalog; open purchase
// lines are cached and count local spools not yet applied.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>

#include "sync/domain/uuid.hpp"
#include "sync/store/station_store.hpp"

using namespace batchivo;
namespace fs = std::filesystem;

namespace {

struct Dir {
    fs::path path;
    Dir() {
        char tmpl[] = "/tmp/batchivo-intake-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~Dir() { fs::remove_all(path); }
    std::string db() const { return (path / "station.db").string(); }
};

NewSpoolRecord black_pla(const std::string& spool_id = "") {
    NewSpoolRecord r;
    r.spool.material = "PLA";
    r.spool.brand = "Bambu Lab";
    r.spool.color = "Black";
    r.spool.initial_weight_g = 1000;
    r.spool.empty_spool_weight_g = 250;
    r.spool.spool_id = spool_id;
    r.measurement = Measurement{1250, 250, TareSource::Catalog, 1000};
    return r;
}

}  // namespace

TEST_CASE("a spool created on the station is durable, usable at once, and synced first", "[store][intake]") {
    Dir d;
    StationStore st(d.db());
    st.upsert_material_types({{"00000000-0000-4000-8000-000000000001", "PLA", "{}"}});
    st.set_meta("tenant_id", "11111111-1111-4111-8111-111111111111");

    const OutboxRecord rec = st.create_spool(black_pla());
    CHECK(rec.seq == 1);
    CHECK(rec.type == TransactionType::Purchase);
    CHECK(rec.quantity_grams == 1000);
    CHECK(rec.state == RecordState::Pending);
    REQUIRE(is_uuid(rec.spool_uuid));

    const auto s = st.spool_by_uuid(rec.spool_uuid);
    REQUIRE(s);
    CHECK(s->spool_id.empty());  // central assigns it
    CHECK(s->tenant_id == "11111111-1111-4111-8111-111111111111");
    CHECK(s->material_name == "PLA");
    CHECK(s->material_type_id == "00000000-0000-4000-8000-000000000001");
    CHECK(s->initial_weight_g == 1000);
    CHECK(s->current_weight_g == 1000);
    CHECK(s->empty_spool_weight_g == 250);
    CHECK(st.count_spools({}) == 1);

    // A second spool without an id coexists (no human id yet for either).
    const OutboxRecord rec2 = st.create_spool(black_pla());
    CHECK(rec2.seq == 2);

    // Usable before any sync: a usage on the new spool lowers its local weight and comes after its creation.
    NewRecord u;
    u.spool_uuid = rec.spool_uuid;
    u.type = TransactionType::Usage;
    u.quantity_grams = -30;
    const auto used = st.record(u);
    CHECK(used.seq == 3);
    CHECK(st.spool_by_uuid(rec.spool_uuid)->current_weight_g == 970);

    const auto q = st.unsent(10);
    REQUIRE(q.size() == 3);
    CHECK(q[0].id == rec.id);
    REQUIRE(q[0].new_spool);
    CHECK(q[0].new_spool->material == "PLA");
    CHECK(q[0].new_spool->initial_weight_g == 1000);
    CHECK(q[0].new_spool->empty_spool_weight_g == 250);
    CHECK(!q[2].new_spool);
    CHECK(st.get_record(rec.id)->new_spool);

    SECTION("central's spool_id arrives with the catalog; the local weight of pending records stays") {
        Spool from_server = *s;
        from_server.spool_id = "PLA-BLK-001";
        from_server.current_weight_g = 1000;
        st.upsert_spools({from_server});
        const auto after = st.spool_by_uuid(rec.spool_uuid);
        CHECK(after->spool_id == "PLA-BLK-001");
        CHECK(after->current_weight_g == 970);
        CHECK(st.spool_by_spool_id("pla-blk-001")->id == rec.spool_uuid);
    }
    SECTION("bad input changes nothing") {
        auto no_material = black_pla();
        no_material.spool.material = "";
        CHECK_THROWS_AS(st.create_spool(no_material), std::invalid_argument);
        auto zero = black_pla();
        zero.spool.initial_weight_g = 0;
        CHECK_THROWS_AS(st.create_spool(zero), std::invalid_argument);
        auto same_uuid = black_pla();
        same_uuid.spool_uuid = rec.spool_uuid;
        CHECK_THROWS_AS(st.create_spool(same_uuid), std::invalid_argument);
        st.create_spool(black_pla("MINE-1"));
        CHECK_THROWS_AS(st.create_spool(black_pla("mine-1")), std::invalid_argument);
        CHECK(st.counts().pending == 4);
        CHECK(st.count_spools({}) == 3);
    }
}

TEST_CASE("open purchase lines are cached and count spools not yet applied", "[store][intake]") {
    Dir d;
    StationStore st(d.db());
    PurchaseLine l;
    l.id = "0193a1b2-0000-7000-8000-0000000000a1";
    l.purchase_id = "0193a1b2-0000-7000-8000-0000000000b1";
    l.po_number = "PO-1";
    l.supplier = "Filament World";
    l.order_date = "2026-11-20";
    l.status = "ordered";
    l.material = "PLA";
    l.color = "Black";
    l.quantity = 2;
    l.received = 0;
    l.weight_per_spool_g = 1000;
    l.unit_cost = 19.99;
    st.replace_open_purchases({l});
    REQUIRE(st.open_purchase_lines().size() == 1);

    auto r = black_pla();
    r.spool.purchase_item_id = l.id;
    const auto rec = st.create_spool(r);
    CHECK(st.purchase_line(l.id)->received == 1);
    const auto s = st.spool_by_uuid(rec.spool_uuid);
    CHECK(s->supplier == "Filament World");
    CHECK(s->purchase_date == "2026-11-20");
    // The server has not applied it yet: a fresh list still counts it.
    st.replace_open_purchases({l});
    CHECK(st.purchase_line(l.id)->received == 1);
    st.create_spool(r);
    CHECK(st.open_purchase_lines().empty());          // full
    CHECK(st.open_purchase_lines(false).size() == 1);
    // Once central applied both, its own count is used.
    for (const auto& x : st.unsent(10)) st.mark_applied(x.id, std::nullopt);
    l.received = 2;
    st.replace_open_purchases({l});
    CHECK(st.purchase_line(l.id)->received == 2);
    st.replace_open_purchases({});
    CHECK(st.open_purchase_lines(false).empty());
}
