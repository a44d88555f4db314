// Barcode decoding: a synchronous decode_frame() (diag scan-image, bench, tests) and a DecoderPipeline thread
// that grabs frames from a Camera, decodes the latest one, debounces repeats and hands results to a callback
// (the kiosk's callback pushes them to the UI queue). Formats: QR, DataMatrix, Code 128, EAN-13/8, UPC-A/E.
// Strategy per frame: full resolution; then a box-downscaled copy (3x3 from 960 px wide, 2x2 below: rescues
// noisy/blurred camera frames); then the inverted image (light-on-dark labels). The fallbacks look for QR and
// DataMatrix only; the camera thread lets them take turns frame by frame.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "platform/camera/camera.hpp"
#include "platform/camera/pixel_convert.hpp"

namespace batchivo::platform {

struct DecodeResult {
    std::string format;  // ZXing's name: "QRCode", "DataMatrix", "Code128", "EAN-13", ...
    std::string text;
    std::string pass;    // "full", "downscaled" or "inverted" (which attempt found it)
};

struct GrayView {
    const uint8_t* data = nullptr;
    int width = 0, height = 0, stride = 0;
    int pixel_stride = 1;  // 2 for the luminance of YUYV, read in place
};

struct DecodeOptions {
    bool try_downscaled = true;
    bool try_inverted = true;
    bool try_harder = true;  // ZXing tryHarder + tryRotate
    int downscale_factor = 0;  // 0 = auto: 3 (3x3 boxes) from 960 px wide, 2 below
};

std::optional<DecodeResult> decode_frame(const GrayView& img, const DecodeOptions& opt = {});

// What `diag scan-image FILE` prints, as a value: a result, or an error ("no code found", "cannot read ...").
struct ScanFileResult {
    std::string file;
    std::optional<DecodeResult> result;
    std::string error;
    std::string error_code;  // with `error`: "no_code", or load_gray_image's ("not_found", "invalid_data")
};
ScanFileResult scan_image_file(const std::string& path);

// Suppresses the same text seen again within `window` of its last sighting (a label held in front of the camera
// keeps refreshing its sighting, so it fires once). Pure: time is passed in.
class Debouncer {
public:
    explicit Debouncer(std::chrono::milliseconds window = std::chrono::milliseconds(2000)) : window_(window) {}
    bool accept(const std::string& text, std::chrono::steady_clock::time_point now);

private:
    std::chrono::milliseconds window_;
    std::map<std::string, std::chrono::steady_clock::time_point> last_seen_;
};

struct ScanEvent {
    DecodeResult result;
    std::chrono::steady_clock::time_point at{};
};

struct DecoderPipelineOptions {
    DecodeOptions decode{};
    // Video: a label stays in view for many frames, so the fallback passes take turns (downscaled on one frame,
    // inverted on the next) instead of both running on every frame without a code.
    bool alternate_fallbacks = true;
    std::chrono::milliseconds debounce{2000};
    int preview_width = 160;   // the preview keeps the frame's aspect: 160x120 for 4:3, 160x90 for 16:9
    int preview_height = 120;  // used only before the first frame
    std::chrono::milliseconds reopen_backoff{1000};
    // Idle saving: a frame whose preview differs from the last decoded frame's by less than this mean absolute
    // difference (gray levels) is not decoded again (the result would be the same), for at most `max_skip`.
    double unchanged_mad = 2.0;  // 0 = decode every frame
    // A static scene needs no re-decoding (same pixels, same answer, debounced anyway); 5 s bounds slow drift.
    std::chrono::milliseconds max_skip{5000};
};

class DecoderPipeline {
public:
    using Callback = std::function<void(const ScanEvent&)>;
    using ErrorCallback = std::function<void(const std::string&)>;  // camera problems (optional)
    DecoderPipeline(std::unique_ptr<Camera> camera, DecoderPipelineOptions opt, Callback on_scan,
                    ErrorCallback on_error = {});
    ~DecoderPipeline();
    DecoderPipeline(const DecoderPipeline&) = delete;
    DecoderPipeline& operator=(const DecoderPipeline&) = delete;

    void start();
    void stop();  // joins
    // A small downscaled gray copy of the latest frame (preview_width x preview_height) and its sequence
    // number (0 = none yet); thread-safe.
    GrayImage latest_preview(uint64_t* sequence = nullptr) const;
    uint64_t frames_decoded() const { return frames_.load(); }
    uint64_t frames_skipped() const { return skipped_.load(); }  // unchanged frames not decoded again
    // Pause decoding (e.g. while no screen needs scanning) without closing the camera.
    void set_paused(bool paused) { paused_ = paused; }

private:
    void run();
    std::unique_ptr<Camera> camera_;
    DecoderPipelineOptions opt_;
    Callback on_scan_;
    ErrorCallback on_error_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> paused_{false};
    std::atomic<uint64_t> frames_{0};
    std::atomic<uint64_t> skipped_{0};
    mutable std::mutex preview_mu_;
    GrayImage preview_;
    uint64_t preview_seq_ = 0;
    Debouncer debounce_;
};

}  // namespace batchivo::platform
