// The UI side of the screen registry: one draw function per Screen, keyed by the same id as the core table
// (station/core/screens/registry.cpp). A draw function reads the snapshot, draws the content area
// (l.content_pos / l.content_size) and returns the operator's intents. UI thread only; no I/O.
#pragma once

#include <span>

#include "station/core/snapshot.hpp"
#include "station/ui/layout.hpp"

namespace batchivo::station::ui {

using DrawScreen = Intents (*)(const StationSnapshot& s, const Layout& l, const Textures& tex);

// One per file in station/ui/screens/.
Intents draw_weigh(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_usage(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_stock(const StationSnapshot& s, const Layout& l, const Textures& tex);
// The Stock screen's Products view below its search row (stock_products.cpp): product list or the opened product.
void draw_stock_products(const StockView& v, const Layout& l, ImVec2 origin, ImVec2 size, Intents& out);
Intents draw_detail(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_reorder(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_sync(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_setup(const StationSnapshot& s, const Layout& l, const Textures& tex);
Intents draw_intake(const StationSnapshot& s, const Layout& l, const Textures& tex);

struct ScreenDraw {
    Screen id;
    DrawScreen draw;
};
std::span<const ScreenDraw> screen_draws();
DrawScreen draw_for(Screen s);  // nullptr when a Screen has no row (a test checks that none is missing)

}  // namespace batchivo::station::ui
