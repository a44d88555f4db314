#include "station/ui/keyboards.hpp"

#include <cctype>

#include "station/ui/widgets.hpp"

namespace batchivo::station::ui {

// On-screen QWERTY keyboard in the rectangle; emits key intents of the given kinds. Lower case by default; the mode
// key cycles abc -> ABC -> symbols (#+=: "@" for an email, punctuation for a password) -> abc (device paths are
// case-sensitive; search is not). The mode is UI-only state.
void keyboard(ImVec2 pos, ImVec2 size, const Layout& l, Intents& out, IntentKind key, IntentKind backspace,
              IntentKind done, bool numeric_row) {
    static const char* rows[] = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm./:"};
    static const char* symbol_rows[] = {"1234567890", "!@#$%^&*()", "+=[]{};'\"-", "<>,?|\\~`./"};
    ImGuiStorage* st = ImGui::GetStateStorage();
    const ImGuiID mode_id = ImGui::GetID("kbd_mode");
    const int mode = st->GetInt(mode_id, 0);  // 0 abc, 1 ABC, 2 symbols
    const bool caps = mode == 1;
    const char* const* layer = mode == 2 ? symbol_rows : rows;
    ImGui::SetCursorScreenPos(pos);
    panel_bg(pos, size, color::panel);
    const int nrows = numeric_row ? 5 : 4;
    const float gap = 4 * l.k;
    const float kh = (size.y - gap * (nrows + 1)) / nrows;
    const float kw = (size.x - gap * 11) / 10;
    float y = pos.y + gap;
    ImGui::PushID("kbd");
    for (int r = numeric_row ? 0 : 1; r < 4; ++r) {
        float x = pos.x + gap;
        for (const char* c = layer[r]; *c; ++c) {
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            char ch = caps ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
            char label[2] = {ch, 0};
            ImGui::PushID(r * 16 + int(c - layer[r]));
            if (button(label, ImVec2(kw, kh), color::panel2)) push(out, key, std::string(1, ch));
            ImGui::PopID();
            x += kw + gap;
        }
        y += kh + gap;
    }
    float x = pos.x + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (button("\u232b", ImVec2(kw * 2 + gap, kh), color::panel2)) push(out, backspace);
    ImGui::SetCursorScreenPos(ImVec2(x + 2 * (kw + gap), y));
    static const char* mode_labels[] = {"ABC", "#+=", "abc"};  // what the key switches to
    if (button(mode_labels[mode % 3], ImVec2(kw, kh), mode ? color::accent : color::panel2))
        st->SetInt(mode_id, (mode + 1) % 3);
    ImGui::SetCursorScreenPos(ImVec2(x + 3 * (kw + gap), y));
    if (button("_", ImVec2(kw, kh), color::panel2)) push(out, key, "_");
    ImGui::SetCursorScreenPos(ImVec2(x + 4 * (kw + gap), y));
    if (button("Space", ImVec2(kw * 3 + gap * 2, kh), color::panel2)) push(out, key, " ");
    ImGui::SetCursorScreenPos(ImVec2(x + 7 * (kw + gap), y));
    if (button("Done", ImVec2(kw * 3 + gap * 2, kh), color::accent)) push(out, done);
    ImGui::PopID();
}

// Numeric keypad 3x4 (7 8 9 / 4 5 6 / 1 2 3 / . 0 del) in the rectangle.
void keypad(ImVec2 pos, ImVec2 size, const Layout& l, Intents& out, IntentKind key, IntentKind backspace) {
    static const char* keys[] = {"7", "8", "9", "4", "5", "6", "1", "2", "3", ".", "0", "\u232b"};
    const float gap = 6 * l.k;
    const float kw = (size.x - gap * 2) / 3, kh = (size.y - gap * 3) / 4;
    ImGui::PushID("keypad");
    for (int i = 0; i < 12; ++i) {
        ImGui::SetCursorScreenPos(ImVec2(pos.x + (i % 3) * (kw + gap), pos.y + (i / 3) * (kh + gap)));
        ImGui::PushID(i);
        if (button(keys[i], ImVec2(kw, kh), color::panel2, true, l.fonts.big)) {
            if (i == 11) push(out, backspace);
            else push(out, key, keys[i]);
        }
        ImGui::PopID();
    }
    ImGui::PopID();
}

}  // namespace batchivo::station::ui
