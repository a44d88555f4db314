#include "sync/engine/retry_policy.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <random>

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::sync {

std::string_view to_string(Disposition d) {
    switch (d) {
        case Disposition::Success: return "success";
        case Disposition::Retry: return "retry";
        case Disposition::Revoked: return "revoked";
        case Disposition::TlsAlert: return "tls_alert";
        case Disposition::BadRequest: return "bad_request";
        case Disposition::Aborted: return "aborted";
        case Disposition::NotPaired: return "not_paired";
    }
    return "retry";
}

std::optional<Disposition> disposition_from_string(std::string_view code) {
    for (auto d : {Disposition::Success, Disposition::Retry, Disposition::Revoked, Disposition::TlsAlert,
                   Disposition::BadRequest, Disposition::Aborted, Disposition::NotPaired})
        if (to_string(d) == code) return d;
    return std::nullopt;
}

Error failure(Disposition d, std::string message) { return Error{std::string(to_string(d)), std::move(message)}; }

Disposition disposition_of(const Error& e) { return disposition_from_string(e.code).value_or(Disposition::Retry); }

namespace {

int month_index(const char* mon) {
    static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (std::strcmp(mon, kMonths[i]) == 0) return i + 1;
    return 0;
}

bool valid_day_name(const char* name, bool long_form) {
    static const char* const kShort[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char* const kLong[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    for (int i = 0; i < 7; ++i)
        if (std::strcmp(name, long_form ? kLong[i] : kShort[i]) == 0) return true;
    return false;
}

std::optional<int64_t> to_epoch_ms(int year, int mon, int day, int hh, int mm, int ss) {
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
        return std::nullopt;
    const int64_t days = days_from_civil(year, static_cast<unsigned>(mon), static_cast<unsigned>(day));
    return ((days * 24 + hh) * 60 + mm) * 60000LL + ss * 1000LL;
}

}  // namespace

std::optional<int64_t> parse_http_date(std::string_view value) {
    const std::string s(trim(value));
    if (s.size() > 64) return std::nullopt;
    char wd[16] = {}, mon[4] = {}, tz[4] = {};
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0, n = 0;
    // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    if (std::sscanf(s.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3[A-Z]%n", wd, &day, mon, &year, &hh, &mm,
                    &ss, tz, &n) == 8 &&
        static_cast<size_t>(n) == s.size() && std::strcmp(tz, "GMT") == 0 && valid_day_name(wd, false)) {
        const int m = month_index(mon);
        if (m == 0) return std::nullopt;
        return to_epoch_ms(year, m, day, hh, mm, ss);
    }
    // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit year: the nearest century not more than 50 years ahead)
    n = 0;
    if (std::sscanf(s.c_str(), "%9[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d %3[A-Z]%n", wd, &day, mon, &year, &hh, &mm,
                    &ss, tz, &n) == 8 &&
        static_cast<size_t>(n) == s.size() && std::strcmp(tz, "GMT") == 0 && valid_day_name(wd, true)) {
        const int m = month_index(mon);
        if (m == 0) return std::nullopt;
        year += year < 70 ? 2000 : 1900;
        return to_epoch_ms(year, m, day, hh, mm, ss);
    }
    // asctime: Sun Nov  6 08:49:37 1994
    n = 0;
    if (std::sscanf(s.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wd, mon, &day, &hh, &mm, &ss, &year, &n) ==
            7 &&
        static_cast<size_t>(n) == s.size() && valid_day_name(wd, false)) {
        const int m = month_index(mon);
        if (m == 0) return std::nullopt;
        return to_epoch_ms(year, m, day, hh, mm, ss);
    }
    return std::nullopt;
}

std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now_ms) {
    const std::string_view v = trim(value);
    if (v.empty()) return std::nullopt;
    if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (v.size() > 9) return kMaxRetryAfterMs;  // absurdly large: clamp
        int64_t secs = 0;
        for (char c : v) secs = secs * 10 + (c - '0');
        return std::min(secs * 1000, kMaxRetryAfterMs);
    }
    auto when = parse_http_date(v);
    if (!when) return std::nullopt;
    return std::clamp<int64_t>(*when - now_ms, 0, kMaxRetryAfterMs);
}

Classification classify(const HttpResponse& r, int64_t now_ms) {
    Classification c;
    switch (r.error) {
        case TransportError::None: break;
        case TransportError::Network:
            c.what = Disposition::Retry;
            c.message = "network: " + r.error_message;
            return c;
        case TransportError::Timeout:
            c.what = Disposition::Retry;
            c.message = "timeout: " + r.error_message;
            return c;
        case TransportError::Tls:
            c.what = Disposition::TlsAlert;
            c.message = "TLS verification failed (server certificate or pinned key mismatch): " + r.error_message;
            return c;
        case TransportError::Aborted:
            c.what = Disposition::Aborted;
            c.message = "aborted";
            return c;
    }
    const int s = r.status;
    const std::string ra = r.header("retry-after");
    if (!ra.empty()) c.retry_after_ms = parse_retry_after(ra, now_ms);
    if (s >= 200 && s < 300) {
        c.what = Disposition::Success;
        c.retry_after_ms.reset();
        return c;
    }
    // A server-provided message helps the operator: {"error": {"code", "message"}} (best effort, no throw).
    std::string detail;
    {
        const auto& b = r.body;
        auto p = b.find("\"message\"");
        if (p != std::string::npos) {
            p = b.find('"', b.find(':', p) + 1);
            if (p != std::string::npos) {
                auto e = b.find('"', p + 1);
                if (e != std::string::npos) detail = b.substr(p + 1, std::min<size_t>(e - p - 1, 200));
            }
        }
    }
    c.message = "HTTP " + std::to_string(s) + (detail.empty() ? "" : ": " + detail);
    if (s == 401) {
        c.what = Disposition::Revoked;
        c.retry_after_ms.reset();
    } else if (s == 408 || s == 425 || s == 429 || s >= 500) {
        c.what = Disposition::Retry;
    } else if (s == 400 || s == 409 || s == 413 || s == 422) {
        c.what = Disposition::BadRequest;
    } else {
        // 403, 404, 405, 3xx ...: not attributable to an item (wrong URL, proxy page, server upgrade). Keep the
        // queue intact and retry later; the operator sees the message.
        c.what = Disposition::Retry;
    }
    return c;
}

Backoff::Backoff(Rng rng) : Backoff(Params{}, std::move(rng)) {}
Backoff::Backoff(Params p, Rng rng) : p_(p), rng_(std::move(rng)) {
    if (p_.base_ms < 1) p_.base_ms = 1;
    if (p_.cap_ms < p_.base_ms) p_.cap_ms = p_.base_ms;
}

int64_t Backoff::current_ceiling_ms() const {
    int64_t ceil = p_.base_ms;
    for (int i = 0; i < failures_ && ceil < p_.cap_ms; ++i) ceil *= 2;
    return std::min(ceil, p_.cap_ms);
}

int64_t Backoff::next_delay_ms(std::optional<int64_t> retry_after_ms) {
    const int64_t ceil = current_ceiling_ms();
    if (failures_ < 62) ++failures_;
    const int64_t jitter = static_cast<int64_t>(rng_() % static_cast<uint64_t>(ceil + 1));
    if (retry_after_ms) return std::max(jitter, std::min(*retry_after_ms, kMaxRetryAfterMs));
    return jitter;
}

Backoff::Rng os_seeded_rng() {
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed)) seed = std::random_device{}();
    auto gen = std::make_shared<std::mt19937_64>(seed);
    return [gen] { return (*gen)(); };
}

}  // namespace batchivo::sync
