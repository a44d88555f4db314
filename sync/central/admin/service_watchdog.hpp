// systemd integration of `batchivo-central serve` (Type=notify, WatchdogSec=, NotifyAccess=main): READY=1 and
// STATUS=serving <backend> on <url> once the server listens, WATCHDOG=1 from a thread that pings only while a
// loopback GET <prefix>/health of the running server answers 200 within the ping interval (a stuck server, e.g.
// every worker thread blocked, stops the pings and systemd restarts the service), STOPPING=1 on the way out.
// Everything is a no-op without $NOTIFY_SOCKET; the watchdog thread runs only with $WATCHDOG_USEC.
//
// Test hook: $BATCHIVO_TEST_HANG_AFTER_MS makes the server hang that long after `serve` began: every request then
// blocks in its worker (set_requests_wedged_for_test), so every worker stays blocked
// and /health stops answering, exactly like a wedged server (it lets go once the server's listener closes).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "platform/service/sd_notify.hpp"
#include "sync/central/api/server.hpp"

namespace batchivo::central {

class ServiceWatchdog {
public:
    ServiceWatchdog();
    ~ServiceWatchdog();  // STOPPING=1 (when started) and joins its threads
    ServiceWatchdog(const ServiceWatchdog&) = delete;
    ServiceWatchdog& operator=(const ServiceWatchdog&) = delete;

    // Call once the server listens (serve_until_signal's `ready`).
    void started(const CentralServer& server, const ServerOptions& so, const std::string& backend);

private:
    void run();
    bool healthy();
    void hang();

    platform::ServiceNotifier notifier_;
    std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
    std::string probe_host_;
    int port_ = 0;
    int threads_ = 0;
    bool tls_ = false;
    bool started_ = false;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread pinger_, hanger_;
};

}  // namespace batchivo::central
