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
