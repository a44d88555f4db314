// The systemd notification protocol (sd_notify(3)) without libsystemd: one datagram per message to the AF_UNIX
// socket named by $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). Used by the kiosk's frame loop
// and by `batchivo-central serve`.
//
// The watchdog interval comes from $WATCHDOG_USEC alone; $WATCHDOG_PID is ignored on purpose: under cage the
// service's main process is cage and systemd sets WATCHDOG_PID to cage's PID, so the station (cage's child) must
// ping anyway (the kiosk unit has NotifyAccess=all). Without $NOTIFY_SOCKET every call is a no-op, so a station
// started by hand or in a test behaves exactly as before.
//
// Thread-safe: central sends READY/STOPPING from its main thread and WATCHDOG from its health-check thread.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "sync/domain/result.hpp"

namespace batchivo::platform {

class ServiceNotifier {
public:
    using Clock = std::chrono::steady_clock;

    // Reads $NOTIFY_SOCKET and $WATCHDOG_USEC (an unset, empty, zero or malformed value disables that part).
    static ServiceNotifier from_environment();
    // For tests: an explicit socket path ("" = disabled) and watchdog period (0 = no watchdog).
    ServiceNotifier(std::string socket_path, std::chrono::microseconds watchdog);
    ServiceNotifier(const ServiceNotifier&) = delete;
    ServiceNotifier& operator=(const ServiceNotifier&) = delete;
    ServiceNotifier(ServiceNotifier&& o) noexcept;
    ~ServiceNotifier();

    bool enabled() const { return !socket_path_.empty(); }
    bool watchdog_enabled() const { return enabled() && watchdog_.count() > 0; }
    // Half of WATCHDOG_USEC: how often WATCHDOG=1 is due (nullopt without a watchdog). A loop that pings must
    // never sleep longer than this.
    std::optional<std::chrono::microseconds> ping_interval() const;

    // Sends one notification ("READY=1", "STATUS=...", several lines separated by '\n'). Ok (and nothing sent)
    // when disabled; Error{"io", ...} when the socket cannot be reached.
    Result<> send(const std::string& state);
    Result<> ready() { return send("READY=1"); }
    Result<> stopping() { return send("STOPPING=1"); }
    // STATUS=<text>, only when it differs from the last status sent.
    Result<> status(const std::string& text);
    // WATCHDOG=1 when at least ping_interval() passed since the last ping (or none was sent yet); returns whether
    // it pinged. No-op without a watchdog.
    bool ping_if_due(Clock::time_point now = Clock::now());
    // How long until the next WATCHDOG=1 is due (zero when due now; nullopt without a watchdog): the longest a
    // pinging loop may wait.
    std::optional<std::chrono::microseconds> until_next_ping(Clock::time_point now = Clock::now());

private:
    std::string socket_path_;
    std::chrono::microseconds watchdog_{0};
    int fd_ = -1;
    std::mutex mu_;
    std::optional<Clock::time_point> last_ping_;
    std::optional<std::string> last_status_;
};

// The test hook shared by the kiosk and central: $BATCHIVO_TEST_HANG_AFTER_MS (a positive number of ms after
// start-up at which the process simulates a hang of the loop that sends the watchdog pings); nullopt when unset.
std::optional<std::chrono::milliseconds> test_hang_after();

}  // namespace batchivo::platform
