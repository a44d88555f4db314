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

void DecoderPipeline::run() {
    auto report = [this](const std::string& m) {
        if (!on_error_) return;
        try {
            on_error_(m);
        } catch (...) {
        }
    };
    bool open = false;
    GrayImage last_decoded;  // preview-sized copy of the last frame that was decoded
    std::chrono::steady_clock::time_point last_decoded_at{};
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
        const int pw = opt_.preview_width;
        const int ph = frame->width > 0 ? std::max(1, pw * frame->height / frame->width) : opt_.preview_height;
        GrayImage prev = resize_nearest(frame->data, frame->width, frame->height, frame->stride, pw, ph, frame->pixel_stride);
        bool unchanged = false;
        if (opt_.unchanged_mad > 0 && last_decoded.pixels.size() == prev.pixels.size() &&
            frame->at - last_decoded_at < opt_.max_skip) {
            uint64_t sum = 0;
            for (size_t i = 0; i < prev.pixels.size(); ++i)
                sum += static_cast<uint64_t>(std::abs(int(prev.pixels[i]) - int(last_decoded.pixels[i])));
            unchanged = static_cast<double>(sum) < opt_.unchanged_mad * static_cast<double>(prev.pixels.size());
        }
        if (!paused_ && !unchanged) {
            last_decoded = prev;
            last_decoded_at = frame->at;
        }
        {
            std::lock_guard<std::mutex> lk(preview_mu_);
            preview_ = std::move(prev);
            preview_seq_ = frame->sequence ? frame->sequence : preview_seq_ + 1;
        }
        if (paused_) continue;
        if (unchanged) {
            ++skipped_;
            continue;
        }
        DecodeOptions dopt = opt_.decode;
        if (opt_.alternate_fallbacks) {
            const bool even = (frames_.load() % 2) == 0;
            dopt.try_downscaled = dopt.try_downscaled && (even || !dopt.try_inverted);
            dopt.try_inverted = dopt.try_inverted && (!even || !opt_.decode.try_downscaled);
        }
        auto r = decode_frame(GrayView{frame->data, frame->width, frame->height, frame->stride, frame->pixel_stride},
                              dopt);
        ++frames_;
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
