// V4L2 capture: mmap streaming (4 buffers), GREY and YUYV (frames borrow the mapped buffer, no copy: YUYV's
// luminance is read in place with a pixel stride of 2), MJPEG (decoded with libjpeg) when the camera offers nothing else. Negotiates the requested size;
// the driver may pick another, which describe() reports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "platform/camera/camera.hpp"
#include "platform/camera/pixel_convert.hpp"

namespace batchivo::platform {

class V4l2Camera : public Camera {
public:
    V4l2Camera(std::string device, int width, int height, double fps);
    ~V4l2Camera() override;
    std::string describe() const override;
    Result<> open() override;
    void close() override;
    Result<std::optional<GrayFrame>> grab(std::chrono::milliseconds timeout) override;

private:
    struct Buffer {
        void* start = nullptr;
        size_t length = 0;
    };
    Result<> requeue();  // gives the current frame's buffer back to the driver; error "io"
    std::string device_;
    int req_w_, req_h_;
    double fps_;
    int fd_ = -1;
    uint32_t pixfmt_ = 0;
    int width_ = 0, height_ = 0, stride_ = 0;
    std::vector<Buffer> buffers_;
    int dequeued_ = -1;  // index of the buffer the current frame borrows
    uint64_t seq_ = 0;
    GrayImage converted_;
};

}  // namespace batchivo::platform
