// platform::ServiceNotifier: the datagram protocol against a socket owned by the test (path and abstract names),
// the environment it reads (WATCHDOG_PID ignored), STATUS= deduplication and the watchdog's ping schedule.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "platform/service/sd_notify.hpp"

using batchivo::platform::ServiceNotifier;
using namespace std::chrono_literals;

namespace {

struct Listener {
    int fd = -1;
    std::string name;  // what NOTIFY_SOCKET would hold
    explicit Listener(bool abstract) {
        fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        const std::string id = "batchivo-notify-test-" + std::to_string(::getpid()) + (abstract ? "-a" : "-p");
        socklen_t len;
        if (abstract) {
            name = "@" + id;
            std::memcpy(a.sun_path + 1, id.data(), id.size());
            len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + id.size());
        } else {
            name = "/tmp/" + id + ".sock";
            ::unlink(name.c_str());
            std::memcpy(a.sun_path, name.data(), name.size());
            len = sizeof a;
        }
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), len) == 0);
        timeval tv{0, 200000};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Listener() {
        ::close(fd);
        if (name[0] == '/') ::unlink(name.c_str());
    }
    std::string recv() {
        char buf[512];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    }
};

}  // namespace

TEST_CASE("sd_notify: messages reach a path socket and an abstract one", "[sd_notify]") {
    for (bool abstract : {false, true}) {
        Listener l(abstract);
        ServiceNotifier n(l.name, 0us);
        REQUIRE(n.enabled());
        REQUIRE(n.ready());
        CHECK(l.recv() == "READY=1");
        REQUIRE(n.stopping());
        CHECK(l.recv() == "STOPPING=1");
    }
}

TEST_CASE("sd_notify: STATUS= only when it changes", "[sd_notify]") {
    Listener l(false);
    ServiceNotifier n(l.name, 0us);
    REQUIRE(n.status("Synced"));
    REQUIRE(n.status("Synced"));
    REQUIRE(n.status("3 pending"));
    CHECK(l.recv() == "STATUS=Synced");
    CHECK(l.recv() == "STATUS=3 pending");
    CHECK(l.recv().empty());
}

TEST_CASE("sd_notify: WATCHDOG=1 every half of WATCHDOG_USEC", "[sd_notify]") {
    Listener l(false);
    ServiceNotifier n(l.name, 2s);
    REQUIRE(n.ping_interval() == std::chrono::microseconds(1s));
    const auto t0 = ServiceNotifier::Clock::now();
    CHECK(n.until_next_ping(t0) == 0us);
    CHECK(n.ping_if_due(t0));
    CHECK(l.recv() == "WATCHDOG=1");
    CHECK_FALSE(n.ping_if_due(t0 + 999ms));
    CHECK(n.until_next_ping(t0 + 400ms) == std::chrono::microseconds(600ms));
    CHECK(n.ping_if_due(t0 + 1s));
    CHECK(l.recv() == "WATCHDOG=1");
}

TEST_CASE("sd_notify: the environment, WATCHDOG_PID ignored, nothing without NOTIFY_SOCKET", "[sd_notify]") {
    Listener l(false);
    ::setenv("NOTIFY_SOCKET", l.name.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "3000000", 1);
    ::setenv("WATCHDOG_PID", "1", 1);  // someone else's (cage's) PID: still ours to ping
    auto n = ServiceNotifier::from_environment();
    CHECK(n.watchdog_enabled());
    CHECK(n.ping_interval() == std::chrono::microseconds(1500ms));
    ::setenv("WATCHDOG_USEC", "soon", 1);
    CHECK_FALSE(ServiceNotifier::from_environment().watchdog_enabled());
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
    auto off = ServiceNotifier::from_environment();
    CHECK_FALSE(off.enabled());
    CHECK(off.ready());  // a no-op, not an error
    CHECK_FALSE(off.ping_if_due());
    ServiceNotifier gone("/nonexistent/dir/notify.sock", 0us);
    auto r = gone.ready();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "io");
}
