#include "platform/scale/hx711_scale.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

#include "platform/device_error.hpp"

namespace batchivo::platform {

namespace {
constexpr long kMid = 0x800000;
constexpr long kFull = 0xFFFFFF;

Result<std::string> read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        return errno_error(e, "cannot open " + path + ": " + std::strerror(e));
    }
    char buf[64];
    ssize_t n = ::read(fd, buf, sizeof buf - 1);
    int e = errno;
    ::close(fd);
    if (n < 0) return errno_error(e, "cannot read " + path + ": " + std::strerror(e));
    return std::string(buf, static_cast<size_t>(n));
}
}  // namespace

std::optional<Hx711Calibration> hx711_calibrate(double empty_counts, double loaded_counts, double known_grams) {
    if (!(known_grams > 0) || !std::isfinite(empty_counts) || !std::isfinite(loaded_counts)) return std::nullopt;
    const double delta = loaded_counts - empty_counts;
    if (std::fabs(delta) < 1.0) return std::nullopt;
    return Hx711Calibration{empty_counts, known_grams / delta};
}

std::optional<long> hx711_parse_raw(const std::string& text) {
    size_t b = 0, e = text.size();
    while (b < e && (text[b] == ' ' || text[b] == '\t')) ++b;
    while (e > b && (text[e - 1] == '\n' || text[e - 1] == '\r' || text[e - 1] == ' ')) --e;
    if (b == e) return std::nullopt;
    long v = 0;
    auto [p, ec] = std::from_chars(text.data() + b, text.data() + e, v);
    if (ec != std::errc() || p != text.data() + e) return std::nullopt;
    return v;
}

Result<double> hx711_read_counts(const std::string& path) {
    auto text = read_file(path);
    if (!text) return Error{"io", text.error().message};
    auto raw = hx711_parse_raw(*text);
    if (!raw) return Error{"invalid_data", path + " does not hold a raw ADC value"};
    if (*raw <= 0 || *raw >= kFull)
        return Error{"saturated", "the load cell is saturated (raw " + std::to_string(*raw) + "): check the wiring"};
    return static_cast<double>(*raw - kMid);
}

Hx711Scale::Hx711Scale(std::string path, Hx711Calibration cal, std::chrono::milliseconds period)
    : path_(std::move(path)), cal_(cal), period_(period) {}

std::string Hx711Scale::describe() const {
    char b[128];
    if (cal_.grams_per_count != 0)
        std::snprintf(b, sizeof b, " (offset %.0f, %.6g g/count)", cal_.offset, cal_.grams_per_count);
    else
        std::snprintf(b, sizeof b, " (not calibrated)");
    return "HX711 on " + path_ + b;
}

Result<> Hx711Scale::open() {
    auto text = read_file(path_);
    if (!text) return text.error();
    if (!hx711_parse_raw(*text)) return Error{"invalid_data", path_ + " does not hold a raw ADC value"};
    open_ = true;
    next_ = std::chrono::steady_clock::now();
    return {};
}

void Hx711Scale::close() { open_ = false; }

std::optional<ScaleReading> Hx711Scale::read(std::chrono::milliseconds timeout) {
    using clock = std::chrono::steady_clock;
    if (!open_) return disconnected_reading("not open");
    auto now = clock::now();
    if (next_ > now + timeout) {
        std::this_thread::sleep_for(timeout);
        return std::nullopt;
    }
    std::this_thread::sleep_until(next_);
    next_ = std::max(next_ + period_, clock::now());
    auto read = read_file(path_);
    if (!read) {
        open_ = false;
        return disconnected_reading(read.error().message);
    }
    const std::string& text = *read;
    ScaleReading r;
    r.at = clock::now();
    r.raw = text.substr(0, text.find('\n'));
    auto raw = hx711_parse_raw(text);
    if (!raw || *raw < 0 || *raw > kFull) {
        r.status = ScaleStatus::Fault;
        r.note = "unexpected value from the ADC";
        return r;
    }
    if (*raw == kFull) {
        r.status = ScaleStatus::Overload;
        r.note = "ADC saturated (positive full scale)";
        return r;
    }
    if (*raw == 0) {
        r.status = ScaleStatus::UnderZero;
        r.note = "ADC saturated (negative full scale)";
        return r;
    }
    const long counts = *raw - kMid;
    last_counts_ = counts;
    if (cal_.grams_per_count == 0) {
        r.status = ScaleStatus::Fault;
        r.note = "not calibrated (counts " + std::to_string(counts) + ")";
        return r;
    }
    double g = (static_cast<double>(counts) - cal_.offset) * cal_.grams_per_count;
    g = std::round(g * 10.0) / 10.0;
    if (g == 0) g = 0;
    r.grams = g;
    if (g < -0.5) r.status = ScaleStatus::UnderZero;
    else if (std::fabs(g) <= 0.5) r.status = ScaleStatus::AtZero;
    else r.status = ScaleStatus::Stable;
    return r;
}

Result<> Hx711Scale::zero() {
    if (!last_counts_) return Error{"not_ready", "no reading yet"};
    cal_.offset = static_cast<double>(*last_counts_);
    return {};
}

}  // namespace batchivo::platform
