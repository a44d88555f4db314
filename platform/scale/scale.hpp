// The scale interface every backend implements (USB HID POS, MT-SICS, A&D, Ohaus, CAS, HX711, simulated).
// A backend turns its device's bytes into ScaleReadings; the stability rule (stability.hpp) and the reconnecting
// ScaleService (scale_service.hpp) are shared on top of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace batchivo::platform {

enum class ScaleStatus { Stable, InMotion, AtZero, UnderZero, Overload, Fault, Disconnected };
std::string_view to_string(ScaleStatus s);

struct ScaleReading {
    std::optional<double> grams;  // absent for fault/disconnected/overload without a value
    ScaleStatus status = ScaleStatus::Disconnected;
    std::chrono::steady_clock::time_point at{};  // when it was read
    std::string raw;  // what the device sent (one line or a hex report), for diagnostics
    std::string note;  // why there is no value / what the device said ("needs calibration", "not ready", ...)
};

// The reading a backend returns when its device is gone (or not open): status Disconnected, no value.
ScaleReading disconnected_reading(std::string note,
                                  std::chrono::steady_clock::time_point at = std::chrono::steady_clock::now());

// Blocking, single-threaded use: one thread (the ScaleService's) owns a Scale. Errors are values: open() and
// zero() report a message; read() returns a Disconnected reading when the device went away.
class Scale {
public:
    virtual ~Scale() = default;
    virtual std::string describe() const = 0;  // e.g. "MT-SICS on /dev/ttyUSB0 @ 9600 8N1"
    virtual bool open(std::string& error) = 0;
    virtual void close() = 0;
    // Waits up to `timeout` for the next reading; nullopt on timeout (no data), a Disconnected reading when the
    // device is gone (the caller closes and re-opens).
    virtual std::optional<ScaleReading> read(std::chrono::milliseconds timeout) = 0;
    virtual bool supports_zero() const { return false; }
    virtual bool zero(std::string& error) {
        error = "this scale cannot be zeroed from the station";
        return false;
    }
};

}  // namespace batchivo::platform
