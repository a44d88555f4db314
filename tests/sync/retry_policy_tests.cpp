#include <algorithm>
#include <catch2/catch.hpp>

#include <set>

#include "sync/engine/retry_policy.hpp"

using namespace batchivo::sync;

namespace {
HttpResponse status(int s, std::map<std::string, std::string> h = {}, std::string body = "{}") {
    return ScriptedHttpClient::status(s, std::move(body), std::move(h));
}
// 2026-11-25T12:00:00Z
constexpr int64_t kNow = 1795608000000LL;
}  // namespace

TEST_CASE("transport errors: network and timeouts retry, TLS alerts, abort aborts", "[sync][retry]") {
    CHECK(classify(ScriptedHttpClient::transport(TransportError::Network), kNow).what == Disposition::Retry);
    CHECK(classify(ScriptedHttpClient::transport(TransportError::Timeout), kNow).what == Disposition::Retry);
    CHECK(classify(ScriptedHttpClient::transport(TransportError::Tls), kNow).what == Disposition::TlsAlert);
    CHECK(classify(ScriptedHttpClient::transport(TransportError::Aborted), kNow).what == Disposition::Aborted);
}

TEST_CASE("statuses: 2xx success, 408/425/429/5xx retry, 401 revoked, item-attributable 4xx bad request",
          "[sync][retry]") {
    for (int s : {200, 201, 204}) CHECK(classify(status(s), kNow).what == Disposition::Success);
    for (int s : {408, 425, 429, 500, 502, 503, 504, 599}) {
        INFO(s);
        CHECK(classify(status(s), kNow).what == Disposition::Retry);
    }
    CHECK(classify(status(401), kNow).what == Disposition::Revoked);
    for (int s : {400, 409, 413, 422}) CHECK(classify(status(s), kNow).what == Disposition::BadRequest);
    // Not attributable to an item (wrong URL, proxy page): keep the queue and retry, never reject records.
    for (int s : {301, 403, 404, 405}) CHECK(classify(status(s), kNow).what == Disposition::Retry);
}

TEST_CASE("the server's error message is carried to the operator", "[sync][retry]") {
    auto c = classify(status(422, {}, R"({"error":{"code":"invalid_item","message":"grams must be an integer"}})"), kNow);
    CHECK(c.what == Disposition::BadRequest);
    CHECK_THAT(c.message, Catch::Contains("422") && Catch::Contains("grams must be an integer"));
}

TEST_CASE("Retry-After in seconds and as HTTP-date", "[sync][retry]") {
    CHECK(parse_retry_after("120", kNow) == 120000);
    CHECK(parse_retry_after(" 0 ", kNow) == 0);
    CHECK(parse_retry_after("99999999999", kNow) == kMaxRetryAfterMs);
    CHECK(parse_retry_after("7200", kNow) == kMaxRetryAfterMs);  // clamped to an hour
    CHECK_FALSE(parse_retry_after("-5", kNow));
    CHECK_FALSE(parse_retry_after("soon", kNow));
    CHECK_FALSE(parse_retry_after("", kNow));
    // The RFC 9110 example date, in its three formats.
    const int64_t rfc = 784111777000LL;  // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == rfc);
    CHECK(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == rfc);
    CHECK(parse_http_date("Sun Nov  6 08:49:37 1994") == rfc);
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 PST"));
    CHECK_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"));
    CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
    // A date 90 s in the future of kNow; a date in the past means "now".
    CHECK(parse_retry_after("Wed, 25 Nov 2026 12:01:30 GMT", kNow) == 90000);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow) == 0);
    // Carried through classify on 503 and 429.
    auto c = classify(status(503, {{"retry-after", "7"}}), kNow);
    CHECK(c.what == Disposition::Retry);
    CHECK(c.retry_after_ms == 7000);
    c = classify(status(429, {{"retry-after", "Wed, 25 Nov 2026 12:00:05 GMT"}}), kNow);
    CHECK(c.retry_after_ms == 5000);
}

TEST_CASE("backoff: exponential ceiling with full jitter, capped, unlimited, reset on success", "[sync][retry]") {
    uint64_t next = 0;
    Backoff b({1000, 300000}, [&] { return next; });
    // With the RNG returning the maximum, each delay is the ceiling: 1, 2, 4, ... s up to the 5 min cap.
    next = ~0ULL;
    std::vector<int64_t> ceilings;
    for (int i = 0; i < 12; ++i) {
        const int64_t ceil = b.current_ceiling_ms();
        ceilings.push_back(ceil);
        const int64_t d = b.next_delay_ms();
        CHECK(d >= 0);
        CHECK(d <= ceil);
    }
    CHECK(ceilings[0] == 1000);
    CHECK(ceilings[1] == 2000);
    CHECK(ceilings[5] == 32000);
    CHECK(ceilings[9] == 300000);   // 512 s capped at 300 s
    CHECK(ceilings[11] == 300000);
    // Unlimited: a thousand more failures still yield delays within the cap.
    for (int i = 0; i < 1000; ++i) CHECK(b.next_delay_ms() <= 300000);
    // Zero jitter is possible (full jitter), and Retry-After acts as a floor.
    next = 0;
    CHECK(b.next_delay_ms() == 0);
    CHECK(b.next_delay_ms(45000) == 45000);
    b.reset();
    CHECK(b.failures() == 0);
    CHECK(b.current_ceiling_ms() == 1000);
}

TEST_CASE("backoff jitter spreads delays over the whole window", "[sync][retry]") {
    Backoff b({1000, 300000}, os_seeded_rng());
    for (int i = 0; i < 6; ++i) (void)b.next_delay_ms();  // ceiling now 64 s
    std::set<int64_t> buckets;
    int64_t maxd = 0;
    for (int i = 0; i < 400; ++i) {
        Backoff c = b;  // same failure count, fresh draw
        const int64_t d = c.next_delay_ms();
        REQUIRE(d <= 64000);
        buckets.insert(std::min<int64_t>(d / 8000, 7));  // the ceiling itself (64 s) belongs to the last eighth
        maxd = std::max(maxd, d);
    }
    CHECK(buckets.size() == 8);  // every eighth of the window is hit
}
