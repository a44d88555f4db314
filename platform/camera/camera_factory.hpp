// Builds a Camera from plain settings (the station maps its [camera] config onto CameraSettings).
#pragma once

#include <memory>
#include <string>

#include "platform/camera/camera.hpp"

namespace batchivo::platform {

struct CameraSettings {
    std::string driver = "sim";  // v4l2 | images | sim | none
    std::string device = "/dev/video0";  // or an image file / directory for "images"
    int width = 640;
    int height = 480;
    double fps = 10;
};

// nullptr with empty `error` for driver "none"; nullptr with `error` for an unknown driver.
std::unique_ptr<Camera> make_camera(const CameraSettings& s, std::string& error);

}  // namespace batchivo::platform
