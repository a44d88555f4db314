// The screen registry: every Screen has exactly one core row (name, controller) and one UI draw function, and
// its name round-trips. Links the UI library but draws nothing (no display needed).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "station/core/screens/registry.hpp"
#include "station/ui/screens/draw.hpp"

using namespace batchivo;
using namespace batchivo::station;

TEST_CASE("screen registry: every screen has one controller, one draw function, and round-trips by name") {
    std::set<int> core_ids, ui_ids;
    std::set<std::string> names;
    for (const auto& row : screen_registry()) {
        CHECK(core_ids.insert(static_cast<int>(row.id)).second);  // exactly one row
        CHECK(names.insert(std::string(row.name)).second);
        CHECK(row.make != nullptr);
        CHECK(screen_from_string(row.name) == row.id);
        CHECK(to_string(row.id) == row.name);
        REQUIRE(screen_info(row.rail_item));
        CHECK_FALSE(screen_info(row.rail_item)->rail_label.empty());  // a lit rail item is on the rail
    }
    for (const auto& d : ui::screen_draws()) {
        CHECK(ui_ids.insert(static_cast<int>(d.id)).second);
        CHECK(d.draw != nullptr);
    }
    // Screen values are contiguous from 0: the rows must cover 0..max with no gap (a Screen without a row shows as
    // a gap, or as a UI row without a core row), at least up to the last enumerator known here.
    const int kScreens = static_cast<int>(core_ids.size());
    REQUIRE(kScreens > static_cast<int>(Screen::Setup));
    CHECK(*core_ids.rbegin() == kScreens - 1);
    CHECK(core_ids == ui_ids);
    for (int i = 0; i < kScreens; ++i) {
        const Screen s = static_cast<Screen>(i);
        REQUIRE(screen_info(s));
        CHECK(ui::draw_for(s) != nullptr);
        CHECK(screen_from_string(to_string(s)) == s);
    }
    CHECK(screen_registry().front().id == Screen::Weigh);  // home
    CHECK(screen_from_string("home") == Screen::Weigh);
    CHECK_FALSE(screen_from_string("nowhere"));
}
