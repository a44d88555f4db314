#include "sync/central/api/metrics.hpp"

#include <cstdio>

namespace batchivo::central {

void Metrics::observe(const std::string& route, int status, double seconds) {
    std::lock_guard lk(mu_);
    ++requests_[{route, status}];
    Latency& l = latency_[route];
    ++l.count;
    l.sum += seconds;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            ++l.buckets[i];
            break;
        }
    }
}

void Metrics::count_batch(const wire::TxBatchResponse& r) {
    uint64_t a = 0, d = 0, x = 0;
    for (const auto& item : r.results) {
        if (item.status == "applied") ++a;
        else if (item.status == "duplicate") ++d;
        else ++x;
    }
    std::lock_guard lk(mu_);
    applied_ += a;
    duplicate_ += d;
    rejected_ += x;
}

namespace {
// Label values are route patterns we generate, but escape per the format anyway (\\, \", \n).
std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}
std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}
}  // namespace

std::string Metrics::render(const Gauges& g) const {
    std::lock_guard lk(mu_);
    std::string o;
    o += "# HELP batchivo_http_requests_total HTTP requests answered, by route pattern and status.\n";
    o += "# TYPE batchivo_http_requests_total counter\n";
    for (const auto& [k, n] : requests_)
        o += "batchivo_http_requests_total{route=\"" + label(k.first) + "\",status=\"" + std::to_string(k.second) +
             "\"} " + std::to_string(n) + "\n";
    o += "# HELP batchivo_http_request_duration_seconds Time from a complete request to its response, by route.\n";
    o += "# TYPE batchivo_http_request_duration_seconds histogram\n";
    for (const auto& [route, l] : latency_) {
        const std::string r = "route=\"" + label(route) + "\"";
        uint64_t cum = 0;
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            cum += l.buckets[i];
            o += "batchivo_http_request_duration_seconds_bucket{" + r + ",le=\"" + num(kBuckets[i]) + "\"} " +
                 std::to_string(cum) + "\n";
        }
        o += "batchivo_http_request_duration_seconds_bucket{" + r + ",le=\"+Inf\"} " + std::to_string(l.count) + "\n";
        o += "batchivo_http_request_duration_seconds_sum{" + r + "} " + num(l.sum) + "\n";
        o += "batchivo_http_request_duration_seconds_count{" + r + "} " + std::to_string(l.count) + "\n";
    }
    o += "# HELP batchivo_batch_items_total Transaction batch items by outcome (POST /transactions).\n";
    o += "# TYPE batchivo_batch_items_total counter\n";
    o += "batchivo_batch_items_total{outcome=\"applied\"} " + std::to_string(applied_) + "\n";
    o += "batchivo_batch_items_total{outcome=\"duplicate\"} " + std::to_string(duplicate_) + "\n";
    o += "batchivo_batch_items_total{outcome=\"rejected\"} " + std::to_string(rejected_) + "\n";
    o += "# HELP batchivo_open_connections Client connections open on the API listener.\n";
    o += "# TYPE batchivo_open_connections gauge\n";
    o += "batchivo_open_connections " + std::to_string(g.open_connections) + "\n";
    o += "# HELP batchivo_rejected_connections_total Connections closed at accept (per-address or total cap).\n";
    o += "# TYPE batchivo_rejected_connections_total counter\n";
    o += "batchivo_rejected_connections_total " + std::to_string(g.rejected_connections) + "\n";
    if (g.pool) {
        o += "# HELP batchivo_db_pool_connections Database pool connections by state (in_use, open, max).\n";
        o += "# TYPE batchivo_db_pool_connections gauge\n";
        o += "batchivo_db_pool_connections{state=\"in_use\"} " + std::to_string(g.pool->in_use) + "\n";
        o += "batchivo_db_pool_connections{state=\"open\"} " + std::to_string(g.pool->open) + "\n";
        o += "batchivo_db_pool_connections{state=\"max\"} " + std::to_string(g.pool->max) + "\n";
    }
    return o;
}

}  // namespace batchivo::central
