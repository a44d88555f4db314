// The hardware registries: every row builds a backend (simulated or against a fake device path), names are
// unique, lookup is exact, the factories' errors are values with codes, and the config-time validation
// accepts exactly the registered names.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <set>

#include "platform/camera/camera_registry.hpp"
#include "platform/scale/hx711_scale.hpp"
#include "platform/scale/scale_readout.hpp"
#include "platform/scale/scale_registry.hpp"
#include "platform/scanner/scanner_registry.hpp"
#include "sync/domain/tare_catalog.hpp"
#include "test_util.hpp"

using namespace batchivo;
using namespace batchivo::platform;
using namespace std::chrono_literals;

namespace {

void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

template <class Rows>
void check_rows(const Rows& rows) {
    std::set<std::string_view> names;
    for (const auto& d : rows) {
        CAPTURE(d.name);
        CHECK(names.insert(d.name).second);
        CHECK_FALSE(d.name.empty());
        CHECK_FALSE(d.label.empty());
        CHECK(d.make != nullptr);
        if (d.device == DevicePath::Required) CHECK_FALSE(d.device_hint.empty());
        for (char c : d.name) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'));
    }
}

}  // namespace

TEST_CASE("scale registry: unique names, exact lookup, every row builds a backend") {
    check_rows(scale_drivers());
    REQUIRE(scale_drivers().front().name == "sim");
    CHECK(scale_drivers().front().simulated);
    CHECK(find_scale_driver("mt-sics") != nullptr);
    CHECK(find_scale_driver("mt-sics")->serial);
    CHECK(find_scale_driver("MT-SICS") == nullptr);
    CHECK(find_scale_driver("") == nullptr);
    CHECK(scale_driver_names() == "sim, hid, mt-sics, and, ohaus, cas, hx711");

    ptest::TempDir dir;
    write_text(dir.file("fake"), "8388608\n");
    for (const auto& d : scale_drivers()) {
        CAPTURE(d.name);
        ScaleSettings s;
        s.driver = std::string(d.name);
        if (d.device == DevicePath::Required) s.device = dir.file("fake");
        auto made = create_scale(s);
        REQUIRE(made);
        REQUIRE(*made);
        CHECK_FALSE((*made)->describe().empty());
        if (d.device == DevicePath::Required) {
            s.device.clear();
            auto missing = create_scale(s);
            REQUIRE_FALSE(missing);
            CHECK(missing.error().code == "needs_device");
            CHECK_THAT(missing.error().message, Catch::Contains(std::string(d.device_hint)));
        }
    }
}

TEST_CASE("scale registry: the simulated row reads, errors are codes with clear messages") {
    ScaleSettings s;
    auto sim = create_scale(s);
    REQUIRE(sim);
    REQUIRE((*sim)->open().ok());
    std::optional<ScaleReading> r;
    for (int i = 0; i < 50 && !r; ++i) r = (*sim)->read(100ms);
    REQUIRE(r);
    CHECK(r->status != ScaleStatus::Disconnected);

    s.driver = "bogus";
    auto unknown = create_scale(s);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == "unknown_driver");
    CHECK_THAT(unknown.error().message, Catch::Contains("bogus") && Catch::Contains("hx711"));
    s.driver = "mt-sics";
    s.device = "/dev/ttyUSB0";
    s.baud = 12345;
    auto bad_baud = create_scale(s);
    REQUIRE_FALSE(bad_baud);
    CHECK(bad_baud.error().code == "invalid_settings");
}

TEST_CASE("scale settings validation accepts exactly the registered drivers") {
    for (const auto& d : scale_drivers()) {
        ScaleSettings s;
        s.driver = std::string(d.name);  // no device yet: Setup saves drafts
        CAPTURE(d.name);
        CHECK(validate_scale_settings(s));
    }
    for (const char* name : {"bogus", "HID", "", "mt_sics", "sim "}) {
        ScaleSettings s;
        s.driver = name;
        auto r = validate_scale_settings(s);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == "invalid_config");
        CHECK(r.error().message ==
              "scale.driver must be one of " + scale_driver_names() + " (got '" + name + "')");
    }
    ScaleSettings s;
    s.parity = "mark";
    CHECK_THAT(validate_scale_settings(s).error().message, Catch::Contains("scale.parity"));
    s = {};
    s.stable_window_ms = 10;
    CHECK_THAT(validate_scale_settings(s).error().message, Catch::Contains("scale.stable_window_ms"));
}

TEST_CASE("camera registry: unique names, every row builds, none is no camera, validation") {
    check_rows(camera_drivers());
    CHECK(camera_drivers().front().simulated);
    CHECK(camera_driver_names() == "sim, v4l2, images, none");
    ptest::TempDir dir;
    for (const auto& d : camera_drivers()) {
        CAPTURE(d.name);
        CameraSettings s;
        s.driver = std::string(d.name);
        s.device = dir.path;
        auto made = create_camera(s);
        REQUIRE(made);
        CHECK(static_cast<bool>(*made) == (d.name != "none"));
        CHECK(validate_camera_settings(s));
    }
    CameraSettings s;
    auto sim = create_camera(s);
    REQUIRE(sim);
    REQUIRE((*sim)->open().ok());
    std::optional<GrayFrame> f;
    for (int i = 0; i < 20 && !f; ++i) f = (*sim)->grab(200ms).value();
    REQUIRE(f);
    CHECK(f->width == 640);

    s.driver = "images";
    s.device.clear();
    CHECK(create_camera(s).error().code == "needs_device");
    s.driver = "webcam";
    CHECK(create_camera(s).error().code == "unknown_driver");
    auto r = validate_camera_settings(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "camera.driver must be one of sim, v4l2, images, none (got 'webcam')");
    s.driver = "sim";
    s.fps = 0;
    CHECK_FALSE(validate_camera_settings(s));
}

TEST_CASE("scanner registry: keyboard needs no backend, evdev reports a missing device as a value") {
    check_rows(scanner_drivers());
    CHECK(scanner_driver_names() == "keyboard, evdev");
    ScannerSettings s;
    auto kb = create_scanner(s, [](const std::string&) {});
    REQUIRE(kb);
    CHECK_FALSE(*kb);
    s.driver = "evdev";
    CHECK(create_scanner(s, {}).error().code == "needs_device");
    s.evdev_device = "/nonexistent/event-kbd";
    auto ev = create_scanner(s, [](const std::string&) {});
    REQUIRE(ev);
    REQUIRE(*ev);
    CHECK_THAT((*ev)->describe(), Catch::Contains("/nonexistent/event-kbd"));
    auto started = (*ev)->start();
    REQUIRE_FALSE(started);
    CHECK(started.error().code == "io");
    CHECK_THAT(started.error().message, Catch::Contains("/nonexistent/event-kbd"));
    (*ev)->stop();
    for (const auto& d : scanner_drivers()) {
        ScannerSettings v;
        v.driver = std::string(d.name);
        CHECK(validate_scanner_settings(v));
    }
    s.driver = "serial";
    CHECK(validate_scanner_settings(s).error().message ==
          "scanner.driver must be one of keyboard, evdev (got 'serial')");
}

TEST_CASE("scale readout: 0.1 g, stable mean, status words, unchanged readouts dropped, stable since") {
    ScaleReadoutFilter f;
    ScaleState st;
    st.connected = true;
    st.status = ScaleStatus::InMotion;
    st.grams = 249.96;
    st.describe = "sim";
    st.at = std::chrono::steady_clock::time_point(1000ms);
    auto a = f.update(st);
    REQUIRE(a);
    CHECK(*a->grams == Approx(250.0));
    CHECK(a->status == "in motion");
    CHECK(a->stable_since_ms == 0);
    CHECK(a->at_ms == 1000);
    st.at = std::chrono::steady_clock::time_point(1100ms);
    st.grams = 250.02;  // same at 0.1 g: nothing visible changed
    CHECK_FALSE(f.update(st));
    st.status = ScaleStatus::Stable;
    st.stable = true;
    st.stable_grams = 250.01;
    st.at = std::chrono::steady_clock::time_point(1200ms);
    auto b = f.update(st);
    REQUIRE(b);
    CHECK(b->stable);
    CHECK(b->stable_since_ms == 1200);
    st.grams = -0.02;
    st.stable_grams = -0.01;
    auto c = f.update(st);
    REQUIRE(c);
    CHECK(std::signbit(*c->grams) == false);
    CHECK(c->stable_since_ms == 1200);  // still the same stable run
    st.connected = false;
    st.stable = false;
    st.status = ScaleStatus::Disconnected;
    st.message = "device disconnected";
    auto d = f.update(st);
    REQUIRE(d);
    CHECK(d->error == "device disconnected");
    CHECK(d->stable_since_ms == 0);
    CHECK(failed_readout("scale driver 'x'", "nope").error == "nope");
    CHECK(status_label(ScaleStatus::AtZero) == "at zero");
}

TEST_CASE("boundary loaders return Result: HX711 counts, the tare catalog file") {
    ptest::TempDir dir;
    write_text(dir.file("raw"), "8390608\n");
    auto counts = hx711_read_counts(dir.file("raw"));
    REQUIRE(counts);
    CHECK(*counts == 2000);
    write_text(dir.file("raw"), "16777215\n");
    CHECK(hx711_read_counts(dir.file("raw")).error().code == "saturated");
    write_text(dir.file("raw"), "garbage\n");
    CHECK(hx711_read_counts(dir.file("raw")).error().code == "invalid_data");
    CHECK(hx711_read_counts(dir.file("missing")).error().code == "io");

    write_text(dir.file("tares.csv"),
               "manufacturer,material,net_weight_g,empty_spool_weight_g,spool_type\nPolymaker,PLA,1000,140,"
               "cardboard\n"
               "broken line\n");
    int skipped = 0;
    auto cat = TareCatalog::load_file(dir.file("tares.csv"), &skipped);
    REQUIRE(cat);
    CHECK(cat->size() == 1);
    CHECK(skipped == 1);
    CHECK(cat->find("polymaker", "pla", 1000)->empty_spool_weight_g == 140);
    auto missing = TareCatalog::load_file(dir.file("nope.csv"));
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == "io");
}
