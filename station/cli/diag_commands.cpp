// diag scale | scan-image | parse-label: technicians' checks of the hardware and of label payloads.
// Each prints one JSON object per line (stdout) and a clear message on stderr when something cannot be done.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "platform/decode/decoder.hpp"
#include "platform/labels/label_parser.hpp"
#include "platform/scale/scale_registry.hpp"
#include "platform/scale/stability.hpp"
#include "station/cli/commands.hpp"
#include "station/core/config.hpp"
#include "station/core/paths.hpp"

namespace batchivo::station {

namespace {
using ojson = nlohmann::ordered_json;

void print_json(const ojson& j) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
}

struct ScaleArgs {
    std::optional<std::string> driver;
    std::optional<std::string> device;
    std::optional<int> baud;
    std::optional<std::string> parity;
    std::optional<int> data_bits;
    std::optional<int> stop_bits;
    std::optional<double> hx711_offset;
    std::optional<double> hx711_gpc;
    int count = 10;
    int timeout_ms = 5000;
};

int run_diag_scale(const ScaleArgs& a, GlobalOptions& g) {
    using namespace batchivo::platform;
    ScaleSettings s;
    if (!a.driver) {  // no --driver: the station's configured scale
        try {
            auto cfg = load_config(resolve_data_dir(g.data_dir).config_to_load());
            if (!cfg) {
                std::cerr << "diag scale: " << cfg.error().message << "\n";
                return 2;
            }
            s = cfg->scale;
        } catch (const std::exception& e) {
            std::cerr << "diag scale: " << e.what() << "\n";
            return 2;
        }
    } else {
        s.driver = *a.driver;
    }
    if (a.device) s.device = *a.device;
    if (a.baud) s.baud = *a.baud;
    if (a.parity) s.parity = *a.parity;
    if (a.data_bits) s.data_bits = *a.data_bits;
    if (a.stop_bits) s.stop_bits = *a.stop_bits;
    if (a.hx711_offset) s.hx711_offset = *a.hx711_offset;
    if (a.hx711_gpc) s.hx711_grams_per_count = *a.hx711_gpc;

    auto created = create_scale(s);
    if (!created) {
        std::cerr << "diag scale: " << created.error().message << "\n";
        return 2;
    }
    std::unique_ptr<Scale> scale = std::move(*created);
    if (auto opened = scale->open(); !opened) {
        std::cerr << "diag scale: cannot open " << scale->describe() << ": " << opened.error().message << "\n";
        return 2;
    }
    std::cerr << "diag scale: reading " << scale->describe() << "\n";
    StabilityTracker tracker(StabilityOptions{s.stable_spread_g, std::chrono::milliseconds(s.stable_window_ms),
                                              std::chrono::milliseconds(std::max(1500, s.stable_window_ms * 3 / 2))});
    const auto start = std::chrono::steady_clock::now();
    auto last_reading = start;
    int printed = 0;
    while (a.count <= 0 || printed < a.count) {
        auto r = scale->read(std::chrono::milliseconds(200));
        auto now = std::chrono::steady_clock::now();
        if (!r) {
            if (now - last_reading > std::chrono::milliseconds(a.timeout_ms)) {
                std::cerr << "diag scale: no reading from " << scale->describe() << " within " << a.timeout_ms
                          << " ms (wrong driver, baud rate or cable?)\n";
                scale->close();
                return 4;
            }
            continue;
        }
        last_reading = now;
        auto st = tracker.update(*r);
        ojson j;
        j["grams"] = r->grams ? ojson(*r->grams) : ojson(nullptr);
        j["status"] = std::string(to_string(r->status));
        j["stable"] = st.stable;
        j["stable_grams"] = st.stable_grams ? ojson(*st.stable_grams) : ojson(nullptr);
        j["t_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(r->at - start).count();
        if (!r->raw.empty()) j["raw"] = r->raw;
        if (!r->note.empty()) j["note"] = r->note;
        print_json(j);
        ++printed;
        if (r->status == ScaleStatus::Disconnected) {
            std::cerr << "diag scale: " << scale->describe() << " disconnected"
                      << (r->note.empty() ? "" : ": " + r->note) << "\n";
            scale->close();
            return 3;
        }
    }
    scale->close();
    return 0;
}

int run_scan_image(const std::vector<std::string>& files) {
    int rc = 0;
    for (const auto& f : files) {
        auto r = platform::scan_image_file(f);
        ojson j;
        j["file"] = r.file;
        if (r.result) {
            j["format"] = r.result->format;
            j["text"] = r.result->text;
            j["pass"] = r.result->pass;
        } else {
            j["error"] = r.error;
            rc = 1;
        }
        print_json(j);
    }
    return rc;
}

int run_parse_label(const std::string& text) {
    auto ref = platform::parse_label(text);
    ojson j;
    j["kind"] = std::string(platform::to_string(ref.kind));
    j["value"] = ref.value;
    print_json(j);
    return 0;
}
}  // namespace

void add_diag_commands(CLI::App& app, GlobalOptions& g) {
    auto* diag = app.add_subcommand("diag", "Diagnostics (hardware, labels)");
    diag->require_subcommand(1);

    auto sa = std::make_shared<ScaleArgs>();
    auto* sc = diag->add_subcommand("scale", "Read a scale and print one JSON object per reading");
    sc->add_option_function<std::string>("--driver", [sa](const std::string& v) { sa->driver = v; },
                                         platform::scale_driver_names() + " (default: the station's config)");
    sc->add_option_function<std::string>("--device", [sa](const std::string& v) { sa->device = v; },
                                         "/dev/hidraw0, /dev/ttyUSB0, .../in_voltage0_raw, sim script");
    sc->add_option_function<int>("--baud", [sa](const int& v) { sa->baud = v; }, "Serial baud rate (default 9600)");
    sc->add_option_function<std::string>("--parity", [sa](const std::string& v) { sa->parity = v; }, "none | even | odd");
    sc->add_option_function<int>("--data-bits", [sa](const int& v) { sa->data_bits = v; }, "7 | 8");
    sc->add_option_function<int>("--stop-bits", [sa](const int& v) { sa->stop_bits = v; }, "1 | 2");
    sc->add_option_function<double>("--hx711-offset", [sa](const double& v) { sa->hx711_offset = v; }, "HX711 counts at zero load");
    sc->add_option_function<double>("--hx711-grams-per-count", [sa](const double& v) { sa->hx711_gpc = v; }, "HX711 calibration");
    sc->add_option("--count", sa->count, "Readings to print (0 = until interrupted; default 10)");
    sc->add_option("--timeout-ms", sa->timeout_ms, "Fail when no reading arrives for this long (default 5000)");
    sc->callback([sa, &g] { g.exit_code = run_diag_scale(*sa, g); });

    auto files = std::make_shared<std::vector<std::string>>();
    auto* si = diag->add_subcommand("scan-image", "Decode barcodes in image files (QR, DataMatrix, Code 128, EAN)");
    si->add_option("files", *files, "Image files (PNG, JPEG, BMP, PGM...)")->required();
    si->callback([files, &g] { g.exit_code = run_scan_image(*files); });

    auto text = std::make_shared<std::string>();
    auto* pl = diag->add_subcommand("parse-label", "Show what a scanned label text refers to");
    pl->add_option("text", *text, "The scanned text")->required();
    pl->callback([text, &g] { g.exit_code = run_parse_label(*text); });
}

}  // namespace batchivo::station
