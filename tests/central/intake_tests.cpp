// Intake on central, against both stores: "spool created" items (TxItem::new_spool) create the spool exactly once
// under the station's UUID with an assigned or given spool_id, write the purchase transaction, fill purchase lines
// and mark purchases received; suppliers and purchases; the catalog's open purchases. PostgreSQL: concurrent
// creates get distinct spool ids.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "central_test_util.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;
using namespace batchivo::central;
using ct::PgBackend;
using ct::SqliteBackend;

namespace {

int64_t g_seq = 1000;

wire::TxItem new_spool_item(const std::string& material, const std::string& color, int grams,
                            const std::string& spool_id = "", const std::string& line = "") {
    wire::TxItem it;
    it.client_id = new_uuid_v7();
    it.device_seq = ++g_seq;
    it.device_time = iso8601_utc_ms(now_epoch_ms());
    it.spool_uuid = new_uuid_v7();
    it.type = "purchase";
    it.quantity_grams = grams;
    NewSpool n;
    n.material = material;
    n.brand = "Bambu Lab";
    n.color = color;
    n.initial_weight_g = grams;
    n.empty_spool_weight_g = 250;
    n.storage_location = "Shelf A";
    n.spool_id = spool_id;
    n.purchase_item_id = line;
    it.new_spool = n;
    return it;
}

wire::TxBatch batch_of(std::vector<wire::TxItem> items) { return wire::TxBatch{std::move(items)}; }

NewPurchase purchase(const std::string& po, std::vector<NewPurchaseItem> items) {
    NewPurchase p;
    p.po_number = po;
    p.order_date = "2026-11-20";
    p.items = std::move(items);
    return p;
}

}  // namespace

TEMPLATE_TEST_CASE("new spools: created once under the station's UUID, ids assigned per tenant", "[intake]", SqliteBackend,
                   PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 1);
    auto g = ct::make_tenant(*b.admin, "rival", 0);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    const auto dev_g = ct::pair_device(*b.admin, *b.app, g.tenant.id);
    const std::string t = f.tenant.id;

    auto a1 = new_spool_item("pla", "Black", 1000);
    auto a2 = new_spool_item("PLA", "Black", 1000);
    auto given = new_spool_item("PETG", "Light Blue", 750, "MY-SPOOL-7");
    const auto r = b.app->apply_batch(dev, batch_of({a1, a2, given}));
    REQUIRE(r.results.size() == 3);
    CHECK(r.results[0].status == "applied");
    CHECK(r.results[0].spool_id == "PLA-BLK-001");
    CHECK(r.results[0].spool_weight_g == 1000);
    CHECK(r.results[1].spool_id == "PLA-BLK-002");
    CHECK(r.results[2].spool_id == "MY-SPOOL-7");

    const auto s = b.app->get_spool(t, a1.spool_uuid);
    REQUIRE(s);
    CHECK(s->id == normalize_uuid(a1.spool_uuid));
    CHECK(s->spool_id == "PLA-BLK-001");
    CHECK(s->material_name == "PLA");
    CHECK(s->brand == "Bambu Lab");
    CHECK(s->initial_weight_g == 1000);
    CHECK(s->current_weight_g == 1000);
    CHECK(s->empty_spool_weight_g == 250);
    CHECK(s->storage_location == "Shelf A");
    const auto h = b.app->spool_transactions(t, a1.spool_uuid, 10);
    REQUIRE(h.size() == 1);
    CHECK(h[0].tx.type == TransactionType::Purchase);
    CHECK(h[0].tx.quantity_grams == 1000);
    CHECK(h[0].tx.reference_type == "station");
    CHECK(h[0].client_id == a1.client_id);

    SECTION("a replay is a duplicate with the same spool_id; nothing is created twice") {
        const auto again = b.app->apply_batch(dev, batch_of({a1, a2}));
        CHECK(again.results[0].status == "duplicate");
        CHECK(again.results[0].spool_id == "PLA-BLK-001");
        CHECK(again.results[1].spool_id == "PLA-BLK-002");
        CHECK(b.app->spool_transactions(t, a1.spool_uuid, 10).size() == 1);
        CHECK(b.app->active_spools(t).size() == 4);
    }
    SECTION("later usage for the new spool in the same batch applies after it") {
        auto c = new_spool_item("ABS", "Red", 900);
        auto u = ct::usage(c.spool_uuid, 40, ++g_seq);
        const auto r2 = b.app->apply_batch(dev, batch_of({c, u}));
        CHECK(r2.results[0].spool_id == "ABS-RED-001");
        CHECK(r2.results[1].status == "applied");
        CHECK(r2.results[1].spool_weight_g == 860);
        CHECK(b.app->get_spool(t, c.spool_uuid)->current_weight_g == 860);
    }
    SECTION("numbering continues after the highest existing id, case-insensitively") {
        Spool manual;
        manual.spool_id = "pla-blk-041";
        manual.material_name = "PLA";
        manual.initial_weight_g = 1000;
        manual.current_weight_g = 1000;
        b.admin->upsert_spool(t, manual);
        const auto r2 = b.app->apply_batch(dev, batch_of({new_spool_item("PLA", "black", 1000)}));
        CHECK(r2.results[0].spool_id == "PLA-BLK-042");
    }
    SECTION("another tenant numbers on its own") {
        const auto r2 = b.app->apply_batch(dev_g, batch_of({new_spool_item("PLA", "Black", 1000)}));
        CHECK(r2.results[0].spool_id == "PLA-BLK-001");
    }
    SECTION("per-item rejections, never a 5xx; the item next to them applies") {
        auto taken = new_spool_item("PLA", "Black", 1000, "MY-SPOOL-7");
        auto reuse_uuid = new_spool_item("PLA", "Black", 1000);
        reuse_uuid.spool_uuid = a1.spool_uuid;
        auto other_tenant_uuid = new_spool_item("PLA", "Black", 1000);
        auto unknown_material = new_spool_item("Unobtainium", "Black", 1000);
        auto bad_qty = new_spool_item("PLA", "Black", 1000);
        bad_qty.quantity_grams = 999;
        auto ok = new_spool_item("PLA", "White", 1000);
        const auto r2 = b.app->apply_batch(dev, batch_of({taken, reuse_uuid, unknown_material, bad_qty, ok}));
        // A typed spool_id another spool has is not a rejection: a fresh id, and the result says so.
        CHECK(r2.results[0].status == "applied");
        CHECK(r2.results[0].code == "spool_id_reassigned");
        CHECK(r2.results[0].spool_id == "PLA-BLK-003");
        CHECK(r2.results[1].code == "conflict");
        CHECK(r2.results[2].code == "unknown_material");
        CHECK(r2.results[3].code == "invalid_item");
        CHECK(r2.results[4].status == "applied");
        CHECK(r2.results[4].spool_id == "PLA-WHT-001");
        // The same UUID in another tenant: the UUID is taken (globally), the other tenant learns nothing else.
        other_tenant_uuid.spool_uuid = a1.spool_uuid;
        const auto r3 = b.app->apply_batch(dev_g, batch_of({other_tenant_uuid}));
        CHECK(r3.results[0].status == "rejected");
        CHECK(r3.results[0].code == "conflict");
        CHECK(!b.app->get_spool(g.tenant.id, a1.spool_uuid));
    }
}

TEMPLATE_TEST_CASE("new spools: a typed spool_id taken first gets a fresh id and a label printed at the station counts",
                   "[intake]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 1);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    const auto dev2 = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    const std::string t = f.tenant.id;

    // Two stations type the same id for two different spools; the first to sync keeps it.
    auto first = new_spool_item("PLA", "Black", 1000, "SHELF-7");
    auto second = new_spool_item("PLA", "Black", 1000, "SHELF-7");
    const auto r1 = b.app->apply_batch(dev, batch_of({first}));
    REQUIRE(r1.results.size() == 1);
    CHECK(r1.results[0].status == "applied");
    CHECK(r1.results[0].code.empty());
    CHECK(r1.results[0].spool_id == "SHELF-7");
    const auto r2 = b.app->apply_batch(dev2, batch_of({second}));
    REQUIRE(r2.results.size() == 1);
    CHECK(r2.results[0].status == "applied");
    CHECK(r2.results[0].code == "spool_id_reassigned");
    CHECK(r2.results[0].spool_id == "PLA-BLK-001");
    CHECK_THAT(r2.results[0].reason, Catch::Contains("SHELF-7") && Catch::Contains("PLA-BLK-001"));
    CHECK(b.app->get_spool(t, second.spool_uuid)->spool_id == "PLA-BLK-001");
    CHECK(b.app->get_spool(t, first.spool_uuid)->spool_id == "SHELF-7");
    // A replay (the answer was lost) says the same; nothing is created twice.
    const auto again = b.app->apply_batch(dev2, batch_of({second}));
    CHECK(again.results[0].status == "duplicate");
    CHECK(again.results[0].code == "spool_id_reassigned");
    CHECK(again.results[0].spool_id == "PLA-BLK-001");
    CHECK(b.app->active_spools(t).size() == 3);

    // A label printed at the station before sync: the spool arrives labelled (not in `spool label --unlabeled`).
    auto labelled = new_spool_item("PETG", "White", 1000);
    labelled.new_spool->qr_code_data = "batchivo://spool/" + labelled.spool_uuid;
    auto plain = new_spool_item("PETG", "White", 1000);
    const auto r3 = b.app->apply_batch(dev, batch_of({labelled, plain}));
    CHECK(r3.results[0].status == "applied");
    CHECK(r3.results[1].status == "applied");
    CHECK(b.app->get_spool(t, labelled.spool_uuid)->qr_code_data == "batchivo://spool/" + labelled.spool_uuid);
    CHECK(b.app->get_spool(t, plain.spool_uuid)->qr_code_data.empty());
    std::set<std::string> unlabeled;
    for (const auto& s : b.admin->unlabeled_spools(t)) unlabeled.insert(s.id);
    CHECK(unlabeled.count(plain.spool_uuid) == 1);
    CHECK(unlabeled.count(labelled.spool_uuid) == 0);
    // The label is not part of the item's identity: the same item without it is still a duplicate.
    auto replay = labelled;
    replay.new_spool->qr_code_data.clear();
    CHECK(b.app->apply_batch(dev, batch_of({replay})).results[0].status == "duplicate");
}

TEMPLATE_TEST_CASE("purchases: lines filled by new spools, received when all are in, open ones in the catalog", "[intake]",
                   SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 0);
    auto g = ct::make_tenant(*b.admin, "rival", 0);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    const auto dev_g = ct::pair_device(*b.admin, *b.app, g.tenant.id);
    const std::string t = f.tenant.id;
    Supplier sup;
    sup.name = "Filament World";
    sup.average_lead_time_days = 5;
    b.admin->add_supplier(t, sup);
    CHECK_THROWS_AS(b.admin->add_supplier(t, sup), StoreError);  // duplicate name
    REQUIRE(b.admin->list_suppliers(t).size() == 1);
    CHECK(b.admin->list_suppliers(g.tenant.id).empty());

    auto p = purchase("PO-1", {{"PLA", "Bambu Lab", "Black", 2, 1000, 19.99}, {"PETG", "Prusament", "Orange", 1, 1000, 24.5}});
    p.supplier = "filament world";
    const auto added = b.admin->add_purchases(t, {p});
    REQUIRE(added.size() == 1);
    const auto& po = added[0].purchase;
    CHECK(po.status == "ordered");
    CHECK(po.supplier == "Filament World");
    REQUIRE(po.items.size() == 2);
    CHECK(added[0].spools_ordered == 3);
    CHECK(added[0].total_cost == Approx(64.48));
    const std::string line_pla = po.items[0].material == "PLA" ? po.items[0].id : po.items[1].id;
    const std::string line_petg = po.items[0].material == "PLA" ? po.items[1].id : po.items[0].id;

    SECTION("bad purchases change nothing") {
        CHECK_THROWS_AS(b.admin->add_purchases(t, {purchase("PO-1", {{"PLA", "", "", 1, {}, 1}})}), StoreError);  // dup PO
        CHECK_THROWS_AS(b.admin->add_purchases(t, {purchase("PO-2", {{"Unobtainium", "", "", 1, {}, 1}})}), StoreError);
        CHECK_THROWS_AS(b.admin->add_purchases(t, {purchase("PO-3", {{"PLA", "", "", 0, {}, 1}})}), StoreError);
        auto nosup = purchase("PO-4", {{"PLA", "", "", 1, {}, 1}});
        nosup.supplier = "Nobody";
        CHECK_THROWS_AS(b.admin->add_purchases(t, {nosup}), StoreError);
        // all or nothing: the second purchase is bad, the first is not kept
        CHECK_THROWS_AS(b.admin->add_purchases(t, {purchase("PO-5", {{"PLA", "", "", 1, {}, 1}}),
                                                   purchase("PO-6", {{"PLA", "", "", 1, {}, -1}})}),
                        StoreError);
        CHECK(b.admin->list_purchases(t, false).size() == 1);
    }
    SECTION("the catalog carries open purchases from the start and when they change") {
        const auto d = b.app->catalog(t, "", 500);
        REQUIRE(d.open_purchases);
        REQUIRE(d.open_purchases->size() == 1);
        CHECK(d.open_purchases->at(0).po_number == "PO-1");
        const auto d2 = b.app->catalog(t, d.next_cursor, 500);
        CHECK(!d2.open_purchases);  // nothing changed
        b.admin->add_purchases(t, {purchase("PO-7", {{"TPU", "", "Black", 1, {}, 30}})});
        const auto d3 = b.app->catalog(t, d.next_cursor, 500);
        REQUIRE(d3.open_purchases);
        CHECK(d3.open_purchases->size() == 2);
        CHECK(b.app->catalog(g.tenant.id, "", 500).open_purchases->empty());
    }
    SECTION("new spools fill the lines; the purchase is received when all are in") {
        auto s1 = new_spool_item("PLA", "Black", 1000, "", line_pla);
        const auto r1 = b.app->apply_batch(dev, batch_of({s1}));
        REQUIRE(r1.results[0].status == "applied");
        const auto h = b.app->spool_transactions(t, s1.spool_uuid, 5);
        REQUIRE(h.size() == 1);
        CHECK(h[0].tx.type == TransactionType::Purchase);
        CHECK(h[0].tx.reference_type == "purchase_item");
        CHECK(h[0].tx.reference_id == line_pla);
        const auto sp = b.app->get_spool(t, s1.spool_uuid);
        CHECK(sp->supplier == "Filament World");
        CHECK(sp->purchase_date == "2026-11-20");
        REQUIRE(sp->purchase_cost);
        CHECK(*sp->purchase_cost == Approx(19.99));
        auto list = b.admin->list_purchases(t, true);
        REQUIRE(list.size() == 1);
        CHECK(list[0].spools_received == 1);
        CHECK(list[0].purchase.status == "ordered");

        auto s2 = new_spool_item("PLA", "Black", 1000, "", line_pla);
        auto s3 = new_spool_item("PLA", "Black", 1000, "", line_pla);  // the line has 2: this third one is refused
        auto s4 = new_spool_item("PETG", "Orange", 1000, "", line_petg);
        const auto r2 = b.app->apply_batch(dev, batch_of({s2, s3, s4}));
        CHECK(r2.results[0].status == "applied");
        CHECK(r2.results[1].code == "purchase_item_complete");
        CHECK(r2.results[2].status == "applied");
        CHECK(b.admin->list_purchases(t, true).empty());
        const auto all = b.admin->list_purchases(t, false);
        REQUIRE(all.size() == 1);
        CHECK(all[0].purchase.status == "received");
        CHECK(!all[0].received_date.empty());
        CHECK(all[0].spools_received == 3);
        CHECK(!b.app->get_spool(t, s3.spool_uuid));
        // the received purchase leaves the catalog's open purchases
        const auto d = b.app->catalog(t, "", 500);
        REQUIRE(d.open_purchases);
        CHECK(d.open_purchases->empty());
    }
    SECTION("an unknown or other tenant's purchase line is a per-item rejection") {
        auto wrong = new_spool_item("PLA", "Black", 1000, "", line_pla);
        auto unknown = new_spool_item("PLA", "Black", 1000, "", new_uuid_v7());
        const auto r = b.app->apply_batch(dev_g, batch_of({wrong, unknown}));
        CHECK(r.results[0].code == "unknown_purchase_item");
        CHECK(r.results[1].code == "unknown_purchase_item");
        CHECK(b.admin->list_purchases(t, true).at(0).spools_received == 0);
    }
}

TEST_CASE("PostgreSQL: concurrent creates get distinct spool ids", "[intake][pg]") {
    auto b = PgBackend::make();
    auto f = ct::make_tenant(*b.admin, "acme", 0);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    constexpr int kThreads = 4, kPerThread = 5;
    std::vector<std::vector<std::string>> ids(kThreads);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> th;
    for (int i = 0; i < kThreads; ++i)
        th.emplace_back([&, i] {
            try {
                for (int k = 0; k < kPerThread; ++k) {
                    const auto r = b.app->apply_batch(dev, batch_of({new_spool_item("PLA", "Black", 1000)}));
                    if (r.results.at(0).status != "applied") errors[i] = r.results[0].code + ": " + r.results[0].reason;
                    ids[i].push_back(r.results[0].spool_id);
                }
            } catch (const std::exception& e) {
                errors[i] = e.what();
            }
        });
    for (auto& x : th) x.join();
    std::set<std::string> distinct;
    for (int i = 0; i < kThreads; ++i) {
        INFO("thread " << i << ": " << errors[i]);
        CHECK(errors[i].empty());
        distinct.insert(ids[i].begin(), ids[i].end());
    }
    CHECK(distinct.size() == static_cast<size_t>(kThreads * kPerThread));
    CHECK(distinct.count("PLA-BLK-001") == 1);
    CHECK(distinct.count("PLA-BLK-020") == 1);
    CHECK(b.app->active_spools(f.tenant.id).size() == static_cast<size_t>(kThreads * kPerThread));
}
