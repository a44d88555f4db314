// The frame around every screen: theme, top bar (home, back, station, status badges), navigation rail, and
// draw_station (chrome + the open screen from the registry + overlays).
#include "station/ui/screens.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "station/core/screens/registry.hpp"
#include "station/ui/screens/draw.hpp"
#include "station/ui/widgets.hpp"

namespace batchivo::station::ui {

void apply_theme(const Layout& l) {
    ImGuiStyle& st = ImGui::GetStyle();
    st = ImGuiStyle();
    ImGui::StyleColorsDark(&st);
    st.WindowPadding = ImVec2(0, 0);
    st.FramePadding = ImVec2(8 * l.k, 6 * l.k);
    st.ItemSpacing = ImVec2(8 * l.k, 6 * l.k);
    st.FrameRounding = 8 * l.k;
    st.ChildRounding = 8 * l.k;
    st.WindowRounding = 0;
    st.WindowBorderSize = 0;
    st.ChildBorderSize = 0;
    st.ScrollbarSize = 0;
    st.TouchExtraPadding = ImVec2(2 * l.k, 2 * l.k);
    st.Colors[ImGuiCol_WindowBg] = color::bg;
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    st.Colors[ImGuiCol_Text] = color::text;
    st.Colors[ImGuiCol_TextDisabled] = color::dim;
    st.Colors[ImGuiCol_Button] = color::panel2;
}

Intents draw_chrome(const StationSnapshot& s, const Layout& l) {
    Intents out;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(l.w, l.top_h), u32(color::panel));
    const float bh = l.top_h - 2 * 5 * l.k;
    const float y = 5 * l.k;
    // Home and back
    ImGui::SetCursorScreenPos(ImVec2(5 * l.k, y));
    if (button("Home", ImVec2(l.rail_w - 10 * l.k, bh), s.screen == Screen::Weigh ? color::panel2 : color::accent))
        push(out, IntentKind::Home);
    float x = l.rail_w + 4 * l.k;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (button("\u25c0 Back", ImVec2(88 * l.k, bh), color::panel2, s.can_go_back)) push(out, IntentKind::Back);
    x += 88 * l.k + 10 * l.k;
    // Station and tenant
    // Right side first (demo, camera, scale, sync badges, tappable), then the name clipped to what is left.
    float right = l.w - 6 * l.k;
    auto badge = [&](const char* id, const std::string& label, ImVec4 c, float w) -> bool {
        right -= w;
        ImGui::SetCursorScreenPos(ImVec2(right, y));
        right -= 6 * l.k;
        ImGui::PushID(id);
        bool b = button(label.c_str(), ImVec2(w, bh), c);
        ImGui::PopID();
        return b;
    };
    if (s.demo.enabled && badge("demo", s.demo.panel_open ? "Demo \u25bc" : "Demo \u25b2", color::accent, 90 * l.k))
        push(out, IntentKind::DemoTogglePanel);
    ImVec4 cam = s.camera.connected ? color::green : color::red;
    if (badge("cam", "Camera", ImVec4(cam.x * 0.6f, cam.y * 0.6f, cam.z * 0.6f, 1), 90 * l.k))
        push(out, IntentKind::Navigate, "setup");
    ImVec4 sc = !s.scale.connected ? color::red : s.scale.stable ? color::green : color::amber;
    if (badge("scale", "Scale", ImVec4(sc.x * 0.6f, sc.y * 0.6f, sc.z * 0.6f, 1), 84 * l.k))
        push(out, IntentKind::Navigate, "setup");
    std::string sync_label;
    ImVec4 sync_c;
    char buf[64];
    if (!s.sync.paired) {
        sync_label = "Not paired";
        sync_c = color::grey;
    } else if (s.sync.revoked) {  // records keep queueing until the station signs in / pairs again
        std::snprintf(buf, sizeof buf, "%s \u00b7 %lld queued",
                      s.sync.target == "batchivo" ? "Sign in again" : s.sync.target == "spoolman" ? "Key refused"
                                                                                                    : "Revoked",
                      static_cast<long long>(s.sync.pending));
        sync_label = buf;
        sync_c = color::red;
    } else if (!s.sync.reachable) {
        std::snprintf(buf, sizeof buf, "Offline \u00b7 %lld queued", static_cast<long long>(s.sync.pending));
        sync_label = buf;
        sync_c = color::red;
    } else if (s.sync.pending > 0) {
        std::snprintf(buf, sizeof buf, "%lld queued", static_cast<long long>(s.sync.pending));
        sync_label = buf;
        sync_c = color::amber;
    } else {
        sync_label = "Synced \u2713";
        sync_c = color::green;
    }
    if (s.sync.rejected > 0) {
        std::snprintf(buf, sizeof buf, " \u00b7 %lld rejected", static_cast<long long>(s.sync.rejected));
        sync_label += buf;
        sync_c = color::red;
    }
    float sw = std::max(120 * l.k, ImGui::CalcTextSize(sync_label.c_str()).x + 28 * l.k);
    if (badge("sync", sync_label, ImVec4(sync_c.x * 0.7f, sync_c.y * 0.7f, sync_c.z * 0.7f, 1), sw))
        push(out, IntentKind::Navigate, "sync");
    ImGui::PushClipRect(ImVec2(x, 0), ImVec2(right - 2 * l.k, l.top_h), true);
    ImGui::SetCursorScreenPos(ImVec2(x, y + 1 * l.k));
    ImGui::BeginGroup();
    text(s.station_name, color::text);
    text(s.tenant.empty() ? (s.sync.paired ? "paired" : "not paired") : s.tenant, color::dim, l.fonts.small);
    ImGui::EndGroup();
    ImGui::PopClipRect();

    // Navigation rail
    dl->AddRectFilled(ImVec2(0, l.top_h), ImVec2(l.rail_w, l.h), u32(color::panel));
    // One button per registry row with a rail label, in registry order.
    std::vector<const ScreenInfo*> items;
    for (const auto& row : screen_registry())
        if (!row.rail_label.empty()) items.push_back(&row);
    const ScreenInfo* open = screen_info(s.screen);
    const int n = static_cast<int>(items.size());
    const float gap = 6 * l.k;
    const float ih = (l.h - l.top_h - gap * (n + 1)) / n;
    for (int i = 0; i < n; ++i) {
        const bool sel = open && open->rail_item == items[i]->id;
        ImGui::SetCursorScreenPos(ImVec2(gap, l.top_h + gap + i * (ih + gap)));
        ImGui::PushID(i);
        if (button(std::string(items[i]->rail_label).c_str(), ImVec2(l.rail_w - 2 * gap, ih),
                   sel ? color::accent : color::panel2))
            push(out, IntentKind::Navigate, std::string(items[i]->name));
        ImGui::PopID();
    }
    return out;
}

Intents draw_station(const StationSnapshot& s, const Layout& l, const Textures& tex) {
    Intents out;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(l.w, l.h));
    ImGui::Begin("##root", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoSavedSettings);
    if (s.blanked) {
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), ImVec2(l.w, l.h), IM_COL32_BLACK);
        ImGui::End();
        return out;
    }
    auto add = [&](Intents v) { out.insert(out.end(), v.begin(), v.end()); };
    add(draw_chrome(s, l));
    // The demo panel takes the bottom of the content area; the screen gets what is left (nothing hidden).
    Layout cl = l;
    if (s.demo.enabled && s.demo.panel_open) cl.content_size.y -= demo_panel_height(l);
    if (DrawScreen draw = draw_for(s.screen)) add(draw(s, cl, tex));
    ImGui::End();
    add(draw_demo_panel(s, l));
    add(draw_toasts(s, l));
    return out;
}

}  // namespace batchivo::station::ui
