// The kiosk's frame loop: GLFW window + Dear ImGui, one Station owned by this (UI) thread. The loop idles in
// glfwWaitEventsTimeout and draws only when something changed (input, a queued event, an animation), so an idle
// weigh screen costs almost nothing. Screenshots read the back buffer (glReadPixels) and write a PNG.
#include "station/ui/kiosk.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb/stb_image_write.h>

#include <malloc.h>
#include <time.h>

#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "platform/scanner/typed_sequence.hpp"
#include "platform/service/sd_notify.hpp"
#include "station/core/paths.hpp"
#include "station/core/scenario.hpp"
#include "station/core/station.hpp"
#include "station/ui/screens.hpp"

namespace batchivo::station {

namespace {

struct InputState {
    bool activity = false;
    // A keyboard-wedge scanner types into the window: a fast burst ending with Enter is a scan (platform rule).
    platform::TypedSequenceDetector wedge;
    std::vector<std::string> scans;
    bool quit = false;
};
InputState g_input;
volatile std::sig_atomic_t g_terminate = 0;  // SIGTERM/SIGINT: leave the loop (within the 0.5 s idle wait)
void on_signal(int) { g_terminate = 1; }

// The sync state for systemd's STATUS= (what `systemctl status` shows), in the top bar's words.
std::string service_status(const sync::SyncStatus& s) {
    std::string out;
    if (!s.paired) out = "Not paired";
    else if (!s.reachable) out = "Offline, " + std::to_string(s.pending) + " pending";
    else if (s.pending > 0) out = std::to_string(s.pending) + " pending";
    else out = "Synced";
    if (s.rejected > 0) out += ", " + std::to_string(s.rejected) + " rejected";
    return out;
}

void on_char(GLFWwindow*, unsigned int cp) {
    g_input.activity = true;
    g_input.wedge.feed_char(static_cast<char32_t>(cp), std::chrono::steady_clock::now());
}
void on_key(GLFWwindow*, int key, int, int action, int mods) {
    g_input.activity = true;
    if (action != GLFW_PRESS) return;
    if (key == GLFW_KEY_ENTER || key == GLFW_KEY_KP_ENTER) {
        if (auto text = g_input.wedge.feed_enter(std::chrono::steady_clock::now())) g_input.scans.push_back(*text);
    }
    if (key == GLFW_KEY_Q && (mods & GLFW_MOD_CONTROL)) g_input.quit = true;
}
void on_mouse(GLFWwindow*, int, int, int) { g_input.activity = true; }
void on_cursor(GLFWwindow* w, double, double) {
    if (glfwGetMouseButton(w, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS) g_input.activity = true;
}
void on_scroll(GLFWwindow*, double, double) { g_input.activity = true; }

// Builds the font atlas for a screen `height` px tall. Memory (board budget, issue 11): each TTF file is read once
// (the regular face serves two sizes, the bold one two) and only while the atlas is built, and the atlas keeps no
// input data afterwards; the CPU copy of the texture is dropped once uploaded (release_font_pixels).
ui::Fonts load_fonts(float height) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const float k = height / 480.0f;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x2212, 0x2212, 0x2302, 0x2302,
                                     0x232B, 0x232B, 0x25A0, 0x25CF, 0x2713, 0x2715, 0};
    const std::string dir = assets_dir() + "/fonts/";
    auto read_file = [](const std::string& path) {
        std::vector<char> data;
        std::ifstream in(path, std::ios::binary);
        if (in) data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        return data;
    };
    std::vector<char> regular = read_file(dir + "DejaVuSans.ttf"), bold = read_file(dir + "DejaVuSans-Bold.ttf");
    ui::Fonts f;
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.FontDataOwnedByAtlas = false;  // our buffers, shared by two sizes each, freed below
    // The huge font only ever shows weights ("843 g", "0.0 g", "\u2014"): rasterise just those glyphs.
    static const ImWchar digits[] = {0x0020, 0x0020, 0x002C, 0x0039, 0x0067, 0x0067, 0x2014, 0x2014, 0x2212, 0x2212, 0};
    auto add = [&](std::vector<char>& ttf, float px, const ImWchar* r) -> ImFont* {
        if (!ttf.empty()) return io.Fonts->AddFontFromMemoryTTF(ttf.data(), static_cast<int>(ttf.size()), px, &cfg, r);
        ImFontConfig d;
        d.SizePixels = px;
        return io.Fonts->AddFontDefault(&d);
    };
    f.body = add(regular, std::round(20 * k), ranges);
    f.small = add(regular, std::round(16 * k), ranges);
    f.big = add(bold, std::round(28 * k), ranges);
    f.huge = add(bold, std::round(60 * k), digits);
    io.FontDefault = f.body;
    io.Fonts->Build();
    io.Fonts->ClearInputData();  // the glyphs are in the atlas; the TTF buffers go with this scope
    return f;
}

// The atlas' CPU pixels (alpha + the RGBA copy the GL backend makes) once the texture is on the GPU.
void release_font_pixels() { ImGui::GetIO().Fonts->ClearTexData(); }

bool write_png(const std::string& file, int w, int h, std::string& error) {
    std::vector<unsigned char> px(size_t(w) * h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    std::vector<unsigned char> flipped(px.size());
    const size_t row = size_t(w) * 4;
    for (int y = 0; y < h; ++y) std::copy_n(&px[size_t(h - 1 - y) * row], row, &flipped[size_t(y) * row]);
    for (size_t i = 3; i < flipped.size(); i += 4) flipped[i] = 255;
    std::error_code ec;
    auto parent = std::filesystem::path(file).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (!stbi_write_png(file.c_str(), w, h, 4, flipped.data(), static_cast<int>(row))) {
        error = "cannot write " + file;
        return false;
    }
    return true;
}

void upload_preview(ui::Textures& tex, const StationSnapshot& s) {
    if (!s.preview || s.preview_seq == tex.preview_seq) return;
    tex.preview_seq = s.preview_seq;
    if (!tex.preview) glGenTextures(1, &tex.preview);
    glBindTexture(GL_TEXTURE_2D, tex.preview);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    // Gray to RGBA so the stock ImGui shader draws it without swizzles.
    std::vector<unsigned char> rgba(s.preview->pixels.size() * 4);
    for (size_t i = 0; i < s.preview->pixels.size(); ++i) {
        rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = s.preview->pixels[i];
        rgba[i * 4 + 3] = 255;
    }
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, s.preview->width, s.preview->height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    tex.preview_w = s.preview->width;
    tex.preview_h = s.preview->height;
}

}  // namespace

int run_kiosk(const KioskOptions& o) {
    const auto t_exec = std::chrono::steady_clock::now();
    glfwSetErrorCallback([](int code, const char* msg) { std::fprintf(stderr, "glfw error %d: %s\n", code, msg); });
    if (!glfwInit()) {
        std::fprintf(stderr, "batchivo-station: cannot open the display (is DISPLAY set?)\n");
        return 1;
    }
    std::optional<std::vector<ScenarioStep>> steps;
    std::string scenario_dir;
    if (!o.scenario.empty()) {
        std::ifstream in(o.scenario);
        if (!in) {
            std::fprintf(stderr, "batchivo-station: cannot read scenario %s\n", o.scenario.c_str());
            glfwTerminate();
            return 2;
        }
        std::stringstream ss;
        ss << in.rdbuf();
        auto parsed = parse_scenario(ss.str());
        if (!parsed) {
            std::fprintf(stderr, "batchivo-station: %s: %s\n", o.scenario.c_str(), parsed.error().message.c_str());
            glfwTerminate();
            return 2;
        }
        steps = std::move(*parsed);
        scenario_dir = std::filesystem::absolute(o.scenario).parent_path().string();
    }

    StationOptions so;
    so.data_dir = o.data_dir;
    so.demo = o.demo;
    Station station(so);
    if (auto started = station.start([] { glfwPostEmptyEvent(); }); !started) {
        std::fprintf(stderr, "batchivo-station: %s\n", started.error().message.c_str());
        glfwTerminate();
        return 1;
    }
    const auto t_station = std::chrono::steady_clock::now();
    const StationConfig& cfg = station.config();
    const bool automated = !o.screenshot.empty() || steps.has_value();
    const bool fullscreen = !o.windowed && !automated && cfg.display.fullscreen;
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    int w = o.width ? o.width : cfg.display.width ? cfg.display.width : (fullscreen && mode ? mode->width : 800);
    int h = o.height ? o.height : cfg.display.height ? cfg.display.height : (fullscreen && mode ? mode->height : 480);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(w, h, "Batchivo Station", fullscreen ? monitor : nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "batchivo-station: cannot create an OpenGL 3.0 window\n");
        station.stop();
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    if (fullscreen) glfwSetInputMode(window, GLFW_CURSOR, GLFW_CURSOR_HIDDEN);
    // Ours first: the ImGui backend chains to callbacks installed before it.
    glfwSetCharCallback(window, on_char);
    glfwSetKeyCallback(window, on_key);
    glfwSetMouseButtonCallback(window, on_mouse);
    glfwSetCursorPosCallback(window, on_cursor);
    glfwSetScrollCallback(window, on_scroll);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    const auto t_window = std::chrono::steady_clock::now();
    int fbw = 0, fbh = 0;
    glfwGetFramebufferSize(window, &fbw, &fbh);
    ui::Fonts fonts = load_fonts(static_cast<float>(fbh));
    ui::Layout layout = ui::Layout::from_size(float(fbw), float(fbh), fonts);
    ui::apply_theme(layout);

    std::unique_ptr<ScenarioRunner> runner;
    std::string pending_shot;
    bool shot_ok = true;
    std::string shot_error;
    if (steps) {
        runner = std::make_unique<ScenarioRunner>(std::move(*steps), scenario_dir, station,
                                                  [&](const std::string& f, std::string&) {
                                                      pending_shot = f;  // taken after this frame is drawn
                                                      return true;
                                                  });
    }

    ui::Textures tex;
    int extra_frames = 3;
    int frames = 0;
    int rc = 0;
    bool first_frame_reported = false;
    double frame_cpu_ms = 0;  // UI thread CPU spent drawing (BATCHIVO_REPORT_FRAMES)
    const int want_frames = std::max(1, o.frames > 0 ? o.frames : 10);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    // systemd (Type=notify): READY=1 after the first frame is on screen, WATCHDOG=1 from this loop (so a hung UI
    // thread stops the pings), STATUS= with the sync state, STOPPING=1 on the way out. No-op without NOTIFY_SOCKET.
    platform::ServiceNotifier notifier = platform::ServiceNotifier::from_environment();
    bool notify_error_shown = false;
    auto notified = [&](Result<> r) {
        if (!r && !notify_error_shown) {
            std::fprintf(stderr, "batchivo-station: %s\n", r.error().message.c_str());
            notify_error_shown = true;
        }
    };
    bool ready_sent = false;
    const auto hang_after = platform::test_hang_after();  // test hook: freeze this thread, the pings must stop
    while (!glfwWindowShouldClose(window) && !g_input.quit && !g_terminate) {
        auto snap = station.snapshot();
        const bool busy = automated || extra_frames > 0 || (snap && snap->animating);
        double idle_wait_s = 0.5;  // the idle wait never outlasts the next watchdog ping
        if (auto left = notifier.until_next_ping())
            idle_wait_s = std::max(0.001, std::min(idle_wait_s, std::chrono::duration<double>(*left).count()));
        if (automated) glfwPollEvents();
        else if (busy) glfwWaitEventsTimeout(std::min(1.0 / 60.0, idle_wait_s));
        else glfwWaitEventsTimeout(idle_wait_s);
        if (hang_after && std::chrono::steady_clock::now() - t_exec >= *hang_after) {
            std::fprintf(stderr, "batchivo-station: BATCHIVO_TEST_HANG_AFTER_MS: the UI thread hangs now\n");
            while (!g_terminate) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // SIGTERM ends the test
            break;
        }
        notifier.ping_if_due();
        if (snap) notified(notifier.status(service_status(snap->sync)));
        const int64_t now = steady_now_ms();
        if (g_input.activity) {
            g_input.activity = false;
            station.user_activity(now);
            extra_frames = std::max(extra_frames, 3);
        }
        for (auto& sc : g_input.scans) station.scanned(sc);
        g_input.scans.clear();
        if (station.frame(now)) extra_frames = std::max(extra_frames, 1);  // explicit layout: one frame shows it
        if (runner) {
            auto st = runner->step(now);
            if (st == ScenarioRunner::Status::Failed) {
                std::fprintf(stderr, "batchivo-station: %s\n", runner->error().c_str());
                rc = 1;
                break;
            }
            if (st == ScenarioRunner::Status::Done && pending_shot.empty()) {
                if (!o.screenshot.empty()) pending_shot = o.screenshot;
                else break;
            }
            if (station.frame(now)) extra_frames = std::max(extra_frames, 1);  // explicit layout: one frame shows it
        }
        snap = station.snapshot();
        if (!automated && extra_frames <= 0 && !snap->animating) continue;  // nothing changed: don't draw
        extra_frames = std::max(0, extra_frames - 1);

        glfwGetFramebufferSize(window, &fbw, &fbh);
        if (fbh > 0 && std::abs(float(fbh) - layout.h) > 0.5f) {
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            fonts = load_fonts(float(fbh));
            ImGui_ImplOpenGL3_CreateFontsTexture();
            release_font_pixels();
            layout = ui::Layout::from_size(float(fbw), float(fbh), fonts);
            ui::apply_theme(layout);
        }
        layout = ui::Layout::from_size(float(fbw), float(fbh), fonts);
        upload_preview(tex, *snap);
        timespec f0{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &f0);
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        Intents intents = ui::draw_station(*snap, layout, tex);
        ImGui::Render();
        glViewport(0, 0, fbw, fbh);
        glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glFlush();
        timespec f1{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &f1);
        frame_cpu_ms += (f1.tv_sec - f0.tv_sec) * 1e3 + (f1.tv_nsec - f0.tv_nsec) / 1e6;
        ++frames;
        if (!first_frame_reported && std::getenv("BATCHIVO_REPORT_FIRST_FRAME")) {
            glFinish();
            auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
            std::fprintf(stderr, "startup: station %.1f ms, window+GL %.1f ms, fonts+first frame %.1f ms\n",
                         ms(t_exec, t_station), ms(t_station, t_window), ms(t_window, std::chrono::steady_clock::now()));
            std::fprintf(stderr, "first-frame-ms %.1f\n",
                         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_exec).count());
            std::fflush(stderr);
            first_frame_reported = true;
        }
        if (!runner && !o.screenshot.empty() && frames >= want_frames) pending_shot = o.screenshot;
        bool exit_after = false;
        if (!pending_shot.empty()) {
            shot_ok = write_png(pending_shot, fbw, fbh, shot_error);
            if (!shot_ok) {
                std::fprintf(stderr, "batchivo-station: %s\n", shot_error.c_str());
                rc = 1;
                exit_after = true;
            }
            if (!runner || runner->position() >= 1000000) exit_after = true;
            if (runner && runner->step(now) == ScenarioRunner::Status::Done && pending_shot == o.screenshot)
                exit_after = true;
            pending_shot.clear();
        }
        glfwSwapBuffers(window);
        if (frames == 1) {
            release_font_pixels();  // the first NewFrame uploaded the atlas
            // Startup's transient allocations (font files, atlas, catalog load, first sync) go back to the system.
            malloc_trim(0);
        }
        if (!ready_sent) {
            notified(notifier.ready());
            notifier.ping_if_due();
            ready_sent = true;
        }
        if (!intents.empty()) {
            station.apply(intents);
            extra_frames = std::max(extra_frames, 2);
        }
        if (exit_after) break;
        if (automated) std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }

    if (std::getenv("BATCHIVO_REPORT_FRAMES"))
        std::fprintf(stderr, "frames %d ui-frame-cpu-ms %.3f\n", frames, frames ? frame_cpu_ms / frames : 0.0);
    notified(notifier.stopping());
    station.stop();
    if (tex.preview) glDeleteTextures(1, &tex.preview);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}

}  // namespace batchivo::station
