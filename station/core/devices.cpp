#include "station/core/devices.hpp"

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <cmath>
#include <mutex>

#include "platform/camera/camera_factory.hpp"
#include "platform/camera/sim_camera.hpp"
#include "platform/decode/decoder.hpp"
#include "platform/scale/hx711_scale.hpp"
#include "platform/scale/scale_factory.hpp"
#include "platform/scale/scale_service.hpp"
#include "platform/scale/sim_scale.hpp"

namespace batchivo::station {

namespace {

int64_t steady_ms(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string status_text(platform::ScaleStatus s) {
    switch (s) {
        case platform::ScaleStatus::Stable: return "stable";
        case platform::ScaleStatus::InMotion: return "in motion";
        case platform::ScaleStatus::AtZero: return "at zero";
        case platform::ScaleStatus::UnderZero: return "under zero";
        case platform::ScaleStatus::Overload: return "overload";
        case platform::ScaleStatus::Fault: return "fault";
        case platform::ScaleStatus::Disconnected: return "disconnected";
    }
    return "?";
}

class PlatformScaleLink final : public ScaleLink {
public:
    explicit PlatformScaleLink(const ScaleConfig& cfg) : cfg_(cfg) {}
    ~PlatformScaleLink() override { stop(); }

    void start(Callback cb) override {
        stop();
        cb_ = std::move(cb);
        std::unique_ptr<platform::Scale> scale;
        std::string err;
        if (cfg_.driver == "sim" && cfg_.device.empty()) {
            platform::SimScaleOptions so;
            so.noise_g = 0.03;  // a good lab scale; keeps the idle display (0.1 g) from flickering
            auto sim = std::make_unique<platform::SimScale>(so);
            sim_ = sim.get();
            scale = std::move(sim);
        } else {
            platform::ScaleSettings s;
            s.driver = cfg_.driver;
            s.device = cfg_.device;
            s.baud = cfg_.baud;
            s.parity = cfg_.parity;
            s.data_bits = cfg_.data_bits;
            s.stop_bits = cfg_.stop_bits;
            s.stable_spread_g = cfg_.stable_spread_g;
            s.stable_window_ms = cfg_.stable_window_ms;
            s.auto_zero = cfg_.auto_zero;
            s.auto_zero_limit_g = cfg_.auto_zero_limit_g;
            s.hx711_offset = cfg_.hx711_offset;
            s.hx711_grams_per_count = cfg_.hx711_grams_per_count;
            scale = platform::make_scale(s, err);
        }
        if (!scale) {
            ScaleState st;
            st.device = "scale driver '" + cfg_.driver + "'";
            st.error = err;
            if (cb_) cb_(st);
            return;
        }
        platform::ScaleServiceOptions o;
        o.stability.spread_g = cfg_.stable_spread_g;
        o.stability.window = std::chrono::milliseconds(cfg_.stable_window_ms);
        o.auto_zero.enabled = cfg_.auto_zero;
        o.auto_zero.limit_g = cfg_.auto_zero_limit_g;
        service_ = std::make_unique<platform::ScaleService>(std::move(scale), o,
                                                            [this](const platform::ScaleState& s) { on_state(s); });
        service_->start();
    }
    void stop() override {
        if (service_) service_->stop();
        service_.reset();
        sim_ = nullptr;
    }
    bool place(double grams) override {
        if (!sim_) return false;
        sim_->place(grams);
        return true;
    }
    bool remove() override {
        if (!sim_) return false;
        sim_->remove();
        return true;
    }
    bool set_connected(bool c) override {
        if (!sim_) return false;
        if (c) sim_->reconnect();
        else sim_->disconnect();
        return true;
    }
    bool simulated() const override { return sim_ != nullptr; }

private:
    // Runs on the service thread. Only changes an operator can see are passed on (0.1 g, status, stability,
    // connection), so a resting scale does not redraw the screen ten times a second.
    void on_state(const platform::ScaleState& p) {
        ScaleState s;
        s.connected = p.connected;
        const auto g = p.stable && p.stable_grams ? p.stable_grams : p.grams;
        if (g) s.grams = std::round(*g * 10) / 10;
        if (s.grams && *s.grams == 0) s.grams = 0.0;  // no "-0.0 g"
        s.stable = p.stable;
        s.status = status_text(p.status);
        s.device = p.describe;
        s.error = p.connected ? std::string() : p.message;
        s.at_ms = steady_ms(p.at.time_since_epoch().count() ? p.at : std::chrono::steady_clock::now());
        std::lock_guard lk(mu_);
        if (s.stable && !last_.stable) stable_since_ = s.at_ms;
        if (!s.stable) stable_since_ = 0;
        s.stable_since_ms = stable_since_;
        ScaleState cmp = s;
        cmp.at_ms = last_.at_ms;
        cmp.stable_since_ms = last_.stable_since_ms;
        if (cmp == last_ && have_last_) return;
        last_ = s;
        have_last_ = true;
        if (cb_) cb_(s);
    }

    ScaleConfig cfg_;
    Callback cb_;
    std::unique_ptr<platform::ScaleService> service_;
    platform::SimScale* sim_ = nullptr;
    std::mutex mu_;
    ScaleState last_;
    bool have_last_ = false;
    int64_t stable_since_ = 0;
};

class PlatformCameraLink final : public CameraLink {
public:
    explicit PlatformCameraLink(const CameraConfig& cfg) : cfg_(cfg) {}
    ~PlatformCameraLink() override { stop(); }

    void start(Callbacks cb) override {
        stop();
        cb_ = std::move(cb);
        std::unique_ptr<platform::Camera> cam;
        std::string err;
        if (cfg_.driver == "sim") {
            auto sim = std::make_unique<platform::SimCamera>(cfg_.width, cfg_.height, cfg_.fps);
            sim_ = sim.get();
            cam = std::move(sim);
        } else {
            platform::CameraSettings s;
            s.driver = cfg_.driver;
            s.device = cfg_.device;
            s.width = cfg_.width;
            s.height = cfg_.height;
            s.fps = cfg_.fps;
            cam = platform::make_camera(s, err);
        }
        CameraState st;
        if (!cam) {
            st.device = cfg_.driver == "none" ? "no camera" : "camera driver '" + cfg_.driver + "'";
            st.error = err.empty() ? "no camera configured" : err;
            if (cb_.on_state) cb_.on_state(st);
            return;
        }
        st.connected = true;
        st.device = cam->describe();
        device_ = st.device;
        platform::DecoderPipelineOptions o;
        // Live frames: a label held to the camera is seen in many frames, so skip ZXing's exhaustive tryHarder
        // pass (keeps an idle weigh screen cheap); downscaled and inverted passes stay on.
        o.decode.try_harder = false;
        pipeline_ = std::make_unique<platform::DecoderPipeline>(
            std::move(cam), o,
            [this](const platform::ScanEvent& e) {
                if (cb_.on_label) cb_.on_label(e.result.text);
            },
            [this](const std::string& e) {
                CameraState bad;
                bad.device = device_;
                bad.error = e;
                failed_ = true;
                if (cb_.on_state) cb_.on_state(bad);
            });
        pipeline_->start();
        if (cb_.on_state) cb_.on_state(st);
    }
    void stop() override {
        if (pipeline_) pipeline_->stop();
        pipeline_.reset();
        sim_ = nullptr;
    }
    void set_active(bool active) override {
        if (pipeline_) pipeline_->set_paused(!active);
    }
    std::shared_ptr<const GrayImage> poll_preview(uint64_t& seq) override {
        if (!pipeline_) return nullptr;
        uint64_t s = 0;
        auto img = pipeline_->latest_preview(&s);
        if (s == 0 || s == seq) return nullptr;
        seq = s;
        if (failed_.exchange(false) && cb_.on_state) {  // frames again after an error: the camera is back
            CameraState ok;
            ok.connected = true;
            ok.device = device_;
            cb_.on_state(ok);
        }
        return std::make_shared<GrayImage>(GrayImage{img.width, img.height, std::move(img.pixels)});
    }
    bool show_label(const std::string& text) override {
        if (!sim_) return false;
        if (text.empty()) sim_->hide_label();
        else sim_->show_label(text, std::chrono::milliseconds(3000));  // about 30 frames to decode it
        return true;
    }
    bool show_image(const std::string& path, std::string& error) override {
        auto r = platform::scan_image_file(path);
        if (!r.result) {
            error = r.error.empty() ? "no code found in " + path : r.error;
            return false;
        }
        if (cb_.on_label) cb_.on_label(r.result->text);
        return true;
    }
    bool simulated() const override { return sim_ != nullptr; }

private:
    CameraConfig cfg_;
    Callbacks cb_;
    std::unique_ptr<platform::DecoderPipeline> pipeline_;
    platform::SimCamera* sim_ = nullptr;
    std::string device_;
    std::atomic<bool> failed_{false};
};

}  // namespace

std::optional<double> read_hx711_counts(const std::string& path, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot read " + path;
        return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto raw = platform::hx711_parse_raw(ss.str());
    if (!raw) {
        error = path + " does not hold a raw ADC value";
        return std::nullopt;
    }
    if (*raw <= 0 || *raw >= 0xFFFFFF) {
        error = "the load cell is saturated (raw " + std::to_string(*raw) + "): check the wiring";
        return std::nullopt;
    }
    return static_cast<double>(*raw - 0x800000);
}

std::unique_ptr<ScaleLink> make_scale_link(const ScaleConfig& cfg) { return std::make_unique<PlatformScaleLink>(cfg); }

std::unique_ptr<CameraLink> make_camera_link(const CameraConfig& cfg) {
    return std::make_unique<PlatformCameraLink>(cfg);
}

}  // namespace batchivo::station
