// The decoder: the label-image regression set (as `diag scan-image` reads it), other formats, the fallback
// passes, debouncing and the threaded pipeline with its preview.
#define ZX_USE_UTF8 1
#include "batchivo_source_dir.hpp"
#include <catch2/catch.hpp>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "platform/camera/image_camera.hpp"
#include "platform/camera/sim_camera.hpp"
#include "platform/decode/decoder.hpp"
#include "test_util.hpp"

using namespace batchivo::platform;
using namespace std::chrono_literals;

namespace {
std::string data_dir() {
    const char* d = std::getenv("BATCHIVO_TEST_DATA");
    return d ? d : BATCHIVO_SOURCE_DIR "/tests/data";
}
GrayImage render(ZXing::BarcodeFormat fmt, const std::string& text, int w, int h) {
    auto bm = ZXing::MultiFormatWriter(fmt).setMargin(10).encode(text, w, h);
    auto m = ZXing::ToMatrix<uint8_t>(bm, 0, 255);
    GrayImage g;
    g.width = m.width();
    g.height = m.height();
    g.pixels.assign(m.data(), m.data() + static_cast<size_t>(g.width) * g.height);
    return g;
}
GrayView view(const GrayImage& g) { return {g.pixels.data(), g.width, g.height, g.width}; }
}  // namespace

TEST_CASE("label image regression set: every image decodes to its expected text (or to no code)") {
    std::ifstream f(data_dir() + "/labels/expected.tsv");
    REQUIRE(f);
    std::string line;
    int n = 0, found = 0;
    std::set<std::string> passes;
    while (std::getline(f, line)) {
        auto tab = line.find('\t');
        REQUIRE(tab != std::string::npos);
        const std::string file = line.substr(0, tab), want = line.substr(tab + 1);
        INFO("image " << file);
        auto r = scan_image_file(data_dir() + "/labels/" + file);
        if (want == "-") {
            CHECK_FALSE(r.result);
            CHECK(r.error == "no code found");
        } else {
            CHECK(r.error.empty());
            if (r.result) {
                CHECK(r.result->text == want);
                CHECK(r.result->format == "QRCode");
                passes.insert(r.result->pass);
                ++found;
            }
        }
        ++n;
    }
    CHECK(n >= 15);
    // the set exercises every fallback of the pipeline
    if (found == n - 1) CHECK(passes == std::set<std::string>{"full", "downscaled", "inverted"});
}

TEST_CASE("unreadable files are reported, not thrown") {
    auto r = scan_image_file(data_dir() + "/labels/does-not-exist.png");
    CHECK_FALSE(r.result);
    CHECK_THAT(r.error, Catch::Contains("cannot read image"));
    r = scan_image_file(data_dir() + "/labels/expected.tsv");
    CHECK_FALSE(r.result);
    CHECK_THAT(r.error, Catch::Contains("cannot read image"));
}

TEST_CASE("manufacturer codes: DataMatrix, Code 128, EAN-13") {
    auto dm = render(ZXing::BarcodeFormat::DataMatrix, "FIL-001", 200, 200);
    auto r = decode_frame(view(dm));
    REQUIRE(r);
    CHECK(r->format == "DataMatrix");
    CHECK(r->text == "FIL-001");
    auto c128 = render(ZXing::BarcodeFormat::Code128, "PLA-RED-001", 400, 120);
    r = decode_frame(view(c128));
    REQUIRE(r);
    CHECK(r->format == "Code128");
    CHECK(r->text == "PLA-RED-001");
    auto ean = render(ZXing::BarcodeFormat::EAN13, "4006381333931", 300, 120);
    r = decode_frame(view(ean));
    REQUIRE(r);
    CHECK(r->format == "EAN-13");
    CHECK(r->text == "4006381333931");
}

TEST_CASE("a noisy 1280x720 camera frame fails at full resolution and is rescued by the 3x3 downscale") {
    const std::string text = "https://batchivo.com/filaments/0192f3a4-5b6c-7d8e-9f01-23456789abcd/update";
    GrayImage frame;
    frame.width = 1280;
    frame.height = 720;
    frame.pixels.assign(1280u * 720u, 150);
    paste(render_qr(text, 6), frame, 700, 150);
    std::mt19937 rng(5);
    std::normal_distribution<double> noise(0, 70);
    for (auto& p : frame.pixels) p = static_cast<uint8_t>(std::clamp(p * 0.7 + 40 + noise(rng), 0.0, 255.0));
    DecodeOptions only_full;
    only_full.try_downscaled = false;
    only_full.try_inverted = false;
    CHECK_FALSE(decode_frame(view(frame), only_full));
    auto r = decode_frame(view(frame));
    REQUIRE(r);
    CHECK(r->text == text);
    CHECK(r->pass == "downscaled");
    // light-on-dark labels need the inverted pass
    auto inv = render_qr("web+spoolman:s-42", 5);
    for (auto& p : inv.pixels) p = static_cast<uint8_t>(255 - p);
    DecodeOptions no_invert;
    no_invert.try_inverted = false;
    CHECK_FALSE(decode_frame(view(inv), no_invert));
    r = decode_frame(view(inv));
    REQUIRE(r);
    CHECK(r->pass == "inverted");
    // degenerate inputs
    CHECK_FALSE(decode_frame(GrayView{}));
    uint8_t tiny[4] = {0, 255, 0, 255};
    CHECK_FALSE(decode_frame(GrayView{tiny, 2, 2, 2}));
}

TEST_CASE("YUYV camera buffers decode in place (pixel stride 2), all passes") {
    const std::string text = "batchivo://spool/0192f3a4-aaaa-7bbb-8ccc-ddddeeeeffff";
    GrayImage gray;
    gray.width = 640;
    gray.height = 480;
    gray.pixels.assign(640u * 480u, 170);
    paste(render_qr(text, 6), gray, 150, 60);
    for (int inverted = 0; inverted < 2; ++inverted) {
        const int stride = 640 * 2 + 32;  // a padded row, as some drivers deliver
        std::vector<uint8_t> yuyv(static_cast<size_t>(stride) * 480, 0x80);
        for (int y = 0; y < 480; ++y)
            for (int x = 0; x < 640; ++x) {
                uint8_t v = gray.pixels[static_cast<size_t>(y) * 640 + x];
                yuyv[static_cast<size_t>(y) * stride + 2 * x] = inverted ? static_cast<uint8_t>(255 - v) : v;
                yuyv[static_cast<size_t>(y) * stride + 2 * x + 1] = static_cast<uint8_t>(x * 7);  // chroma noise
            }
        auto r = decode_frame(GrayView{yuyv.data(), 640, 480, stride, 2});
        REQUIRE(r);
        CHECK(r->text == text);
        CHECK(r->pass == (inverted ? "inverted" : "full"));
        auto ds = box_downscale(yuyv.data(), 640, 480, stride, 2, 2);
        CHECK(ds.width == 320);
        CHECK(ds.pixels[0] == (inverted ? 85 : 170));
        auto pv = resize_nearest(yuyv.data(), 640, 480, stride, 160, 120, 2);
        CHECK(pv.pixels[0] == (inverted ? 85 : 170));
    }
}

TEST_CASE("debouncer: a label held in view fires once, again after after leaving the view for the window") {
    Debouncer d(2000ms);
    const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
    CHECK(d.accept("A", t0));
    for (int i = 1; i <= 50; ++i) CHECK_FALSE(d.accept("A", t0 + i * 100ms));  // 5 s in view
    CHECK(d.accept("B", t0 + 5100ms));                                          // another label
    CHECK_FALSE(d.accept("A", t0 + 6000ms));                                    // A seen 1 s ago
    CHECK(d.accept("A", t0 + 8100ms));                                          // gone for > 2 s
}

TEST_CASE("decoder pipeline: sim camera label -> one debounced scan event, preview available") {
    auto cam = std::make_unique<SimCamera>(640, 480, 50);
    SimCamera* ctl = cam.get();
    std::mutex mu;
    std::vector<ScanEvent> events;
    DecoderPipelineOptions opt;
    opt.debounce = 2000ms;
    DecoderPipeline p(std::move(cam), opt, [&](const ScanEvent& e) {
        std::lock_guard<std::mutex> lk(mu);
        events.push_back(e);
    });
    uint64_t seq = 0;
    CHECK(p.latest_preview(&seq).pixels.empty());
    p.start();
    REQUIRE(ptest::wait_for([&] { p.latest_preview(&seq); return seq > 0; }));
    auto prev = p.latest_preview();
    CHECK(prev.width == 160);
    CHECK(prev.height == 120);
    CHECK(prev.pixels.size() == 160u * 120u);
    ctl->show_label("FIL-001", 1000ms);
    REQUIRE(ptest::wait_for([&] { std::lock_guard<std::mutex> lk(mu); return !events.empty(); }));
    REQUIRE(ptest::wait_for([&] { return p.frames_decoded() + p.frames_skipped() > 20; }));  // label stays in view
    {
        std::lock_guard<std::mutex> lk(mu);
        CHECK(events.size() == 1);
        CHECK(events[0].result.text == "FIL-001");
        CHECK(events[0].result.format == "QRCode");
    }
    ctl->show_label("web+spoolman:s-7", 500ms);
    REQUIRE(ptest::wait_for([&] { std::lock_guard<std::mutex> lk(mu); return events.size() == 2; }));
    p.stop();
    std::lock_guard<std::mutex> lk(mu);
    CHECK(events[1].result.text == "web+spoolman:s-7");
}

TEST_CASE("decoder pipeline replays an image directory (the demo/test camera)") {
    auto cam = std::make_unique<ImageCamera>(data_dir() + "/labels/clean_spool_id.png", 30);
    std::mutex mu;
    std::vector<std::string> texts;
    DecoderPipeline p(std::move(cam), {}, [&](const ScanEvent& e) {
        std::lock_guard<std::mutex> lk(mu);
        texts.push_back(e.result.text);
    });
    p.start();
    REQUIRE(ptest::wait_for([&] { std::lock_guard<std::mutex> lk(mu); return !texts.empty(); }));
    REQUIRE(ptest::wait_for([&] { return p.frames_skipped() >= 3; }));  // the same still: not decoded again
    p.stop();
    CHECK(texts.size() == 1);
    CHECK(texts.front() == "FIL-001");
    std::vector<std::string> errors;
    DecoderPipelineOptions o;
    o.reopen_backoff = 50ms;
    DecoderPipeline bad(std::make_unique<ImageCamera>("/nonexistent/dir"), o, nullptr,
                        [&](const std::string& e) { std::lock_guard<std::mutex> lk(mu); errors.push_back(e); });
    bad.start();
    REQUIRE(ptest::wait_for([&] { std::lock_guard<std::mutex> lk(mu); return !errors.empty(); }));
    bad.stop();
    CHECK_THAT(errors.front(), Catch::Contains("camera: cannot read image"));
}

// ---- idle work: unchanged frames are not decoded (issue 11, board budgets) ----------------------------------------

namespace {
// A scene for the change tests: a desk-like gradient, optionally with a QR label pasted in the middle, and
// optionally sensor noise (+-2 gray levels on every 5th pixel, from `seed`).
GrayImage scene(const std::string& label, uint32_t noise_seed = 0) {
    GrayImage g;
    g.width = 640;
    g.height = 480;
    g.pixels.resize(size_t(640) * 480);
    for (int y = 0; y < 480; ++y)
        for (int x = 0; x < 640; ++x) g.pixels[size_t(y) * 640 + x] = static_cast<uint8_t>(90 + 50 * y / 480);
    if (!label.empty()) paste(render_qr(label, 4), g, 200, 120);
    if (noise_seed) {
        std::mt19937 rng(noise_seed);
        std::uniform_int_distribution<int> d(-2, 2);
        for (size_t i = noise_seed % 5; i < g.pixels.size(); i += 5)
            g.pixels[i] = static_cast<uint8_t>(std::clamp(g.pixels[i] + d(rng), 0, 255));
    }
    return g;
}
GrayImage preview_of(const GrayImage& g) { return resize_nearest(g.pixels.data(), g.width, g.height, g.width, 160, 120); }

// A camera the test feeds frame by frame: grab() hands out the queued frames in order, then none (nullopt).
class ScriptedCamera final : public Camera {
public:
    void push(GrayImage img) {
        std::lock_guard<std::mutex> lk(mu_);
        queue_.push_back(std::move(img));
    }
    std::string describe() const override { return "scripted camera"; }
    batchivo::Result<> open() override { return {}; }
    void close() override {}
    batchivo::Result<std::optional<GrayFrame>> grab(std::chrono::milliseconds) override {
        std::unique_lock<std::mutex> lk(mu_);
        if (queue_.empty()) {
            lk.unlock();
            std::this_thread::sleep_for(2ms);
            return std::optional<GrayFrame>{};
        }
        current_ = std::move(queue_.front());
        queue_.erase(queue_.begin());
        return std::optional<GrayFrame>(borrow_frame(current_, ++seq_, std::chrono::steady_clock::now()));
    }

private:
    std::mutex mu_;
    std::vector<GrayImage> queue_;
    GrayImage current_;
    uint64_t seq_ = 0;
};
}  // namespace

TEST_CASE("frame change detector: the same scene (with sensor noise) is unchanged, a label or a hand is a change") {
    FrameChangeDetector d(2.0);
    const GrayImage empty = preview_of(scene(""));
    CHECK(d.changed(empty));  // nothing to compare with yet
    d.remember(empty);
    CHECK_FALSE(d.changed(empty));
    CHECK(d.difference(empty) == 0.0);
    for (uint32_t seed = 1; seed <= 5; ++seed) CHECK_FALSE(d.changed(preview_of(scene("", seed))));  // noise only
    const GrayImage labelled = preview_of(scene("FIL-001"));
    CHECK(d.changed(labelled));  // a label moved into view
    CHECK(d.difference(labelled) >= 2.0);
    d.remember(labelled);
    CHECK_FALSE(d.changed(preview_of(scene("FIL-001", 7))));
    CHECK(d.changed(empty));  // the label was taken away
    GrayImage dark = labelled;  // a hand over a third of the picture
    for (size_t i = 0; i < dark.pixels.size() / 3; ++i) dark.pixels[i] = 20;
    CHECK(d.changed(dark));
    CHECK(d.changed(resize_nearest(empty.pixels.data(), 160, 120, 160, 160, 90)));  // another size: a new reference
    d.reset();
    CHECK(d.changed(labelled));
    FrameChangeDetector every(0.0);  // threshold 0: every frame counts
    every.remember(empty);
    CHECK(every.changed(empty));
}

TEST_CASE("decoder pipeline: an unchanged frame is not decoded, a changed one is") {
    auto cam = std::make_unique<ScriptedCamera>();
    ScriptedCamera* ctl = cam.get();
    std::mutex mu;
    std::vector<std::string> texts;
    DecoderPipelineOptions opt;
    opt.decode.try_harder = false;  // as the kiosk runs it
    DecoderPipeline p(std::move(cam), opt, [&](const ScanEvent& e) {
        std::lock_guard<std::mutex> lk(mu);
        texts.push_back(e.result.text);
    });
    p.start();
    // A label in view for ten frames (with noise): decoded once, nine frames skipped, one scan event.
    ctl->push(scene("FIL-001"));
    for (uint32_t i = 1; i <= 9; ++i) ctl->push(scene("FIL-001", i));
    REQUIRE(ptest::wait_for([&] { return p.frames_decoded() + p.frames_skipped() == 10; }));
    CHECK(p.frames_decoded() == 1);
    CHECK(p.frames_skipped() == 9);
    uint64_t seq = 0;
    p.latest_preview(&seq);
    CHECK(seq == 1);  // the unchanged frames did not replace the preview either (nothing new to draw)
    // The label is taken away: the empty desk is a change and is decoded. Without a code, the first decode ran
    // one of the two alternating fallbacks; the next (unchanged) frame gets the other one, then the scene is left
    // alone however long it stays.
    for (uint32_t i = 0; i < 8; ++i) ctl->push(scene("", i));
    REQUIRE(ptest::wait_for([&] { return p.frames_decoded() + p.frames_skipped() == 18; }));
    CHECK(p.frames_decoded() == 3);
    CHECK(p.frames_skipped() == 9 + 6);
    p.latest_preview(&seq);
    CHECK(seq == 11);
    // Another label: changed, decoded, reported.
    ctl->push(scene("web+spoolman:s-7"));
    ctl->push(scene("web+spoolman:s-7", 3));
    REQUIRE(ptest::wait_for([&] { return p.frames_decoded() + p.frames_skipped() == 20; }));
    CHECK(p.frames_decoded() == 4);
    CHECK(p.frames_skipped() == 16);
    p.stop();
    CHECK(p.frames_grabbed() == 20);
    std::lock_guard<std::mutex> lk(mu);
    REQUIRE(texts.size() == 2);
    CHECK(texts[0] == "FIL-001");
    CHECK(texts[1] == "web+spoolman:s-7");
}
