// Serial scale drivers against a simulated scale on the other end of a real pseudo-terminal (openpty).
#include <catch2/catch.hpp>

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <mutex>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "platform/scale/scale_service.hpp"
#include "platform/scale/serial_scale.hpp"
#include "test_util.hpp"

using namespace batchivo::platform;
using namespace std::chrono_literals;

namespace {

// The scale's side of a pty. The driver opens `path` (the slave). Optionally answers commands it receives.
class PtyScale {
public:
    using Responder = std::function<std::string(const std::string& command)>;
    explicit PtyScale(Responder r = {}) : responder_(std::move(r)) {
        char name[128] = {0};
        REQUIRE(::openpty(&master_, &slave_, name, nullptr, nullptr) == 0);
        path_ = name;
        thread_ = std::thread([this] { run(); });
    }
    ~PtyScale() {
        unplug();
        if (slave_ >= 0) ::close(slave_);
    }
    const std::string& path() const { return path_; }
    void send(const std::string& bytes) {
        std::lock_guard<std::mutex> lk(mu_);
        if (master_ >= 0) REQUIRE(::write(master_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    }
    std::vector<std::string> commands() {
        std::lock_guard<std::mutex> lk(mu_);
        return commands_;
    }
    // Unplugs: the master closes, the driver's end hangs up.
    void unplug() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
        std::lock_guard<std::mutex> lk(mu_);
        if (master_ >= 0) ::close(master_);
        master_ = -1;
        if (slave_ >= 0) ::close(slave_);
        slave_ = -1;
    }

private:
    void run() {
        std::string buf;
        while (!stop_) {
            pollfd p{master_, POLLIN, 0};
            if (::poll(&p, 1, 10) <= 0 || !(p.revents & POLLIN)) continue;
            char tmp[256];
            ssize_t n = ::read(master_, tmp, sizeof tmp);
            if (n <= 0) continue;
            buf.append(tmp, static_cast<size_t>(n));
            size_t eol;
            while ((eol = buf.find("\r\n")) != std::string::npos) {
                std::string cmd = buf.substr(0, eol);
                buf.erase(0, eol + 2);
                std::string reply;
                {
                    std::lock_guard<std::mutex> lk(mu_);
                    commands_.push_back(cmd);
                }
                if (responder_) reply = responder_(cmd);
                if (!reply.empty()) send(reply);
            }
        }
    }
    int master_ = -1, slave_ = -1;
    std::string path_;
    Responder responder_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::mutex mu_;
    std::vector<std::string> commands_;
};

SerialSettings settings(const std::string& dev, int baud = 9600, std::string parity = "none", int data = 8, int stop = 1) {
    SerialSettings s;
    s.device = dev;
    s.baud = baud;
    s.parity = std::move(parity);
    s.data_bits = data;
    s.stop_bits = stop;
    return s;
}

std::optional<ScaleReading> next_reading(Scale& s, std::chrono::milliseconds limit = 3s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (auto r = s.read(100ms)) return r;
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("MT-SICS over a pty: polls SI, stable/dynamic/overload replies, zero, termios applied") {
    std::atomic<int> n{0};
    const std::vector<std::string> replies = {"S D     12.34 g\r\n", "S S    250.00 g\r\n", "S +\r\n",
                                              "S S      0.2500 kg\r\n", "ES\r\n"};
    PtyScale sim([&](const std::string& cmd) -> std::string {
        if (cmd == "SI") return replies[static_cast<size_t>(n++) % replies.size()];
        if (cmd == "Z") return "Z A\r\n";
        return "ES\r\n";
    });
    SerialScale scale(SerialProtocol::MtSics, settings(sim.path(), 19200, "even", 7, 2), {50ms, 800ms});
    REQUIRE(scale.open().ok());
    CHECK(scale.describe() == "MT-SICS on " + sim.path() + " @ 19200 7E2 (polled)");
    // termios as configured on the device
    int fd = ::open(sim.path().c_str(), O_RDWR | O_NOCTTY);
    REQUIRE(fd >= 0);
    termios t{};
    REQUIRE(tcgetattr(fd, &t) == 0);
    ::close(fd);
    CHECK(cfgetospeed(&t) == B19200);
    CHECK((t.c_cflag & CSTOPB) != 0);
    CHECK((t.c_lflag & (ICANON | ECHO)) == 0);
    CHECK((t.c_iflag & (ICRNL | IXON)) == 0);
    // (the pty driver forces CS8 without parity; make_termios is checked for those bits below)

    auto r = next_reading(scale);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::InMotion);
    CHECK(*r->grams == Approx(12.34));
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Stable);
    CHECK(*r->grams == Approx(250.0));
    CHECK(r->raw == "S S    250.00 g");
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Overload);
    CHECK_FALSE(r->grams);
    r = next_reading(scale);
    CHECK(*r->grams == Approx(250.0));  // kg converted
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Fault);  // ES reply
    CHECK_THAT(r->note, Catch::Contains("syntax error"));
    REQUIRE(scale.supports_zero());
    CHECK(scale.zero().ok());
    auto cmds = sim.commands();
    CHECK(std::count(cmds.begin(), cmds.end(), "SI") >= 5);
    CHECK(std::find(cmds.begin(), cmds.end(), "Z") != cmds.end());
}

TEST_CASE("A&D continuous output with garbage and partial lines, unit change, unplug") {
    PtyScale sim;
    SerialScale scale(SerialProtocol::AnD, settings(sim.path()), {50ms, 5000ms});
    REQUIRE(scale.open().ok());
    CHECK_FALSE(scale.polling());
    sim.send("\x01\x02garbage###\r\n");           // noise on the line
    sim.send("ST,+00123.45  g\r\nUS,+001");       // a line and a partial one
    auto r = next_reading(scale);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::Stable);
    CHECK(*r->grams == Approx(123.45));
    sim.send("23.50  g\r\n");                      // the rest of the partial line arrives later
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::InMotion);
    CHECK(*r->grams == Approx(123.5));
    sim.send(std::string(300, 'x') + "ST,+00001.00  g\r\n");  // an over-long run is dropped whole
    sim.send("ST,+0.25000 kg\r\n");                // the operator switched units
    r = next_reading(scale);
    CHECK(*r->grams == Approx(250.0));
    sim.send("OL,+9999999  g\r\n");
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Overload);
    sim.unplug();
    r = next_reading(scale);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::Disconnected);
}

TEST_CASE("A&D and Ohaus switch to polling when the scale stays silent") {
    {
        PtyScale sim([](const std::string& cmd) -> std::string {
            return cmd == "SI" ? "ST,+00042.00  g\r\n" : "EC,E1\r\n";
        });
        SerialScale scale(SerialProtocol::AnD, settings(sim.path()), {50ms, 150ms});
            REQUIRE(scale.open().ok());
        auto r = next_reading(scale);
        REQUIRE(r);
        CHECK(*r->grams == Approx(42.0));
        CHECK(scale.polling());
    }
    {
        std::atomic<int> n{0};
        PtyScale sim([&](const std::string& cmd) -> std::string {
            if (cmd != "IP") return "";
            return (n++ % 2) ? "     17.20 g\r\n" : "     17.10 g ?\r\n";
        });
        SerialScale scale(SerialProtocol::Ohaus, settings(sim.path(), 2400, "none", 7, 2), {50ms, 150ms});
            REQUIRE(scale.open().ok());
        auto r = next_reading(scale);
        REQUIRE(r);
        CHECK(r->status == ScaleStatus::InMotion);
        CHECK(*r->grams == Approx(17.1));
        r = next_reading(scale);
        CHECK(r->status == ScaleStatus::Stable);
        CHECK(*r->grams == Approx(17.2));
        CHECK(scale.describe().find("2400 7N2") != std::string::npos);
    }
}

TEST_CASE("CAS continuous 7E1 stream read as 8N1 (bit 7 masked)") {
    PtyScale sim;
    SerialScale scale(SerialProtocol::Cas, settings(sim.path()));
    REQUIRE(scale.open().ok());
    CHECK_FALSE(scale.supports_zero());
    std::string line = "ST,GS,+  1.500kg\r\n";
    for (size_t i = 0; i < line.size(); i += 3) line[i] = static_cast<char>(line[i] | 0x80);  // parity bits
    sim.send(line);
    sim.send("US,NT,+  0.020kg\r\n");
    auto r = next_reading(scale);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::Stable);
    CHECK(*r->grams == Approx(1500.0));
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::InMotion);
    CHECK(*r->grams == Approx(20.0));
    auto zeroed = scale.zero();
    REQUIRE_FALSE(zeroed.ok());
    CHECK(zeroed.error().code == "unsupported");
}

TEST_CASE("termios from settings: data bits, parity, stop bits, raw mode") {
    termios t{};
    REQUIRE(make_termios(settings("x", 2400, "odd", 7, 2), t).ok());
    CHECK(cfgetispeed(&t) == B2400);
    CHECK((t.c_cflag & CSIZE) == CS7);
    CHECK((t.c_cflag & PARENB) != 0);
    CHECK((t.c_cflag & PARODD) != 0);
    CHECK((t.c_cflag & CSTOPB) != 0);
    CHECK((t.c_cflag & CRTSCTS) == 0);
    CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == 0);
    REQUIRE(make_termios(settings("x", 9600, "even", 8, 1), t).ok());
    CHECK((t.c_cflag & CSIZE) == CS8);
    CHECK((t.c_cflag & PARENB) != 0);
    CHECK((t.c_cflag & PARODD) == 0);
    CHECK((t.c_cflag & CSTOPB) == 0);
    REQUIRE(make_termios(settings("x", 115200), t).ok());
    CHECK((t.c_cflag & PARENB) == 0);
    CHECK(cfgetospeed(&t) == B115200);
    CHECK(make_termios(settings("x", 9600, "none", 6), t).error().code == "invalid_settings");
    CHECK_FALSE(make_termios(settings("x", 9600, "none", 8, 3), t).ok());
}

TEST_CASE("serial settings are validated and a missing device is a clear error") {
    SerialScale bad_baud(SerialProtocol::MtSics, settings("/dev/null", 12345));
    auto err = bad_baud.open();
    REQUIRE_FALSE(err.ok());
    CHECK(err.error().code == "invalid_settings");
    CHECK_THAT(err.error().message, Catch::Contains("baud"));
    SerialScale missing(SerialProtocol::MtSics, settings("/nonexistent/ttyUSB9"));
    err = missing.open();
    REQUIRE_FALSE(err.ok());
    CHECK(err.error().code == "not_found");
    CHECK_THAT(err.error().message, Catch::Contains("/nonexistent/ttyUSB9"));
    ptest::TempDir dir;
    { std::FILE* f = std::fopen(dir.file("plain").c_str(), "w"); std::fclose(f); }
    SerialScale not_tty(SerialProtocol::Cas, settings(dir.file("plain")));
    err = not_tty.open();
    REQUIRE_FALSE(err.ok());
    CHECK(err.error().code == "unsupported");
    CHECK_THAT(err.error().message, Catch::Contains("not a serial port"));
}

TEST_CASE("scale service reconnects by itself after the serial device is unplugged and comes back") {
    ptest::TempDir dir;
    const std::string link = dir.file("ttyScale");  // like /dev/serial/by-id/...: a stable name for a changing node
    auto plug = [&](PtyScale& sim) {
        std::filesystem::remove(dir.file("tmp"));
        std::filesystem::create_symlink(sim.path(), dir.file("tmp"));
        std::filesystem::rename(dir.file("tmp"), link);
    };
    auto sim1 = std::make_unique<PtyScale>();
    plug(*sim1);
    std::mutex mu;
    std::vector<ScaleState> states;
    ScaleServiceOptions opt;
    opt.read_timeout = 50ms;
    opt.backoff_initial = 20ms;
    opt.backoff_max = 100ms;
    opt.stability = {2.0, 300ms, 1000ms};
    opt.silence_warning = 400ms;
    ScaleService svc(std::make_unique<SerialScale>(SerialProtocol::AnD, settings(link), SerialScaleOptions{50ms, 60000ms}),
                     opt, [&](const ScaleState& s) {
                         std::lock_guard<std::mutex> lk(mu);
                         states.push_back(s);
                     });
    svc.start();
    auto seen = [&](const std::function<bool(const ScaleState&)>& p) {
        std::lock_guard<std::mutex> lk(mu);
        for (const auto& s : states)
            if (p(s)) return true;
        return false;
    };
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().connected; }));
    std::atomic<bool> feeding{true};
    std::thread feeder([&] {
        while (feeding) {
            sim1->send("ST,+00250.00  g\r\n");
            std::this_thread::sleep_for(20ms);
        }
    });
    CHECK(ptest::wait_for([&] { return seen([](const ScaleState& s) { return s.stable && s.stable_grams && *s.stable_grams == Approx(250.0); }); }));
    feeding = false;
    feeder.join();
    sim1->unplug();
    CHECK(ptest::wait_for([&] { return seen([](const ScaleState& s) { return !s.connected && s.message.find("disconnected") != std::string::npos; }); }));
    CHECK_FALSE(svc.snapshot().stable);
    // the node is gone: open fails and the service keeps retrying
    std::filesystem::remove(link);
    CHECK(ptest::wait_for([&] { return seen([](const ScaleState& s) { return s.message.find("cannot open") != std::string::npos; }); }));
    auto sim2 = std::make_unique<PtyScale>();
    plug(*sim2);
    REQUIRE(ptest::wait_for([&] { return svc.snapshot().connected; }));
    std::this_thread::sleep_for(50ms);
    sim2->send("ST,+00100.00  g\r\n");
    CHECK(ptest::wait_for([&] { auto s = svc.snapshot(); return s.grams && *s.grams == Approx(100.0); }));
    // then the scale goes silent (switched off, wrong baud): the value is dropped and the message says why
    CHECK(ptest::wait_for([&] { auto s = svc.snapshot(); return !s.grams && s.message.find("no readings") == 0; }));
    CHECK(svc.snapshot().connected);
    svc.stop();
    CHECK_FALSE(svc.snapshot().connected);
}
