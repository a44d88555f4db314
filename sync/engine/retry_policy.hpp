// Retry policy of the sync engine: what an outcome means (Disposition; classify() maps an HTTP answer to one, for
// the HTTP targets) and when to try again (exponential backoff with full jitter). Pure and deterministic given the
// injected RNG and clock; no threads, no state beyond Backoff's failure count (owned by one engine). Unit-tested in
// tests/sync/retry_policy_tests.cpp. docs/SYNC.md explains the policy to operators.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sync/domain/result.hpp"
#include "sync/http/http_client.hpp"

namespace batchivo::sync {

// What the engine does with the outcome of one request.
enum class Disposition {
    Success,      // 2xx: use the body
    Retry,        // network error, timeout, 408/425/429/5xx, other unexpected statuses: same batch, same ids, later
    Revoked,      // 401: the device token is no longer valid; show "device revoked / re-pair", keep the queue
    TlsAlert,     // certificate or pin verification failed: stop and alert; never downgrade
    BadRequest,   // 400/409/413/422 on the whole request: the engine splits the batch to find the item at fault
    Aborted,      // the transfer was aborted because the engine is shutting down
    NotPaired,    // (engine only) no credentials: nothing to do until the station is paired
};
std::string_view to_string(Disposition d);
std::optional<Disposition> disposition_from_string(std::string_view code);

// A failed target call as an Error: code = to_string(d), so the engine can read the disposition back.
Error failure(Disposition d, std::string message);
// The disposition an Error carries (Retry for a code that is not a disposition's name).
Disposition disposition_of(const Error& e);

struct Classification {
    Disposition what = Disposition::Retry;
    std::optional<int64_t> retry_after_ms;  // delay the server asked for (Retry-After), already clamped
    std::string message;                    // for SyncStatus.last_error / the operator
};

// The longest Retry-After the engine honours (a hostile or broken value must not stop sync for days).
inline constexpr int64_t kMaxRetryAfterMs = 60LL * 60 * 1000;

// Classifies a transport result. `now_ms` (epoch) is used to turn an HTTP-date Retry-After into a delay.
Classification classify(const HttpResponse& r, int64_t now_ms);

// Parses a Retry-After value: delta-seconds ("120") or an HTTP-date (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
// obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime "Sun Nov  6 08:49:37 1994"). Returns the delay
// in ms from now (0 for a date in the past), clamped to kMaxRetryAfterMs; nullopt when unparseable.
std::optional<int64_t> parse_retry_after(std::string_view value, int64_t now_ms);
// Parses an HTTP-date into epoch ms; nullopt when it is not one of the three formats.
std::optional<int64_t> parse_http_date(std::string_view value);

// Exponential backoff with full jitter: the n-th consecutive failure waits uniform(0, min(cap, base * 2^n)).
// Unlimited attempts; reset() after a success. A server's Retry-After is a floor for the next delay.
class Backoff {
public:
    using Rng = std::function<uint64_t()>;  // uniform 64-bit random numbers
    struct Params {
        int64_t base_ms = 1000;
        int64_t cap_ms = 5 * 60 * 1000;
    };
    explicit Backoff(Rng rng);
    Backoff(Params p, Rng rng);

    // The delay before the next attempt after one more failure.
    int64_t next_delay_ms(std::optional<int64_t> retry_after_ms = std::nullopt);
    // The ceiling the next failure would draw from (for status display and tests).
    int64_t current_ceiling_ms() const;
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }
    const Params& params() const { return p_; }

private:
    Params p_;
    Rng rng_;
    int failures_ = 0;
};

// A default RNG seeded from the OS.
Backoff::Rng os_seeded_rng();

}  // namespace batchivo::sync
