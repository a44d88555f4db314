#include "station/core/config.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace batchivo::station {

namespace {

template <class T>
void get(const toml::table& t, std::string_view section, std::string_view key, T& out) {
    if (auto v = t[section][key].value<T>()) out = *v;
}

std::string validate(const StationConfig& c) {
    static const char* drivers[] = {"hid", "mt-sics", "and", "ohaus", "cas", "hx711", "sim"};
    bool ok = false;
    for (auto d : drivers) ok |= c.scale.driver == d;
    if (!ok) return "scale.driver must be one of hid, mt-sics, and, ohaus, cas, hx711, sim (got '" + c.scale.driver + "')";
    if (c.scale.baud <= 0) return "scale.baud must be positive";
    if (c.scale.parity != "none" && c.scale.parity != "even" && c.scale.parity != "odd")
        return "scale.parity must be none, even or odd";
    if (c.scale.data_bits < 5 || c.scale.data_bits > 8) return "scale.data_bits must be 5..8";
    if (c.scale.stop_bits != 1 && c.scale.stop_bits != 2) return "scale.stop_bits must be 1 or 2";
    if (!(c.scale.stable_spread_g > 0)) return "scale.stable_spread_g must be positive";
    if (c.scale.stable_window_ms < 100) return "scale.stable_window_ms must be at least 100";
    if (c.camera.driver != "v4l2" && c.camera.driver != "images" && c.camera.driver != "sim" &&
        c.camera.driver != "none")
        return "camera.driver must be v4l2, images, sim or none";
    if (c.camera.width <= 0 || c.camera.height <= 0 || !(c.camera.fps > 0)) return "camera size and fps must be positive";
    if (c.weigh.default_tare_g && (*c.weigh.default_tare_g < 0 || *c.weigh.default_tare_g > 5000))
        return "weigh.default_tare_g must be 0..5000";
    if (c.weigh.auto_commit_stable_ms < 500) return "weigh.auto_commit_stable_ms must be at least 500";
    if (c.weigh.undo_seconds < 0 || c.weigh.undo_seconds > 60) return "weigh.undo_seconds must be 0..60";
    if (c.display.blank_after_s < 0) return "display.blank_after_s must be >= 0";
    if (c.sync.batch_size < 1 || c.sync.batch_size > 500) return "sync.batch_size must be 1..500";
    if (c.sync.interval_s < 1) return "sync.interval_s must be >= 1";
    if (c.sync.connect_timeout_s < 1 || c.sync.total_timeout_s < c.sync.connect_timeout_s)
        return "sync timeouts must be >= 1 and total >= connect";
    return {};
}

}  // namespace

std::optional<StationConfig> parse_config(const std::string& text, std::string& error) {
    toml::table t;
    try {
        t = toml::parse(text);
    } catch (const toml::parse_error& e) {
        std::ostringstream os;
        os << "config line " << e.source().begin.line << ": " << e.description();
        error = os.str();
        return std::nullopt;
    }
    StationConfig c;
    if (auto v = t["station"]["name"].value<std::string>()) c.station_name = *v;
    get(t, "scale", "driver", c.scale.driver);
    get(t, "scale", "device", c.scale.device);
    if (auto v = t["scale"]["baud"].value<int64_t>()) c.scale.baud = static_cast<int>(*v);
    get(t, "scale", "parity", c.scale.parity);
    if (auto v = t["scale"]["data_bits"].value<int64_t>()) c.scale.data_bits = static_cast<int>(*v);
    if (auto v = t["scale"]["stop_bits"].value<int64_t>()) c.scale.stop_bits = static_cast<int>(*v);
    get(t, "scale", "stable_spread_g", c.scale.stable_spread_g);
    if (auto v = t["scale"]["stable_window_ms"].value<int64_t>()) c.scale.stable_window_ms = static_cast<int>(*v);
    get(t, "scale", "auto_zero", c.scale.auto_zero);
    get(t, "scale", "auto_zero_limit_g", c.scale.auto_zero_limit_g);
    get(t, "scale", "hx711_offset", c.scale.hx711_offset);
    get(t, "scale", "hx711_grams_per_count", c.scale.hx711_grams_per_count);
    get(t, "camera", "driver", c.camera.driver);
    get(t, "camera", "device", c.camera.device);
    if (auto v = t["camera"]["width"].value<int64_t>()) c.camera.width = static_cast<int>(*v);
    if (auto v = t["camera"]["height"].value<int64_t>()) c.camera.height = static_cast<int>(*v);
    get(t, "camera", "fps", c.camera.fps);
    get(t, "scanner", "evdev_device", c.scanner.evdev_device);
    if (auto v = t["weigh"]["default_tare_g"].value<double>()) c.weigh.default_tare_g = *v;
    get(t, "weigh", "auto_commit", c.weigh.auto_commit);
    if (auto v = t["weigh"]["auto_commit_stable_ms"].value<int64_t>()) c.weigh.auto_commit_stable_ms = static_cast<int>(*v);
    if (auto v = t["weigh"]["undo_seconds"].value<int64_t>()) c.weigh.undo_seconds = static_cast<int>(*v);
    get(t, "display", "fullscreen", c.display.fullscreen);
    if (auto v = t["display"]["width"].value<int64_t>()) c.display.width = static_cast<int>(*v);
    if (auto v = t["display"]["height"].value<int64_t>()) c.display.height = static_cast<int>(*v);
    if (auto v = t["display"]["blank_after_s"].value<int64_t>()) c.display.blank_after_s = static_cast<int>(*v);
    if (auto v = t["sync"]["batch_size"].value<int64_t>()) c.sync.batch_size = static_cast<int>(*v);
    if (auto v = t["sync"]["interval_s"].value<int64_t>()) c.sync.interval_s = static_cast<int>(*v);
    if (auto v = t["sync"]["connect_timeout_s"].value<int64_t>()) c.sync.connect_timeout_s = static_cast<int>(*v);
    if (auto v = t["sync"]["total_timeout_s"].value<int64_t>()) c.sync.total_timeout_s = static_cast<int>(*v);
    if (auto msg = validate(c); !msg.empty()) {
        error = "config: " + msg;
        return std::nullopt;
    }
    return c;
}

std::optional<StationConfig> load_config(const std::string& path, std::string& error) {
    std::ifstream in(path);
    if (!in) return StationConfig{};  // no file: embedded defaults
    std::stringstream ss;
    ss << in.rdbuf();
    auto c = parse_config(ss.str(), error);
    if (!c) error = path + ": " + error;
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
    t.insert("scanner", toml::table{{"evdev_device", c.scanner.evdev_device}});
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
    std::ostringstream os;
    os << "# Batchivo Station configuration (written by the station; safe to edit while it is stopped)\n" << t << "\n";
    return os.str();
}

bool save_config(const std::string& path, const StationConfig& cfg, std::string& error) {
    const std::string tmp = path + ".tmp";
    const std::string text = format_config(cfg);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot write " + tmp;
        return false;
    }
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n <= 0) {
            ::close(fd);
            error = "cannot write " + tmp;
            return false;
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || std::rename(tmp.c_str(), path.c_str()) != 0) {
        error = "cannot save " + path;
        return false;
    }
    return true;
}

}  // namespace batchivo::station
