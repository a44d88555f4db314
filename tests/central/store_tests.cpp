// One store test suite run against both implementations (SQLite and PostgreSQL through the non-owner app role).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <set>
#include <thread>

#include "central_test_util.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;
using namespace batchivo::central;
using ct::PgBackend;
using ct::SqliteBackend;

namespace {
batchivo::central::SpoolQuery query_text(const std::string& text) {
    batchivo::central::SpoolQuery q;
    q.q = text;
    return q;
}
}  // namespace

namespace {
wire::TxBatch batch_of(std::vector<wire::TxItem> items) { return wire::TxBatch{std::move(items)}; }
int weight_of(Store& s, const std::string& tenant, const std::string& spool) { return s.get_spool(tenant, spool)->current_weight_g; }
size_t history_size(Store& s, const std::string& tenant, const std::string& spool) {
    return s.spool_transactions(tenant, spool, 500).size();
}
}  // namespace

TEMPLATE_TEST_CASE("pairing codes are one-time, expire, and tokens can be revoked", "[store]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 1);
    const auto pc = b.admin->create_pairing_code(f.tenant.id, "Printer bay 1", 600);
    CHECK(wire::looks_like_pairing_code(pc.code));
    const auto r = b.app->redeem_pairing(pc.code, "pi-1");
    CHECK(r.tenant_slug == "acme");
    CHECK(r.tenant_id == f.tenant.id);
    CHECK(r.station_name == "Printer bay 1");
    CHECK(r.token.rfind("bvt_", 0) == 0);
    auto dev = b.app->authenticate(r.token);
    REQUIRE(dev);
    CHECK(dev->tenant_id == f.tenant.id);
    CHECK(dev->device_id == r.device_id);
    CHECK_THROWS_AS(b.app->redeem_pairing(pc.code, "pi-2"), StoreError);  // one-time
    CHECK_THROWS_AS(b.app->redeem_pairing("PAIR-2345-6789", ""), StoreError);
    const auto expired = b.admin->create_pairing_code(f.tenant.id, "old", -1);
    CHECK_THROWS_AS(b.app->redeem_pairing(expired.code, ""), StoreError);
    // lower-case codes work (typed by hand)
    const auto pc2 = b.admin->create_pairing_code(f.tenant.id, "Bay 2", 600);
    CHECK_NOTHROW(b.app->redeem_pairing(to_lower(pc2.code), ""));
    CHECK_FALSE(b.app->authenticate("bvt_not-a-token"));
    const auto devices = b.admin->list_devices(f.tenant.id);
    REQUIRE(devices.size() == 2);
    CHECK(b.admin->revoke_device(f.tenant.id, r.device_id));
    CHECK_FALSE(b.admin->revoke_device(f.tenant.id, r.device_id));
    CHECK_FALSE(b.app->authenticate(r.token));
    // another tenant cannot revoke it
    auto g = ct::make_tenant(*b.admin, "other", 0);
    std::string tok;
    auto dev2 = ct::pair_device(*b.admin, *b.app, f.tenant.id, &tok);
    CHECK_FALSE(b.admin->revoke_device(g.tenant.id, dev2.device_id));
    CHECK(b.app->authenticate(tok));
}

TEMPLATE_TEST_CASE("batch semantics: apply, duplicate, conflict, reject, weighings", "[store]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 3);
    auto g = ct::make_tenant(*b.admin, "rival", 1);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    const std::string t = f.tenant.id, s0 = f.spools[0].id, s1 = f.spools[1].id, s2 = f.spools[2].id;

    SECTION("usage subtracts, weighing sets the measured net, one row per item") {
        auto u = ct::usage(s0, 50, 1);
        auto w = ct::weighing(s1, 850.4, 250, 2);  // net 600.4 -> 600
        const auto r = b.app->apply_batch(dev, batch_of({u, w}));
        REQUIRE(r.results.size() == 2);
        CHECK(r.results[0].status == "applied");
        CHECK(r.results[0].spool_weight_g == 750);
        CHECK(r.results[1].status == "applied");
        CHECK(r.results[1].spool_weight_g == 600);
        CHECK(weight_of(*b.app, t, s0) == 750);
        CHECK(weight_of(*b.app, t, s1) == 600);
        const auto h = b.app->spool_transactions(t, s1, 10);
        REQUIRE(h.size() == 1);
        CHECK(h[0].tx.quantity_grams == -200);
        REQUIRE(h[0].measurement);
        CHECK(h[0].measurement->gross_g == Approx(850.4));
        CHECK(h[0].measurement->tare_source == "catalog");
        CHECK(h[0].device_id == dev.device_id);
        CHECK(h[0].device_seq == 2);
        CHECK(h[0].client_id == w.client_id);

        SECTION("replay: same content is a duplicate with the spool's weight, nothing written") {
            const auto again = b.app->apply_batch(dev, batch_of({u, w}));
            CHECK(again.results[0].status == "duplicate");
            CHECK(again.results[0].spool_weight_g == 750);
            CHECK(again.results[0].transaction_id == r.results[0].transaction_id);
            CHECK(again.results[1].status == "duplicate");
            CHECK(weight_of(*b.app, t, s0) == 750);
            CHECK(history_size(*b.app, t, s0) == 1);
        }
        SECTION("same client_id with different content is rejected as conflict") {
            auto u2 = u;
            u2.quantity_grams = -51;
            const auto c = b.app->apply_batch(dev, batch_of({u2}));
            CHECK(c.results[0].status == "rejected");
            CHECK(c.results[0].code == "conflict");
            CHECK(weight_of(*b.app, t, s0) == 750);
            // the same item from another device is a different content too
            const auto dev2 = ct::pair_device(*b.admin, *b.app, t);
            CHECK(b.app->apply_batch(dev2, batch_of({u})).results[0].code == "conflict");
        }
    }
    SECTION("invalid items are rejected with a reason; the rest of the batch applies") {
        auto ok = ct::usage(s0, 10, 1);
        auto unknown = ct::usage(new_uuid_v7(), 10, 2);
        auto foreign = ct::usage(g.spools[0].id, 10, 3);
        auto too_much = ct::usage(s1, 801, 4);
        auto too_heavy = ct::weighing(s2, 1300, 200, 5);  // net 1100 > initial 1000
        auto bad = ct::usage(s2, 10, 6);
        bad.client_id = "nope";
        auto bad_type = ct::usage(s2, 10, 7);
        bad_type.type = "theft";
        const auto r = b.app->apply_batch(dev, batch_of({ok, unknown, foreign, too_much, too_heavy, bad, bad_type}));
        REQUIRE(r.results.size() == 7);
        CHECK(r.results[0].status == "applied");
        CHECK(r.results[1].code == "unknown_spool");
        CHECK(r.results[2].code == "unknown_spool");  // another tenant's spool does not exist for this device
        CHECK(r.results[3].code == "weight_constraint");
        CHECK(r.results[4].code == "weight_constraint");
        CHECK(r.results[5].code == "invalid_item");
        CHECK(r.results[6].code == "invalid_item");
        for (size_t i = 1; i < 7; ++i) {
            CHECK(r.results[i].status == "rejected");
            CHECK_FALSE(r.results[i].reason.empty());
        }
        CHECK(weight_of(*b.app, t, s0) == 790);
        CHECK(weight_of(*b.app, t, s1) == 800);
        CHECK(weight_of(*b.app, t, s2) == 800);
        CHECK(weight_of(*b.admin, g.tenant.id, g.spools[0].id) == 800);
        CHECK(history_size(*b.app, t, s1) == 0);
        CHECK(history_size(*b.admin, g.tenant.id, g.spools[0].id) == 0);
    }
    SECTION("a late weighing from the same device is recorded but does not overwrite a newer one") {
        auto newer = ct::weighing(s0, 900, 300, 10);  // 600
        auto older = ct::weighing(s0, 950, 300, 7);   // 650, taken earlier
        auto old_usage = ct::usage(s0, 20, 8);        // logged before the seq-10 weighing
        REQUIRE(b.app->apply_batch(dev, batch_of({newer})).results[0].spool_weight_g == 600);
        const auto r = b.app->apply_batch(dev, batch_of({older, old_usage}));
        CHECK(r.results[0].status == "applied");
        CHECK(r.results[0].code == "stale_weighing");
        CHECK(r.results[0].spool_weight_g == 600);
        CHECK(r.results[1].status == "applied");
        CHECK(r.results[1].code == "superseded");
        CHECK(weight_of(*b.app, t, s0) == 600);
        const auto h = b.app->spool_transactions(t, s0, 10);
        CHECK(h.size() == 3);
        int not_applied = 0;
        for (const auto& x : h) not_applied += x.weight_applied ? 0 : 1;
        CHECK(not_applied == 2);
        // a later usage from the same device still applies, and another device's weighing applies on arrival
        CHECK(b.app->apply_batch(dev, batch_of({ct::usage(s0, 100, 11)})).results[0].spool_weight_g == 500);
        const auto dev2 = ct::pair_device(*b.admin, *b.app, t);
        CHECK(b.app->apply_batch(dev2, batch_of({ct::weighing(s0, 700, 300, 1)})).results[0].spool_weight_g == 400);
    }
    SECTION("duplicates inside one batch") {
        auto u = ct::usage(s0, 5, 1);
        const auto r = b.app->apply_batch(dev, batch_of({u, u}));
        CHECK(r.results[0].status == "applied");
        CHECK(r.results[1].status == "duplicate");
        CHECK(weight_of(*b.app, t, s0) == 795);
    }
}

namespace {
constexpr int64_t kMin = 60'000, kDay = 86'400'000, kYear = 365 * kDay;
// A station whose clock is off by `skew_ms`: an item recorded `ago_ms` before now (real time) and a batch sent now.
wire::TxItem at_device_time(wire::TxItem i, int64_t skew_ms, int64_t ago_ms) {
    i.device_time = iso8601_utc_ms(now_epoch_ms() + skew_ms - ago_ms);
    return i;
}
wire::TxBatch sent_now(std::vector<wire::TxItem> items, int64_t skew_ms) {
    wire::TxBatch b{std::move(items)};
    b.sent_at = iso8601_utc_ms(now_epoch_ms() + skew_ms);
    return b;
}
}  // namespace

TEMPLATE_TEST_CASE("cross-device ordering: device times are corrected by the batch's sent_at", "[store]", SqliteBackend,
                   PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 2);
    const std::string t = f.tenant.id, s0 = f.spools[0].id, s1 = f.spools[1].id;
    const auto a = ct::pair_device(*b.admin, *b.app, t);  // station A: clock one day fast
    const auto bb = ct::pair_device(*b.admin, *b.app, t); // station B: clock one year slow
    const int64_t skew_a = kDay, skew_b = -kYear;

    SECTION("A weighed an hour ago but syncs last: B's newer weighing is kept, A's is history") {
        // B weighed 10 minutes ago (its device_time is a year old) and syncs first.
        auto wb = at_device_time(ct::weighing(s0, 900, 300, 1), skew_b, 10 * kMin);  // 600
        const auto rb = b.app->apply_batch(bb, sent_now({wb}, skew_b));
        REQUIRE(rb.results[0].status == "applied");
        CHECK(rb.results[0].code.empty());
        CHECK(weight_of(*b.app, t, s0) == 600);
        // A weighed an hour ago (device_time tomorrow) and also logged a usage before that; both arrive now.
        auto ua = at_device_time(ct::usage(s0, 30, 1), skew_a, 70 * kMin);
        auto wa = at_device_time(ct::weighing(s0, 1000, 300, 2), skew_a, 60 * kMin);  // 700, older than B's
        const auto ra = b.app->apply_batch(a, sent_now({ua, wa}, skew_a));
        REQUIRE(ra.results.size() == 2);
        CHECK(ra.results[0].status == "applied");
        CHECK(ra.results[0].code == "superseded");
        CHECK(ra.results[0].spool_weight_g == 600);
        CHECK(ra.results[1].status == "applied");
        CHECK(ra.results[1].code == "stale_weighing");
        CHECK_THAT(ra.results[1].reason, Catch::Contains("another device"));
        CHECK(ra.results[1].spool_weight_g == 600);
        CHECK(weight_of(*b.app, t, s0) == 600);
        const auto h = b.app->spool_transactions(t, s0, 10);
        REQUIRE(h.size() == 3);
        int applied = 0;
        for (const auto& x : h) {
            applied += x.weight_applied ? 1 : 0;
            // corrected times sit within minutes of the real moments, whatever the device clocks said
            const auto occ = parse_iso8601_ms(x.occurred_at);
            REQUIRE(occ);
            CHECK(std::llabs(*occ - now_epoch_ms()) < 2 * 60 * kMin);
            if (x.device_id == a.device_id) CHECK(x.tx.quantity_grams == 0);
        }
        CHECK(applied == 1);

        SECTION("replaying A's batch with a new sent_at is a duplicate, not a conflict") {
            const auto again = b.app->apply_batch(a, sent_now({ua, wa}, skew_a + 5 * kMin));
            CHECK(again.results[0].status == "duplicate");
            CHECK(again.results[1].status == "duplicate");
            CHECK(weight_of(*b.app, t, s0) == 600);
            CHECK(history_size(*b.app, t, s0) == 3);
        }
        SECTION("A's later weighing (taken after B's) applies; so does a usage after it") {
            auto wa2 = at_device_time(ct::weighing(s0, 850, 300, 3), skew_a, 1 * kMin);  // 550, newest
            auto ua2 = at_device_time(ct::usage(s0, 50, 4), skew_a, 0);
            const auto r = b.app->apply_batch(a, sent_now({wa2, ua2}, skew_a));
            CHECK(r.results[0].code.empty());
            CHECK(r.results[0].spool_weight_g == 550);
            CHECK(r.results[1].code.empty());
            CHECK(weight_of(*b.app, t, s0) == 500);
        }
    }
    SECTION("A syncs its older weighing first; B's later one (device_time a year old) still wins") {
        auto wa = at_device_time(ct::weighing(s1, 1000, 300, 1), skew_a, 60 * kMin);  // 700
        CHECK(b.app->apply_batch(a, sent_now({wa}, skew_a)).results[0].spool_weight_g == 700);
        auto wb = at_device_time(ct::weighing(s1, 900, 300, 1), skew_b, 10 * kMin);  // 600
        const auto r = b.app->apply_batch(bb, sent_now({wb}, skew_b));
        CHECK(r.results[0].status == "applied");
        CHECK(r.results[0].code.empty());
        CHECK(weight_of(*b.app, t, s1) == 600);
        // a usage B logged after its weighing subtracts; one A logged before B's weighing does not
        auto ub = at_device_time(ct::usage(s1, 20, 2), skew_b, 5 * kMin);
        auto ua = at_device_time(ct::usage(s1, 40, 2), skew_a, 30 * kMin);
        CHECK(b.app->apply_batch(bb, sent_now({ub}, skew_b)).results[0].spool_weight_g == 580);
        const auto ra = b.app->apply_batch(a, sent_now({ua}, skew_a));
        CHECK(ra.results[0].code == "superseded");
        CHECK(weight_of(*b.app, t, s1) == 580);
    }
    SECTION("without sent_at (older stations) the arrival time orders, as before") {
        auto wb = at_device_time(ct::weighing(s0, 900, 300, 1), skew_b, 10 * kMin);
        CHECK(b.app->apply_batch(bb, sent_now({wb}, skew_b)).results[0].spool_weight_g == 600);
        auto wa = at_device_time(ct::weighing(s0, 1000, 300, 1), skew_a, 60 * kMin);
        const auto r = b.app->apply_batch(a, batch_of({wa}));  // no sent_at: measured "now"
        CHECK(r.results[0].code.empty());
        CHECK(weight_of(*b.app, t, s0) == 700);
        int checked = 0;
        for (const auto& h : b.app->spool_transactions(t, s0, 10)) {
            if (h.device_id != a.device_id) continue;  // A's row: occurred_at is its arrival, not its device time
            CHECK(std::llabs(*parse_iso8601_ms(h.occurred_at) - now_epoch_ms()) < 5 * kMin);
            ++checked;
        }
        CHECK(checked == 1);
    }
    SECTION("a device time after sent_at is clamped to the server's now") {
        auto wa = at_device_time(ct::weighing(s0, 900, 300, 1), skew_a, -kDay);  // "recorded" a day after sending
        CHECK(b.app->apply_batch(a, sent_now({wa}, skew_a)).results[0].spool_weight_g == 600);
        const auto h = b.app->spool_transactions(t, s0, 1);
        REQUIRE(h.size() == 1);
        CHECK(*parse_iso8601_ms(h[0].occurred_at) <= now_epoch_ms());
        // so B's weighing taken just now still wins over it
        auto wb = at_device_time(ct::weighing(s0, 950, 300, 1), skew_b, 0);
        CHECK(b.app->apply_batch(bb, sent_now({wb}, skew_b)).results[0].spool_weight_g == 650);
    }
    SECTION("within one device device_seq stays authoritative over its (jumping) clock") {
        auto w1 = at_device_time(ct::weighing(s0, 900, 300, 5), skew_a, 0);
        CHECK(b.app->apply_batch(a, sent_now({w1}, skew_a)).results[0].spool_weight_g == 600);
        // the clock jumped back an hour (e.g. NTP) before the next weighing: seq 6 still applies
        auto w2 = at_device_time(ct::weighing(s0, 850, 300, 6), skew_a, 60 * kMin);
        const auto r = b.app->apply_batch(a, sent_now({w2}, skew_a));
        CHECK(r.results[0].status == "applied");
        CHECK(r.results[0].code.empty());
        CHECK(weight_of(*b.app, t, s0) == 550);
        // and a lower seq is stale even though its device time is the newest of all
        auto w0 = at_device_time(ct::weighing(s0, 800, 300, 4), skew_a, -30 * kMin);
        const auto r0 = b.app->apply_batch(a, sent_now({w0}, skew_a));
        CHECK(r0.results[0].code == "stale_weighing");
        CHECK(weight_of(*b.app, t, s0) == 550);
    }
}

TEST_CASE("migration 3 upgrades a database with spools and history in place", "[store]") {
    auto s = open_store("sqlite:" + ct::temp_dir("upgrade") + "/u.db");
    const auto all = sqlite_migrations();
    REQUIRE(all.size() == 3);
    CHECK(s->migrate_with({all[0], all[1]}) == 2);
    auto f = ct::make_tenant(*s, "acme", 1);
    const auto dev = ct::pair_device(*s, *s, f.tenant.id);
    s->add_history(f.tenant.id, f.spools[0].id, TransactionType::Usage, -10, "before the upgrade", "2026-11-01T10:00:00.000Z");
    CHECK(s->migrate() == 1);
    CHECK(s->schema_version() == 3);
    auto hist = s->spool_transactions(f.tenant.id, f.spools[0].id, 10);
    REQUIRE(hist.size() == 1);
    CHECK(hist[0].occurred_at.empty());  // not backfilled
    // the spool has no recorded weighing time yet: an old weighing from another device applies, as before
    auto w = ct::weighing(f.spools[0].id, 900, 300, 1);
    w.device_time = "2025-01-01T00:00:00.000Z";
    wire::TxBatch b{{w}};
    b.sent_at = "2025-01-01T00:05:00.000Z";
    CHECK(s->apply_batch(dev, b).results[0].spool_weight_g == 600);
    hist = s->spool_transactions(f.tenant.id, f.spools[0].id, 10);
    REQUIRE(hist.size() == 2);
    int with_time = 0;
    for (const auto& h : hist) with_time += h.occurred_at.empty() ? 0 : 1;
    CHECK(with_time == 1);
}

TEMPLATE_TEST_CASE("spool import is all-or-nothing in one transaction", "[store]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 1);  // FIL-1: 1000 g, 800 g current
    const std::string t = f.tenant.id;
    auto spool = [](const std::string& id, int initial, int current) {
        Spool s;
        s.spool_id = id;
        s.initial_weight_g = initial;
        s.current_weight_g = current;
        s.material_name = "PLA";
        return s;
    };
    auto count = [&] { return b.admin->active_spools(t).size(); };
    auto fil1_weight = [&] { return b.admin->search_spools(t, query_text("FIL-1")).spools.at(0).spool.current_weight_g; };

    SECTION("a row the database refuses (current > initial, the seed's weight_logic) imports nothing") {
        // the store does not pre-validate weights: the CHECK constraint fires on the third row
        CHECK_THROWS_AS(b.admin->import_spools(t, {spool("FIL-1", 1000, 123), spool("IMP-1", 1000, 500),
                                                   spool("IMP-2", 500, 900)}),
                        StoreError);
        CHECK(count() == 1);
        CHECK(fil1_weight() == 800);  // the update of the existing spool was rolled back too
        CHECK(b.admin->search_spools(t, query_text("IMP-")).total == 0);
    }
    SECTION("the same spool_id twice is refused before anything is written") {
        try {
            b.admin->import_spools(t, {spool("IMP-1", 1000, 500), spool("IMP-2", 1000, 400), spool("IMP-1", 1000, 300)});
            FAIL("import with a duplicate spool_id succeeded");
        } catch (const StoreError& e) {
            CHECK(e.code == "invalid_input");
            CHECK_THAT(std::string(e.what()), Catch::Contains("IMP-1"));
        }
        CHECK(count() == 1);
    }
    SECTION("a good import saves every row, updates existing ones, returns them in order") {
        const auto out = b.admin->import_spools(t, {spool("IMP-2", 1000, 400), spool("FIL-1", 1000, 123),
                                                    spool("IMP-1", 750, 700)});
        REQUIRE(out.size() == 3);
        CHECK(out[0].spool_id == "IMP-2");
        CHECK(out[1].id == f.spools[0].id);
        CHECK(out[1].current_weight_g == 123);
        CHECK(out[2].initial_weight_g == 750);
        CHECK(out[2].material_name == "PLA");
        CHECK(count() == 3);
        CHECK(fil1_weight() == 123);
        // the store is usable afterwards (no transaction left open)
        CHECK(b.admin->import_spools(t, {}).empty());
        CHECK_THROWS_AS(b.admin->import_spools(t, {spool("IMP-3", 10, 20)}), StoreError);
        CHECK(count() == 3);
        CHECK(b.admin->upsert_spool(t, spool("IMP-3", 10, 5)).current_weight_g == 5);
    }
}

TEMPLATE_TEST_CASE("concurrent identical batches apply exactly once", "[store]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 2);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    const auto batch = batch_of({ct::usage(f.spools[0].id, 7, 1), ct::usage(f.spools[1].id, 9, 2)});
    std::atomic<int> applied{0}, duplicate{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 50; ++i)
        threads.emplace_back([&] {
            const auto r = b.app->apply_batch(dev, batch);
            for (const auto& x : r.results) {
                if (x.status == "applied") ++applied;
                else if (x.status == "duplicate") ++duplicate;
                else ++other;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(applied == 2);
    CHECK(duplicate == 98);
    CHECK(other == 0);
    CHECK(weight_of(*b.app, f.tenant.id, f.spools[0].id) == 793);
    CHECK(weight_of(*b.app, f.tenant.id, f.spools[1].id) == 791);
    CHECK(history_size(*b.app, f.tenant.id, f.spools[0].id) == 1);
}

TEMPLATE_TEST_CASE("catalog delta: cursor, pages, deletions, tenant scope", "[store]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 12);
    auto g = ct::make_tenant(*b.admin, "rival", 3);
    ReorderSetting rs;
    rs.material_name = "PLA";
    rs.lead_time_days = 5;
    rs.reorder_point_grams = 2000;
    const auto saved_rs = b.admin->set_reorder(f.tenant.id, rs);
    const std::string t = f.tenant.id;

    auto full = b.app->catalog(t, "", 1000);
    CHECK(full.spools.size() == 12);
    CHECK(full.reorder_settings.size() == 1);
    CHECK(full.material_types.size() == 10);
    CHECK_FALSE(full.has_more);
    for (const auto& s : full.spools) CHECK(s.spool.tenant_id == t);
    CHECK(full.spools[0].stock.status == StockStatus::Ok);

    auto none = b.app->catalog(t, full.next_cursor, 1000);
    CHECK(none.spools.empty());
    CHECK(none.material_types.empty());
    CHECK(none.next_cursor == full.next_cursor);

    // pages of 5 see everything exactly once
    std::set<std::string> seen;
    std::string cur;
    int pages = 0;
    for (;;) {
        auto p = b.app->catalog(t, cur, 5);
        for (const auto& s : p.spools) CHECK(seen.insert(s.spool.id).second);
        cur = p.next_cursor;
        ++pages;
        if (!p.has_more) break;
        REQUIRE(pages < 10);
    }
    CHECK(seen.size() == 12);
    CHECK(pages == 3);

    // a weight change, a deletion and a reorder deletion show up after the cursor
    const auto dev = ct::pair_device(*b.admin, *b.app, t);
    b.app->apply_batch(dev, wire::TxBatch{{ct::usage(f.spools[3].id, 100, 1)}});
    CHECK(b.admin->delete_spool(t, f.spools[4].id));
    CHECK(b.admin->delete_reorder(t, saved_rs.id));
    auto d = b.app->catalog(t, cur, 1000);
    REQUIRE(d.spools.size() == 1);
    CHECK(d.spools[0].spool.id == f.spools[3].id);
    CHECK(d.spools[0].spool.current_weight_g == 700);
    CHECK(d.deleted_spools == std::vector<std::string>{f.spools[4].id});
    CHECK(d.deleted_reorder_settings == std::vector<std::string>{saved_rs.id});
    // other tenant's changes are invisible
    b.admin->delete_spool(g.tenant.id, g.spools[0].id);
    auto d2 = b.app->catalog(t, d.next_cursor, 1000);
    CHECK(d2.deleted_spools.empty());
    CHECK(d2.spools.empty());
    CHECK_THROWS_AS(b.app->catalog(t, "v1:x", 10), StoreError);
    CHECK_THROWS_AS(b.app->catalog(t, "garbage", 10), StoreError);
}

TEMPLATE_TEST_CASE("lookups: search, filters, low stock, reorder", "[store]", SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 0);
    const std::string t = f.tenant.id;
    auto add = [&](const char* id, const char* mat, const char* color, int cur) {
        Spool s;
        s.spool_id = id;
        s.material_name = mat;
        s.brand = "Polymaker";
        s.color = color;
        s.initial_weight_g = 1000;
        s.current_weight_g = cur;
        s.storage_location = "Shelf 9";
        return b.admin->upsert_spool(t, s);
    };
    add("A-1", "PLA", "Black", 900);
    add("A-2", "PLA", "Black", 200);
    add("B-1", "PETG", "Red", 50);
    add("C-1", "TPU", "Clear", 0);
    auto search = [&](SpoolQuery q) { return b.app->search_spools(t, q); };
    auto Q = [](std::string q, std::string material, std::string status, bool low = false, int limit = 50, int offset = 0) {
        SpoolQuery x;
        x.q = q;
        x.material = material;
        x.status = status;
        x.low_stock = low;
        x.limit = limit;
        x.offset = offset;
        return x;
    };
    CHECK(search(Q("", "", "")).total == 4);
    CHECK(search(Q("black", "", "")).total == 2);
    CHECK(search(Q("shelf 9", "", "")).total == 4);
    CHECK(search(Q("", "petg", "")).total == 1);
    CHECK(search(Q("", "", "low")).total == 1);
    CHECK(search(Q("", "", "critical")).total == 1);
    CHECK(search(Q("", "", "depleted")).total == 1);
    CHECK_THROWS_AS(search(Q("", "", "meh")), StoreError);
    auto page = search(Q("", "", "", false, 2, 2));
    CHECK(page.total == 4);
    REQUIRE(page.spools.size() == 2);
    CHECK(page.spools[0].spool.spool_id == "B-1");
    // low stock: below 25 %, or covered by a reorder setting that needs reordering
    CHECK(search(Q("", "", "", true)).total == 3);
    ReorderSetting rs;
    rs.material_name = "PLA";
    rs.color = "Black";
    rs.lead_time_days = 5;
    rs.reorder_point_grams = 1500;
    b.admin->set_reorder(t, rs);
    CHECK(search(Q("", "", "", true)).total == 4);
    const auto lines = b.app->reorder(t);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].stock_g == 1100);
    CHECK(lines[0].spool_count == 2);
    CHECK(lines[0].needs_reorder);
    // update keeps one row per (material, color, brand)
    rs.reorder_point_grams = 500;
    b.admin->set_reorder(t, rs);
    CHECK(b.app->reorder_settings(t).size() == 1);
    CHECK_FALSE(b.app->reorder(t)[0].needs_reorder);
}
