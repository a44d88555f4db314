// The kiosk's screens: thin functions of an immutable StationSnapshot that draw with Dear ImGui and return the
// operator's intents. No I/O, SQL, locks or station state in here. Every hit target is a full button (no
// hover-only affordances).
#pragma once

#include "station/core/snapshot.hpp"
#include "station/ui/layout.hpp"

namespace batchivo::station::ui {

// Owned by the UI thread: the preview texture for the camera image (uploaded when preview_seq changes).
struct Textures {
    unsigned int preview = 0;
    int preview_w = 0, preview_h = 0;
    uint64_t preview_seq = 0;
};

Intents draw_chrome(const StationSnapshot& s, const Layout& l);  // top bar + navigation rail
Intents draw_weigh(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_usage(const StationSnapshot& s, const Layout& l);
Intents draw_stock(const StationSnapshot& s, const Layout& l);
Intents draw_detail(const StationSnapshot& s, const Layout& l);
Intents draw_reorder(const StationSnapshot& s, const Layout& l);
Intents draw_sync(const StationSnapshot& s, const Layout& l);
Intents draw_setup(const StationSnapshot& s, const Layout& l);
Intents draw_demo_panel(const StationSnapshot& s, const Layout& l);
Intents draw_toasts(const StationSnapshot& s, const Layout& l);
// Everything for one frame (chrome + current screen + overlays).
Intents draw_station(const StationSnapshot& s, const Layout& l, const Textures& tex);

void apply_theme(const Layout& l);

}  // namespace batchivo::station::ui
