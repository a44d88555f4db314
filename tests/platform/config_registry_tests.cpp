// The station's config reads the platform registries: [scale], [camera] and [scanner] parse straight into the
// platform settings structs, and the config accepts exactly the registered driver names.
#include <catch2/catch.hpp>

#include "platform/camera/camera_registry.hpp"
#include "platform/scale/scale_registry.hpp"
#include "platform/scanner/scanner_registry.hpp"
#include "station/core/config.hpp"
#include "test_util.hpp"

using namespace batchivo;

TEST_CASE("config: every registered driver is accepted, anything else rejected with the list") {
    for (const auto& d : platform::scale_drivers()) {
        auto c = station::parse_config("[scale]\ndriver = \"" + std::string(d.name) + "\"\n");
        CAPTURE(d.name);
        REQUIRE(c);
        CHECK(c->scale.driver == d.name);
    }
    for (const auto& d : platform::camera_drivers()) {
        auto c = station::parse_config("[camera]\ndriver = \"" + std::string(d.name) + "\"\n");
        REQUIRE(c);
        CHECK(c->camera.driver == d.name);
    }
    for (const auto& d : platform::scanner_drivers()) {
        auto c = station::parse_config("[scanner]\ndriver = \"" + std::string(d.name) + "\"\n");
        REQUIRE(c);
        CHECK(c->scanner.driver == d.name);
    }
    auto bad = station::parse_config("[scale]\ndriver = \"dymo\"\n");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == "invalid_config");
    CHECK(bad.error().message ==
          "config: scale.driver must be one of " + platform::scale_driver_names() + " (got 'dymo')");
    auto bad_cam = station::parse_config("[camera]\ndriver = \"usb\"\n");
    REQUIRE_FALSE(bad_cam);
    CHECK_THAT(bad_cam.error().message,
               Catch::Contains("camera.driver must be one of sim, v4l2, images, none"));
    auto bad_scan = station::parse_config("[scanner]\ndriver = \"hid\"\n");
    REQUIRE_FALSE(bad_scan);
    CHECK_THAT(bad_scan.error().message, Catch::Contains("scanner.driver must be one of keyboard, evdev"));
}

TEST_CASE(
    "config: sections are the platform settings, old scanner files mean evdev, save and load round-trip") {
    auto c = station::parse_config(
        "[scale]\ndriver = \"mt-sics\"\ndevice = \"/dev/ttyUSB0\"\nbaud = 2400\ndata_bits = 7\n"
        "[camera]\ndriver = \"v4l2\"\nwidth = 1280\nfps = 15.0\n"
        "[scanner]\nevdev_device = \"/dev/input/by-id/usb-scanner-event-kbd\"\n");
    REQUIRE(c);
    const platform::ScaleSettings& s = c->scale;  // no copy: the section is the platform struct
    CHECK(s.baud == 2400);
    CHECK(s.data_bits == 7);
    CHECK(create_scale(s));
    const platform::CameraSettings& cam = c->camera;
    CHECK(cam.width == 1280);
    CHECK(cam.fps == 15.0);
    CHECK(c->scanner.driver == "evdev");

    ptest::TempDir dir;
    const std::string path = dir.file("config.toml");
    REQUIRE(station::save_config(path, *c));
    auto back = station::load_config(path);
    REQUIRE(back);
    CHECK(back->scale.device == "/dev/ttyUSB0");
    CHECK(back->scanner.driver == "evdev");
    CHECK(back->camera.width == 1280);
    auto missing = station::load_config(dir.file("none.toml"));
    REQUIRE(missing);  // no file: defaults
    CHECK(missing->scale.driver == "sim");
    auto unwritable = station::save_config(dir.file("no/such/dir/config.toml"), *c);
    REQUIRE_FALSE(unwritable);
    CHECK(unwritable.error().code == "io");
    auto broken = station::parse_config("[scale\n");
    REQUIRE_FALSE(broken);
    CHECK_THAT(broken.error().message, Catch::Contains("config line 1"));
}
