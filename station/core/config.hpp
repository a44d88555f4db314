// The station's configuration file (TOML, `<data dir>/config.toml`). Every field has an embedded default so a
// station starts with no file at all (simulated devices). Saved atomically (temp file, fsync, rename).
// Pairing credentials are not here: they live in `<data dir>/credentials.json` (owner-only permissions).
#pragma once

#include <optional>
#include <string>

#include "platform/camera/camera_registry.hpp"
#include "platform/scale/scale_registry.hpp"
#include "platform/scanner/scanner_registry.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::station {

// The hardware sections ARE the platform's settings structs: config.cpp parses TOML straight into them and the
// platform registries (scale_registry.hpp, camera_registry.hpp, scanner_registry.hpp) validate them.

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

// [printer]: where labels go (platform/printing/printers/printer.hpp). Empty spec = no printer configured.
struct PrinterConfig {
    std::string spec;           // e.g. "brother-ql:/dev/usb/lp0", "cups:QL800", "png:/var/lib/batchivo/labels"
    std::string size = "62mm";  // 62mm | 50x30 | 40x30
};

struct StationConfig {
    std::string station_name = "Batchivo Station";
    platform::ScaleSettings scale;
    platform::CameraSettings camera;
    platform::ScannerSettings scanner;
    WeighConfig weigh;
    DisplayConfig display;
    SyncConfig sync;
    PrinterConfig printer;
};

// Loads `path`; a missing file yields the defaults. A malformed file or an invalid value is an error (code
// "invalid_config", the message names the line or key; "io" when the file exists but cannot be read): the
// station refuses to start on a config it cannot read rather than guess.
Result<StationConfig> load_config(const std::string& path);
Result<StationConfig> parse_config(const std::string& toml_text);
std::string format_config(const StationConfig& cfg);
// Atomic: temp file, fsync, rename. Error code "io".
Result<> save_config(const std::string& path, const StationConfig& cfg);

}  // namespace batchivo::station
