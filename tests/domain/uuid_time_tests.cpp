#include <catch2/catch.hpp>
#include <set>

#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;

TEST_CASE("UUIDv7s are valid, unique and time-ordered", "[domain][uuid]") {
    std::set<std::string> seen;
    std::string prev;
    for (int i = 0; i < 2000; ++i) {
        auto u = new_uuid_v7();
        REQUIRE(is_uuid(u));
        CHECK(u[14] == '7');
        CHECK((u[19] == '8' || u[19] == '9' || u[19] == 'a' || u[19] == 'b'));
        CHECK(seen.insert(u).second);
        CHECK(u.substr(0, 13) >= prev.substr(0, std::min<size_t>(13, prev.size())));
        prev = u;
    }
    auto v4 = new_uuid_v4();
    CHECK(is_uuid(v4));
    CHECK(v4[14] == '4');
}

TEST_CASE("UUID validation and normalisation", "[domain][uuid]") {
    CHECK(is_uuid("0B7C6E44-4A9E-4E1E-9A66-2F0D8E4B5C11"));
    CHECK(normalize_uuid("0B7C6E44-4A9E-4E1E-9A66-2F0D8E4B5C11") == "0b7c6e44-4a9e-4e1e-9a66-2f0d8e4b5c11");
    CHECK_FALSE(is_uuid("0b7c6e44-4a9e-4e1e-9a66-2f0d8e4b5c1"));
    CHECK_FALSE(is_uuid("0b7c6e44x4a9e-4e1e-9a66-2f0d8e4b5c11"));
    CHECK_FALSE(is_uuid("0b7c6e44-4a9e-4e1e-9a66-2f0d8e4b5c1g"));
    CHECK(normalize_uuid("FIL-001").empty());
}

TEST_CASE("ISO-8601 timestamps round-trip", "[domain][time]") {
    const int64_t ms = 1'764'072'000'123;
    auto s = iso8601_utc_ms(ms);
    CHECK(s == "2025-11-25T12:00:00.123Z");
    CHECK(parse_iso8601_ms(s) == ms);
    CHECK(parse_iso8601_ms("2025-11-25T13:00:00+01:00") == ms - 123);
    CHECK(parse_iso8601_ms("2025-11-25 12:00:00") == ms - 123);
    CHECK(parse_iso8601_ms("2025-11-25") == ms - 123 - 12 * 3600 * 1000LL);
    CHECK_FALSE(parse_iso8601_ms("2025-13-25T12:00:00Z"));
    CHECK_FALSE(parse_iso8601_ms("yesterday"));
    CHECK_FALSE(parse_iso8601_ms("2025-11-25T12:00:00Zjunk"));
    CHECK(iso8601_utc_ms(-1) == "1969-12-31T23:59:59.999Z");
}
