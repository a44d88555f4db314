// The one table of screens (core side). One row per Screen: its name (navigation intents, scenarios), its place on
// the navigation rail, and the factory of its controller. The UI keeps the matching table of draw functions keyed
// by the same id (station/ui/screens/registry.cpp); a test checks both cover every Screen exactly once.
//
// Immutable, built once; safe to read from any thread.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "station/core/screens/screen.hpp"

namespace batchivo::station {

struct ScreenInfo {
    Screen id;
    std::string_view name;        // "weigh": Navigate intents, `screen <name>` in scenarios
    std::string_view rail_label;  // label on the navigation rail; empty = not on the rail
    Screen rail_item;             // the rail item lit while this screen is open
    std::unique_ptr<ScreenController> (*make)(ScreenHost& host);
};

// Every screen, in navigation-rail order. The first row is home.
std::span<const ScreenInfo> screen_registry();
const ScreenInfo* screen_info(Screen s);  // nullptr only for a value outside the enum

}  // namespace batchivo::station
