#include "platform/camera/camera_factory.hpp"

#include "platform/camera/image_camera.hpp"
#include "platform/camera/sim_camera.hpp"
#include "platform/camera/v4l2_camera.hpp"

namespace batchivo::platform {

std::unique_ptr<Camera> make_camera(const CameraSettings& s, std::string& error) {
    if (s.driver == "none") return nullptr;
    if (s.driver == "sim") return std::make_unique<SimCamera>(s.width, s.height, s.fps);
    if (s.driver == "images") {
        if (s.device.empty()) {
            error = "camera driver 'images' needs a file or directory";
            return nullptr;
        }
        return std::make_unique<ImageCamera>(s.device, s.fps);
    }
    if (s.driver == "v4l2") return std::make_unique<V4l2Camera>(s.device, s.width, s.height, s.fps);
    error = "unknown camera driver '" + s.driver + "' (v4l2, images, sim, none)";
    return nullptr;
}

}  // namespace batchivo::platform
