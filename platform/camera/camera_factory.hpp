// Compatibility entry point: make_camera() with the old bool-plus-string error convention, for callers not yet
// moved to create_camera() (camera_registry.hpp, which also holds the driver table and CameraSettings).
#pragma once

#include <memory>
#include <string>

#include "platform/camera/camera_registry.hpp"

namespace batchivo::platform {

// nullptr with empty `error` for driver "none"; nullptr with `error` for an unknown driver. Prefer create_camera().
std::unique_ptr<Camera> make_camera(const CameraSettings& s, std::string& error);

}  // namespace batchivo::platform
