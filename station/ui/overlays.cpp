// Overlays drawn over every screen: the demo panel and the toasts.
#include "station/ui/screens.hpp"

#include <algorithm>
#include <cstdio>

#include "station/ui/widgets.hpp"

namespace batchivo::station::ui {

float demo_panel_height(const Layout& l) { return 2 * l.touch + 3 * l.pad; }

Intents draw_demo_panel(const StationSnapshot& s, const Layout& l) {
    Intents out;
    if (!s.demo.enabled || !s.demo.panel_open) return out;
    const float ph = demo_panel_height(l);
    const ImVec2 p(l.content_pos.x, l.h - ph);
    ImGui::SetNextWindowPos(p);
    ImGui::SetNextWindowSize(ImVec2(l.content_size.x, ph));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.10f, 0.20f, 0.34f, 0.97f));
    ImGui::Begin("##demo", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    const float w = l.content_size.x - 2 * l.pad;
    ImGui::SetCursorPos(ImVec2(l.pad, l.pad));
    const float sb = l.touch;
    if (button("\u25c0##dprev", ImVec2(sb, l.touch))) push(out, IntentKind::DemoSelect, {}, 0, -1);
    ImGui::SameLine(0, 4 * l.k);
    std::string name = "(no spools)";
    if (!s.demo.spools.empty()) {
        const auto& c = s.demo.spools[size_t(s.demo.selected)];
        name = c.spool.spool_id + " " + c.spool.material_name;
    }
    ImVec2 np = ImGui::GetCursorScreenPos();
    const float nw = w * 0.30f;
    ImGui::GetWindowDrawList()->AddRectFilled(np, ImVec2(np.x + nw, np.y + l.touch), u32(color::bg), 8);
    if (!s.demo.spools.empty())
        swatch(ImGui::GetWindowDrawList(), ImVec2(np.x + 20 * l.k, np.y + l.touch / 2), 12 * l.k,
               s.demo.spools[size_t(s.demo.selected)].spool.color_hex);
    ImGui::GetWindowDrawList()->AddText(ImVec2(np.x + 40 * l.k, np.y + (l.touch - l.fonts.body->FontSize) / 2),
                                        u32(color::text), name.c_str());
    ImGui::Dummy(ImVec2(nw, l.touch));
    ImGui::SameLine(0, 4 * l.k);
    if (button("\u25b6##dnext", ImVec2(sb, l.touch))) push(out, IntentKind::DemoSelect, {}, 0, 1);
    ImGui::SameLine(0, l.pad);
    const float gw = (w - nw - 2 * sb - l.pad * 2 - 12 * l.k) / 5;
    if (button("\u2212100", ImVec2(gw, l.touch))) push(out, IntentKind::DemoAdjustGrams, {}, -100);
    ImGui::SameLine(0, 4 * l.k);
    if (button("\u221210", ImVec2(gw, l.touch))) push(out, IntentKind::DemoAdjustGrams, {}, -10);
    ImGui::SameLine(0, 4 * l.k);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.0f g", s.demo.grams);
    ImVec2 gp = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(gp, ImVec2(gp.x + gw, gp.y + l.touch), u32(color::bg), 8);
    ImGui::GetWindowDrawList()->AddText(ImVec2(gp.x + 8 * l.k, gp.y + (l.touch - l.fonts.body->FontSize) / 2),
                                        u32(color::text), buf);
    ImGui::Dummy(ImVec2(gw, l.touch));
    ImGui::SameLine(0, 4 * l.k);
    if (button("+10", ImVec2(gw, l.touch))) push(out, IntentKind::DemoAdjustGrams, {}, 10);
    ImGui::SameLine(0, 4 * l.k);
    if (button("+100", ImVec2(gw, l.touch))) push(out, IntentKind::DemoAdjustGrams, {}, 100);
    ImGui::SetCursorPos(ImVec2(l.pad, 2 * l.pad + l.touch));
    const float bw = (w - 4 * 6 * l.k) / 5;
    if (button("Show label", ImVec2(bw, l.touch), color::accent)) push(out, IntentKind::DemoShowLabel);
    ImGui::SameLine(0, 6 * l.k);
    if (button("Place", ImVec2(bw, l.touch), color::green)) push(out, IntentKind::DemoPlace);
    ImGui::SameLine(0, 6 * l.k);
    if (button("Remove", ImVec2(bw, l.touch))) push(out, IntentKind::DemoRemove);
    ImGui::SameLine(0, 6 * l.k);
    if (button("Spoolman lbl", ImVec2(bw, l.touch))) push(out, IntentKind::DemoShowLabel, "web+spoolman:s-42");
    ImGui::SameLine(0, 6 * l.k);
    const bool unplugged = !s.scale.connected;
    if (button(unplugged ? "Plug scale" : "Unplug scale", ImVec2(bw, l.touch), unplugged ? color::green : color::red))
        push(out, IntentKind::DemoScaleConnected, {}, unplugged ? 1 : 0);
    ImGui::End();
    ImGui::PopStyleColor();
    return out;
}

Intents draw_toasts(const StationSnapshot& s, const Layout& l) {
    Intents out;
    if (s.toasts.empty()) return out;
    float y = l.top_h + l.pad;
    for (size_t i = 0; i < s.toasts.size(); ++i) {
        const auto& t = s.toasts[i];
        ImGui::PushFont(l.fonts.body);
        ImVec2 ts = ImGui::CalcTextSize(t.text.c_str(), nullptr, false, l.w * 0.6f);
        ImGui::PopFont();
        const ImVec2 sz(ts.x + 3 * l.pad, std::max(l.touch, ts.y + 2 * l.pad));
        ImGui::SetNextWindowPos(ImVec2(l.w - sz.x - l.pad, y));
        ImGui::SetNextWindowSize(sz);
        ImGui::PushStyleColor(ImGuiCol_WindowBg, t.error ? ImVec4(0.45f, 0.12f, 0.11f, 0.96f) : ImVec4(0.10f, 0.36f, 0.20f, 0.96f));
        char id[32];
        std::snprintf(id, sizeof id, "##toast%zu", i);
        ImGui::Begin(id, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
        ImGui::SetCursorPos(ImVec2(0, 0));
        if (ImGui::InvisibleButton("dismiss", sz)) push(out, IntentKind::DismissToast);
        ImGui::SetCursorPos(ImVec2(1.5f * l.pad, (sz.y - ts.y) / 2));
        ImGui::PushTextWrapPos(1.5f * l.pad + l.w * 0.6f);
        text(t.text, color::text);
        ImGui::PopTextWrapPos();
        ImGui::End();
        ImGui::PopStyleColor();
        y += sz.y + 6 * l.k;
    }
    return out;
}

}  // namespace batchivo::station::ui
