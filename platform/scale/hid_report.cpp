#include "platform/scale/hid_report.hpp"

#include <cmath>

namespace batchivo::platform {

namespace {
// Grams per HID POS unit code (usage page 0x8D "Weight Unit"); 0 = unknown.
double hid_unit_grams(uint8_t unit) {
    switch (unit) {
        case 1: return 0.001;            // milligram
        case 2: return 1.0;              // gram
        case 3: return 1000.0;           // kilogram
        case 4: return 0.2;              // carat
        case 5: return 37.799;           // tael (Hong Kong)
        case 6: return 0.06479891;       // grain
        case 7: return 1.55517384;       // pennyweight
        case 8: return 1000000.0;        // metric ton
        case 9: return 907184.74;        // avoirdupois (short) ton
        case 10: return 31.1034768;      // troy ounce
        case 11: return 28.349523125;    // ounce
        case 12: return 453.59237;       // pound
        default: return 0;
    }
}
}  // namespace

std::string hex_bytes(const uint8_t* data, size_t size) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
        if (i) out += ' ';
        out += hex[data[i] >> 4];
        out += hex[data[i] & 15];
    }
    return out;
}

std::optional<HidReport> parse_hid_report(const uint8_t* data, size_t size) {
    if (data == nullptr || size != 6) return std::nullopt;
    if (data[0] != 0x03 && data[0] != 0x04) return std::nullopt;
    HidReport r;
    const uint8_t status = data[1];
    const uint8_t unit = data[2];
    const int exponent = static_cast<int8_t>(data[3]);
    const unsigned raw = static_cast<unsigned>(data[4]) | (static_cast<unsigned>(data[5]) << 8);
    const double per_unit = hid_unit_grams(unit);
    std::optional<double> grams;
    if (per_unit > 0 && exponent >= -10 && exponent <= 10) {
        grams = raw * std::pow(10.0, exponent) * per_unit;
    }
    switch (status) {
        case 1: r.status = ScaleStatus::Fault; r.note = "scale reports a fault"; return r;
        case 2: r.status = ScaleStatus::AtZero; r.grams = 0.0; return r;
        case 3: r.status = ScaleStatus::InMotion; break;
        case 4: r.status = ScaleStatus::Stable; break;
        case 5:
            r.status = ScaleStatus::UnderZero;
            if (grams) grams = -std::fabs(*grams);  // the magnitude below zero
            break;
        case 6: r.status = ScaleStatus::Overload; r.note = "over the weight limit"; return r;
        case 7: r.status = ScaleStatus::Fault; r.note = "scale needs calibration"; return r;
        case 8: r.status = ScaleStatus::Fault; r.note = "scale needs re-zeroing"; return r;
        default: r.status = ScaleStatus::Fault; r.note = "unknown status " + std::to_string(status); return r;
    }
    if (!grams) {
        r.status = ScaleStatus::Fault;
        r.note = per_unit > 0 ? "exponent out of range " + std::to_string(exponent)
                              : "unknown unit " + std::to_string(unit);
        return r;
    }
    r.grams = grams;
    return r;
}

}  // namespace batchivo::platform
