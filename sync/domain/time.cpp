#include "sync/domain/time.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace batchivo {

int64_t now_epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string iso8601_utc_ms(int64_t ms) {
    int64_t secs = ms / 1000;
    int64_t rem = ms % 1000;
    if (rem < 0) { rem += 1000; --secs; }
    std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(rem));
    return buf;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_iso8601_ms(std::string_view s) {
    auto digits = [&](size_t pos, size_t n, int& out) {
        if (pos + n > s.size()) return false;
        out = 0;
        for (size_t i = 0; i < n; ++i) {
            char c = s[pos + i];
            if (c < '0' || c > '9') return false;
            out = out * 10 + (c - '0');
        }
        return true;
    };
    int Y, M, D, h = 0, mi = 0, sec = 0;
    if (!digits(0, 4, Y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, M) || s[7] != '-' || !digits(8, 2, D))
        return std::nullopt;
    if (M < 1 || M > 12 || D < 1 || D > 31) return std::nullopt;
    size_t p = 10;
    int64_t ms = 0;
    if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) {
        if (!digits(p + 1, 2, h) || s.size() < p + 9 || s[p + 3] != ':' || !digits(p + 4, 2, mi) ||
            s[p + 6] != ':' || !digits(p + 7, 2, sec))
            return std::nullopt;
        if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
        p += 9;
        if (p < s.size() && s[p] == '.') {
            ++p;
            int scale = 100;
            while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
                ms += (s[p] - '0') * scale;
                scale /= 10;
                ++p;
            }
        }
    }
    int64_t offset_min = 0;
    if (p < s.size()) {
        if (s[p] == 'Z' || s[p] == 'z') {
            ++p;
        } else if (s[p] == '+' || s[p] == '-') {
            int oh, om;
            if (!digits(p + 1, 2, oh)) return std::nullopt;
            size_t q = p + 3;
            if (q < s.size() && s[q] == ':') ++q;
            if (!digits(q, 2, om)) om = 0, q -= 0;
            else q += 2;
            offset_min = (oh * 60 + om) * (s[p] == '-' ? -1 : 1);
            p = q;
        }
    }
    if (p != s.size()) return std::nullopt;
    const int64_t days = days_from_civil(Y, static_cast<unsigned>(M), static_cast<unsigned>(D));
    return ((days * 86400 + h * 3600 + mi * 60 + sec) - offset_min * 60) * 1000 + ms;
}

}  // namespace batchivo
