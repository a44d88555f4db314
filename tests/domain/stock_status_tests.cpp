#include <catch2/catch.hpp>

#include "sync/domain/stock.hpp"

using namespace batchivo;

TEST_CASE("stock status follows the seed view's thresholds", "[domain][stock]") {
    CHECK(stock_info(1000, 0).status == StockStatus::Depleted);
    CHECK(stock_info(1000, 1).status == StockStatus::Critical);
    CHECK(stock_info(1000, 100).status == StockStatus::Critical);  // exactly 10 % -> critical (<=)
    CHECK(stock_info(1000, 101).status == StockStatus::Low);
    CHECK(stock_info(1000, 250).status == StockStatus::Low);  // exactly 25 % -> low (<=)
    CHECK(stock_info(1000, 251).status == StockStatus::Ok);
    CHECK(stock_info(1000, 1000).status == StockStatus::Ok);
    // thresholds that are not representable in binary floating point stay exact
    CHECK(stock_info(30, 3).status == StockStatus::Critical);
    CHECK(stock_info(12, 3).status == StockStatus::Low);
}

TEST_CASE("remaining percent rounds to 2 decimals half away from zero like ROUND(numeric, 2)", "[domain][stock]") {
    CHECK(stock_info(1000, 333).remaining_percent == Approx(33.30));
    CHECK(stock_info(3, 1).remaining_percent == Approx(33.33));
    CHECK(stock_info(3, 2).remaining_percent == Approx(66.67));
    CHECK(stock_info(8, 1).remaining_percent == Approx(12.50));
    CHECK(stock_info(80000, 1).remaining_percent == Approx(0.00));  // 0.00125 -> 0.00
    CHECK(stock_info(40000, 1).remaining_percent == Approx(0.0));   // 0.0025 -> 0.00 (half = 0.005)
    CHECK(stock_info(20000, 1).remaining_percent == Approx(0.01));  // 0.005 -> 0.01 (half away from zero)
    CHECK(stock_info(1000, 750).used_weight_g == 250);
}

TEST_CASE("stock status names round-trip", "[domain][stock]") {
    for (auto s : {StockStatus::Ok, StockStatus::Low, StockStatus::Critical, StockStatus::Depleted}) {
        StockStatus back{};
        REQUIRE(stock_status_from_string(to_string(s), back));
        CHECK(back == s);
    }
    StockStatus x{};
    CHECK_FALSE(stock_status_from_string("OK ", x));
}
