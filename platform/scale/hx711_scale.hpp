// HX711 load cell through the Linux IIO driver: reads `.../iio:deviceN/in_voltage0_raw` (offset binary:
// counts = raw - 0x800000; raw 0 or 0xFFFFFF = saturated), then grams = (counts - offset) * grams_per_count.
// The device has no motion flag: values are Stable (AtZero within +-0.5 g, UnderZero below) and the shared
// stability rule decides. Uncalibrated (grams_per_count == 0) readings are Faults carrying the raw counts.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "platform/scale/scale.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct Hx711Calibration {
    double offset = 0;           // counts at zero load
    double grams_per_count = 0;  // 0 = not calibrated
};

// Two-point calibration: counts with the pan empty and with a known load.
std::optional<Hx711Calibration> hx711_calibrate(double empty_counts, double loaded_counts, double known_grams);
// Parses the sysfs text ("8388608\n") into counts; nullopt when it is not a number.
std::optional<long> hx711_parse_raw(const std::string& text);
// The load cell's current counts (raw - 0x800000) read once from its IIO sysfs file, for calibration.
// Errors: "io" (cannot read), "invalid_data" (not a raw ADC value), "saturated" (raw 0 or 0xFFFFFF: wiring).
Result<double> hx711_read_counts(const std::string& path);

class Hx711Scale : public Scale {
public:
    Hx711Scale(std::string path, Hx711Calibration cal, std::chrono::milliseconds period = std::chrono::milliseconds(100));
    std::string describe() const override;
    Result<> open() override;
    void close() override;
    std::optional<ScaleReading> read(std::chrono::milliseconds timeout) override;
    bool supports_zero() const override { return true; }  // re-zeroes the calibration offset (software)
    Result<> zero() override;
    const Hx711Calibration& calibration() const { return cal_; }
    std::optional<long> last_counts() const { return last_counts_; }

private:
    std::string path_;
    Hx711Calibration cal_;
    std::chrono::milliseconds period_;
    bool open_ = false;
    std::chrono::steady_clock::time_point next_{};
    std::optional<long> last_counts_;
};

}  // namespace batchivo::platform
