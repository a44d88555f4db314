#include "platform/service/sd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace batchivo::platform {

namespace {

std::optional<long long> positive_env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v, &end, 10);
    if (errno || *end || n <= 0) return std::nullopt;
    return n;
}

}  // namespace

ServiceNotifier ServiceNotifier::from_environment() {
    const char* s = std::getenv("NOTIFY_SOCKET");
    const auto usec = positive_env("WATCHDOG_USEC");  // WATCHDOG_PID deliberately ignored (see the header)
    return ServiceNotifier(s ? s : "", std::chrono::microseconds(usec.value_or(0)));
}

ServiceNotifier::ServiceNotifier(std::string socket_path, std::chrono::microseconds watchdog)
    : socket_path_(std::move(socket_path)), watchdog_(watchdog) {
    // Only a path or an abstract name is a datagram socket we can reach (systemd also allows vsock; not here).
    if (!socket_path_.empty() && socket_path_[0] != '/' && socket_path_[0] != '@') socket_path_.clear();
    if (socket_path_.size() >= sizeof(sockaddr_un{}.sun_path)) socket_path_.clear();
}

ServiceNotifier::ServiceNotifier(ServiceNotifier&& o) noexcept
    : socket_path_(std::move(o.socket_path_)), watchdog_(o.watchdog_), fd_(o.fd_), last_ping_(o.last_ping_),
      last_status_(std::move(o.last_status_)) {
    o.fd_ = -1;
    o.socket_path_.clear();
}

ServiceNotifier::~ServiceNotifier() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::chrono::microseconds> ServiceNotifier::ping_interval() const {
    if (!watchdog_enabled()) return std::nullopt;
    return std::max(std::chrono::microseconds(1), watchdog_ / 2);
}

Result<> ServiceNotifier::send(const std::string& state) {
    if (!enabled()) return {};
    std::lock_guard lk(mu_);
    if (fd_ < 0) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return Error{"io", std::string("sd_notify: socket: ") + std::strerror(errno)};
    }
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, socket_path_.data(), socket_path_.size());
    socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
    if (socket_path_[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace: no trailing NUL counted
    else ++len;
    const ssize_t n = ::sendto(fd_, state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr), len);
    if (n < 0) return Error{"io", "sd_notify: " + socket_path_ + ": " + std::strerror(errno)};
    return {};
}

Result<> ServiceNotifier::status(const std::string& text) {
    {
        std::lock_guard lk(mu_);
        if (last_status_ == text) return {};
        last_status_ = text;
    }
    return send("STATUS=" + text);
}

bool ServiceNotifier::ping_if_due(Clock::time_point now) {
    const auto every = ping_interval();
    if (!every) return false;
    {
        std::lock_guard lk(mu_);
        if (last_ping_ && now - *last_ping_ < *every) return false;
        last_ping_ = now;
    }
    return static_cast<bool>(send("WATCHDOG=1"));
}

std::optional<std::chrono::microseconds> ServiceNotifier::until_next_ping(Clock::time_point now) {
    const auto every = ping_interval();
    if (!every) return std::nullopt;
    std::lock_guard lk(mu_);
    if (!last_ping_) return std::chrono::microseconds(0);
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(*last_ping_ + *every - now);
    return std::max(std::chrono::microseconds(0), left);
}

std::optional<std::chrono::milliseconds> test_hang_after() {
    if (auto ms = positive_env("BATCHIVO_TEST_HANG_AFTER_MS")) return std::chrono::milliseconds(*ms);
    return std::nullopt;
}

}  // namespace batchivo::platform
