// The one table of camera drivers, read by the factory (create_camera / make_camera), config validation
// (validate_camera_settings) and the Setup screen. CameraSettings is the [camera] section of config.toml: the
// station parses TOML straight into it. A new camera backend is one new source file plus one row in
// camera_registry.cpp.
//
// Pure data and functions; the table never changes (safe to read from any thread).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/camera/camera.hpp"
#include "platform/driver_table.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct CameraSettings {
    std::string driver = "sim";          // a name from camera_drivers(): v4l2 | images | sim | none
    std::string device = "/dev/video0";  // or an image file / directory for "images"
    int width = 640;
    int height = 480;
    double fps = 10;
};

struct CameraDriver {
    std::string_view name;   // config value: "v4l2"
    std::string_view label;  // for the operator
    DevicePath device = DevicePath::Required;
    std::string_view device_hint;
    bool simulated = false;
    // Builds a not yet opened camera; an empty pointer (no error) means "no camera" (driver "none").
    Result<std::unique_ptr<Camera>> (*make)(const CameraSettings&) = nullptr;
};

// Every driver, in the order the Setup screen lists them (the simulated one first).
const std::vector<CameraDriver>& camera_drivers();
const CameraDriver* find_camera_driver(std::string_view name);  // nullptr when unknown
std::string camera_driver_names();                              // "sim, v4l2, images, none"

// Config-time checks: a registered driver, positive size and rate. Error code "invalid_config".
Result<> validate_camera_settings(const CameraSettings& s);

// Errors: "unknown_driver", "needs_device". Driver "none" gives an empty pointer.
Result<std::unique_ptr<Camera>> create_camera(const CameraSettings& s);

}  // namespace batchivo::platform
