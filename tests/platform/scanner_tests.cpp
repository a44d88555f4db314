#include <catch2/catch.hpp>

#include <fcntl.h>
#include <linux/input.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/scanner/evdev_scanner.hpp"
#include "platform/scanner/keymap.hpp"
#include "platform/scanner/typed_sequence.hpp"
#include "test_util.hpp"

using namespace batchivo::platform;
using namespace std::chrono_literals;

TEST_CASE("key codes to text, US layout, with and without shift") {
    CHECK(key_to_char(KEY_A, false) == 'a');
    CHECK(key_to_char(KEY_A, true) == 'A');
    CHECK(key_to_char(KEY_1, false) == '1');
    CHECK(key_to_char(KEY_1, true) == '!');
    CHECK(key_to_char(KEY_MINUS, false) == '-');
    CHECK(key_to_char(KEY_MINUS, true) == '_');
    CHECK(key_to_char(KEY_SEMICOLON, true) == ':');
    CHECK(key_to_char(KEY_SLASH, false) == '/');
    CHECK(key_to_char(KEY_EQUAL, true) == '+');
    CHECK(key_to_char(KEY_KP5, false) == '5');
    CHECK(key_to_char(KEY_SPACE, false) == ' ');
    CHECK_FALSE(key_to_char(KEY_LEFTSHIFT, false));
    CHECK_FALSE(key_to_char(KEY_F1, false));
    CHECK_FALSE(key_to_char(-1, false));
}

namespace {
// What a wedge scanner sends for `text`: press/release per key, shift around capitals and symbols.
std::vector<std::pair<int, int>> type(const std::string& text) {
    std::vector<std::pair<int, int>> ev;
    for (char c : text) {
        int code = -1;
        bool shift = false;
        for (int k = 0; k < 256 && code < 0; ++k) {
            for (bool s : {false, true}) {
                if (k >= KEY_KP7 && k <= KEY_KPDOT) continue;  // prefer the main block
                if (key_to_char(k, s) == c) {
                    code = k;
                    shift = s;
                    break;
                }
            }
        }
        REQUIRE(code >= 0);
        if (shift) ev.push_back({KEY_LEFTSHIFT, 1});
        ev.push_back({code, 1});
        ev.push_back({code, 0});
        if (shift) ev.push_back({KEY_LEFTSHIFT, 0});
    }
    ev.push_back({KEY_ENTER, 1});
    ev.push_back({KEY_ENTER, 0});
    return ev;
}
}  // namespace

TEST_CASE("KeyTranslator assembles scans ending with Enter") {
    KeyTranslator t;
    const std::string url = "https://batchivo.com/filaments/0192f3a4-5b6c-7d8e-9f01-23456789abcd/update";
    std::optional<std::string> out;
    for (auto [code, value] : type(url))
        if (auto r = t.feed(code, value)) out = r;
    REQUIRE(out);
    CHECK(*out == url);
    out.reset();
    for (auto [code, value] : type("WEB+SPOOLMAN:S-42"))
        if (auto r = t.feed(code, value)) out = r;
    CHECK(out == std::string("WEB+SPOOLMAN:S-42"));
    // caps lock inverts letter case, right shift works, keypad digits, autorepeat counts, empty Enter ignored
    CHECK_FALSE(t.feed(KEY_ENTER, 1));
    t.feed(KEY_CAPSLOCK, 1);
    t.feed(KEY_CAPSLOCK, 0);
    t.feed(KEY_F, 1);
    t.feed(KEY_RIGHTSHIFT, 1);
    t.feed(KEY_I, 1);
    t.feed(KEY_RIGHTSHIFT, 0);
    t.feed(KEY_L, 1);
    t.feed(KEY_L, 2);
    t.feed(KEY_KP0, 1);
    CHECK(t.pending() == "FiLL0");
    t.feed(KEY_BACKSPACE, 1);
    CHECK(t.feed(KEY_KPENTER, 1) == std::string("FiLL"));
}

TEST_CASE("typed sequences: a fast burst ending with Enter is a scan, human typing is not") {
    TypedSequenceDetector d({60ms, 4});
    auto t = std::chrono::steady_clock::time_point{} + 1h;
    for (char c : std::string("FIL-001")) {
        d.feed_char(static_cast<char32_t>(c), t);
        t += 8ms;
    }
    CHECK(d.in_burst(t));
    CHECK(d.feed_enter(t) == std::string("FIL-001"));
    // a person typing 150 ms apart
    for (char c : std::string("FIL-001")) {
        d.feed_char(static_cast<char32_t>(c), t);
        t += 150ms;
    }
    CHECK_FALSE(d.in_burst(t));
    CHECK_FALSE(d.feed_enter(t - 140ms));
    // human typing followed by a scan: only the burst counts
    d.feed_char('x', t);
    t += 400ms;
    for (char c : std::string("web+spoolman:s-42")) {
        d.feed_char(static_cast<char32_t>(c), t);
        t += 10ms;
    }
    CHECK(d.feed_enter(t) == std::string("web+spoolman:s-42"));
    // a fast burst but a slow Enter (someone pressed Enter later): not a scan
    for (char c : std::string("ABCDEF")) {
        d.feed_char(static_cast<char32_t>(c), t);
        t += 10ms;
    }
    CHECK_FALSE(d.feed_enter(t + 500ms));
    // too short
    d.feed_char('a', t);
    d.feed_char('b', t + 5ms);
    CHECK_FALSE(d.feed_enter(t + 10ms));
    // non-ASCII keeps UTF-8
    t += 1s;
    for (char32_t c : std::u32string(U"Grün-1")) {
        d.feed_char(c, t);
        t += 5ms;
    }
    CHECK(d.feed_enter(t) == std::string("Grün-1"));
}

TEST_CASE("evdev scanner reads input_event records (through a FIFO) and reports scans") {
    ptest::TempDir dir;
    const std::string fifo = dir.file("event-kbd");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::mutex mu;
    std::vector<std::string> scans, errors;
    EvdevScanner sc(fifo, [&](const std::string& s) { std::lock_guard<std::mutex> lk(mu); scans.push_back(s); },
                    [&](const std::string& e) { std::lock_guard<std::mutex> lk(mu); errors.push_back(e); });
    REQUIRE(sc.start_without_grab().ok());  // EVIOCGRAB needs a real evdev node
    int w = ::open(fifo.c_str(), O_WRONLY);
    REQUIRE(w >= 0);
    auto send = [&](const std::string& text) {
        for (auto [code, value] : type(text)) {
            input_event ev{};
            ev.type = EV_KEY;
            ev.code = static_cast<uint16_t>(code);
            ev.value = value;
            REQUIRE(::write(w, &ev, sizeof ev) == static_cast<ssize_t>(sizeof ev));
            input_event syn{};
            syn.type = EV_SYN;
            REQUIRE(::write(w, &syn, sizeof syn) == static_cast<ssize_t>(sizeof syn));
        }
    };
    send("FIL-001");
    send("batchivo://spool/0192f3a4-5b6c-7d8e-9f01-23456789abcd");
    REQUIRE(ptest::wait_for([&] { std::lock_guard<std::mutex> lk(mu); return scans.size() == 2; }));
    CHECK(scans[0] == "FIL-001");
    CHECK(scans[1] == "batchivo://spool/0192f3a4-5b6c-7d8e-9f01-23456789abcd");
    ::close(w);
    CHECK(ptest::wait_for([&] { std::lock_guard<std::mutex> lk(mu); return !errors.empty(); }));
    sc.stop();
    EvdevScanner missing("/nonexistent/event9", nullptr);
    auto r = missing.start();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "io");
    CHECK_THAT(r.error().message, Catch::Contains("/nonexistent/event9"));
}
