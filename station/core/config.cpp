#include "station/core/config.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>
#include <type_traits>

#include "platform/printing/printers/printer.hpp"
#include "station/core/label_printing.hpp"

namespace batchivo::station {

namespace {

template <class T>
void get(const toml::table& t, std::string_view section, std::string_view key, T& out) {
    if constexpr (std::is_same_v<T, int>) {
        if (auto v = t[section][key].value<int64_t>()) out = static_cast<int>(*v);
    } else {
        if (auto v = t[section][key].value<T>()) out = *v;
    }
}

Error invalid(std::string msg) { return Error{"invalid_config", std::move(msg)}; }

// The hardware sections are checked by their platform registries; the rest here.
Result<> validate(const StationConfig& c) {
    if (auto r = platform::validate_scale_settings(c.scale); !r) return r;
    if (auto r = platform::validate_camera_settings(c.camera); !r) return r;
    if (auto r = platform::validate_scanner_settings(c.scanner); !r) return r;
    if (c.weigh.default_tare_g && (*c.weigh.default_tare_g < 0 || *c.weigh.default_tare_g > 5000))
        return invalid("weigh.default_tare_g must be 0..5000");
    if (c.weigh.auto_commit_stable_ms < 500) return invalid("weigh.auto_commit_stable_ms must be at least 500");
    if (c.weigh.undo_seconds < 0 || c.weigh.undo_seconds > 60) return invalid("weigh.undo_seconds must be 0..60");
    if (c.display.blank_after_s < 0) return invalid("display.blank_after_s must be >= 0");
    if (c.sync.batch_size < 1 || c.sync.batch_size > 500) return invalid("sync.batch_size must be 1..500");
    if (c.sync.interval_s < 1) return invalid("sync.interval_s must be >= 1");
    if (c.sync.connect_timeout_s < 1 || c.sync.total_timeout_s < c.sync.connect_timeout_s)
        return invalid("sync timeouts must be >= 1 and total >= connect");
    if (!c.printer.spec.empty())
        if (auto r = printing::parse_printer_spec(c.printer.spec); !r) return invalid("printer.spec: " + r.error().message);
    if (auto r = parse_station_label_size(c.printer.size); !r) return invalid("printer.size: " + r.error().message);
    return {};
}

void parse_scale(const toml::table& t, platform::ScaleSettings& s) {
    get(t, "scale", "driver", s.driver);
    get(t, "scale", "device", s.device);
    get(t, "scale", "baud", s.baud);
    get(t, "scale", "parity", s.parity);
    get(t, "scale", "data_bits", s.data_bits);
    get(t, "scale", "stop_bits", s.stop_bits);
    get(t, "scale", "stable_spread_g", s.stable_spread_g);
    get(t, "scale", "stable_window_ms", s.stable_window_ms);
    get(t, "scale", "auto_zero", s.auto_zero);
    get(t, "scale", "auto_zero_limit_g", s.auto_zero_limit_g);
    get(t, "scale", "hx711_offset", s.hx711_offset);
    get(t, "scale", "hx711_grams_per_count", s.hx711_grams_per_count);
}

void parse_devices(const toml::table& t, StationConfig& c) {
    parse_scale(t, c.scale);
    get(t, "camera", "driver", c.camera.driver);
    get(t, "camera", "device", c.camera.device);
    get(t, "camera", "width", c.camera.width);
    get(t, "camera", "height", c.camera.height);
    get(t, "camera", "fps", c.camera.fps);
    get(t, "scanner", "evdev_device", c.scanner.evdev_device);
    // Older files name only the device: a device means the evdev driver.
    if (!c.scanner.evdev_device.empty()) c.scanner.driver = "evdev";
    get(t, "scanner", "driver", c.scanner.driver);
}

}  // namespace

Result<StationConfig> parse_config(const std::string& text) {
    toml::table t;
    try {
        t = toml::parse(text);
    } catch (const toml::parse_error& e) {
        std::ostringstream os;
        os << "config line " << e.source().begin.line << ": " << e.description();
        return invalid(os.str());
    }
    StationConfig c;
    get(t, "station", "name", c.station_name);
    parse_devices(t, c);
    if (auto v = t["weigh"]["default_tare_g"].value<double>()) c.weigh.default_tare_g = *v;
    get(t, "weigh", "auto_commit", c.weigh.auto_commit);
    get(t, "weigh", "auto_commit_stable_ms", c.weigh.auto_commit_stable_ms);
    get(t, "weigh", "undo_seconds", c.weigh.undo_seconds);
    get(t, "display", "fullscreen", c.display.fullscreen);
    get(t, "display", "width", c.display.width);
    get(t, "display", "height", c.display.height);
    get(t, "display", "blank_after_s", c.display.blank_after_s);
    get(t, "sync", "batch_size", c.sync.batch_size);
    get(t, "sync", "interval_s", c.sync.interval_s);
    get(t, "sync", "connect_timeout_s", c.sync.connect_timeout_s);
    get(t, "sync", "total_timeout_s", c.sync.total_timeout_s);
    get(t, "printer", "spec", c.printer.spec);
    get(t, "printer", "size", c.printer.size);
    if (auto r = validate(c); !r) return invalid("config: " + r.error().message);
    return c;
}

Result<StationConfig> load_config(const std::string& path) {
    std::ifstream in(path);
    if (!in) return StationConfig{};  // no file: embedded defaults
    std::stringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Error{"io", "cannot read " + path};
    auto c = parse_config(ss.str());
    if (!c) return Error{c.error().code, path + ": " + c.error().message};
    return c;
}

std::string format_config(const StationConfig& c) {
    toml::table t;
    t.insert("station", toml::table{{"name", c.station_name}});
    t.insert("scale", toml::table{{"driver", c.scale.driver},
                                  {"device", c.scale.device},
                                  {"baud", c.scale.baud},
                                  {"parity", c.scale.parity},
                                  {"data_bits", c.scale.data_bits},
                                  {"stop_bits", c.scale.stop_bits},
                                  {"stable_spread_g", c.scale.stable_spread_g},
                                  {"stable_window_ms", c.scale.stable_window_ms},
                                  {"auto_zero", c.scale.auto_zero},
                                  {"auto_zero_limit_g", c.scale.auto_zero_limit_g},
                                  {"hx711_offset", c.scale.hx711_offset},
                                  {"hx711_grams_per_count", c.scale.hx711_grams_per_count}});
    t.insert("camera", toml::table{{"driver", c.camera.driver},
                                   {"device", c.camera.device},
                                   {"width", c.camera.width},
                                   {"height", c.camera.height},
                                   {"fps", c.camera.fps}});
    t.insert("scanner", toml::table{{"driver", c.scanner.driver}, {"evdev_device", c.scanner.evdev_device}});
    toml::table weigh{{"auto_commit", c.weigh.auto_commit},
                      {"auto_commit_stable_ms", c.weigh.auto_commit_stable_ms},
                      {"undo_seconds", c.weigh.undo_seconds}};
    if (c.weigh.default_tare_g) weigh.insert("default_tare_g", *c.weigh.default_tare_g);
    t.insert("weigh", std::move(weigh));
    t.insert("display", toml::table{{"fullscreen", c.display.fullscreen},
                                    {"width", c.display.width},
                                    {"height", c.display.height},
                                    {"blank_after_s", c.display.blank_after_s}});
    t.insert("sync", toml::table{{"batch_size", c.sync.batch_size},
                                 {"interval_s", c.sync.interval_s},
                                 {"connect_timeout_s", c.sync.connect_timeout_s},
                                 {"total_timeout_s", c.sync.total_timeout_s}});
    t.insert("printer", toml::table{{"spec", c.printer.spec}, {"size", c.printer.size}});
    std::ostringstream os;
    os << "# Batchivo Station configuration (written by the station; safe to edit while it is stopped)\n" << t << "\n";
    return os.str();
}

Result<> save_config(const std::string& path, const StationConfig& cfg) {
    const std::string tmp = path + ".tmp";
    const std::string text = format_config(cfg);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{"io", "cannot write " + tmp};
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n <= 0) {
            ::close(fd);
            return Error{"io", "cannot write " + tmp};
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0)
        return Error{"io", "cannot save " + path};
    return {};
}

}  // namespace batchivo::station
