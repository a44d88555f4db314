// The kiosk's view of its devices: a scale feed and a camera/decoder feed, each running on its own thread and
// reporting through callbacks (which the station turns into EventQueue posts). This is the thin adapter between
// station/ and platform/: the station only sees ScaleState / CameraState and decoded label text.
//
// Until platform's ScaleService/SimScale/SimCamera/decoder pipeline are in the tree, the simulated backends
// below (a settling simulated scale and a simulated camera that renders a shown label as a QR code and decodes
// it with ZXing) are what --demo and the tests use; make_scale_link()/make_camera_link() are the one place to
// switch to the platform implementations.
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

#include "station/core/config.hpp"

namespace batchivo::station {

struct ScaleState {
    bool connected = false;
    std::optional<double> grams;  // gross reading
    bool stable = false;
    std::string status = "disconnected";  // stable | in motion | at zero | under zero | overload | fault | disconnected
    std::string device;                   // describe() of the backend
    std::string error;                    // last open/read error
    std::optional<double> raw_counts;     // HX711 raw value (calibration), when the backend has one
    int64_t at_ms = 0;                    // steady clock ms of the reading
    int64_t stable_since_ms = 0;          // steady ms when the current stable run began (0 = not stable)
    bool operator==(const ScaleState&) const = default;
};

struct GrayImage {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;  // width*height luminance
};

struct CameraState {
    bool connected = false;
    std::string device;
    std::string error;
    uint64_t frames = 0;
    bool operator==(const CameraState&) const = default;
};

class ScaleLink {
public:
    using Callback = std::function<void(const ScaleState&)>;
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
        std::function<void(std::shared_ptr<const GrayImage>)> on_preview;  // small preview, when it changed
        std::function<void(const std::string&)> on_label;                   // a decoded code (deduplicated)
    };
    virtual ~CameraLink() = default;
    virtual void start(Callbacks cb) = 0;
    virtual void stop() = 0;
    // Demo: show a label (its payload) to the simulated camera; "" takes it away.
    virtual bool show_label(const std::string& /*text*/) { return false; }
    // Put an image file (PNG/JPEG) in front of the camera; decoded by the same pipeline. Errors as a value.
    virtual bool show_image(const std::string& /*path*/, std::string& error) {
        error = "this camera cannot show images";
        return false;
    }
    virtual bool simulated() const { return false; }
};

std::unique_ptr<ScaleLink> make_scale_link(const ScaleConfig& cfg);
std::unique_ptr<CameraLink> make_camera_link(const CameraConfig& cfg);

// Stability rule shared by the simulated backend: stable when max-min < spread over the last window.
class StabilityWindow {
public:
    StabilityWindow(double spread_g, int window_ms) : spread_(spread_g), window_ms_(window_ms) {}
    // Adds a reading at steady ms `at`; returns true when the window is full and within the spread.
    bool add(double grams, int64_t at);
    void reset() { samples_.clear(); }

private:
    double spread_;
    int64_t window_ms_;
    std::vector<std::pair<int64_t, double>> samples_;
};

// Decodes a barcode/QR in a grayscale image with ZXing (full size, then downscaled, then inverted).
std::optional<std::string> decode_gray(const GrayImage& img);
// Loads an image file as grayscale.
std::optional<GrayImage> load_gray_image(const std::string& path, std::string& error);
// Renders `text` as a QR code centred on a w x h light background (the simulated camera's view of a label).
GrayImage render_qr(const std::string& text, int w, int h);
GrayImage downscale(const GrayImage& img, int max_w);

}  // namespace batchivo::station
