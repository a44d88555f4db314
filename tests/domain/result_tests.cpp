#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "sync/domain/result.hpp"

using batchivo::Error;
using batchivo::Result;

namespace {
Result<int> parse_digit(char c) {
    if (c < '0' || c > '9') return Error{"invalid_input", std::string("not a digit: ") + c};
    return c - '0';
}
Result<> check(bool ok) {
    if (!ok) return Error{"refused", "no"};
    return {};
}
}  // namespace

TEST_CASE("Result carries a value or an error with code and message", "[result]") {
    auto a = parse_digit('7');
    REQUIRE(a.ok());
    REQUIRE(static_cast<bool>(a));
    CHECK(*a == 7);
    CHECK(a.value_or(-1) == 7);

    auto b = parse_digit('x');
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().code == "invalid_input");
    CHECK(b.error().message == "not a digit: x");
    CHECK(b.value_or(-1) == -1);
}

TEST_CASE("Result<void> is success by default and an error when given one", "[result]") {
    CHECK(check(true).ok());
    auto r = check(false);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == Error{"refused", "no"});
}

TEST_CASE("Result holds move-only values and converts from compatible types", "[result]") {
    Result<std::unique_ptr<int>> p = std::make_unique<int>(4);
    REQUIRE(p.ok());
    std::unique_ptr<int> owned = std::move(p).value();
    CHECK(*owned == 4);

    Result<std::string> s = "text";  // const char* -> std::string
    REQUIRE(s.ok());
    CHECK(s->size() == 4);
}
