// A camera replaying an image file, or every image of a directory in name order (png, jpg, bmp, pgm...),
// as grayscale frames at `fps`, looping. For tests and demos.
#pragma once

#include <string>
#include <vector>

#include "platform/camera/camera.hpp"
#include "platform/camera/pixel_convert.hpp"

namespace batchivo::platform {

// Loads any image stb_image reads as 8-bit grayscale; false and `error` otherwise.
bool load_gray_image(const std::string& path, GrayImage& out, std::string& error);

class ImageCamera : public Camera {
public:
    ImageCamera(std::string path, double fps = 10, bool loop = true);
    std::string describe() const override;
    bool open(std::string& error) override;
    void close() override;
    // After the last frame of a non-looping replay: nullopt with error "end of images".
    std::optional<GrayFrame> grab(std::chrono::milliseconds timeout, std::string& error) override;
    size_t frame_count() const { return frames_.size(); }

private:
    std::string path_;
    double fps_;
    bool loop_;
    std::vector<GrayImage> frames_;
    size_t next_ = 0;
    uint64_t seq_ = 0;
    std::chrono::steady_clock::time_point next_at_{};
};

}  // namespace batchivo::platform
