#include "sync/central/admin/service_watchdog.hpp"

#include <httplib.h>
#include <netdb.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

#include "sync/protocol/api.hpp"

namespace batchivo::central {

namespace {

using namespace std::chrono_literals;

// A TCP connection to host:port, or -1.
int connect_tcp(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0) return -1;
    int fd = -1;
    for (addrinfo* a = res; a && fd < 0; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

}  // namespace

ServiceWatchdog::ServiceWatchdog() : notifier_(platform::ServiceNotifier::from_environment()) {}

void ServiceWatchdog::started(const CentralServer& server, const ServerOptions& so, const std::string& backend) {
    if (started_) return;
    started_ = true;
    port_ = server.port();
    threads_ = std::max(1, so.threads);
    tls_ = !so.plain_http;
    probe_host_ = so.host == "0.0.0.0" || so.host.empty() ? "127.0.0.1" : so.host == "::" ? "::1" : so.host;
    if (auto r = notifier_.ready(); !r) std::cerr << "batchivo-central: " << r.error().message << "\n";
    (void)notifier_.status("serving " + backend + " on " + server.url());
    if (notifier_.watchdog_enabled()) pinger_ = std::thread([this] { run(); });
    if (auto after = platform::test_hang_after()) {
        hanger_ = std::thread([this, after] {
            std::unique_lock lk(mu_);
            if (cv_.wait_until(lk, created_ + *after, [&] { return stop_; })) return;
            lk.unlock();
            hang();
        });
    }
}

ServiceWatchdog::~ServiceWatchdog() {
    if (started_) (void)notifier_.stopping();
    {
        std::lock_guard lk(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (pinger_.joinable()) pinger_.join();
    if (hanger_.joinable()) hanger_.join();
}

bool ServiceWatchdog::healthy() {
    const auto every = notifier_.ping_interval().value_or(1s);
    const auto timeout = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(every), 200ms,
                                    std::chrono::milliseconds(2s));
    const std::string host = probe_host_.find(':') != std::string::npos ? "[" + probe_host_ + "]" : probe_host_;
    httplib::Client cli((tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_));
    cli.enable_server_certificate_verification(false);  // our own listener on loopback: liveness, not identity
    cli.set_connection_timeout(timeout);
    cli.set_read_timeout(timeout);
    cli.set_write_timeout(timeout);
    auto res = cli.Get(std::string(wire::kApiPrefix) + "/health");
    return res && res->status == 200;
}

void ServiceWatchdog::run() {
    std::unique_lock lk(mu_);
    while (!stop_) {
        const auto left = notifier_.until_next_ping().value_or(1s);
        if (left > 0us) {
            cv_.wait_for(lk, left, [&] { return stop_; });
            continue;
        }
        lk.unlock();
        const bool ok = healthy();
        if (ok) notifier_.ping_if_due();
        lk.lock();
        if (!ok) cv_.wait_for(lk, 250ms, [&] { return stop_; });  // no ping: systemd restarts us if this lasts
    }
}

void ServiceWatchdog::hang() {
    std::cerr << "batchivo-central: BATCHIVO_TEST_HANG_AFTER_MS: every request now blocks in its worker\n";
    // Slow clients no longer hold workers (the transport reads requests asynchronously), so the hook wedges the
    // request handlers themselves, like a database that stopped answering. It lets go when we are told to stop or
    // once the server's listener is gone (it is shutting down and waits for its workers).
    set_requests_wedged_for_test(true);
    std::unique_lock lk(mu_);
    while (!cv_.wait_for(lk, 1s, [&] { return stop_; })) {
        const int probe = connect_tcp(probe_host_, port_);
        if (probe < 0) break;
        ::close(probe);
    }
    lk.unlock();
    set_requests_wedged_for_test(false);
}

}  // namespace batchivo::central
