#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <set>
#include <thread>

#include "fake_central.hpp"
#include "sync/engine/sync_engine.hpp"
#include "sync/targets/central/station_api.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/batch.hpp"
#include "sync/store/station_store.hpp"
#include "sync_test_util.hpp"

using namespace batchivo;
using namespace batchivo::sync;
using batchivo::test::FakeCentral;
using batchivo::test::TempDir;

namespace {

struct Rig {
    TempDir dir;
    FakeCentral central;
    std::unique_ptr<StationStore> store;
    std::function<std::optional<HttpResponse>(const HttpRequest&)> intercept;  // before the fake central
    std::atomic<int> requests{0};

    Rig() {
        store = std::make_unique<StationStore>(dir.db());
        std::string err;
        REQUIRE(save_credentials(dir.creds(), test::test_credentials(), err));
    }
    test::EngineOptions options() {
        return test::engine_options(dir, [this](const HttpRequest& r, const std::atomic<bool>*) {
            ++requests;
            if (intercept)
                if (auto x = intercept(r)) return *x;
            return central.handle(r);
        });
    }
    // Puts a central spool into the local catalog the way a catalog pull would.
    Spool local_spool(const std::string& uuid) {
        Spool s;
        {
            std::lock_guard lk(central.mu);
            s = central.spools.at(uuid);
        }
        store->upsert_spools({s});
        return s;
    }
    OutboxRecord use(const std::string& uuid, int grams, std::optional<int64_t> t = std::nullopt) {
        NewRecord r;
        r.spool_uuid = uuid;
        r.type = TransactionType::Usage;
        r.quantity_grams = -grams;
        r.device_time_ms = t;
        return store->record(r);
    }
    OutboxRecord weigh(const std::string& uuid, double net, std::optional<int64_t> t = std::nullopt) {
        NewRecord r;
        r.spool_uuid = uuid;
        r.type = TransactionType::Adjustment;
        r.measurement = Measurement{net + 200, 200, TareSource::Spool, net};
        r.device_time_ms = t;
        return store->record(r);
    }
};

template <class Pred>
bool wait_until(Pred p, int timeout_ms = 10000) {
    for (int i = 0; i < timeout_ms / 5; ++i) {
        if (p()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return p();
}

}  // namespace

TEST_CASE("sync_once drains the outbox in sequence order in batches and applies the server's weights",
          "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 800);
    auto b = rig.central.add_spool("FIL-002", 1000, 500);
    rig.local_spool(a);
    rig.local_spool(b);
    for (int i = 0; i < 25; ++i) rig.use(i % 2 ? a : b, 3);
    rig.weigh(a, 700);
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 26);
    CHECK(rep.batches == 3);  // batch size 10
    CHECK(rep.pending_after == 0);
    CHECK(rep.catalog_pulled);
    REQUIRE(rig.central.seq_order.size() == 26);
    for (size_t i = 0; i < 26; ++i) CHECK(rig.central.seq_order[i] == static_cast<int64_t>(i + 1));
    CHECK(rig.store->counts().applied == 26);
    // The local catalog reflects the server's weights: a = 700 (weighing last), b = 500 - 13 * 3.
    CHECK(rig.store->spool_by_uuid(a)->current_weight_g == 700);
    CHECK(rig.store->spool_by_uuid(b)->current_weight_g == 500 - 13 * 3);
    auto st = engine.status();
    CHECK(st.paired);
    CHECK(st.pending == 0);
    CHECK(st.last_success_ms);
    CHECK(st.reachable);
    CHECK(st.last_error.empty());
    CHECK(st.catalog_as_of_ms == parse_iso8601_ms("2026-11-25T12:00:00.000Z"));
    // Nothing left: a second cycle sends nothing.
    rep = engine.sync_once();
    CHECK(rep.batches == 0);
    CHECK(rig.central.applied.size() == 26);
}

TEST_CASE("per-item rejections keep the record with the server's reason, the rest of the batch applies",
          "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 100);
    rig.local_spool(a);
    auto ok1 = rig.use(a, 10);
    auto bad = rig.use("99999999-9999-4999-8999-999999999999", 5);  // unknown spool
    auto ok2 = rig.use(a, 20);
    auto over = rig.use(a, 500);  // more than is left on the server
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 2);
    CHECK(rep.rejected == 2);
    CHECK(rig.store->get_record(ok1.id)->state == RecordState::Applied);
    CHECK(rig.store->get_record(ok2.id)->state == RecordState::Applied);
    auto r = rig.store->get_record(bad.id);
    CHECK(r->state == RecordState::Rejected);
    CHECK_THAT(r->reason, Catch::Contains("no such spool") && Catch::Contains("unknown_spool"));
    CHECK(rig.store->get_record(over.id)->state == RecordState::Rejected);
    CHECK(engine.status().rejected == 2);
    CHECK(rep.pending_after == 0);
    // The operator retries one after fixing the cause: it goes again with the same id.
    {
        std::lock_guard lk(rig.central.mu);
        rig.central.spools[a].initial_weight_g = 2000;
        rig.central.spools[a].current_weight_g = 1500;
    }
    REQUIRE(rig.store->retry(over.id));
    rep = engine.sync_once();
    CHECK(rep.applied == 1);
    CHECK(rig.store->get_record(over.id)->state == RecordState::Applied);
    CHECK(rig.store->get_record(over.id)->server_weight_g == 1000);
}

TEST_CASE("retryable failures resend the same batch with the same ids, applied exactly once", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(rig.use(a, 1).id);
    int n = 0;
    std::vector<std::set<std::string>> sent_ids;
    rig.intercept = [&](const HttpRequest& r) -> std::optional<HttpResponse> {
        if (r.method != "POST") return std::nullopt;
        std::set<std::string> s;
        const auto body = nlohmann::json::parse(r.body);
        for (auto& it : body["items"]) s.insert(it["client_id"].get<std::string>());
        sent_ids.push_back(s);
        switch (n++) {
            case 0: return ScriptedHttpClient::status(503, "{}", {{"retry-after", "0"}});
            case 1: return ScriptedHttpClient::status(429, "{}", {{"retry-after", "0"}});
            case 2: return ScriptedHttpClient::transport(TransportError::Timeout, "stalled");
            case 3: {
                // Applied on the server, answer lost on the way back.
                (void)rig.central.handle(r);
                return ScriptedHttpClient::transport(TransportError::Network, "connection reset");
            }
            default: return std::nullopt;
        }
    };
    test::TestEngine engine(*rig.store, rig.options());
    for (int i = 0; i < 4; ++i) {
        auto rep = engine.sync_once();
        CHECK(rep.outcome == Disposition::Retry);
        CHECK(rep.pending_after == 5);
        // 429 is known unapplied (back to pending); after the others they may have been applied: 'sent'.
        for (auto& id : ids)
            CHECK(rig.store->get_record(id)->state == (i == 1 ? RecordState::Pending : RecordState::Sent));
    }
    CHECK(engine.status().last_error.find("timeout") == std::string::npos);  // last error is the reset
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.duplicates == 5);  // the server had applied them on attempt 4
    REQUIRE(sent_ids.size() == 5);
    for (auto& s : sent_ids) CHECK(s == std::set<std::string>(ids.begin(), ids.end()));
    CHECK(rig.central.applied.size() == 5);
    CHECK(rig.central.spools[a].current_weight_g == 995);
    for (auto& id : ids) {
        auto r = rig.store->get_record(id);
        CHECK(r->state == RecordState::Applied);
        CHECK(r->attempts == 5);
    }
    CHECK(rig.store->spool_by_uuid(a)->current_weight_g == 995);
}

TEST_CASE("401 marks the device revoked and keeps the queue, pairing again resumes", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    rig.use(a, 1);
    rig.use(a, 2);
    rig.central.token = "tok-2";  // the old token was revoked
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Revoked);
    auto st = engine.status();
    CHECK(st.revoked);
    CHECK_THAT(st.last_error, Catch::Contains("pair the station again"));
    CHECK(st.pending == 2);
    for (auto& r : rig.store->unsent(10)) CHECK(r.state == RecordState::Pending);  // central refused before applying
    // While revoked, no request is made.
    const int before = rig.requests;
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Revoked);
    CHECK(rig.requests == before);
    // Re-pair: new credentials on disk.
    std::string err;
    REQUIRE(save_credentials(rig.dir.creds(), test::test_credentials("tok-2"), err));
    engine.reload_credentials();
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 2);
    CHECK_FALSE(engine.status().revoked);
}

TEST_CASE("a TLS or pin failure stops sync and alerts, nothing is sent unverified", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    rig.use(a, 1);
    rig.intercept = [](const HttpRequest&) -> std::optional<HttpResponse> {
        return ScriptedHttpClient::transport(TransportError::Tls, "SSL: public key does not match pinned public key");
    };
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::TlsAlert);
    auto st = engine.status();
    CHECK(st.tls_alert);
    CHECK_THAT(st.last_error, Catch::Contains("pinned"));
    CHECK(st.pending == 1);
    CHECK(rig.central.applied.empty());
    CHECK(rig.store->unsent(10).at(0).state == RecordState::Pending);  // never left the station
}

TEST_CASE("a whole-request 400 is bisected down to the item at fault, the others apply", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) ids.push_back(rig.use(a, 1).id);
    rig.central.poison.insert(ids[6]);
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    INFO(rep.error);
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 9);
    CHECK(rep.rejected == 1);
    auto r = rig.store->get_record(ids[6]);
    CHECK(r->state == RecordState::Rejected);
    CHECK_THAT(r->reason, Catch::Contains("is malformed"));
    // Order is still the device sequence.
    for (size_t i = 1; i < rig.central.seq_order.size(); ++i)
        CHECK(rig.central.seq_order[i - 1] < rig.central.seq_order[i]);
}

TEST_CASE("catalog pull: material types, spools in pages, deletions, cursor persisted, unsynced local weight kept",
          "[sync][engine][catalog]") {
    Rig rig;
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(rig.central.add_spool("FIL-00" + std::to_string(i), 1000, 900));
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_spools == 5);
    CHECK(rig.store->all_spools().size() == 5);
    CHECK(rig.store->material_types().size() == 1);
    CHECK(rig.store->meta("catalog_cursor") == "5");
    // A record not yet confirmed keeps the local weight even when the catalog says otherwise.
    rig.intercept = [](const HttpRequest& r) -> std::optional<HttpResponse> {
        if (r.method == "POST") return ScriptedHttpClient::status(503);
        return std::nullopt;
    };
    rig.use(ids[0], 100);
    CHECK(rig.store->spool_by_uuid(ids[0])->current_weight_g == 800);
    rig.central.delete_spool(ids[4]);
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Retry);  // drain failed: catalog not pulled this cycle
    rig.intercept = nullptr;
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_deleted == 1);
    CHECK_FALSE(rig.store->spool_by_uuid(ids[4]));
    CHECK(rig.store->spool_by_uuid(ids[0])->current_weight_g == 800);
    CHECK(rig.central.spools[ids[0]].current_weight_g == 800);
}

TEST_CASE("the worker wakes on notify, publishes status, and stop() aborts a stalled transfer", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    std::atomic<bool> stall{false};
    auto opts = test::engine_options(rig.dir, [&](const HttpRequest& r, const std::atomic<bool>* abort) {
        if (stall && r.method == "POST") {
            while (!abort->load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
            return ScriptedHttpClient::transport(TransportError::Aborted, "aborted");
        }
        return rig.central.handle(r);
    });
    test::TestEngine engine(*rig.store, opts);
    std::mutex m;
    std::vector<SyncStatus> seen;
    engine.set_on_change([&](const SyncStatus& s) {
        std::lock_guard lk(m);
        seen.push_back(s);
    });
    engine.start();
    REQUIRE(wait_until([&] { return engine.status().last_success_ms.has_value(); }));
    auto rec = rig.use(a, 7);
    engine.notify();  // interval is a minute: only notify can make this quick
    REQUIRE(wait_until([&] { return rig.store->get_record(rec.id)->state == RecordState::Applied; }));
    REQUIRE(wait_until([&] { return engine.status().pending == 0; }));
    {
        std::lock_guard lk(m);
        CHECK(seen.size() >= 2);
        bool saw_pending = false;
        for (auto& s : seen) saw_pending |= s.pending == 1;
        CHECK(saw_pending);
    }
    stall = true;
    auto rec2 = rig.use(a, 3);
    engine.notify();
    REQUIRE(wait_until([&] { return rig.store->get_record(rec2.id)->state == RecordState::Sent; }));
    engine.stop();  // returns because the transfer is aborted
    CHECK_FALSE(engine.running());
    CHECK(rig.store->get_record(rec2.id)->state == RecordState::Sent);  // resent later with the same id
    stall = false;
    auto rep = engine.sync_once();
    CHECK(rep.applied == 1);
}

TEST_CASE("the network coming back cuts a long backoff short", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    std::atomic<bool> down{true};
    rig.intercept = [&](const HttpRequest&) -> std::optional<HttpResponse> {
        if (down) return ScriptedHttpClient::transport(TransportError::Network, "network unreachable");
        return std::nullopt;
    };
    auto opts = rig.options();
    opts.backoff = {600'000, 600'000};  // ten minutes: only network_changed() can wake it in time
    opts.rng = [] { return ~0ULL; };
    test::TestEngine engine(*rig.store, opts);
    rig.use(a, 1);
    engine.start();
    REQUIRE(wait_until([&] { return engine.status().next_attempt_ms.has_value(); }));
    CHECK_FALSE(engine.status().reachable);
    down = false;
    engine.network_changed();
    REQUIRE(wait_until([&] { return engine.status().pending == 0; }));
    engine.stop();
}

TEST_CASE("clock skew: device clocks off by a day or a year change neither ordering nor idempotency",
          "[sync][engine][clock]") {
    for (int64_t skew : {-365LL * 86400000, -86400000LL, 86400000LL, 365LL * 86400000}) {
        INFO("skew " << skew);
        Rig rig;
        auto a = rig.central.add_spool("FIL-001", 1000, 1000);
        rig.local_spool(a);
        // Records alternate between a skewed and a correct clock, so device times are not monotonic.
        std::vector<std::string> ids;
        for (int i = 0; i < 20; ++i) ids.push_back(rig.use(a, 1, now_epoch_ms() + (i % 2 ? skew : 0)).id);
        auto opts = rig.options();
        opts.clock = [skew] { return now_epoch_ms() + skew; };
        int calls = 0;
        rig.intercept = [&](const HttpRequest& r) -> std::optional<HttpResponse> {
            if (r.method == "POST" && calls++ == 0) {
                (void)rig.central.handle(r);  // applied, answer lost
                return ScriptedHttpClient::transport(TransportError::Network, "reset");
            }
            return std::nullopt;
        };
        test::TestEngine engine(*rig.store, opts);
        CHECK(engine.sync_once().outcome == Disposition::Retry);
        auto rep = engine.sync_once();
        CHECK(rep.outcome == Disposition::Success);
        CHECK(rig.central.applied.size() == 20);
        CHECK(rep.duplicates == 10);  // the first batch, replayed
        REQUIRE(rig.central.seq_order.size() == 20);
        for (size_t i = 0; i < 20; ++i) CHECK(rig.central.seq_order[i] == static_cast<int64_t>(i + 1));
        CHECK(rig.central.spools[a].current_weight_g == 980);
        // The device times travelled as recorded (informational only).
        auto item = to_wire_item(*rig.store->get_record(ids[1]));
        CHECK(parse_iso8601_ms(item.device_time).value() == rig.store->get_record(ids[1])->device_time_ms);
    }
}

TEST_CASE("a record that always gets 5xx is bisected out and parked as a server error, the rest flows",
          "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) ids.push_back(rig.use(a, 1).id);
    const std::string bad = ids[3];
    // Any batch holding `bad` answers 500 (as central did for a NUL in notes on PostgreSQL); others succeed.
    rig.intercept = [&](const HttpRequest& r) -> std::optional<HttpResponse> {
        if (r.method == "POST" && r.body.find(bad) != std::string::npos)
            return ScriptedHttpClient::status(500, R"({"error":{"code":"internal","message":"internal server error"}})");
        return std::nullopt;
    };
    test::TestEngine engine(*rig.store, rig.options());
    SyncReport rep;
    int cycles = 0;
    for (; cycles < 12; ++cycles) {
        rep = engine.sync_once();
        if (rig.store->get_record(bad)->state == RecordState::Rejected) break;
    }
    INFO(rep.error << " after " << cycles << " cycles");
    CHECK(cycles < 8);  // bounded: whole batch twice, then bisection, then a few tries alone
    auto r = rig.store->get_record(bad);
    REQUIRE(r->state == RecordState::Rejected);
    CHECK_THAT(r->reason, Catch::StartsWith("server error: ") && Catch::Contains("internal server error"));
    // Nothing dropped: every other record applied exactly once; the parked one can be retried later.
    CHECK(rig.central.applied.size() == 9);
    for (const auto& id : ids)
        if (id != bad) CHECK(rig.central.applied.count(id) == 1);
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rig.store->get_record(bad)->state == RecordState::Rejected);
    // The operator retries once central is fixed: it applies.
    rig.intercept = nullptr;
    REQUIRE(rig.store->retry(bad));
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rig.store->get_record(bad)->state == RecordState::Applied);
    CHECK(rig.central.applied.size() == 10);
}

TEST_CASE("a server outage (every request 5xx) parks nothing and costs few requests per cycle", "[sync][engine]") {
    Rig rig;
    auto a = rig.central.add_spool("FIL-001", 1000, 1000);
    rig.local_spool(a);
    std::vector<std::string> ids;
    for (int i = 0; i < 10; ++i) ids.push_back(rig.use(a, 1).id);
    bool down = true;
    rig.intercept = [&](const HttpRequest& r) -> std::optional<HttpResponse> {
        if (down && r.method == "POST")
            return ScriptedHttpClient::status(503, R"({"error":{"code":"internal","message":"database down"}})");
        return std::nullopt;
    };
    test::TestEngine engine(*rig.store, rig.options());
    for (int i = 0; i < 8; ++i) {
        const int before = rig.requests;
        auto rep = engine.sync_once();
        CHECK(rep.outcome == Disposition::Retry);
        CHECK(rig.requests - before <= 8);
    }
    for (const auto& id : ids) CHECK(rig.store->get_record(id)->state != RecordState::Rejected);
    down = false;
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rig.central.applied.size() == 10);
}

TEST_CASE("a created spool takes the spool_id in central's batch result at once, not at the next catalog pull",
          "[sync][engine][intake]") {
    Rig rig;
    auto make = [&](const std::string& typed) {
        NewSpoolRecord n;
        n.spool.material = "PLA";
        n.spool.color = "Black";
        n.spool.initial_weight_g = 1000;
        n.spool.spool_id = typed;
        return rig.store->create_spool(n);
    };
    const OutboxRecord assigned = make("");         // central assigns one
    const OutboxRecord typed = make("SHELF-7");     // typed at the station, free on central
    const OutboxRecord taken = make("SHELF-9");     // typed, but another station's spool has it on central
    CHECK(rig.store->spool_by_uuid(assigned.spool_uuid)->spool_id.empty());
    // Central answers the batch (the fake's catalog never lists these spools: only the results can name them).
    rig.intercept = [&](const HttpRequest& r) -> std::optional<HttpResponse> {
        if (r.method != "POST" || r.target.find("/transactions") == std::string::npos) return std::nullopt;
        const auto batch = nlohmann::json::parse(r.body).get<wire::TxBatch>();
        wire::TxBatchResponse resp;
        for (const auto& it : batch.items) {
            wire::TxResult res;
            res.client_id = it.client_id;
            res.status = "applied";
            res.spool_weight_g = it.quantity_grams;
            res.transaction_id = new_uuid_v7();
            CHECK(it.new_spool.has_value());
            if (!it.new_spool || it.new_spool->spool_id.empty()) {
                res.spool_id = "PLA-BLK-007";
            } else if (it.new_spool->spool_id == "SHELF-9") {
                res.spool_id = "PLA-BLK-008";
                res.code = "spool_id_reassigned";
                res.reason = "spool_id 'SHELF-9' was already used in this tenant; this spool is 'PLA-BLK-008'";
            } else {
                res.spool_id = it.new_spool->spool_id;
            }
            resp.results.push_back(res);
        }
        HttpResponse h;
        h.status = 200;
        h.body = nlohmann::json(resp).dump();
        return h;
    };
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    CHECK(rep.applied == 3);
    CHECK(rig.store->spool_by_uuid(assigned.spool_uuid)->spool_id == "PLA-BLK-007");
    CHECK(rig.store->spool_by_uuid(typed.spool_uuid)->spool_id == "SHELF-7");
    // The clash is not kept silently: central's id is adopted, and the record says so (the Sync screen shows it).
    CHECK(rig.store->spool_by_uuid(taken.spool_uuid)->spool_id == "PLA-BLK-008");
    CHECK_FALSE(rig.store->spool_by_spool_id("SHELF-9"));
    const auto t = rig.store->get_record(taken.id);
    CHECK(t->state == RecordState::Applied);
    CHECK_THAT(t->reason, Catch::Contains("SHELF-9") && Catch::Contains("PLA-BLK-008") && Catch::Contains("reprint"));
    CHECK(rig.store->get_record(assigned.id)->reason.empty());
    CHECK(rig.store->get_record(typed.id)->reason.empty());
}

TEST_CASE("catalog: the server's spool_id wins over a station spool holding the same id", "[sync][store][intake]") {
    TempDir dir;
    StationStore store(dir.db());
    NewSpoolRecord n;
    n.spool.material = "PLA";
    n.spool.initial_weight_g = 1000;
    n.spool.spool_id = "SHELF-9";
    n.tenant_id = "11111111-1111-4111-8111-111111111111";
    const auto mine = store.create_spool(n);
    // Another station's spool with that id arrives with a catalog page before this station's record is answered.
    Spool other;
    other.id = "0193b000-0000-7000-8000-0000000000f9";
    other.tenant_id = n.tenant_id;
    other.spool_id = "SHELF-9";
    other.material_name = "PETG";
    other.initial_weight_g = 1000;
    other.current_weight_g = 900;
    REQUIRE_NOTHROW(store.upsert_spools({other}));
    CHECK(store.spool_by_spool_id("SHELF-9")->id == other.id);
    CHECK(store.spool_by_uuid(mine.spool_uuid)->spool_id.empty());  // until central's answer names it
}
