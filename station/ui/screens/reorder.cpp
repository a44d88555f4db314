// Reorder: stock per material / colour / brand against the reorder settings.
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station::ui {

Intents draw_reorder(const StationSnapshot& s, const Layout& l, const Textures&) {
    Intents out;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    ImGui::SetCursorScreenPos(o);
    text("Reorder: stock per material / colour / brand", color::text, l.fonts.big);
    const float y0 = ImGui::GetCursorScreenPos().y + 4 * l.k;
    const float row_h = 50 * l.k;
    const float cols[] = {0.0f, 0.40f, 0.56f, 0.68f, 0.84f};
    const char* heads[] = {"Filament", "Stock", "Spools", "Reorder at", ""};
    for (int c = 0; c < 5; ++c)
        ImGui::GetWindowDrawList()->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(o.x + sz.x * cols[c] + l.pad, y0),
                                            u32(color::dim), heads[c]);
    const float ly = y0 + l.fonts.small->FontSize + 6 * l.k;
    const float list_h = o.y + sz.y - ly;
    ImGui::SetCursorScreenPos(ImVec2(o.x, ly));
    ImGui::BeginChild("##reorder", ImVec2(sz.x - 64 * l.k - l.pad, list_h), false, kChild);
    apply_scroll_request("##reorder");
    const float lw = sz.x - 64 * l.k - l.pad;
    if (s.reorder.lines.empty()) text("No reorder settings in the catalog.", color::dim);
    char buf[64];
    for (size_t i = 0; i < s.reorder.lines.size(); ++i) {
        const auto& ln = s.reorder.lines[i];
        ImVec2 p = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p, ImVec2(p.x + lw, p.y + row_h - 4 * l.k), u32(i % 2 ? color::panel : color::panel2), 6);
        std::string name = ln.setting.material_name.empty() ? "Any material" : ln.setting.material_name;
        if (!ln.setting.color.empty()) name += " \u00b7 " + ln.setting.color;
        if (!ln.setting.brand.empty()) name += " \u00b7 " + ln.setting.brand;
        const float ty = p.y + (row_h - 4 * l.k - l.fonts.body->FontSize) / 2;
        dl->AddText(ImVec2(p.x + l.pad, ty), u32(color::text), name.c_str());
        std::snprintf(buf, sizeof buf, "%.1f kg", ln.stock_g / 1000.0);
        dl->AddText(ImVec2(p.x + lw * cols[1] + l.pad, ty), u32(color::text), buf);
        std::snprintf(buf, sizeof buf, "%d", ln.spool_count);
        dl->AddText(ImVec2(p.x + lw * cols[2] + l.pad, ty), u32(color::text), buf);
        std::snprintf(buf, sizeof buf, "%.1f kg", ln.reorder_point_g / 1000.0);
        dl->AddText(ImVec2(p.x + lw * cols[3] + l.pad, ty), u32(color::dim), buf);
        ImVec4 c = ln.needs_reorder ? color::red : color::green;
        const char* st = ln.needs_reorder ? "REORDER" : "OK";
        ImVec2 cp(p.x + lw * cols[4], p.y + 8 * l.k);
        dl->AddRectFilled(cp, ImVec2(p.x + lw - l.pad, p.y + row_h - 12 * l.k), u32(c), 6);
        dl->AddText(ImVec2(cp.x + 8 * l.k, ty), u32(color::text), st);
        ImGui::Dummy(ImVec2(lw, row_h));
    }
    float scroll = ImGui::GetScrollY(), max_scroll = ImGui::GetScrollMaxY();
    ImGui::EndChild();
    const float px = o.x + sz.x - 64 * l.k;
    ImGui::SetCursorScreenPos(ImVec2(px, ly));
    bool up = button("\u25b2##rup", ImVec2(64 * l.k, list_h / 2 - 3 * l.k), color::panel2, scroll > 0);
    ImGui::SetCursorScreenPos(ImVec2(px, ly + list_h / 2 + 3 * l.k));
    bool down = button("\u25bc##rdn", ImVec2(64 * l.k, list_h / 2 - 3 * l.k), color::panel2, scroll < max_scroll);
    if (up || down) request_scroll("##reorder", std::clamp(scroll + (down ? 1 : -1) * (list_h - row_h), 0.0f, max_scroll));
    return out;
}

}  // namespace batchivo::station::ui
