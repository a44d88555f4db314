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

#include "sync/domain/result.hpp"

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
// zero() return Result<> (an Error with a stable code and a message); read() returns a Disconnected reading when
// the device went away. Error codes every backend uses:
//   "not_found"          the device path does not exist / no such device (ENOENT, ENODEV, ENXIO)
//   "permission_denied"  the device exists but may not be opened (EACCES, EPERM: the udev rule / group)
//   "io"                 any other system failure opening, configuring, reading or writing the device
//   "invalid_settings"   the settings cannot work (baud rate, parity, data / stop bits)
//   "unsupported"        the device cannot do it (not a serial port; zero on a scale that cannot be zeroed)
//   "invalid_data"       the device or script holds something unreadable (HX711 value, simulation script)
//   "disconnected"       the device went away (or is not open / unplugged)
//   "refused"            the scale answered with an error (zero refused)
//   "timeout"            the scale did not acknowledge in time
//   "not_ready"          the operation needs a reading first (HX711 software zero)
class Scale {
public:
    virtual ~Scale() = default;
    virtual std::string describe() const = 0;  // e.g. "MT-SICS on /dev/ttyUSB0 @ 9600 8N1"
    virtual Result<> open() = 0;
    virtual void close() = 0;
    // Waits up to `timeout` for the next reading; nullopt on timeout (no data), a Disconnected reading when the
    // device is gone (the caller closes and re-opens).
    virtual std::optional<ScaleReading> read(std::chrono::milliseconds timeout) = 0;
    virtual bool supports_zero() const { return false; }
    // Zeroes the device (only when supports_zero()).
    virtual Result<> zero() { return Error{"unsupported", "this scale cannot be zeroed from the station"}; }
};

}  // namespace batchivo::platform
