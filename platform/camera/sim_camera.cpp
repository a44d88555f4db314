#include "platform/camera/sim_camera.hpp"

#include <algorithm>
#include <thread>

#include "platform/pacing.hpp"

#include <qrencode.h>

namespace batchivo::platform {

GrayImage render_qr(const std::string& text, int module_px) {
    GrayImage out;
    if (module_px < 1) module_px = 1;
    QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (qr == nullptr) return out;
    const int quiet = 4;
    const int n = qr->width + 2 * quiet;
    out.width = out.height = n * module_px;
    out.pixels.assign(static_cast<size_t>(out.width) * out.height, 255);
    for (int y = 0; y < qr->width; ++y) {
        for (int x = 0; x < qr->width; ++x) {
            if ((qr->data[y * qr->width + x] & 1) == 0) continue;
            for (int dy = 0; dy < module_px; ++dy) {
                uint8_t* row = out.pixels.data() + static_cast<size_t>((y + quiet) * module_px + dy) * out.width;
                std::fill(row + (x + quiet) * module_px, row + (x + quiet + 1) * module_px, 0);
            }
        }
    }
    QRcode_free(qr);
    return out;
}

void paste(const GrayImage& src, GrayImage& dst, int x, int y) {
    for (int sy = 0; sy < src.height; ++sy) {
        const int dy = y + sy;
        if (dy < 0 || dy >= dst.height) continue;
        for (int sx = 0; sx < src.width; ++sx) {
            const int dx = x + sx;
            if (dx < 0 || dx >= dst.width) continue;
            dst.pixels[static_cast<size_t>(dy) * dst.width + dx] = src.pixels[static_cast<size_t>(sy) * src.width + sx];
        }
    }
}

SimCamera::SimCamera(int width, int height, double fps) : w_(width), h_(height), fps_(fps) {}

std::string SimCamera::describe() const {
    return "simulated camera " + std::to_string(w_) + "x" + std::to_string(h_);
}

Result<> SimCamera::open() {
    if (w_ < 64 || h_ < 64 || w_ > 4096 || h_ > 4096)
        return Error{"invalid_settings", "simulated camera size out of range"};
    std::lock_guard<std::mutex> lk(mu_);
    open_ = true;
    label_dirty_ = true;
    next_at_ = std::chrono::steady_clock::now();
    return {};
}

void SimCamera::close() {
    std::lock_guard<std::mutex> lk(mu_);
    open_ = false;
}

void SimCamera::show_label(const std::string& text, std::chrono::milliseconds duration) {
    std::lock_guard<std::mutex> lk(mu_);
    label_ = text;
    label_until_ = std::chrono::steady_clock::now() + duration;
    label_dirty_ = true;
}

void SimCamera::hide_label() {
    std::lock_guard<std::mutex> lk(mu_);
    label_.clear();
    label_dirty_ = true;
}

void SimCamera::render_locked() {
    base_.width = w_;
    base_.height = h_;
    base_.pixels.resize(static_cast<size_t>(w_) * h_);
    // a desk-like background: soft vertical gradient
    for (int y = 0; y < h_; ++y)
        std::fill(base_.pixels.begin() + static_cast<long>(y) * w_, base_.pixels.begin() + static_cast<long>(y + 1) * w_,
                  static_cast<uint8_t>(90 + 50 * y / h_));
    if (!label_.empty()) {
        int module = std::max(2, std::min(w_, h_) / 90);
        GrayImage qr = render_qr(label_, module);
        while (!qr.pixels.empty() && (qr.width > w_ * 3 / 4 || qr.height > h_ * 3 / 4) && module > 1)
            qr = render_qr(label_, --module);
        if (!qr.pixels.empty()) paste(qr, base_, (w_ - qr.width) / 2, (h_ - qr.height) / 2);
    }
    label_dirty_ = false;
}

Result<std::optional<GrayFrame>> SimCamera::grab(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!open_) return Error{"not_open", "camera not open"};
    if (!sleep_until_due(lk, next_at_, timeout)) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    next_at_ = std::max(next_at_ + frame_period(fps_), now);
    if (!label_.empty() && now >= label_until_) {
        label_.clear();
        label_dirty_ = true;
    }
    if (label_dirty_ || base_.pixels.empty()) render_locked();
    frame_ = base_;
    // Sensor noise (+-3) on a sparse set of pixels keeps frames alive without hiding the code. The values come
    // from a fixed random pattern read at a different offset every frame: drawing ~44,000 random numbers a frame
    // cost the simulated camera more CPU than the idle kiosk (bench_kiosk, issue 11).
    if (noise_.empty()) {
        std::uniform_int_distribution<int> d(-3, 3);
        noise_.resize(65521);  // prime: the offsets below do not repeat with a short period
        for (auto& n : noise_) n = static_cast<int8_t>(d(rng_));
    }
    size_t k = static_cast<size_t>((seq_ * 7919u) % noise_.size());
    for (size_t i = static_cast<size_t>(seq_ % 7); i < frame_.pixels.size(); i += 7) {
        frame_.pixels[i] = static_cast<uint8_t>(std::clamp(frame_.pixels[i] + noise_[k], 0, 255));
        if (++k == noise_.size()) k = 0;
    }
    return borrow_frame(frame_, ++seq_, now);
}

}  // namespace batchivo::platform
