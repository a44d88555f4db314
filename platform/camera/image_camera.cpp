#include "platform/camera/image_camera.hpp"

#include <algorithm>
#include <filesystem>
#include <thread>

#include <stb/stb_image.h>

namespace batchivo::platform {

bool load_gray_image(const std::string& path, GrayImage& out, std::string& error) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (px == nullptr) {
        const char* why = stbi_failure_reason();
        error = "cannot read image " + path + ": " + (why ? why : "unknown error");
        return false;
    }
    out.width = w;
    out.height = h;
    out.pixels.assign(px, px + static_cast<size_t>(w) * h);
    stbi_image_free(px);
    return true;
}

ImageCamera::ImageCamera(std::string path, double fps, bool loop) : path_(std::move(path)), fps_(fps), loop_(loop) {}

std::string ImageCamera::describe() const { return "images from " + path_; }

bool ImageCamera::open(std::string& error) {
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
        if (files.empty()) {
            error = "no images in " + path_;
            return false;
        }
    } else {
        files.push_back(path_);
    }
    for (const auto& f : files) {
        GrayImage img;
        if (!load_gray_image(f, img, error)) return false;
        frames_.push_back(std::move(img));
    }
    next_at_ = std::chrono::steady_clock::now();
    return true;
}

void ImageCamera::close() { frames_.clear(); }

std::optional<GrayFrame> ImageCamera::grab(std::chrono::milliseconds timeout, std::string& error) {
    if (frames_.empty()) {
        error = "camera not open";
        return std::nullopt;
    }
    if (next_ >= frames_.size()) {
        if (!loop_) {
            error = "end of images";
            return std::nullopt;
        }
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
