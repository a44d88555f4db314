// Builds a Scale backend from plain settings. platform/ cannot include station/: the station maps its
// ScaleConfig (config.toml [scale]) onto ScaleSettings field by field.
#pragma once

#include <memory>
#include <string>

#include "platform/scale/scale.hpp"

namespace batchivo::platform {

struct ScaleSettings {
    std::string driver = "sim";  // hid | mt-sics | and | ohaus | cas | hx711 | sim
    std::string device;          // /dev/hidraw0, /dev/ttyUSB0, .../in_voltage0_raw, sim script file (or empty)
    int baud = 9600;
    std::string parity = "none";  // none | even | odd
    int data_bits = 8;            // 7 or 8
    int stop_bits = 1;            // 1 or 2
    double stable_spread_g = 2.0;  // stable when max-min < this over the window
    int stable_window_ms = 1000;
    bool auto_zero = false;  // zero small drift when the pan is empty
    double auto_zero_limit_g = 5.0;
    double hx711_offset = 0;           // counts (raw - 0x800000) at zero load
    double hx711_grams_per_count = 0;  // 0 = not calibrated
};

// The driver names make_scale() accepts, for help texts and validation.
inline constexpr const char* kScaleDrivers[] = {"hid", "mt-sics", "and", "ohaus", "cas", "hx711", "sim"};

// A new, not yet opened backend; nullptr and `error` set for an unknown driver or invalid settings
// (e.g. baud rate not supported, 7 data bits on a HID scale does not matter and is ignored).
std::unique_ptr<Scale> make_scale(const ScaleSettings& settings, std::string& error);

}  // namespace batchivo::platform
