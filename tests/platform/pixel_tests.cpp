// Pixel conversions (V4L2 formats), the image-file camera and the simulated camera.
#include <catch2/catch.hpp>

#include <cstdio>
#include <stb/stb_image_write.h>

#include "platform/camera/camera_registry.hpp"
#include "platform/camera/image_camera.hpp"
#include "platform/camera/pixel_convert.hpp"
#include "platform/camera/sim_camera.hpp"
#include "platform/camera/v4l2_camera.hpp"
#include "test_util.hpp"

using namespace batchivo::platform;
using namespace std::chrono_literals;

TEST_CASE("YUYV to gray takes the Y bytes and honours the row stride") {
    const int w = 4, h = 2, stride = 12;  // 8 bytes of pixels + 4 bytes padding a row
    const uint8_t src[] = {10, 128, 20, 130, 30, 128, 40, 130, 0xEE, 0xEE, 0xEE, 0xEE,
                           50, 1,   60, 2,   70, 3,   80, 4,   0xEE, 0xEE, 0xEE, 0xEE};
    uint8_t dst[8] = {0};
    yuyv_to_gray(src, w, h, stride, dst);
    const uint8_t want[8] = {10, 20, 30, 40, 50, 60, 70, 80};
    CHECK(std::equal(dst, dst + 8, want));
    const uint8_t grey[] = {1, 2, 3, 9, 4, 5, 6, 9};
    uint8_t packed[6];
    grey_copy(grey, 3, 2, 4, packed);
    const uint8_t want2[6] = {1, 2, 3, 4, 5, 6};
    CHECK(std::equal(packed, packed + 6, want2));
}

TEST_CASE("MJPEG frames decode to grayscale with libjpeg, corrupt frames are errors") {
    const int w = 64, h = 48;
    std::vector<uint8_t> rgb(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            uint8_t* p = &rgb[(static_cast<size_t>(y) * w + x) * 3];
            p[0] = p[1] = p[2] = static_cast<uint8_t>(x < w / 2 ? 40 : 200);
        }
    std::vector<uint8_t> jpg;
    stbi_write_jpg_to_func(
        [](void* ctx, void* data, int size) {
            auto* v = static_cast<std::vector<uint8_t>*>(ctx);
            v->insert(v->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
        },
        &jpg, w, h, 3, rgb.data(), 95);
    REQUIRE(jpg.size() > 100);
    GrayImage g;
    REQUIRE(jpeg_to_gray(jpg.data(), jpg.size(), g).ok());
    CHECK(g.width == w);
    CHECK(g.height == h);
    CHECK(std::abs(int(g.pixels[static_cast<size_t>(10 * w + 5)]) - 40) <= 4);
    CHECK(std::abs(int(g.pixels[static_cast<size_t>(10 * w + 60)]) - 200) <= 4);
    std::vector<uint8_t> broken(jpg.begin(), jpg.begin() + 20);
    auto broken_r = jpeg_to_gray(broken.data(), broken.size(), g);
    REQUIRE_FALSE(broken_r.ok());
    CHECK(broken_r.error().code == "invalid_data");
    CHECK_FALSE(broken_r.error().message.empty());
    const uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
    CHECK_FALSE(jpeg_to_gray(junk, sizeof junk, g).ok());
    CHECK(jpeg_to_gray(nullptr, 0, g).error().code == "invalid_data");
}

TEST_CASE("box downscale averages blocks, invert, nearest resize") {
    const uint8_t src[] = {0, 30, 60, 90, 99,     //
                           30, 60, 90, 120, 99,   //
                           60, 90, 120, 150, 99,  //
                           90, 120, 150, 180, 99, //
                           7, 7, 7, 7, 7};
    auto d = box_downscale(src, 4, 4, 5, 2);
    REQUIRE(d.width == 2);
    REQUIRE(d.height == 2);
    CHECK(d.pixels == std::vector<uint8_t>{30, 90, 90, 150});
    auto d3 = box_downscale(src, 5, 5, 5, 3);  // partial blocks dropped
    REQUIRE(d3.width == 1);
    CHECK(d3.pixels[0] == 60);
    CHECK(box_downscale(src, 2, 2, 5, 3).pixels.empty());
    auto inv = invert(src, 2, 2, 5);
    CHECK(inv.pixels == std::vector<uint8_t>{255, 225, 225, 195});
    auto r = resize_nearest(src, 4, 4, 5, 2, 2);
    CHECK(r.pixels == std::vector<uint8_t>{0, 60, 60, 120});
}

TEST_CASE("image camera replays a directory in name order at a rate, looping or not") {
    ptest::TempDir dir;
    for (int i = 0; i < 3; ++i) {
        std::vector<uint8_t> px(20 * 10, static_cast<uint8_t>(50 * (i + 1)));
        REQUIRE(stbi_write_png(dir.file("frame" + std::to_string(i) + ".png").c_str(), 20, 10, 1, px.data(), 20));
    }
    { std::FILE* f = std::fopen(dir.file("notes.txt").c_str(), "w"); std::fputs("x", f); std::fclose(f); }
    ImageCamera cam(dir.path, 200, /*loop=*/false);
    REQUIRE(cam.open().ok());
    CHECK(cam.frame_count() == 3);
    std::vector<int> values;
    for (int i = 0; i < 3; ++i) {
        auto grabbed = cam.grab(1s);
        REQUIRE(grabbed.ok());
        auto f = *grabbed;
        REQUIRE(f);
        CHECK(f->width == 20);
        CHECK(f->height == 10);
        values.push_back(f->data[0]);
    }
    CHECK(values == std::vector<int>{50, 100, 150});
    auto ended = cam.grab(1s);
    REQUIRE_FALSE(ended.ok());
    CHECK(ended.error().code == "end_of_stream");
    CHECK(ended.error().message == "end of images");
    ImageCamera looping(dir.file("frame1.png"), 200);
    REQUIRE(looping.open().ok());
    for (int i = 0; i < 3; ++i) CHECK(looping.grab(1s).value()->data[0] == 100);
    ImageCamera empty(dir.file("nothing"), 10);
    auto opened = empty.open();
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == "not_found");
    CHECK_THAT(opened.error().message, Catch::Contains("nothing"));
    ImageCamera not_image(dir.file("notes.txt"), 10);
    CHECK(not_image.open().error().code == "invalid_data");
}

TEST_CASE("camera factory and V4L2 errors without a camera") {
    CameraSettings s;
    s.driver = "none";
    auto none = create_camera(s);
    REQUIRE(none.ok());
    CHECK(*none == nullptr);  // "none" is a valid choice with no backend
    s.driver = "webcam";
    auto bad = create_camera(s);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::Contains("unknown camera driver"));
    s.driver = "v4l2";
    s.device = "/nonexistent/video0";
    auto cam = create_camera(s);
    REQUIRE(cam.ok());
    auto opened = (*cam)->open();
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == "not_found");
    CHECK_THAT(opened.error().message, Catch::Contains("/nonexistent/video0"));
    V4l2Camera not_video("/dev/null", 640, 480, 10);
    opened = not_video.open();
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == "unsupported");
    CHECK_THAT(opened.error().message, Catch::Contains("not a V4L2 device"));
    CHECK(not_video.grab(10ms).error().code == "not_open");
}

TEST_CASE("sim camera renders a label only while shown") {
    SimCamera cam(320, 240, 100);
    REQUIRE(cam.open().ok());
    auto f = cam.grab(1s).value();
    REQUIRE(f);
    CHECK(f->width == 320);
    int dark = 0;
    for (int i = 0; i < 320 * 240; ++i) dark += f->data[i] < 40;
    CHECK(dark == 0);
    cam.show_label("FIL-001", 200ms);
    f = cam.grab(1s).value();
    dark = 0;
    for (int i = 0; i < 320 * 240; ++i) dark += f->data[i] < 40;
    CHECK(dark > 500);
    std::this_thread::sleep_for(250ms);
    f = cam.grab(1s).value();
    dark = 0;
    for (int i = 0; i < 320 * 240; ++i) dark += f->data[i] < 40;
    CHECK(dark == 0);
    auto qr = render_qr("hello", 3);
    CHECK(qr.width == (21 + 8) * 3);
    CHECK(render_qr(std::string(8000, 'x'), 2).pixels.empty());
}
