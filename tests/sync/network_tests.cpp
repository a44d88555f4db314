// Bad network: central behind a fault-injecting proxy, three stations in two tenants, sync workers killed and
// restarted at random. Exactly once, tenant isolation, weights equal a replay of the history.
#include <catch2/catch.hpp>

#include <random>

#include "fault_proxy.hpp"
#include "network_harness.hpp"

using namespace batchivo::test;

TEST_CASE("bad network: 3 stations, 2 tenants, >= 1000 transactions through drops, applied-then-dropped answers, "
          "503/429 with Retry-After, stalls and worker restarts",
          "[sync][network]") {
    NetworkScenario sc;
    sc.stations = 3;
    sc.transactions_per_station = 350;
    sc.seed = std::random_device{}();
    INFO("seed " << sc.seed);
    auto r = run_network_scenario(sc);
    for (auto& p : r.problems) UNSCOPED_INFO(p);
    CHECK(r.problems.empty());
    CHECK(r.acknowledged + r.foreign_attempts == 3 * 350);
    CHECK(r.acknowledged >= 1000);
    CHECK(r.server_applied == r.acknowledged);
    CHECK(r.duplicates == 0);
    CHECK(r.wrong_tenant == 0);
    CHECK(r.weight_mismatches == 0);
    CHECK(r.worker_restarts > 0);
    // Every kind of fault really happened.
    for (Fault f : {Fault::Drop, Fault::ApplyDrop, Fault::Stall, Fault::Http503, Fault::Http429}) {
        INFO(to_string(f));
        CHECK(r.faults[static_cast<int>(f)] > 0);
    }
    WARN("network scenario: " << r.acknowledged << " applied exactly once in " << r.seconds << " s over "
                              << r.connections << " connections; " << r.worker_restarts << " worker restarts");
}

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/http/http_client.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/targets/central/station_api.hpp"
#include "sync_test_util.hpp"

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

TEST_CASE("libcurl client: verified TLS against the paired CA and pin, wrong CA or pin is a TLS alert, timeouts "
          "and abort",
          "[sync][network][tls]") {
    using namespace batchivo;
    using namespace batchivo::sync;
    TempDir dir("tls");
    std::shared_ptr<central::Store> cs = central::open_store("sqlite:" + (dir.path / "c.db").string());
    cs->migrate();
    auto tls = central::ensure_tls((dir.path / "tls").string());
    auto other = central::ensure_tls((dir.path / "other-tls").string());  // another central's CA and key
    central::CentralServer server(cs);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    std::string err;
    REQUIRE(server.start(so, &err));
    HttpRequest req;
    req.target = api_path("/catalog?since=&limit=10");
    req.bearer_token = "not-a-token";

    CurlOptions good;
    good.base_url = server.url();
    good.trust = {slurp(tls.ca_file), central::spki_pin_of_cert_file(tls.cert_file)};
    auto r = CurlHttpClient(good).perform(req);
    CHECK(r.error == TransportError::None);
    CHECK(r.status == 401);  // verified TLS, then central refuses the token
    CHECK(classify(r, 0).what == Disposition::Revoked);

    CurlOptions wrong_ca = good;
    wrong_ca.trust.ca_pem = slurp(other.ca_file);
    r = CurlHttpClient(wrong_ca).perform(req);
    CHECK(r.error == TransportError::Tls);
    CHECK(classify(r, 0).what == Disposition::TlsAlert);

    CurlOptions wrong_pin = good;
    wrong_pin.trust.pin = central::spki_pin_of_cert_file(other.cert_file);
    r = CurlHttpClient(wrong_pin).perform(req);
    CHECK(r.error == TransportError::Tls);
    INFO(r.error_message);
    CHECK(classify(r, 0).what == Disposition::TlsAlert);

    CurlOptions no_ca = good;  // the system store does not know central's private CA
    no_ca.trust.ca_pem.clear();
    no_ca.trust.pin.clear();
    CHECK(CurlHttpClient(no_ca).perform(req).error == TransportError::Tls);

    CurlOptions plain = good;
    plain.base_url = "http://central.example.com";
    r = CurlHttpClient(plain).perform(req);
    CHECK(r.error == TransportError::Tls);
    CHECK_THAT(r.error_message, Catch::Contains("refusing"));

    // A proxy that holds every answer: the total timeout fires; the abort flag ends a transfer early.
    FaultProxy proxy(server.port(), tls.cert_file, tls.key_file, 1);
    REQUIRE(proxy.start(&err));
    proxy.set_fault_rates({{Fault::Stall, 1.0}});
    CurlOptions slow = good;
    slow.base_url = proxy.url();
    slow.total_timeout_ms = 400;
    r = CurlHttpClient(slow).perform(req);
    CHECK(r.error == TransportError::Timeout);
    CHECK(classify(r, 0).what == Disposition::Retry);
    std::atomic<bool> abort{false};
    slow.total_timeout_ms = 60000;
    slow.abort_flag = &abort;
    std::thread t([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        abort = true;
    });
    const auto t0 = std::chrono::steady_clock::now();
    r = CurlHttpClient(slow).perform(req);
    t.join();
    CHECK(r.error == TransportError::Aborted);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
    proxy.stop();
    server.stop();
}

#include "sync/targets/central/pairing.hpp"
#include "sync/engine/sync_engine.hpp"
#include "sync/domain/time.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"

namespace {
// Performs the request for real, then loses the first `lose` answers (applied on central, never seen here).
class LosingClient : public batchivo::sync::HttpClient {
public:
    LosingClient(std::unique_ptr<batchivo::sync::HttpClient> inner, int lose) : inner_(std::move(inner)), lose_(lose) {}
    batchivo::sync::HttpResponse perform(const batchivo::sync::HttpRequest& r) override {
        auto resp = inner_->perform(r);
        if (r.method == "POST" && lose_ > 0) {
            --lose_;
            return batchivo::sync::ScriptedHttpClient::transport(batchivo::sync::TransportError::Network, "lost");
        }
        return resp;
    }

private:
    std::unique_ptr<batchivo::sync::HttpClient> inner_;
    int lose_;
};
}  // namespace

TEST_CASE("clock skew against central: stations a day and a year off keep sequence order and idempotency",
          "[sync][network][clock]") {
    using namespace batchivo;
    using namespace batchivo::sync;
    TempDir dir("skew");
    const std::string cdb = (dir.path / "c.db").string();
    std::shared_ptr<central::Store> cs = central::open_store("sqlite:" + cdb);
    cs->migrate();
    auto tls = central::ensure_tls((dir.path / "tls").string());
    central::CentralServer server(cs);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    std::string err;
    REQUIRE(server.start(so, &err));
    auto t = cs->create_tenant("skew", "Skew Farm");
    Spool sp;
    sp.spool_id = "SK-1";
    sp.material_name = "PLA";
    sp.initial_weight_g = 10000;
    sp.current_weight_g = 9000;
    sp = cs->upsert_spool(t.id, sp);
    int64_t expected_weight = 9000;
    for (int64_t skew : {-365LL * 86400000, -86400000LL, 86400000LL, 365LL * 86400000}) {
        INFO("skew " << skew);
        TempDir sdir("skew-station");
        StationStore store(sdir.db());
        auto code = cs->create_pairing_code(t.id, "skewed", 600);
        wire::PairingPayload p{server.url(), code.code, central::cert_der_base64url(tls.ca_file),
                               central::spki_pin_of_cert_file(tls.cert_file)};
        PairOptions po;
        po.store = &store;
        auto pr = pair_station(wire::format_pairing_payload(p), sdir.str(), po);
        REQUIRE(pr.ok);
        // Device times jump between the skewed clock and the real one: not monotonic.
        for (int i = 0; i < 30; ++i) {
            NewRecord r;
            r.spool_uuid = sp.id;
            r.quantity_grams = -1;
            r.device_time_ms = now_epoch_ms() + (i % 3 == 0 ? 0 : skew) - i * 1000;
            store.record(r);
        }
        test::EngineOptions o;
        o.target.data_dir = sdir.str();
        o.batch_size = 7;
        o.watch_network = false;
        o.clock = [skew] { return now_epoch_ms() + skew; };
        o.target.client_factory = [](const CurlOptions& co) -> std::unique_ptr<HttpClient> {
            return std::make_unique<LosingClient>(std::make_unique<CurlHttpClient>(co), 2);
        };
        test::TestEngine engine(store, o);
        SyncReport rep = engine.sync_once();
        CHECK(rep.outcome == Disposition::Retry);  // the first answer was lost
        for (int i = 0; i < 5 && !(rep.outcome == Disposition::Success && rep.pending_after == 0); ++i)
            rep = engine.sync_once();
        REQUIRE(rep.outcome == Disposition::Success);
        for (auto& r : store.list_records(RecordState::Rejected, 3)) UNSCOPED_INFO("rejected: " << r.reason);
        CHECK(store.counts().applied == 30);
        expected_weight -= 30;
        CHECK(cs->get_spool(t.id, sp.id)->current_weight_g == expected_weight);
        // Central holds each record once, applied in device-sequence order.
        sql::Db db(cdb, SQLITE_OPEN_READONLY);
        sql::Stmt q(db, "SELECT device_seq, COUNT(*) FROM inventory_transactions WHERE device_id = ?1 "
                        "GROUP BY client_id ORDER BY rowid");
        q.bind(1, pr.credentials.device_id);
        int64_t n = 0, prev = 0;
        while (q.step()) {
            CHECK(q.i64(1) == 1);
            CHECK(q.i64(0) > prev);
            prev = q.i64(0);
            ++n;
        }
        CHECK(n == 30);
    }
    server.stop();
}
