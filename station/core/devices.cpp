#include "station/core/devices.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <qrencode.h>
#include <stb/stb_image.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace batchivo::station {

namespace {

int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A simulated scale: placing a weight settles towards it over ~0.8 s with decaying jitter, then reads steadily.
class SimScaleLink final : public ScaleLink {
public:
    explicit SimScaleLink(const ScaleConfig& cfg) : cfg_(cfg), window_(cfg.stable_spread_g, cfg.stable_window_ms) {}
    ~SimScaleLink() override { stop(); }

    void start(Callback cb) override {
        stop();
        cb_ = std::move(cb);
        running_ = true;
        thread_ = std::thread([this] { loop(); });
    }
    void stop() override {
        {
            std::lock_guard lk(mu_);
            running_ = false;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    bool place(double grams) override {
        std::lock_guard lk(mu_);
        target_ = grams;
        kick_ = true;
        cv_.notify_all();
        return true;
    }
    bool remove() override { return place(0); }
    bool set_connected(bool c) override {
        std::lock_guard lk(mu_);
        connected_ = c;
        kick_ = true;
        cv_.notify_all();
        return true;
    }
    bool simulated() const override { return true; }

private:
    void loop() {
        ScaleState last;
        double value = 0;
        uint32_t rng = 12345;
        int64_t stable_since = 0;
        while (true) {
            double target;
            bool connected;
            {
                std::unique_lock lk(mu_);
                // 10 Hz while settling; at rest the device keeps sending but nothing changes, so sleep longer.
                bool settling = std::abs(value - target_) > 0.001;
                cv_.wait_for(lk, std::chrono::milliseconds(settling ? 100 : 250), [&] { return !running_ || kick_; });
                if (!running_) return;
                kick_ = false;
                target = target_;
                connected = connected_;
            }
            ScaleState s;
            s.device = "simulated scale";
            s.at_ms = steady_ms();
            if (!connected) {
                s.status = "disconnected";
                s.error = "simulated scale unplugged";
                window_.reset();
                stable_since = 0;
            } else {
                s.connected = true;
                double diff = target - value;
                if (std::abs(diff) > 0.05) {
                    rng = rng * 1664525u + 1013904223u;
                    double jitter = ((rng >> 8) % 1000) / 1000.0 - 0.5;
                    value += diff * 0.45 + jitter * std::min(6.0, std::abs(diff) * 0.2);
                } else {
                    value = target;
                }
                s.grams = std::round(value * 10) / 10;
                s.raw_counts = 8388608.0 + std::round(value * 420.0);
                bool stable = window_.add(*s.grams, s.at_ms);
                if (stable && stable_since == 0) stable_since = s.at_ms;
                if (!stable) stable_since = 0;
                s.stable = stable;
                s.stable_since_ms = stable_since;
                if (std::abs(*s.grams) < 0.05) s.status = stable ? "at zero" : "in motion";
                else s.status = stable ? "stable" : "in motion";
            }
            ScaleState cmp = s;
            cmp.at_ms = last.at_ms;
            if (!(cmp == last) || last.device.empty()) {
                last = s;
                if (cb_) cb_(s);
            }
        }
    }

    ScaleConfig cfg_;
    StabilityWindow window_;
    Callback cb_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool running_ = false;
    bool kick_ = true;
    double target_ = 0;
    bool connected_ = true;
};

// A backend named in the config that this build cannot drive: it reports itself disconnected with the reason.
class UnavailableScaleLink final : public ScaleLink {
public:
    explicit UnavailableScaleLink(std::string why) : why_(std::move(why)) {}
    void start(Callback cb) override {
        ScaleState s;
        s.device = why_;
        s.error = why_;
        s.at_ms = steady_ms();
        if (cb) cb(s);
    }
    void stop() override {}

private:
    std::string why_;
};

// The simulated camera: a 640x480 (configurable) sensor looking at whatever label is shown, at the configured
// frame rate. Each new view is decoded by ZXing, like a real frame; identical frames are not decoded twice.
class SimCameraLink final : public CameraLink {
public:
    explicit SimCameraLink(const CameraConfig& cfg) : cfg_(cfg) {}
    ~SimCameraLink() override { stop(); }

    void start(Callbacks cb) override {
        stop();
        cb_ = std::move(cb);
        running_ = true;
        view_changed_ = true;
        thread_ = std::thread([this] { loop(); });
    }
    void stop() override {
        {
            std::lock_guard lk(mu_);
            running_ = false;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    bool show_label(const std::string& text) override {
        std::lock_guard lk(mu_);
        image_.reset();
        label_ = text;
        view_changed_ = true;
        cv_.notify_all();
        return true;
    }
    bool show_image(const std::string& path, std::string& error) override {
        auto img = load_gray_image(path, error);
        if (!img) return false;
        std::lock_guard lk(mu_);
        image_ = std::make_shared<GrayImage>(std::move(*img));
        label_.clear();
        view_changed_ = true;
        cv_.notify_all();
        return true;
    }
    bool simulated() const override { return true; }

private:
    void loop() {
        CameraState st;
        st.connected = true;
        st.device = "simulated camera " + std::to_string(cfg_.width) + "x" + std::to_string(cfg_.height);
        if (cb_.on_state) cb_.on_state(st);
        GrayImage frame;
        std::string last_decoded;
        const auto period = std::chrono::milliseconds(static_cast<int>(1000.0 / std::max(1.0, cfg_.fps)));
        while (true) {
            std::string label;
            std::shared_ptr<GrayImage> image;
            {
                std::unique_lock lk(mu_);
                cv_.wait_for(lk, period, [&] { return !running_ || view_changed_; });
                if (!running_) return;
                st.frames++;
                if (!view_changed_) continue;  // same scene: nothing new to decode or preview
                view_changed_ = false;
                label = label_;
                image = image_;
            }
            if (image) {
                frame = *image;
            } else if (!label.empty()) {
                frame = render_qr(label, cfg_.width, cfg_.height);
            } else {
                frame = GrayImage{cfg_.width, cfg_.height, std::vector<uint8_t>(size_t(cfg_.width) * cfg_.height)};
                for (int y = 0; y < frame.height; ++y)
                    for (int x = 0; x < frame.width; ++x)
                        frame.pixels[size_t(y) * frame.width + x] = static_cast<uint8_t>(60 + (y * 50) / frame.height + ((x / 40 + y / 40) % 2) * 6);
            }
            if (cb_.on_preview) cb_.on_preview(std::make_shared<GrayImage>(downscale(frame, 160)));
            auto text = decode_gray(frame);
            if (text && *text != last_decoded) {
                if (cb_.on_label) cb_.on_label(*text);
            }
            last_decoded = text.value_or("");
        }
    }

    CameraConfig cfg_;
    Callbacks cb_;
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool running_ = false;
    bool view_changed_ = false;
    std::string label_;
    std::shared_ptr<GrayImage> image_;
};

class NoCameraLink final : public CameraLink {
public:
    explicit NoCameraLink(std::string why) : why_(std::move(why)) {}
    void start(Callbacks cb) override {
        CameraState s;
        s.device = why_;
        s.error = why_;
        if (cb.on_state) cb.on_state(s);
    }
    void stop() override {}

private:
    std::string why_;
};

}  // namespace

bool StabilityWindow::add(double grams, int64_t at) {
    samples_.emplace_back(at, grams);
    while (!samples_.empty() && samples_.front().first < at - window_ms_) samples_.erase(samples_.begin());
    if (samples_.empty() || at - samples_.front().first < window_ms_ * 9 / 10) {
        // Not a full window yet: stable only if every sample so far agrees and we have waited long enough.
        return false;
    }
    auto [mn, mx] = std::minmax_element(samples_.begin(), samples_.end(),
                                        [](auto& a, auto& b) { return a.second < b.second; });
    return mx->second - mn->second < spread_;
}

std::unique_ptr<ScaleLink> make_scale_link(const ScaleConfig& cfg) {
    if (cfg.driver == "sim") return std::make_unique<SimScaleLink>(cfg);
    return std::make_unique<UnavailableScaleLink>("scale driver '" + cfg.driver + "' (" + cfg.device +
                                                  ") is not available in this build");
}

std::unique_ptr<CameraLink> make_camera_link(const CameraConfig& cfg) {
    if (cfg.driver == "sim") return std::make_unique<SimCameraLink>(cfg);
    if (cfg.driver == "none") return std::make_unique<NoCameraLink>("no camera configured");
    return std::make_unique<NoCameraLink>("camera driver '" + cfg.driver + "' is not available in this build");
}

std::optional<std::string> decode_gray(const GrayImage& img) {
    if (img.width <= 0 || img.height <= 0) return std::nullopt;
    ZXing::DecodeHints hints;
    hints.setTryHarder(true);
    auto try_view = [&](const GrayImage& g) -> std::optional<std::string> {
        ZXing::ImageView view(g.pixels.data(), g.width, g.height, ZXing::ImageFormat::Lum);
        auto r = ZXing::ReadBarcode(view, hints);
        if (r.isValid()) return r.text();
        return std::nullopt;
    };
    if (auto t = try_view(img)) return t;
    if (img.width > 800) {
        if (auto t = try_view(downscale(img, img.width / 2))) return t;
    }
    GrayImage inv = img;
    for (auto& p : inv.pixels) p = static_cast<uint8_t>(255 - p);
    return try_view(inv);
}

std::optional<GrayImage> load_gray_image(const std::string& path, std::string& error) {
    int w = 0, h = 0, n = 0;
    unsigned char* data = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (!data) {
        error = "cannot read image " + path + ": " + (stbi_failure_reason() ? stbi_failure_reason() : "unknown");
        return std::nullopt;
    }
    GrayImage g{w, h, std::vector<uint8_t>(data, data + size_t(w) * h)};
    stbi_image_free(data);
    return g;
}

GrayImage render_qr(const std::string& text, int w, int h) {
    GrayImage g{w, h, std::vector<uint8_t>(size_t(w) * h, 200)};
    QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!qr) return g;
    const int modules = qr->width + 8;  // quiet zone of 4 modules each side
    const int scale = std::max(1, std::min(w, h) * 3 / 4 / modules);
    const int size = modules * scale;
    const int ox = (w - size) / 2, oy = (h - size) / 2;
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            int mx = x / scale - 4, my = y / scale - 4;
            bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width && (qr->data[my * qr->width + mx] & 1);
            g.pixels[size_t(oy + y) * w + (ox + x)] = dark ? 20 : 240;
        }
    QRcode_free(qr);
    return g;
}

GrayImage downscale(const GrayImage& img, int max_w) {
    if (img.width <= max_w || max_w <= 0) return img;
    const int f = (img.width + max_w - 1) / max_w;
    GrayImage out{img.width / f, img.height / f, {}};
    out.pixels.resize(size_t(out.width) * out.height);
    for (int y = 0; y < out.height; ++y)
        for (int x = 0; x < out.width; ++x) {
            int sum = 0;
            for (int dy = 0; dy < f; ++dy)
                for (int dx = 0; dx < f; ++dx) sum += img.pixels[size_t(y * f + dy) * img.width + (x * f + dx)];
            out.pixels[size_t(y) * out.width + x] = static_cast<uint8_t>(sum / (f * f));
        }
    return out;
}

}  // namespace batchivo::station
