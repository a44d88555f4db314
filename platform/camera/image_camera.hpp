// A camera replaying an image file, or every image of a directory in name order (png, jpg, bmp, pgm...),
// as grayscale frames at `fps`, looping. For tests and demos.
#pragma once

#include <string>
#include <vector>

#include "platform/camera/camera.hpp"
#include "platform/camera/pixel_convert.hpp"

namespace batchivo::platform {

// Loads any image stb_image reads as 8-bit grayscale. Errors: "not_found" (no such file), "invalid_data"
// (unreadable or not an image).
Result<GrayImage> load_gray_image(const std::string& path);

class ImageCamera : public Camera {
public:
    ImageCamera(std::string path, double fps = 10, bool loop = true);
    std::string describe() const override;
    Result<> open() override;
    void close() override;
    // After the last frame of a non-looping replay: error "end_of_stream" ("end of images").
    Result<std::optional<GrayFrame>> grab(std::chrono::milliseconds timeout) override;
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
