#include "platform/camera/camera_registry.hpp"

#include "platform/camera/image_camera.hpp"
#include "platform/camera/sim_camera.hpp"
#include "platform/camera/v4l2_camera.hpp"

namespace batchivo::platform {

namespace {

using Made = Result<std::unique_ptr<Camera>>;

// One row per driver. The Setup screen shows them in this order.
const std::vector<CameraDriver> kDrivers = {
    {"sim", "Simulated camera (demo)", DevicePath::None, "", true,
     [](const CameraSettings& s) -> Made { return std::make_unique<SimCamera>(s.width, s.height, s.fps); }},
    {"v4l2", "USB or Pi camera (V4L2)", DevicePath::Required, "/dev/video0", false,
     [](const CameraSettings& s) -> Made {
         return std::make_unique<V4l2Camera>(s.device, s.width, s.height, s.fps);
     }},
    {"images", "Image files (replayed)", DevicePath::Required, "tests/data/labels", false,
     [](const CameraSettings& s) -> Made { return std::make_unique<ImageCamera>(s.device, s.fps); }},
    {"none", "No camera", DevicePath::None, "", false,
     [](const CameraSettings&) -> Made { return std::unique_ptr<Camera>(); }},
};

}  // namespace

const std::vector<CameraDriver>& camera_drivers() {
    return kDrivers;
}

const CameraDriver* find_camera_driver(std::string_view name) {
    return find_driver(kDrivers, name);
}

std::string camera_driver_names() {
    return driver_names(kDrivers);
}

Result<> validate_camera_settings(const CameraSettings& s) {
    if (auto r = check_driver_name(kDrivers, "camera.driver", s.driver); !r) return r;
    if (s.width <= 0 || s.height <= 0 || !(s.fps > 0))
        return Error{"invalid_config", "camera size and fps must be positive"};
    return {};
}

Result<std::unique_ptr<Camera>> create_camera(const CameraSettings& s) {
    auto d = resolve_driver(kDrivers, "camera", s.driver, s.device);
    if (!d) return d.error();
    return (*d)->make(s);
}

}  // namespace batchivo::platform
