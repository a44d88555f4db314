// Log usage: the spool card, a numeric keypad and "Save usage".
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"
#include "station/ui/keyboards.hpp"

namespace batchivo::station::ui {

Intents draw_usage(const StationSnapshot& s, const Layout& l, const Textures&) {
    Intents out;
    const UsageView& u = s.usage;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    const float left_w = sz.x * 0.47f;
    if (begin_region("##usage_left", o, ImVec2(left_w, sz.y))) {
        text("Log usage", color::text, l.fonts.big);
        if (u.card) {
            spool_card(*u.card, ImVec2(left_w, std::min(236 * l.k, sz.y * 0.62f)), l);
            if (u.resulting_weight_g) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "After this: %d g left", *u.resulting_weight_g);
                text(buf, color::text, l.fonts.big);
            }
        } else {
            text("Scan the spool you used, then type the grams.", color::dim, nullptr, true);
        }
        if (!u.message.empty()) text(u.message, u.message_is_error ? color::amber : color::green, nullptr, true);
        ImGui::EndChild();
    }
    const float rx = o.x + left_w + l.pad, rw = sz.x - left_w - l.pad;
    panel_bg(ImVec2(rx, o.y), ImVec2(rw, sz.y));
    // display
    const float disp_h = 56 * l.k;
    ImGui::SetCursorScreenPos(ImVec2(rx + l.pad, o.y + l.pad));
    ImVec2 dp = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(dp, ImVec2(dp.x + rw - 2 * l.pad, dp.y + disp_h), u32(color::bg), 8);
    std::string d = (u.entry.empty() ? std::string("0") : u.entry) + " g used";
    ImGui::PushFont(l.fonts.big);
    float tw = ImGui::CalcTextSize(d.c_str()).x;
    ImGui::SetCursorScreenPos(ImVec2(dp.x + rw - 3 * l.pad - tw, dp.y + (disp_h - l.fonts.big->FontSize) / 2));
    text(d, u.entry.empty() ? color::dim : color::text);
    ImGui::PopFont();
    const float submit_h = 64 * l.k;
    const float kp_y = o.y + l.pad + disp_h + l.pad;
    keypad(ImVec2(rx + l.pad, kp_y), ImVec2(rw - 2 * l.pad, sz.y - disp_h - submit_h - 4 * l.pad), l, out,
           IntentKind::KeypadKey, IntentKind::KeypadBackspace);
    ImGui::SetCursorScreenPos(ImVec2(rx + l.pad, o.y + sz.y - l.pad - submit_h));
    if (button(u.saving ? "Saving\u2026##submit" : "Save usage##submit", ImVec2(rw - 2 * l.pad, submit_h), color::green, u.can_submit, l.fonts.big))
        push(out, IntentKind::KeypadSubmit);
    return out;
}

}  // namespace batchivo::station::ui
