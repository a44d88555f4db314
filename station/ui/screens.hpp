// The kiosk's frame: thin functions of an immutable StationSnapshot that draw with Dear ImGui and return the
// operator's intents. No I/O, SQL, locks or station state in here. Every hit target is a full button (no
// hover-only affordances). The screens themselves are in station/ui/screens/ (one file each, found through the
// UI screen table in screens/draw.hpp); this is the chrome around them and the overlays over them.
#pragma once

#include "station/core/snapshot.hpp"
#include "station/ui/layout.hpp"

namespace batchivo::station::ui {

Intents draw_chrome(const StationSnapshot& s, const Layout& l);  // top bar + navigation rail (chrome.cpp)
Intents draw_demo_panel(const StationSnapshot& s, const Layout& l);  // overlays.cpp
Intents draw_toasts(const StationSnapshot& s, const Layout& l);      // overlays.cpp
float demo_panel_height(const Layout& l);
// Everything for one frame (chrome + current screen + overlays).
Intents draw_station(const StationSnapshot& s, const Layout& l, const Textures& tex);

void apply_theme(const Layout& l);

}  // namespace batchivo::station::ui
