// USB HID point-of-sale scale input reports (usage page 0x8D), 6 bytes:
//   [0] report id 0x03 (some 0x04)  [1] status  [2] unit  [3] signed exponent  [4..5] weight, little-endian
// Pure and self-contained (fuzzed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "platform/scale/scale.hpp"

namespace batchivo::platform {

struct HidReport {
    ScaleStatus status = ScaleStatus::Fault;
    std::optional<double> grams;
    std::string note;  // "needs calibration", "unknown unit 13", ...
};

// nullopt when the bytes are not a scale input report (wrong length or report id).
std::optional<HidReport> parse_hid_report(const uint8_t* data, size_t size);
// Hex dump "03 04 02 ff e8 03" for ScaleReading::raw.
std::string hex_bytes(const uint8_t* data, size_t size);

}  // namespace batchivo::platform
