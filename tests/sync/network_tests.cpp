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

#include "sync/central/server.hpp"
#include "sync/central/store.hpp"
#include "sync/central/tls.hpp"
#include "sync/client/http_client.hpp"
#include "sync/client/retry_policy.hpp"
#include "sync/client/station_api.hpp"
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
