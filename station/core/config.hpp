// The station's configuration file (TOML, `<data dir>/config.toml`). Every field has an embedded default so a
// station starts with no file at all (simulated devices). Saved atomically (temp file, fsync, rename).
// Pairing credentials are not here: they live in `<data dir>/credentials.json` (owner-only permissions).
#pragma once

#include <optional>
#include <string>

namespace batchivo::station {

struct ScaleConfig {
    std::string driver = "sim";  // hid | mt-sics | and | ohaus | cas | hx711 | sim
    std::string device;          // /dev/hidraw0, /dev/ttyUSB0, /sys/bus/iio/devices/iio:device0/in_voltage0_raw, sim script
    int baud = 9600;
    std::string parity = "none";  // none | even | odd
    int data_bits = 8;
    int stop_bits = 1;
    double stable_spread_g = 2.0;  // stable when max-min < this over the window
    int stable_window_ms = 1000;
    bool auto_zero = false;        // zero small drift when the pan is empty
    double auto_zero_limit_g = 5.0;
    double hx711_offset = 0;           // raw counts at zero load
    double hx711_grams_per_count = 0;  // 0 = not calibrated
};

struct CameraConfig {
    std::string driver = "sim";  // v4l2 | images | sim | none
    std::string device = "/dev/video0";  // or a file/directory of images for "images"
    int width = 640;
    int height = 480;
    double fps = 10;
};

struct ScannerConfig {
    std::string evdev_device;  // /dev/input/by-id/...-event-kbd; empty = typed sequences in the kiosk window
};

struct WeighConfig {
    std::optional<double> default_tare_g;  // the station's default empty-spool weight
    bool auto_commit = false;
    int auto_commit_stable_ms = 2000;  // stable this long -> commit
    int undo_seconds = 5;
};

struct DisplayConfig {
    bool fullscreen = true;
    int width = 0;   // 0 = the monitor's size
    int height = 0;
    int blank_after_s = 300;  // 0 = never
};

struct SyncConfig {
    int batch_size = 100;
    int interval_s = 30;
    int connect_timeout_s = 5;
    int total_timeout_s = 30;
};

struct StationConfig {
    std::string station_name = "Batchivo Station";
    ScaleConfig scale;
    CameraConfig camera;
    ScannerConfig scanner;
    WeighConfig weigh;
    DisplayConfig display;
    SyncConfig sync;
};

// Loads `path`; a missing file yields the defaults. A malformed file or an invalid value sets `error` (with the
// line) and returns nullopt: the station refuses to start on a config it cannot read rather than guess.
std::optional<StationConfig> load_config(const std::string& path, std::string& error);
std::optional<StationConfig> parse_config(const std::string& toml_text, std::string& error);
std::string format_config(const StationConfig& cfg);
bool save_config(const std::string& path, const StationConfig& cfg, std::string& error);

}  // namespace batchivo::station
