// On-screen keyboards for gloved fingers: a QWERTY keyboard (with digits and ": / . -" for addresses) and a
// numeric keypad. They draw in a given rectangle and emit key intents of the kinds the caller names, so one
// keyboard serves the stock search, the setup fields and the usage entry. UI thread only.
#pragma once

#include "station/core/snapshot.hpp"
#include "station/ui/layout.hpp"

namespace batchivo::station::ui {

// Lower case by default with an ABC/abc toggle (device paths are case-sensitive; search is not). The toggle is
// UI-only state (ImGui storage).
void keyboard(ImVec2 pos, ImVec2 size, const Layout& l, Intents& out, IntentKind key, IntentKind backspace,
              IntentKind done, bool numeric_row = true);
// Numeric keypad 3x4 (7 8 9 / 4 5 6 / 1 2 3 / . 0 del).
void keypad(ImVec2 pos, ImVec2 size, const Layout& l, Intents& out, IntentKind key, IntentKind backspace);

}  // namespace batchivo::station::ui
