#include "station/core/devices.hpp"

#include <atomic>
#include <chrono>

#include "platform/camera/camera_registry.hpp"
#include "platform/camera/sim_camera.hpp"
#include "platform/decode/decoder.hpp"
#include "platform/scale/hx711_scale.hpp"
#include "platform/scale/scale_registry.hpp"
#include "platform/scale/scale_service.hpp"
#include "platform/scale/sim_scale.hpp"

namespace batchivo::station {

namespace {

class PlatformScaleLink final : public ScaleLink {
public:
    explicit PlatformScaleLink(const platform::ScaleSettings& cfg) : cfg_(cfg) {}
    ~PlatformScaleLink() override { stop(); }

    void start(Callback cb) override {
        stop();
        cb_ = std::move(cb);
        auto made = platform::create_scale(cfg_);
        if (!made) {
            if (cb_) cb_(platform::failed_readout("scale driver '" + cfg_.driver + "'", made.error().message));
            return;
        }
        std::unique_ptr<platform::Scale> scale = std::move(*made);
        // The demo controls drive an unscripted simulated scale (a scripted one follows its script).
        if (cfg_.device.empty()) sim_ = dynamic_cast<platform::SimScale*>(scale.get());
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
        auto readout = filter_.update(p);
        if (readout && cb_) cb_(*readout);
    }

    platform::ScaleSettings cfg_;
    Callback cb_;
    std::unique_ptr<platform::ScaleService> service_;
    platform::SimScale* sim_ = nullptr;
    platform::ScaleReadoutFilter filter_;  // only touched on the service thread
};

class PlatformCameraLink final : public CameraLink {
public:
    explicit PlatformCameraLink(const platform::CameraSettings& cfg) : cfg_(cfg) {}
    ~PlatformCameraLink() override { stop(); }

    void start(Callbacks cb) override {
        stop();
        cb_ = std::move(cb);
        std::unique_ptr<platform::Camera> cam;
        std::string err;
        if (auto made = platform::create_camera(cfg_)) cam = std::move(*made);
        else err = made.error().message;
        sim_ = dynamic_cast<platform::SimCamera*>(cam.get());
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
    std::shared_ptr<const platform::GrayImage> poll_preview(uint64_t& seq) override {
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
        return std::make_shared<platform::GrayImage>(std::move(img));
    }
    bool show_label(const std::string& text) override {
        if (!sim_) return false;
        if (text.empty()) sim_->hide_label();
        else sim_->show_label(text, std::chrono::milliseconds(3000));  // about 30 frames to decode it
        return true;
    }
    Result<> show_image(const std::string& path) override {
        auto r = platform::scan_image_file(path);
        if (!r.result) {
            if (r.error.empty()) return Error{"no_code", "no code found in " + path};
            return Error{r.error_code.empty() ? "no_code" : r.error_code, r.error};
        }
        if (cb_.on_label) cb_.on_label(r.result->text);
        return {};
    }
    bool simulated() const override { return sim_ != nullptr; }

private:
    platform::CameraSettings cfg_;
    Callbacks cb_;
    std::unique_ptr<platform::DecoderPipeline> pipeline_;
    platform::SimCamera* sim_ = nullptr;
    std::string device_;
    std::atomic<bool> failed_{false};
};

}  // namespace

std::unique_ptr<ScaleLink> make_scale_link(const platform::ScaleSettings& cfg) { return std::make_unique<PlatformScaleLink>(cfg); }

std::unique_ptr<CameraLink> make_camera_link(const platform::CameraSettings& cfg) {
    return std::make_unique<PlatformCameraLink>(cfg);
}

}  // namespace batchivo::station
