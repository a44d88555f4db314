// A simulated camera: grey idle frames with a little noise; show_label(text) renders a QR code (libqrencode)
// into the frames for `duration` so the decoder pipeline finds it. show_label() is thread-safe (the kiosk's
// demo mode calls it from the UI thread).
#pragma once

#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "platform/camera/camera.hpp"
#include "platform/camera/pixel_convert.hpp"

namespace batchivo::platform {

// Renders `text` as a QR code (black modules on white, 4-module quiet zone) with `module_px` pixels a module.
// Empty image when qrencode fails (text too long).
GrayImage render_qr(const std::string& text, int module_px);
// Pastes `src` into `dst` (width x height, packed) with its top-left corner at (x, y), clipped.
void paste(const GrayImage& src, GrayImage& dst, int x, int y);

class SimCamera : public Camera {
public:
    SimCamera(int width = 640, int height = 480, double fps = 10);
    std::string describe() const override;
    Result<> open() override;
    void close() override;
    Result<std::optional<GrayFrame>> grab(std::chrono::milliseconds timeout) override;

    void show_label(const std::string& text, std::chrono::milliseconds duration = std::chrono::milliseconds(1500));
    void hide_label();

private:
    void render_locked();
    int w_, h_;
    double fps_;
    std::mutex mu_;
    std::string label_;
    std::chrono::steady_clock::time_point label_until_{};
    bool label_dirty_ = true;
    GrayImage frame_;
    GrayImage base_;  // background + label, noise is added per frame
    uint64_t seq_ = 0;
    std::chrono::steady_clock::time_point next_at_{};
    std::mt19937 rng_{7};
    std::vector<int8_t> noise_;  // a fixed noise pattern (+-3), read at a different offset each frame
    bool open_ = false;
};

}  // namespace batchivo::platform
