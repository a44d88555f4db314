// The bad-network scenario shared by the sync_network test and bench_sync: central (in-process, SQLite) behind the
// fault-injecting TLS-forwarding proxy; stations in two tenants record while their sync workers are killed and
// restarted at random; at the end the server's applied set must equal the stations' acknowledged set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace batchivo::test {

struct NetworkScenario {
    int stations = 3;                 // in two tenants: A gets stations 0, 2, 4, ...; B gets 1, 3, ...
    int transactions_per_station = 350;
    int batch_size = 25;
    uint64_t seed = 1;
    double fault_rate = 0.5;          // per new connection, spread over the five faults
    bool chaos = true;                // kill/restart sync workers at random
    int total_timeout_ms = 1500;
    unsigned max_pause_us = 12000;    // recorders pause up to this long between records (spreads them in time)
};

struct NetworkResult {
    std::vector<std::string> problems;  // empty = every check passed
    int64_t acknowledged = 0;           // valid records acknowledged by the stations
    int64_t foreign_attempts = 0;       // records aimed at another tenant's spool (must be rejected)
    int64_t server_applied = 0;
    int64_t duplicates = 0;
    int64_t wrong_tenant = 0;
    int64_t weight_mismatches = 0;
    int64_t worker_restarts = 0;
    int64_t connections = 0;
    int64_t faults[6] = {};             // per Fault
    double seconds = 0;
};

NetworkResult run_network_scenario(const NetworkScenario& sc);

}  // namespace batchivo::test
