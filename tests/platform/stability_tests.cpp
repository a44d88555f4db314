#include <catch2/catch.hpp>

#include "platform/scale/stability.hpp"

using namespace batchivo::platform;
using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

namespace {
ScaleReading rd(clk::time_point t, std::optional<double> g, ScaleStatus st = ScaleStatus::Stable) {
    ScaleReading r;
    r.at = t;
    r.grams = g;
    r.status = st;
    return r;
}
}  // namespace

TEST_CASE("stable after the window when the spread stays under the limit, one event") {
    StabilityTracker t({2.0, 1000ms, 1500ms});
    const auto t0 = clk::time_point{} + 1h;
    int events = 0;
    StabilityResult last;
    for (int i = 0; i <= 10; ++i) {  // 0..1000 ms, every 100 ms, +-0.4 g
        last = t.update(rd(t0 + i * 100ms, 250.0 + ((i % 2) ? 0.4 : -0.4)));
        if (i < 10) CHECK_FALSE(last.stable);
        events += last.event;
    }
    CHECK(last.stable);
    CHECK(last.event);
    REQUIRE(last.stable_grams);
    CHECK(*last.stable_grams == Approx(250.0).margin(0.4));
    for (int i = 11; i < 30; ++i) {
        last = t.update(rd(t0 + i * 100ms, 250.1));
        CHECK(last.stable);
        events += last.event;
    }
    CHECK(events == 1);
}

TEST_CASE("spread over the limit keeps it unstable, it settles once the window is quiet") {
    StabilityTracker t({2.0, 1000ms, 1500ms});
    const auto t0 = clk::time_point{} + 1h;
    for (int i = 0; i <= 20; ++i) CHECK_FALSE(t.update(rd(t0 + i * 100ms, 250.0 + (i % 2) * 2.5)).stable);
    // the last wobble was at 2000 ms (odd i = 19 -> 1900 ms); quiet readings afterwards
    StabilityResult r;
    int first_stable = -1;
    for (int i = 21; i <= 40; ++i) {
        r = t.update(rd(t0 + i * 100ms, 250.0));
        if (r.stable && first_stable < 0) first_stable = i;
    }
    CHECK(first_stable == 30);  // the 2.5 g reading at 1900 ms left the window after 2900 ms
    CHECK(r.stable);
}

TEST_CASE("only stable/at-zero readings count: motion, under zero, overload, fault reset the window") {
    const auto t0 = clk::time_point{} + 1h;
    for (auto bad : {ScaleStatus::InMotion, ScaleStatus::UnderZero, ScaleStatus::Overload, ScaleStatus::Fault,
                     ScaleStatus::Disconnected}) {
        StabilityTracker t({2.0, 1000ms, 1500ms});
        for (int i = 0; i <= 10; ++i) t.update(rd(t0 + i * 100ms, 100.0));
        REQUIRE(t.stable());
        auto r = t.update(rd(t0 + 1100ms, 100.0, bad));
        CHECK_FALSE(r.stable);
        CHECK_FALSE(r.stable_grams);
        // needs a full window again
        for (int i = 12; i < 22; ++i) CHECK_FALSE(t.update(rd(t0 + i * 100ms, 100.0)).stable);
        auto again = t.update(rd(t0 + 2200ms, 100.0));
        CHECK(again.stable);
        CHECK(again.event);
    }
    StabilityTracker t({2.0, 1000ms, 1500ms});
    for (int i = 0; i <= 20; ++i) CHECK_FALSE(t.update(rd(t0 + i * 100ms, std::nullopt)).stable);  // no value
    for (int i = 0; i <= 20; ++i) CHECK_FALSE(t.update(rd(t0 + 3s + i * 100ms, -1.0, ScaleStatus::UnderZero)).stable);
    StabilityTracker z({2.0, 1000ms, 1500ms});
    StabilityResult r;
    for (int i = 0; i <= 10; ++i) r = z.update(rd(t0 + i * 100ms, 0.0, ScaleStatus::AtZero));
    CHECK(r.stable);  // an empty pan is a stable weight too (zero)
}

TEST_CASE("a gap in the readings starts the window over") {
    StabilityTracker t({2.0, 1000ms, 500ms});
    const auto t0 = clk::time_point{} + 1h;
    t.update(rd(t0, 50.0));
    auto r = t.update(rd(t0 + 1200ms, 50.0));  // 1.2 s gap > max_gap: not "stable over 1 s" from two readings
    CHECK_FALSE(r.stable);
    for (int i = 1; i <= 10; ++i) r = t.update(rd(t0 + 1200ms + i * 100ms, 50.0));
    CHECK(r.stable);
}

TEST_CASE("auto-zero corrects small drift of an empty pan after the hold time, not a load") {
    AutoZeroOptions o;
    o.enabled = true;
    o.limit_g = 5.0;
    o.hold = 10s;
    o.spread_g = 1.0;
    AutoZero az(o);
    const auto t0 = clk::time_point{} + 1h;
    bool changed = false;
    for (int i = 0; i <= 100; ++i) changed |= az.update(rd(t0 + i * 100ms, 1.8));  // 10 s of +1.8 g drift
    CHECK(changed);
    CHECK(az.offset() == Approx(1.8));
    auto c = az.apply(rd(t0 + 10s, 1.9));
    CHECK(*c.grams == Approx(0.1));
    CHECK(c.status == ScaleStatus::AtZero);
    c = az.apply(rd(t0 + 10s, 2.1, ScaleStatus::Stable));
    CHECK(c.status == ScaleStatus::AtZero);
    c = az.apply(rd(t0 + 10s, 0.5, ScaleStatus::Stable));
    CHECK(c.status == ScaleStatus::UnderZero);  // 0.5 - 1.8
    c = az.apply(rd(t0 + 10s, -0.1, ScaleStatus::UnderZero));  // device says under zero; corrected it is -1.9
    CHECK(c.status == ScaleStatus::UnderZero);
    c = az.apply(rd(t0 + 10s, 250.0, ScaleStatus::InMotion));
    CHECK(c.status == ScaleStatus::InMotion);  // motion is the device's word
    CHECK(*c.grams == Approx(248.2));

    AutoZero load(o);  // 200 g on the pan: never zeroed
    for (int i = 0; i <= 300; ++i) CHECK_FALSE(load.update(rd(t0 + i * 100ms, 200.0)));
    CHECK(load.offset() == 0.0);

    AutoZero negative(o);  // negative drift (device reports under zero) is corrected too
    for (int i = 0; i <= 100; ++i) negative.update(rd(t0 + i * 100ms, -2.0, ScaleStatus::UnderZero));
    CHECK(negative.offset() == Approx(-2.0));

    AutoZero moving(o);  // wobbling more than the spread never settles
    for (int i = 0; i <= 300; ++i) CHECK_FALSE(moving.update(rd(t0 + i * 100ms, (i % 2) ? 2.0 : 0.5)));

    AutoZero off;  // disabled by default
    for (int i = 0; i <= 300; ++i) CHECK_FALSE(off.update(rd(t0 + i * 100ms, 1.0)));
}
