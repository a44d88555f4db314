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

// Decides whether a camera frame shows something new, from a small preview of it (the pipeline's 160-px preview):
// the mean absolute difference to the preview of the last frame that was decoded, in gray levels. Sensor noise
// stays below the threshold; a label moved into view, a hand or a lighting change goes above it. Comparing with
// the last *decoded* frame (not the previous one) means slow drift adds up until it counts as a change. Pure.
class FrameChangeDetector {
public:
    explicit FrameChangeDetector(double threshold_mad = 2.0) : threshold_(threshold_mad) {}
    // True when `preview` differs from the reference, when there is none yet (or its size changed), or when the
    // threshold is 0 (every frame counts as changed).
    bool changed(const GrayImage& preview) const;
    // `preview` (of a frame about to be decoded) becomes the reference.
    void remember(const GrayImage& preview) { reference_ = preview; }
    void reset() { reference_ = GrayImage{}; }  // e.g. after the camera was re-opened
    // The mean absolute difference to the reference (-1 without a comparable reference).
    double difference(const GrayImage& preview) const;

private:
    double threshold_;
    GrayImage reference_;
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
    // Idle saving (FrameChangeDetector): a frame whose preview differs from the last decoded frame's by less than
    // this mean absolute difference (gray levels) is not decoded (the answer would be the same) and does not
    // replace the preview (the UI has nothing new to draw). 0 = decode every frame.
    double unchanged_mad = 2.0;
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
    uint64_t frames_skipped() const { return skipped_.load(); }  // unchanged frames, not decoded
    uint64_t frames_grabbed() const { return grabbed_.load(); }  // every frame the camera delivered
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
    std::atomic<uint64_t> grabbed_{0};
    mutable std::mutex preview_mu_;
    GrayImage preview_;
    uint64_t preview_seq_ = 0;
    Debouncer debounce_;
};

}  // namespace batchivo::platform
