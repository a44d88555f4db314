// Camera interface: V4L2 devices, image files/directories (replayed at a rate) and the simulated camera all
// produce 8-bit grayscale frames. Frames may borrow the backend's buffer (no copy) until the next grab().
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/camera/pixel_convert.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct GrayFrame {
    const uint8_t* data = nullptr;  // row-major luminance, `stride` bytes per row
    int width = 0;
    int height = 0;
    int stride = 0;
    int pixel_stride = 1;  // bytes from one pixel to the next in a row (2: the Y bytes of a YUYV buffer, no copy)
    uint64_t sequence = 0;
    std::chrono::steady_clock::time_point at{};
};

// A frame borrowing a tightly packed image's pixels (the replayed and simulated cameras).
inline GrayFrame borrow_frame(const GrayImage& img, uint64_t sequence, std::chrono::steady_clock::time_point at) {
    GrayFrame f;
    f.data = img.pixels.data();
    f.width = img.width;
    f.height = img.height;
    f.stride = img.width;
    f.sequence = sequence;
    f.at = at;
    return f;
}

// The time from one frame to the next at `fps` (zero when fps <= 0: as fast as asked).
inline std::chrono::steady_clock::duration frame_period(double fps) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(fps > 0 ? 1.0 / fps : 0.0));
}

// Errors are values: open() and grab() return Result (an Error with a stable code and a message). Codes:
//   "not_found"          no such device / image file / no images in the directory (ENOENT, ENODEV, ENXIO)
//   "permission_denied"  the device may not be opened (EACCES, EPERM: the 'video' group)
//   "io"                 any other system failure (poll, dequeue, requeue)
//   "unsupported"        not a V4L2 capture device, no streaming, none of GREY / YUYV / MJPEG
//   "invalid_settings"   the requested size cannot work (simulated camera)
//   "invalid_data"       an image file (or JPEG frame) that cannot be decoded
//   "not_open"           grab() before open() (or after close())
//   "disconnected"       the camera went away while streaming
//   "end_of_stream"      a non-looping image replay has shown its last frame
// After an error from grab() the caller closes and re-opens the camera.
class Camera {
public:
    virtual ~Camera() = default;
    virtual std::string describe() const = 0;
    virtual Result<> open() = 0;
    virtual void close() = 0;
    // Waits up to `timeout` for the next frame. The frame's pixels stay valid until the next grab() or close().
    // A frame; nullopt when none came within `timeout` (not an error: ask again); an Error when the device failed.
    virtual Result<std::optional<GrayFrame>> grab(std::chrono::milliseconds timeout) = 0;
};

}  // namespace batchivo::platform
