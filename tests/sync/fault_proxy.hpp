// A fault-injecting TCP proxy on loopback between stations and central. It forwards TLS bytes untouched (the
// station verifies central's real certificate and pin end to end), and per connection it may instead:
//   drop      close after the client's first bytes: the request never reaches central
//   apply_drop forward the request, then cut the connection when central starts answering (applied, answer lost)
//   stall     forward the request, hold the answer until the client gives up (timeout)
//   http503   terminate TLS itself (with central's certificate and key, like a load balancer in front of it) and
//             answer 503 with Retry-After
//   http429   the same with 429 and an HTTP-date Retry-After
// Per-mode counters tell the test that every fault really happened.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace batchivo::test {

enum class Fault { Pass, Drop, ApplyDrop, Stall, Http503, Http429, kCount };
const char* to_string(Fault f);

class FaultProxy {
public:
    // `upstream_port`: central on 127.0.0.1. cert/key: central's server certificate and key (PEM files).
    FaultProxy(int upstream_port, std::string cert_file, std::string key_file, uint64_t seed);
    ~FaultProxy();
    bool start(std::string* error = nullptr);
    void stop();
    int port() const { return port_; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

    // Probability of each fault per new connection (the rest pass). Thread-safe.
    void set_fault_rates(std::map<Fault, double> rates);
    void set_retry_after_s(int s) { retry_after_s_ = s; }
    int64_t count(Fault f) const { return counts_[static_cast<int>(f)].load(); }
    int64_t connections() const { return connections_.load(); }

private:
    void accept_loop();
    void serve(int client, Fault mode);
    void pump(int client, int upstream, Fault mode);
    void answer_http(int client, Fault mode);
    Fault pick();

    int upstream_port_;
    std::string cert_file_, key_file_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread acceptor_;
    std::mutex mu_;
    std::vector<std::thread> conns_;
    std::mt19937_64 rng_;
    std::map<Fault, double> rates_;
    std::vector<Fault> forced_;
    std::atomic<int> retry_after_s_{1};
    std::atomic<int64_t> counts_[static_cast<int>(Fault::kCount)]{};
    std::atomic<int64_t> connections_{0};
    void* ssl_ctx_ = nullptr;  // SSL_CTX*
};

}  // namespace batchivo::test
