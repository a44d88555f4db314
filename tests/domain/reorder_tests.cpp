#include <catch2/catch.hpp>

#include "sync/domain/reorder.hpp"

using namespace batchivo;

TEST_CASE("average daily usage counts usage in the window only", "[domain][reorder]") {
    const int64_t now = 1'800'000'000;
    const int64_t day = 86400;
    std::vector<UsageEvent> h = {
        {now - 1 * day, TransactionType::Usage, -300},
        {now - 10 * day, TransactionType::Usage, -600},
        {now - 29 * day, TransactionType::Usage, -0},
        {now - 31 * day, TransactionType::Usage, -5000},       // outside the window
        {now - 2 * day, TransactionType::Adjustment, 400},     // not consumption
        {now - 2 * day, TransactionType::Purchase, 1000},
        {now + day, TransactionType::Usage, -999},             // in the future (clock skew): ignored
    };
    CHECK(average_daily_usage_g(h, now, 30) == 30);  // 900 g / 30 days
    CHECK(average_daily_usage_g(h, now, 0) == 0);
    CHECK(average_daily_usage_g({}, now, 30) == 0);
}

TEST_CASE("reorder point = avg daily x (lead time + safety days)", "[domain][reorder]") {
    CHECK(reorder_point_g(30, 14, 7) == 630);
    CHECK(reorder_point_g(0, 14, 7) == 0);
    CHECK(reorder_point_g(-5, 14, 7) == 0);
    CHECK(reorder_point_g(10, -1, 7) == 70);
}

TEST_CASE("stock aggregates per material/color/brand against reorder settings", "[domain][reorder]") {
    auto spool = [](std::string mat, std::string color, std::string brand, int w, bool active = true) {
        Spool s;
        s.tenant_id = "t";
        s.material_type_id = mat;
        s.color = color;
        s.brand = brand;
        s.initial_weight_g = 1000;
        s.current_weight_g = w;
        s.is_active = active;
        return s;
    };
    std::vector<Spool> spools = {spool("pla", "Red", "Acme", 400), spool("pla", "red", "ACME", 100),
                                 spool("pla", "Blue", "Acme", 900), spool("pla", "Red", "Acme", 900, false),
                                 spool("petg", "Red", "Acme", 50)};
    ReorderSetting red_pla;
    red_pla.tenant_id = "t";
    red_pla.material_type_id = "pla";
    red_pla.color = "Red";
    red_pla.brand = "Acme";
    red_pla.avg_daily_usage_grams = 30;
    red_pla.lead_time_days = 7;
    red_pla.safety_stock_days = 7;  // point 420; stock 500
    ReorderSetting any_pla = red_pla;
    any_pla.color = "";
    any_pla.brand = "";
    any_pla.reorder_point_grams = 2000;  // stored point wins; stock 1400

    auto lines = reorder_report({red_pla, any_pla}, spools);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].needs_reorder);  // sorted: needs first
    CHECK(lines[0].stock_g == 1400);
    CHECK(lines[0].spool_count == 3);
    CHECK(lines[0].reorder_point_g == 2000);
    CHECK_FALSE(lines[1].needs_reorder);
    CHECK(lines[1].stock_g == 500);
    CHECK(lines[1].reorder_point_g == 420);
}
