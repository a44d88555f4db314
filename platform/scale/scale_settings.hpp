// The [scale] section of the station's config.toml, as plain data: the station parses TOML straight into this
// struct and the scale registry (scale_registry.hpp) validates it and builds a backend from it. Field order
// is part of the API (aggregate initialisation in the diag command).
#pragma once

#include <string>

namespace batchivo::platform {

struct ScaleSettings {
    std::string driver =
        "sim";           // a name from scale_drivers(): hid | mt-sics | and | ohaus | cas | hx711 | sim
    std::string device;  // /dev/hidraw0, /dev/ttyUSB0, .../in_voltage0_raw, sim script file (or empty)
    int baud = 9600;
    std::string parity = "none";   // none | even | odd
    int data_bits = 8;             // 7 or 8
    int stop_bits = 1;             // 1 or 2
    double stable_spread_g = 2.0;  // stable when max-min < this over the window
    int stable_window_ms = 1000;
    bool auto_zero = false;  // zero small drift when the pan is empty
    double auto_zero_limit_g = 5.0;
    double hx711_offset = 0;           // counts (raw - 0x800000) at zero load
    double hx711_grams_per_count = 0;  // 0 = not calibrated
};

}  // namespace batchivo::platform
