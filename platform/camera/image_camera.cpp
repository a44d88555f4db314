#include "platform/camera/image_camera.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include <stb/stb_image.h>

namespace batchivo::platform {

Result<GrayImage> load_gray_image(const std::string& path) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (px == nullptr) {
        const char* why = stbi_failure_reason();
        std::error_code ec;
        return Error{std::filesystem::exists(path, ec) ? "invalid_data" : "not_found",
                     "cannot read image " + path + ": " + (why ? why : "unknown error")};
    }
    GrayImage out;
    out.width = w;
    out.height = h;
    out.pixels.assign(px, px + static_cast<size_t>(w) * h);
    stbi_image_free(px);
    return out;
}

ImageCamera::ImageCamera(std::string path, double fps, bool loop) : path_(std::move(path)), fps_(fps), loop_(loop) {}

std::string ImageCamera::describe() const { return "images from " + path_; }

Result<> ImageCamera::open() {
    namespace fs = std::filesystem;
    frames_.clear();
    next_ = 0;
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(path_, ec)) {
        for (const auto& e : fs::directory_iterator(path_, ec)) {
            if (!e.is_regular_file()) continue;
            std::string ext = e.path().extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".pgm" || ext == ".ppm" ||
                ext == ".tga" || ext == ".gif")
                files.push_back(e.path().string());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) return Error{"not_found", "no images in " + path_};
    } else {
        files.push_back(path_);
    }
    for (const auto& f : files) {
        auto img = load_gray_image(f);
        if (!img) {
            frames_.clear();
            return img.error();
        }
        frames_.push_back(std::move(*img));
    }
    next_at_ = std::chrono::steady_clock::now();
    return {};
}

void ImageCamera::close() { frames_.clear(); }

Result<std::optional<GrayFrame>> ImageCamera::grab(std::chrono::milliseconds timeout) {
    if (frames_.empty()) return Error{"not_open", "camera not open"};
    if (next_ >= frames_.size()) {
        if (!loop_) return Error{"end_of_stream", "end of images"};
        next_ = 0;
    }
    auto now = std::chrono::steady_clock::now();
    if (next_at_ > now + timeout) {
        std::this_thread::sleep_for(timeout);
        return std::nullopt;
    }
    std::this_thread::sleep_until(next_at_);
    next_at_ = std::max(next_at_ + frame_period(fps_), std::chrono::steady_clock::now());
    return borrow_frame(frames_[next_++], ++seq_, std::chrono::steady_clock::now());
}

}  // namespace batchivo::platform
