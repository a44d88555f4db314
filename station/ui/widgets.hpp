// Small drawing helpers for the screens: colours, big buttons, chips, swatches and bars (ImDrawList), and
// formatting, and the few helpers every screen file shares. Pure drawing: no state beyond ImGui's (and the
// pending scroll requests, UI thread only).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>

#include "station/core/snapshot.hpp"
#include "station/ui/layout.hpp"

namespace batchivo::station::ui {

namespace color {
inline const ImVec4 bg{0.082f, 0.094f, 0.11f, 1};
inline const ImVec4 panel{0.14f, 0.16f, 0.19f, 1};
inline const ImVec4 panel2{0.19f, 0.21f, 0.25f, 1};
inline const ImVec4 text{0.95f, 0.96f, 0.97f, 1};
inline const ImVec4 dim{0.66f, 0.70f, 0.75f, 1};
inline const ImVec4 accent{0.16f, 0.47f, 0.85f, 1};
inline const ImVec4 green{0.16f, 0.62f, 0.33f, 1};
inline const ImVec4 amber{0.93f, 0.62f, 0.10f, 1};
inline const ImVec4 red{0.84f, 0.22f, 0.20f, 1};
inline const ImVec4 grey{0.36f, 0.39f, 0.44f, 1};
}  // namespace color

ImU32 u32(const ImVec4& c, float alpha = 1.0f);
ImU32 parse_hex(const std::string& hex, ImU32 fallback);
ImVec4 status_color(StockStatus s);
const char* status_label(StockStatus s);

// A full-size touch button; disabled buttons are drawn dimmed and return false.
bool button(const char* label, ImVec2 size, ImVec4 bg = color::panel2, bool enabled = true, ImFont* font = nullptr);
// A selectable chip (filters, tabs): filled when selected.
bool chip(const char* label, bool selected, ImVec2 size);
// Colour swatch (filled circle with an outline so white/black spools are visible).
void swatch(ImDrawList* dl, ImVec2 center, float radius, const std::string& hex);
// Remaining-weight bar at the cursor, advances the cursor.
void remaining_bar(ImVec2 size, double percent, StockStatus status);
// A rounded panel background for the rectangle [p, p+size].
void panel_bg(ImVec2 p, ImVec2 size, ImVec4 c = color::panel);
// Text in a colour, optionally a font, wrapped at the region's width.
void text(const std::string& s, ImVec4 c = color::text, ImFont* font = nullptr, bool wrap = false);
void text_centered(const std::string& s, float width, ImVec4 c = color::text, ImFont* font = nullptr);

std::string fmt_g(double grams, int decimals = 0);
std::string fmt_ago(int64_t epoch_ms, int64_t now_epoch_ms);
std::string fmt_clock(int64_t epoch_ms);

// A spool card (swatch, id, brand/material/colour, remaining bar, status, location) in a box of `size`.
void spool_card(const SpoolCard& c, ImVec2 size, const Layout& l);

// Appends an intent (what a tapped control asks for).
void push(Intents& out, IntentKind k, std::string text = {}, double value = 0, int index = 0);

// Child windows of the content area: no scrollbar, no wheel scrolling (touch pages with buttons).
inline constexpr ImGuiWindowFlags kChild = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
// A region of the content area as a child window; returns whether it is open (call EndChild either way).
bool begin_region(const char* id, ImVec2 pos, ImVec2 size, bool bg = false);
// Paging buttons sit outside a list's child window: they leave a scroll request (keyed by the child's name)
// that the child applies the next frame. UI thread only.
void request_scroll(const char* child, float y);
void apply_scroll_request(const char* child);

}  // namespace batchivo::station::ui
