// Counters behind batchivo-central's GET /metrics (Prometheus text exposition format 0.0.4): requests by route
// and status, a request latency histogram by route, batch item outcomes, open connections and the database pool.
// Thread-safe; recording is a short mutex hold (no allocation once a (route, status) pair has been seen).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "sync/central/store/store.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::central {

class Metrics {
public:
    // Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied.
    static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

    void observe(const std::string& route, int status, double seconds);
    void count_batch(const wire::TxBatchResponse& r);

    struct Gauges {
        int64_t open_connections = 0;
        uint64_t rejected_connections = 0;  // closed at accept: per-address or total connection cap
        std::optional<PoolUse> pool;
    };
    std::string render(const Gauges& g) const;

private:
    struct Latency {
        std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative here; render() accumulates
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::pair<std::string, int>, uint64_t> requests_;
    std::map<std::string, Latency> latency_;
    uint64_t applied_ = 0, duplicate_ = 0, rejected_ = 0;
};

}  // namespace batchivo::central
