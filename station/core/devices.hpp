// The kiosk's view of its devices: a scale feed and a camera/decoder feed, each running on its own thread and
// reporting through callbacks (which the station turns into EventQueue posts). This is the thin adapter between
// station/ and platform/: the scale is a platform::ScaleService over create_scale() (or a SimScale, whose demo
// controls are exposed here), the camera a platform::DecoderPipeline over create_camera() (or a SimCamera). The
// station only sees platform::ScaleReadout / CameraState, preview images and decoded label text.
//
// Thread-safety: start()/stop() from the owning (UI) thread; the demo controls (place/remove/...) from any
// thread. Callbacks run on the device thread and must not block.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/camera/pixel_convert.hpp"
#include "platform/scale/scale_readout.hpp"
#include "station/core/config.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::station {

// The kiosk uses the platform's types directly: platform::ScaleReadout (what it shows of the scale: 0.1 g, status
// word, stable since) and platform::GrayImage (a preview frame).

struct CameraState {
    bool connected = false;
    std::string device;
    std::string error;
    uint64_t frames = 0;
    bool operator==(const CameraState&) const = default;
};

class ScaleLink {
public:
    using Callback = std::function<void(const platform::ScaleReadout&)>;
    virtual ~ScaleLink() = default;
    virtual void start(Callback on_change) = 0;
    virtual void stop() = 0;
    // Demo controls (simulated scale only; false when the backend is real hardware).
    virtual bool place(double /*grams*/) { return false; }
    virtual bool remove() { return false; }
    virtual bool set_connected(bool /*connected*/) { return false; }
    virtual bool simulated() const { return false; }
};

class CameraLink {
public:
    struct Callbacks {
        std::function<void(const CameraState&)> on_state;
        std::function<void(const std::string&)> on_label;                   // a decoded code (deduplicated)
    };
    virtual ~CameraLink() = default;
    virtual void start(Callbacks cb) = 0;
    virtual void stop() = 0;
    // Stop decoding while nobody can scan (blank screen); the camera stays open.
    virtual void set_active(bool /*active*/) {}
    // The latest small preview frame when it is newer than `seq` (updates `seq`); nullptr otherwise.
    virtual std::shared_ptr<const platform::GrayImage> poll_preview(uint64_t& /*seq*/) { return nullptr; }
    // Demo: show a label (its payload) to the simulated camera; "" takes it away.
    virtual bool show_label(const std::string& /*text*/) { return false; }
    // Decode an image file (PNG/JPEG) with the same decoder as camera frames and report its code as a scan.
    // Errors: "unsupported" (this camera cannot), "no_code" (no code in the image), "not_found" /
    // "invalid_data" (the file cannot be read).
    virtual Result<> show_image(const std::string& /*path*/) {
        return Error{"unsupported", "this camera cannot show images"};
    }
    virtual bool simulated() const { return false; }
};

std::unique_ptr<ScaleLink> make_scale_link(const platform::ScaleSettings& cfg);
std::unique_ptr<CameraLink> make_camera_link(const platform::CameraSettings& cfg);

}  // namespace batchivo::station
