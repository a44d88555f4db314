#define ZX_USE_UTF8 1
#include "platform/decode/decoder.hpp"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cstdlib>

#include "platform/camera/image_camera.hpp"

namespace batchivo::platform {

namespace {
ZXing::DecodeHints make_hints(const DecodeOptions& opt) {
    ZXing::DecodeHints h;
    h.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix | ZXing::BarcodeFormat::Code128 |
                 ZXing::BarcodeFormat::EAN13 | ZXing::BarcodeFormat::EAN8 | ZXing::BarcodeFormat::UPCA |
                 ZXing::BarcodeFormat::UPCE);
    h.setTryHarder(opt.try_harder);
    h.setTryRotate(opt.try_harder);
    return h;
}

std::optional<DecodeResult> read_one(const uint8_t* data, int w, int h, int stride, const ZXing::DecodeHints& hints,
                                     const char* pass, int pixel_stride = 1) {
    if (data == nullptr || w <= 0 || h <= 0) return std::nullopt;
    ZXing::ImageView view(data, w, h, ZXing::ImageFormat::Lum, stride, pixel_stride);
    auto r = ZXing::ReadBarcode(view, hints);
    if (!r.isValid()) return std::nullopt;
    return DecodeResult{ZXing::ToString(r.format()), r.text(), pass};
}
}  // namespace

std::optional<DecodeResult> decode_frame(const GrayView& img, const DecodeOptions& opt) {
    if (img.data == nullptr || img.width < 8 || img.height < 8) return std::nullopt;
    const int ps = img.pixel_stride > 0 ? img.pixel_stride : 1;
    const int stride = img.stride > 0 ? img.stride : img.width * ps;
    const ZXing::DecodeHints hints = make_hints(opt);
    // The fallbacks look for 2-D label codes only: they exist for camera noise and light-on-dark labels, and
    // skipping the 1-D line scans there roughly halves their cost on frames without any code.
    ZXing::DecodeHints fallback = hints;
    fallback.setFormats(ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::DataMatrix);
    if (auto r = read_one(img.data, img.width, img.height, stride, hints, "full", ps)) return r;
    if (opt.try_downscaled) {
        int factor = opt.downscale_factor > 0 ? opt.downscale_factor : (img.width >= 960 ? 3 : 2);
        GrayImage small = box_downscale(img.data, img.width, img.height, stride, factor, ps);
        if (auto r = read_one(small.pixels.data(), small.width, small.height, small.width, fallback, "downscaled"))
            return r;
    }
    if (opt.try_inverted) {
        GrayImage inv = invert(img.data, img.width, img.height, stride, ps);
        if (auto r = read_one(inv.pixels.data(), inv.width, inv.height, inv.width, fallback, "inverted")) return r;
    }
    return std::nullopt;
}

ScanFileResult scan_image_file(const std::string& path) {
    ScanFileResult out;
    out.file = path;
    auto loaded = load_gray_image(path);
    if (!loaded) {
        out.error = loaded.error().message;
        out.error_code = loaded.error().code;
        return out;
    }
    const GrayImage& img = *loaded;
    out.result = decode_frame(GrayView{img.pixels.data(), img.width, img.height, img.width});
    if (!out.result) {
        out.error = "no code found";
        out.error_code = "no_code";
    }
    return out;
}

bool Debouncer::accept(const std::string& text, std::chrono::steady_clock::time_point now) {
    for (auto it = last_seen_.begin(); it != last_seen_.end();) {  // forget old sightings (bounded memory)
        if (now - it->second > window_ && it->first != text) it = last_seen_.erase(it);
        else ++it;
    }
    auto it = last_seen_.find(text);
    if (it != last_seen_.end() && now >= it->second && now - it->second <= window_) {
        it->second = now;  // still in view: keep suppressing
        return false;
    }
    last_seen_[text] = now;
    return true;
}

DecoderPipeline::DecoderPipeline(std::unique_ptr<Camera> camera, DecoderPipelineOptions opt, Callback on_scan,
                                 ErrorCallback on_error)
    : camera_(std::move(camera)), opt_(opt), on_scan_(std::move(on_scan)), on_error_(std::move(on_error)),
      debounce_(opt.debounce) {}

DecoderPipeline::~DecoderPipeline() { stop(); }

void DecoderPipeline::start() {
    if (thread_.joinable() || !camera_) return;
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void DecoderPipeline::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

GrayImage DecoderPipeline::latest_preview(uint64_t* sequence) const {
    std::lock_guard<std::mutex> lk(preview_mu_);
    if (sequence) *sequence = preview_seq_;
    return preview_;
}

double FrameChangeDetector::difference(const GrayImage& preview) const {
    if (reference_.pixels.empty() || reference_.width != preview.width || reference_.height != preview.height ||
        reference_.pixels.size() != preview.pixels.size())
        return -1;
    uint64_t sum = 0;
    const uint8_t* a = preview.pixels.data();
    const uint8_t* b = reference_.pixels.data();
    for (size_t i = 0; i < preview.pixels.size(); ++i) sum += static_cast<uint64_t>(std::abs(int(a[i]) - int(b[i])));
    return static_cast<double>(sum) / static_cast<double>(std::max<size_t>(1, preview.pixels.size()));
}

bool FrameChangeDetector::changed(const GrayImage& preview) const {
    if (threshold_ <= 0) return true;
    const double d = difference(preview);
    return d < 0 || d >= threshold_;
}

void DecoderPipeline::run() {
    auto report = [this](const std::string& m) {
        if (!on_error_) return;
        try {
            on_error_(m);
        } catch (...) {
        }
    };
    bool open = false;
    FrameChangeDetector change(opt_.unchanged_mad);
    bool other_fallback_due = false;
    while (!stop_) {
        if (!open) {
            if (auto opened = camera_->open(); !opened) {
                report("camera: " + opened.error().message);
                for (auto waited = std::chrono::milliseconds(0); waited < opt_.reopen_backoff && !stop_;
                     waited += std::chrono::milliseconds(50))
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            open = true;
            change.reset();  // the first frame after (re)opening is always new (and tells the UI the camera is back)
            other_fallback_due = false;
        }
        auto grabbed = camera_->grab(std::chrono::milliseconds(200));
        if (!grabbed) {
            report("camera: " + grabbed.error().message);
            camera_->close();
            open = false;
            continue;
        }
        const std::optional<GrayFrame>& frame = *grabbed;
        if (!frame) continue;  // no frame within the timeout
        ++grabbed_;
        const int pw = opt_.preview_width;
        const int ph = frame->width > 0 ? std::max(1, pw * frame->height / frame->width) : opt_.preview_height;
        GrayImage prev = resize_nearest(frame->data, frame->width, frame->height, frame->stride, pw, ph, frame->pixel_stride);
        const bool is_new = change.changed(prev);
        if (!is_new && !(other_fallback_due && !paused_)) {  // the same scene: same answer, nothing new to show
            ++skipped_;
            continue;
        }
        if (is_new) {
            // While paused the preview still follows the scene, but no frame becomes the reference: on resume the
            // current scene is decoded.
            if (!paused_) change.remember(prev);
            std::lock_guard<std::mutex> lk(preview_mu_);
            preview_ = std::move(prev);
            preview_seq_ = frame->sequence ? frame->sequence : preview_seq_ + 1;
        }
        if (paused_) continue;
        // An unchanged frame is decoded once more only when the previous decode of this scene ran one of the two
        // alternating fallbacks and found nothing: the other one gets its turn, then the scene is left alone.
        other_fallback_due = false;
        DecodeOptions dopt = opt_.decode;
        if (opt_.alternate_fallbacks) {
            const bool even = (frames_.load() % 2) == 0;
            dopt.try_downscaled = dopt.try_downscaled && (even || !dopt.try_inverted);
            dopt.try_inverted = dopt.try_inverted && (!even || !opt_.decode.try_downscaled);
        }
        auto r = decode_frame(GrayView{frame->data, frame->width, frame->height, frame->stride, frame->pixel_stride},
                              dopt);
        ++frames_;
        if (!r && is_new && opt_.alternate_fallbacks && opt_.decode.try_downscaled && opt_.decode.try_inverted)
            other_fallback_due = true;
        if (r && debounce_.accept(r->text, frame->at)) {
            try {
                if (on_scan_) on_scan_(ScanEvent{*r, frame->at});
            } catch (...) {
            }
        }
    }
    if (open) camera_->close();
}

}  // namespace batchivo::platform
