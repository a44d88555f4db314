// USB HID POS scale through a FIFO (no hidraw ioctls needed to read) and HX711 through a sysfs-like file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/scale/hid_scale.hpp"
#include "platform/scale/hx711_scale.hpp"
#include "platform/scale/scale_registry.hpp"
#include "test_util.hpp"

using namespace batchivo::platform;
using namespace std::chrono_literals;

namespace {
std::optional<ScaleReading> next_reading(Scale& s, std::chrono::milliseconds limit = 3s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end)
        if (auto r = s.read(50ms)) return r;
    return std::nullopt;
}
void write_all(int fd, const std::vector<uint8_t>& b) { REQUIRE(::write(fd, b.data(), b.size()) == static_cast<ssize_t>(b.size())); }
void write_text(const std::string& path, const std::string& text) {  // atomic, like a sysfs attribute
    {
        std::ofstream f(path + ".tmp", std::ios::trunc);
        f << text;
    }
    REQUIRE(std::rename((path + ".tmp").c_str(), path.c_str()) == 0);
}
}  // namespace

TEST_CASE("HID scale over a FIFO: stale first report dropped, reports parsed, resync on junk, writer gone = disconnected") {
    ptest::TempDir dir;
    const std::string fifo = dir.file("hidraw0");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    HidScale scale(fifo);
    REQUIRE(scale.open().ok());
    CHECK_FALSE(scale.supports_zero());  // not a hidraw character device
    int w = ::open(fifo.c_str(), O_WRONLY);
    REQUIRE(w >= 0);
    write_all(w, {0x03, 0x04, 0x02, 0x00, 0x99, 0x09});  // stale: 2457 g from before
    write_all(w, {0x03, 0x03, 0x02, 0x00, 0x64, 0x00});  // 100 g in motion
    write_all(w, {0x03, 0x04, 0x02, 0xFF, 0xC4, 0x09});  // 250.0 g stable
    write_all(w, {0xAA, 0x55});                          // junk between reports
    write_all(w, {0x03, 0x04, 0x0B, 0xFF, 0x7D, 0x00});  // 12.5 oz: the user switched units
    write_all(w, {0x03, 0x02, 0x02, 0x00, 0x00});        // split report: 5 bytes now...
    auto r = next_reading(scale);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::InMotion);
    CHECK(*r->grams == Approx(100.0));
    CHECK(r->raw == "03 03 02 00 64 00");
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Stable);
    CHECK(*r->grams == Approx(250.0));
    r = next_reading(scale);
    CHECK(*r->grams == Approx(354.369).epsilon(0.001));
    CHECK_FALSE(scale.read(50ms));
    write_all(w, {0x00});  // ...and the last byte later
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::AtZero);
    write_all(w, {0x03, 0x06, 0x02, 0x00, 0x00, 0x00});
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Overload);
    write_all(w, {0x03, 0x07, 0x02, 0x00, 0x00, 0x00});
    r = next_reading(scale);
    CHECK(r->status == ScaleStatus::Fault);
    CHECK(r->note == "scale needs calibration");
    ::close(w);  // the scale went away
    r = next_reading(scale);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::Disconnected);
    scale.close();
    auto zeroed = scale.zero();
    REQUIRE_FALSE(zeroed.ok());
    CHECK(zeroed.error().code == "disconnected");
}

TEST_CASE("HID scale: missing device is a clear error, factory builds it") {
    HidScale s("/nonexistent/hidraw7");
    auto opened = s.open();
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == "not_found");
    CHECK_THAT(opened.error().message, Catch::Contains("/nonexistent/hidraw7"));
    ScaleSettings st;
    st.driver = "hid";
    auto r = create_scale(st);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("needs a device"));
    st.device = "/dev/hidraw0";
    auto sc = create_scale(st);
    REQUIRE(sc.ok());
    CHECK((*sc)->describe() == "USB HID scale on /dev/hidraw0");
    st.driver = "bogus";
    r = create_scale(st);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("unknown scale driver"));
    st.driver = "mt-sics";
    st.parity = "mark";
    r = create_scale(st);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("parity"));
}

TEST_CASE("HX711 through the IIO sysfs file: calibration, saturation, garbage, file gone") {
    ptest::TempDir dir;
    const std::string raw = dir.file("in_voltage0_raw");
    write_text(raw, "8390608\n");  // 0x800000 + 2000 counts
    auto cal = hx711_calibrate(2000, 12000, 500.0);  // 500 g adds 10000 counts
    REQUIRE(cal);
    CHECK(cal->offset == 2000);
    CHECK(cal->grams_per_count == Approx(0.05));
    CHECK_FALSE(hx711_calibrate(2000, 2000, 500));
    CHECK_FALSE(hx711_calibrate(2000, 3000, 0));
    Hx711Scale s(raw, *cal, 5ms);
    REQUIRE(s.open().ok());
    auto r = next_reading(s);
    REQUIRE(r);
    CHECK(r->status == ScaleStatus::AtZero);
    CHECK(*r->grams == 0.0);
    write_text(raw, "8395608\n");  // +5000 counts over the offset = 250 g
    r = next_reading(s);
    CHECK(r->status == ScaleStatus::Stable);
    CHECK(*r->grams == Approx(250.0));
    write_text(raw, "8388608\n");  // 2000 counts under the offset = -100 g
    r = next_reading(s);
    CHECK(r->status == ScaleStatus::UnderZero);
    CHECK(*r->grams == Approx(-100.0));
    write_text(raw, "16777215\n");
    r = next_reading(s);
    CHECK(r->status == ScaleStatus::Overload);
    CHECK_FALSE(r->grams);
    CHECK_THAT(r->note, Catch::Contains("saturated"));
    write_text(raw, "0\n");
    r = next_reading(s);
    CHECK(r->status == ScaleStatus::UnderZero);
    CHECK_FALSE(r->grams);
    write_text(raw, "banana\n");
    r = next_reading(s);
    CHECK(r->status == ScaleStatus::Fault);
    // software zero at the current load
    write_text(raw, "8395608\n");
    r = next_reading(s);
    CHECK(s.zero().ok());
    r = next_reading(s);
    CHECK(*r->grams == 0.0);
    std::remove(raw.c_str());
    r = next_reading(s);
    CHECK(r->status == ScaleStatus::Disconnected);
    CHECK(s.open().error().code == "not_found");

    write_text(raw, "8390608\n");
    Hx711Scale uncal(raw, {}, 5ms);
    REQUIRE(uncal.open().ok());
    r = next_reading(uncal);
    CHECK(r->status == ScaleStatus::Fault);
    CHECK_THAT(r->note, Catch::Contains("not calibrated (counts 2000)"));
    CHECK(hx711_parse_raw(" 42\n") == 42L);
    CHECK_FALSE(hx711_parse_raw("4 2"));
    CHECK_FALSE(hx711_parse_raw(""));
}
