#include "station/ui/screens.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station::ui {

namespace {

void push(Intents& out, IntentKind k, std::string text = {}, double value = 0, int index = 0) {
    out.push_back(Intent{k, std::move(text), value, index});
}

// Paging buttons sit outside the list's child window: they leave a scroll request in ImGui's state storage
// (keyed by the child's name) that the child applies the next frame.
std::map<std::string, float>& scroll_requests() {
    static std::map<std::string, float> m;  // UI thread only
    return m;
}
void request_scroll(const char* child, float y) { scroll_requests()[child] = y; }
void apply_scroll_request(const char* child) {
    auto& m = scroll_requests();
    if (auto it = m.find(child); it != m.end()) {
        ImGui::SetScrollY(it->second);
        m.erase(it);
    }
}

float demo_panel_height(const Layout& l) { return 2 * l.touch + 3 * l.pad; }

constexpr ImGuiWindowFlags kChild = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;

// A region of the content area as a child window; returns its inner width.
bool begin_region(const char* id, ImVec2 pos, ImVec2 size, bool bg = false) {
    ImGui::SetCursorScreenPos(pos);
    if (bg) ImGui::PushStyleColor(ImGuiCol_ChildBg, color::panel);
    bool open = ImGui::BeginChild(id, size, false, kChild);
    if (bg) ImGui::PopStyleColor();
    return open;
}

const char* tare_source_name(TareSource s) {
    switch (s) {
        case TareSource::Spool: return "Spool";
        case TareSource::Catalog: return "Catalog";
        case TareSource::StationDefault: return "Default";
        case TareSource::Manual: return "Manual";
    }
    return "?";
}

// A message box (problem or info) with a coloured edge, wrapped text.
// With max_h > 0 the body is left out when the whole box would not fit (the title alone still explains).
void message_box(const std::string& title, const std::string& body_in, ImVec4 c, float width, const Layout& l,
                 float max_h = 0) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    std::string body = body_in;
    ImVec2 tsz = ImGui::CalcTextSize(body.c_str(), nullptr, false, width - 3 * l.pad);
    {
        ImGui::PushFont(l.fonts.big);
        float t = ImGui::CalcTextSize(title.c_str(), nullptr, false, width - 3 * l.pad).y;
        ImGui::PopFont();
        if (max_h > 0 && t + 4 * l.k + tsz.y + 2.5f * l.pad > max_h) {
            body.clear();
            tsz = ImVec2(0, 0);
        }
    }
    ImGui::PushFont(l.fonts.big);
    ImVec2 title_sz = ImGui::CalcTextSize(title.c_str(), nullptr, false, width - 3 * l.pad);
    ImGui::PopFont();
    float th = title_sz.y + 4 * l.k;
    float h = th + tsz.y + 2.5f * l.pad;
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), u32(c, 0.18f), 8);
    dl->AddRectFilled(p, ImVec2(p.x + 6 * l.k, p.y + h), u32(c), 8);
    ImGui::SetCursorScreenPos(ImVec2(p.x + 2 * l.pad, p.y + l.pad));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 3 * l.pad);
    text(title, c, l.fonts.big);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorScreenPos(ImVec2(p.x + 2 * l.pad, ImGui::GetCursorScreenPos().y));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 3 * l.pad);
    text(body, color::text);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h + l.pad));
}

const char* problem_title(WeighProblem p) {
    switch (p) {
        case WeighProblem::UnknownLabel: return "Unknown label";
        case WeighProblem::ForeignLabel: return "Label from another system";
        case WeighProblem::FilamentLabel: return "Not a spool label";
        case WeighProblem::NotInCatalog: return "Spool not in the catalog";
        case WeighProblem::PairingLabel: return "Pairing code";
        case WeighProblem::AboveInitial: return "Check the tare";
        case WeighProblem::NegativeNet: return "Weight below the tare";
        case WeighProblem::UnstableLong: return "Scale not settling";
        case WeighProblem::ScaleDisconnected: return "Scale disconnected";
        case WeighProblem::NoTare: return "No tare";
        case WeighProblem::NoChange: return "No change";
        case WeighProblem::None: return "";
    }
    return "";
}

ImVec4 problem_color(WeighProblem p) {
    switch (p) {
        case WeighProblem::NoChange: return color::accent;
        case WeighProblem::UnstableLong:
        case WeighProblem::AboveInitial:
        case WeighProblem::PairingLabel:
        case WeighProblem::ForeignLabel:
        case WeighProblem::FilamentLabel:
        case WeighProblem::NotInCatalog: return color::amber;
        default: return color::red;
    }
}

// On-screen QWERTY keyboard in the rectangle; emits key intents of the given kinds. Lower case by default with
// an ABC/abc toggle (device paths are case-sensitive; search is not). The toggle is UI-only state.
void keyboard(ImVec2 pos, ImVec2 size, const Layout& l, Intents& out, IntentKind key, IntentKind backspace,
              IntentKind done, bool numeric_row = true) {
    static const char* rows[] = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm./:"};
    ImGuiStorage* st = ImGui::GetStateStorage();
    const ImGuiID caps_id = ImGui::GetID("kbd_caps");
    const bool caps = st->GetBool(caps_id, false);
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
        for (const char* c = rows[r]; *c; ++c) {
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            char ch = caps ? static_cast<char>(std::toupper(static_cast<unsigned char>(*c))) : *c;
            char label[2] = {ch, 0};
            ImGui::PushID(r * 16 + int(c - rows[r]));
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
    if (button(caps ? "abc" : "ABC", ImVec2(kw, kh), caps ? color::accent : color::panel2)) st->SetBool(caps_id, !caps);
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

void scale_readout(const StationSnapshot& s, const Layout& l, float width) {
    text("Scale", color::dim);
    char buf[64];
    if (s.scale.connected && s.scale.grams) std::snprintf(buf, sizeof buf, "%.1f g", *s.scale.grams);
    else std::snprintf(buf, sizeof buf, "\u2014");
    text(buf, color::text, l.fonts.huge);
    ImVec4 c = !s.scale.connected ? color::red : s.scale.stable ? color::green : color::amber;
    std::string st = !s.scale.connected ? "DISCONNECTED" : s.scale.stable ? "STABLE" : "SETTLING";
    ImVec2 p = ImGui::GetCursorScreenPos();
    float cw = std::min(width, ImGui::CalcTextSize(st.c_str()).x + 40 * l.k);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + cw, p.y + 34 * l.k), u32(c), 17 * l.k);
    ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + 16 * l.k, p.y + 17 * l.k), 6 * l.k, IM_COL32_WHITE);
    ImGui::SetCursorScreenPos(ImVec2(p.x + 28 * l.k, p.y + (34 * l.k - ImGui::GetTextLineHeight()) / 2));
    text(st, color::text);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + 34 * l.k + l.pad));
    ImGui::Dummy(ImVec2(0, 0));
}

void preview_image(const StationSnapshot& s, const Textures& tex, ImVec2 size, const Layout& l) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), u32(color::bg), 6);
    if (tex.preview && tex.preview_w > 0) {
        float ar = float(tex.preview_w) / float(tex.preview_h);
        float w = size.x, h = w / ar;
        if (h > size.y) {
            h = size.y;
            w = h * ar;
        }
        ImVec2 a(p.x + (size.x - w) / 2, p.y + (size.y - h) / 2);
        dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex.preview)), a, ImVec2(a.x + w, a.y + h));
    } else {
        ImGui::SetCursorScreenPos(ImVec2(p.x + l.pad, p.y + size.y / 2 - 10 * l.k));
        text(s.camera.connected ? "camera starting\u2026" : "no camera", color::dim);
    }
    dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), u32(color::dim, 0.5f), 6);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + size.y + 4 * l.k));
    text(s.camera.connected ? "Camera: " + s.camera.device : "Camera: " + (s.camera.error.empty() ? std::string("off") : s.camera.error),
         s.camera.connected ? color::dim : color::amber, l.fonts.small, true);
}

}  // namespace

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
    struct Item {
        const char* label;
        Screen screen;
        const char* name;
    };
    static const Item items[] = {{"Weigh", Screen::Weigh, "weigh"},
                                 {"Log\nusage", Screen::LogUsage, "usage"},
                                 {"Stock", Screen::Stock, "stock"},
                                 {"Sync", Screen::Sync, "sync"},
                                 {"Setup", Screen::Setup, "setup"}};
    const float gap = 6 * l.k;
    const float ih = (l.h - l.top_h - gap * 6) / 5;
    for (int i = 0; i < 5; ++i) {
        bool sel = s.screen == items[i].screen ||
                   (items[i].screen == Screen::Stock && (s.screen == Screen::SpoolDetail || s.screen == Screen::Reorder));
        ImGui::SetCursorScreenPos(ImVec2(gap, l.top_h + gap + i * (ih + gap)));
        ImGui::PushID(i);
        if (button(items[i].label, ImVec2(l.rail_w - 2 * gap, ih), sel ? color::accent : color::panel2))
            push(out, IntentKind::Navigate, items[i].name);
        ImGui::PopID();
    }
    return out;
}

Intents draw_weigh(const StationSnapshot& s, const Layout& l, const Textures& tex) {
    Intents out;
    const WeighView& w = s.weigh;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    const float left_w = sz.x * 0.47f;
    const float right_x = o.x + left_w + l.pad;
    const float right_w = sz.x - left_w - l.pad;

    // ---- left column: invitation, problem, or the spool card
    const bool compact = sz.y < 330 * l.k;  // e.g. with the demo panel open at 800x480
    if (begin_region("##weigh_left", o, ImVec2(left_w, sz.y))) {
        if (w.card) {
            float card_h = std::min(sz.y - l.touch - l.pad, 236 * l.k);
            spool_card(*w.card, ImVec2(left_w, card_h), l);
            ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - l.touch));
            float bw = (left_w - 2 * l.pad) / 3;
            if (button("Usage", ImVec2(bw, l.touch))) push(out, IntentKind::LogUsageForCard);
            ImGui::SameLine(0, l.pad);
            if (button("Details", ImVec2(bw, l.touch))) push(out, IntentKind::ShowSpoolDetail);
            ImGui::SameLine(0, l.pad);
            if (button("Clear \u2715", ImVec2(bw, l.touch))) push(out, IntentKind::ClearSpool);
            if (!w.scanned.empty() && !compact) {
                ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + card_h + 4 * l.k));
                text("Scanned: " + w.scanned.substr(0, 48), color::dim, l.fonts.small);
            }
        } else if (w.stage == WeighStage::Problem) {
            message_box(problem_title(w.problem), w.problem_text, problem_color(w.problem), left_w, l);
            ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - l.touch));
            if (button("OK, scan again", ImVec2(left_w, l.touch), color::accent)) push(out, IntentKind::ClearSpool);
        } else {
            text("Scan a spool", color::text, l.fonts.big);
            text("Hold its label to the camera or use the handheld scanner.", color::dim, nullptr, true);
            ImGui::Dummy(ImVec2(0, l.pad));
            float ph = std::min(sz.y * 0.52f, (left_w - 0) * 0.75f);
            preview_image(s, tex, ImVec2(ph / 0.75f, ph), l);
        }
        ImGui::EndChild();
    }

    // ---- right column: live weighing
    ImGui::SetCursorScreenPos(ImVec2(right_x, o.y));
    panel_bg(ImVec2(right_x, o.y), ImVec2(right_w, sz.y));
    if (begin_region("##weigh_right", ImVec2(right_x + l.pad, o.y + l.pad), ImVec2(right_w - 2 * l.pad, sz.y - 2 * l.pad))) {
        const float iw = right_w - 2 * l.pad;
        const float bottom = o.y + l.pad + sz.y - 2 * l.pad;
        if (w.stage == WeighStage::Idle || w.stage == WeighStage::Problem) {
            scale_readout(s, l, iw);
            ImGui::Dummy(ImVec2(0, l.pad));
            if (!w.saved_text.empty()) {
                message_box(w.saved_spool.empty() ? std::string("Last spool") : "Last: " + w.saved_spool, w.saved_text,
                            color::green, iw, l);
            } else {
                text("1  Scan the spool's label", color::dim);
                text("2  Put the spool on the scale", color::dim);
                text("3  Tap Confirm", color::dim);
            }
        } else if (w.stage == WeighStage::Card) {
            scale_readout(s, l, iw);
            if (w.problem == WeighProblem::ScaleDisconnected) {
                message_box(problem_title(w.problem), w.problem_text, color::red, iw, l);
            } else {
                text("Put the spool on the scale.", color::text, l.fonts.big, true);
                if (!w.saved_text.empty()) text(w.saved_text, color::green, nullptr, true);
            }
        } else {
            char buf[96];
            // Gross and tare
            std::snprintf(buf, sizeof buf, "Gross  %s", w.gross_g ? fmt_g(*w.gross_g, 1).c_str() : "\u2014");
            text(std::string(buf) + (compact ? "   Tare (tap to change):" : ""), color::dim, compact ? l.fonts.small : nullptr);
            if (!w.tare_candidates.empty()) {
                if (!compact) text("Tare (tap to change):", color::dim, l.fonts.small);
                const int n = std::min<int>(3, static_cast<int>(w.tare_candidates.size()));
                const float cw = (iw - (n - 1) * 6 * l.k) / n;
                for (int i = 0; i < n; ++i) {
                    const Tare& t = w.tare_candidates[size_t(i)];
                    std::snprintf(buf, sizeof buf, "%s %.0f g##tare%d", tare_source_name(t.source), t.grams, i);
                    if (i) ImGui::SameLine(0, 6 * l.k);
                    if (chip(buf, i == w.tare_index, ImVec2(cw, 48 * l.k))) push(out, IntentKind::ChooseTare, {}, 0, i);
                }
            }
            // Net
            std::snprintf(buf, sizeof buf, "%s%s", compact ? "Net " : "", w.net_g ? fmt_g(*w.net_g, 0).c_str() : "\u2014");
            if (!compact) text("Net filament", color::dim);
            text(buf, w.problem == WeighProblem::AboveInitial || w.problem == WeighProblem::NegativeNet ? color::amber : color::text,
                 compact ? l.fonts.big : l.fonts.huge);
            // Stability + used since last
            const bool gone = w.problem == WeighProblem::ScaleDisconnected;
            ImVec4 sc = gone ? color::red : w.stable ? color::green : color::amber;
            ImVec2 p = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + 9 * l.k, p.y + ImGui::GetTextLineHeight() / 2), 8 * l.k, u32(sc));
            ImGui::SetCursorScreenPos(ImVec2(p.x + 24 * l.k, p.y));
            text(gone ? "No reading" : w.stable ? "Stable" : "Settling\u2026", sc);
            if (w.used_since_last_g) {
                ImGui::SameLine(0, 20 * l.k);
                int u = *w.used_since_last_g;
                const bool saved = w.stage == WeighStage::Saved;
                if (u >= 0) std::snprintf(buf, sizeof buf, saved ? "Recorded: %d g used" : "Used since last: %d g", u);
                else std::snprintf(buf, sizeof buf, saved ? "Recorded: %d g added" : "Added since last: %d g", -u);
                text(buf, color::text);
            }
            if (w.problem != WeighProblem::None && w.stage == WeighStage::Weighing && !compact) {
                ImGui::Dummy(ImVec2(0, 2 * l.k));
                const float room = bottom - l.big_button - l.pad - ImGui::GetCursorScreenPos().y;
                message_box(problem_title(w.problem), w.problem_text, problem_color(w.problem), iw, l, room);
            }
            // Bottom: confirm / auto-commit / saved + undo
            ImGui::SetCursorScreenPos(ImVec2(right_x + l.pad, bottom - l.big_button));
            if (w.stage == WeighStage::Saved) {
                const float uw = w.undo_remaining_ms > 0 ? iw * 0.38f : 0;
                ImVec2 bp = ImGui::GetCursorScreenPos();
                ImGui::GetWindowDrawList()->AddRectFilled(bp, ImVec2(bp.x + iw - uw - (uw > 0 ? l.pad : 0), bp.y + l.big_button),
                                                          u32(color::green), 10);
                const std::string saved = "\u2713 " + w.saved_text;
                const float room = iw - uw - (uw > 0 ? l.pad : 0) - 2 * l.pad;
                ImGui::PushFont(l.fonts.big);
                ImFont* sf = ImGui::CalcTextSize(saved.c_str()).x <= room ? l.fonts.big : l.fonts.body;
                ImGui::PopFont();
                ImGui::SetCursorScreenPos(ImVec2(bp.x + l.pad, bp.y + (l.big_button - sf->FontSize) / 2));
                text(saved, color::text, sf);
                if (uw > 0) {
                    ImGui::SetCursorScreenPos(ImVec2(bp.x + iw - uw, bp.y));
                    std::snprintf(buf, sizeof buf, "Undo (%d s)", (w.undo_remaining_ms + 999) / 1000);
                    if (button(buf, ImVec2(uw, l.big_button), color::panel2, true)) push(out, IntentKind::Undo);
                }
            } else if (w.problem != WeighProblem::None && w.problem != WeighProblem::NoChange && compact) {
                text(problem_title(w.problem), problem_color(w.problem), l.fonts.big);
            } else if (w.problem == WeighProblem::NoChange) {
                if (button("Done", ImVec2(iw, l.big_button), color::accent, true, l.fonts.big)) push(out, IntentKind::ClearSpool);
            } else {
                std::string label = "Confirm";
                if (w.used_since_last_g && w.can_confirm) {
                    std::snprintf(buf, sizeof buf, "Confirm \u2014 %d g %s", std::abs(*w.used_since_last_g),
                                  *w.used_since_last_g >= 0 ? "used" : "added");
                    label = buf;
                } else if (gone) {
                    label = "No scale";
                } else if (!w.stable) {
                    label = "Settling\u2026";
                }
                ImVec2 bp = ImGui::GetCursorScreenPos();
                if (button((label + "##confirm").c_str(), ImVec2(iw, l.big_button), color::green, w.can_confirm, l.fonts.big))
                    push(out, IntentKind::Confirm);
                if (w.auto_commit_progress >= 0) {
                    ImGui::GetWindowDrawList()->AddRectFilled(
                        ImVec2(bp.x, bp.y + l.big_button - 8 * l.k),
                        ImVec2(bp.x + iw * float(w.auto_commit_progress), bp.y + l.big_button), u32(color::text, 0.85f), 4);
                }
            }
        }
        ImGui::EndChild();
    }
    return out;
}

Intents draw_usage(const StationSnapshot& s, const Layout& l) {
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
    if (button("Save usage", ImVec2(rw - 2 * l.pad, submit_h), color::green, u.can_submit, l.fonts.big))
        push(out, IntentKind::KeypadSubmit);
    return out;
}

Intents draw_stock(const StationSnapshot& s, const Layout& l) {
    Intents out;
    const StockView& v = s.stock;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    float y = o.y;
    // search row
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    const float reorder_w = 120 * l.k, clear_w = 90 * l.k;
    const float search_w = sz.x - reorder_w - clear_w - 2 * l.pad;
    std::string q = v.query.empty() ? "Search spools\u2026" : v.query + (v.keyboard ? "_" : "");
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    if (button((q + "##search").c_str(), ImVec2(search_w, l.touch), v.keyboard ? color::accent : color::bg))
        push(out, IntentKind::StockToggleKeyboard);
    ImGui::PopStyleVar();
    ImGui::SameLine(0, l.pad);
    if (button("Clear", ImVec2(clear_w, l.touch), color::panel2, !v.query.empty())) push(out, IntentKind::StockClear);
    ImGui::SameLine(0, l.pad);
    if (button("Reorder", ImVec2(reorder_w, l.touch))) push(out, IntentKind::Navigate, "reorder");
    y += l.touch + l.pad;
    const float chip_h = 48 * l.k;
    if (!v.keyboard) {
        // material chips
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        const int nm = std::min<int>(7, static_cast<int>(v.materials.size()));
        const float mw = (sz.x - nm * 6 * l.k) / (nm + 1);
        if (chip("All##mat", v.material.empty(), ImVec2(mw, chip_h))) push(out, IntentKind::StockMaterial, v.material);
        for (int i = 0; i < nm; ++i) {
            ImGui::SameLine(0, 6 * l.k);
            ImGui::PushID(i);
            if (chip(v.materials[size_t(i)].c_str(), v.material == v.materials[size_t(i)], ImVec2(mw, chip_h)))
                push(out, IntentKind::StockMaterial, v.materials[size_t(i)]);
            ImGui::PopID();
        }
        y += chip_h + 6 * l.k;
        // status chips + count
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        static const std::pair<const char*, const char*> sts[] = {
            {"Any status", ""}, {"OK", "ok"}, {"Low", "low"}, {"Critical", "critical"}, {"Empty", "depleted"}};
        const float sw = 104 * l.k;
        for (int i = 0; i < 5; ++i) {
            if (i) ImGui::SameLine(0, 6 * l.k);
            bool sel = i == 0 ? !v.status : (v.status && to_string(*v.status) == sts[i].second);
            ImGui::PushID(100 + i);
            if (chip(sts[i].first, sel, ImVec2(sw, chip_h))) push(out, IntentKind::StockStatus, sts[i].second);
            ImGui::PopID();
        }
        y += chip_h + l.pad;
    }
    // list
    const float kb_h = v.keyboard ? std::min(sz.y * 0.66f, 268 * l.k) : 0;  // keys >= ~48 px at 480 high
    const float footer_h = ImGui::GetTextLineHeight() + 4 * l.k;
    const float list_h = o.y + sz.y - y - kb_h - footer_h - (v.keyboard ? l.pad : 0);
    // Page buttons only when they can be finger-sized; with the keyboard up the list is a one-row preview.
    const bool paging = list_h >= 2 * l.touch;
    const float page_w = paging ? 64 * l.k : 0;
    const float row_h = 58 * l.k;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, color::panel);
    ImGui::BeginChild("##stock_list", ImVec2(sz.x - page_w - (paging ? l.pad : 0), list_h), false, kChild);
    ImGui::PopStyleColor();
    apply_scroll_request("##stock_list");
    const float lw = sz.x - page_w - (paging ? l.pad : 0);
    if (v.rows.empty()) {
        ImGui::SetCursorPos(ImVec2(l.pad, l.pad));
        text(v.catalog_size == 0 ? "The catalog is empty: pair the station and let it sync." : "No spool matches.", color::dim);
    }
    for (size_t i = 0; i < v.rows.size(); ++i) {
        const StockRow& r = v.rows[i];
        ImGui::PushID(static_cast<int>(i));
        ImVec2 p = ImGui::GetCursorScreenPos();
        if (button("##row", ImVec2(lw, row_h - 4 * l.k), i % 2 ? color::panel : color::panel2))
            push(out, IntentKind::OpenSpool, r.uuid);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        swatch(dl, ImVec2(p.x + 26 * l.k, p.y + row_h / 2 - 2 * l.k), 17 * l.k, r.color_hex);
        const float c1 = p.x + 52 * l.k;
        dl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(c1, p.y + 5 * l.k), u32(color::text), r.spool_id.c_str());
        std::string line2 = r.brand + " \u00b7 " + r.material + " \u00b7 " + r.color;
        dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c1, p.y + 30 * l.k), u32(color::dim), line2.c_str());
        const float c2 = p.x + lw * 0.56f;
        const float barw = lw * 0.24f;
        ImGui::SetCursorScreenPos(ImVec2(c2, p.y + 10 * l.k));
        remaining_bar(ImVec2(barw, 14 * l.k), r.remaining_percent, r.status);
        char buf[48];
        std::snprintf(buf, sizeof buf, "%d g", r.remaining_g);
        dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c2, p.y + 30 * l.k), u32(status_color(r.status)), buf);
        dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c2 + barw + 10 * l.k, p.y + 8 * l.k), u32(color::dim),
                    r.location.c_str());
        dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c2 + barw + 10 * l.k, p.y + 30 * l.k),
                    u32(status_color(r.status)), status_label(r.status));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
        ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0, 0));
    float scroll = ImGui::GetScrollY(), max_scroll = ImGui::GetScrollMaxY();
    bool up = false, down = false;
    ImGui::EndChild();
    // page buttons
    const float px = o.x + sz.x - page_w;
    if (paging) {
        ImGui::SetCursorScreenPos(ImVec2(px, y));
        up = button("\u25b2##pgup", ImVec2(page_w, list_h / 2 - 3 * l.k), color::panel2, scroll > 0);
        ImGui::SetCursorScreenPos(ImVec2(px, y + list_h / 2 + 3 * l.k));
        down = button("\u25bc##pgdn", ImVec2(page_w, list_h / 2 - 3 * l.k), color::panel2, scroll < max_scroll);
    }
    if (up || down) request_scroll("##stock_list", std::clamp(scroll + (down ? 1 : -1) * (list_h - row_h), 0.0f, max_scroll));
    // footer: count and catalog freshness
    ImGui::SetCursorScreenPos(ImVec2(o.x, y + list_h + 2 * l.k));
    char buf[160];
    std::string fresh = v.catalog_as_of_ms ? "catalog as of " + fmt_clock(*v.catalog_as_of_ms) + " (" +
                                                 fmt_ago(*v.catalog_as_of_ms, now_epoch_ms()) + ")"
                                           : "catalog never synced";
    std::snprintf(buf, sizeof buf, "%lld of %lld spools \u00b7 %s%s", static_cast<long long>(v.total),
                  static_cast<long long>(v.catalog_size), fresh.c_str(), s.sync.reachable ? "" : " \u00b7 offline");
    text(buf, color::dim, l.fonts.small);
    if (v.keyboard)
        keyboard(ImVec2(o.x, o.y + sz.y - kb_h), ImVec2(sz.x, kb_h), l, out, IntentKind::StockKey,
                 IntentKind::StockBackspace, IntentKind::StockToggleKeyboard);
    return out;
}

Intents draw_detail(const StationSnapshot& s, const Layout& l) {
    Intents out;
    const DetailView& d = s.detail;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    if (!d.card) {
        ImGui::SetCursorScreenPos(o);
        text("No spool selected.", color::dim);
        return out;
    }
    const float left_w = sz.x * 0.47f;
    ImGui::SetCursorScreenPos(o);
    const float card_h = std::min(236 * l.k, sz.y - l.touch - l.pad);
    spool_card(*d.card, ImVec2(left_w, card_h), l);
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - l.touch));
    if (button("Log usage", ImVec2((left_w - l.pad) / 2, l.touch))) push(out, IntentKind::LogUsageForCard, d.card->spool.id);
    ImGui::SameLine(0, l.pad);
    if (button("Weigh it", ImVec2((left_w - l.pad) / 2, l.touch), color::accent)) push(out, IntentKind::Home);

    const float rx = o.x + left_w + l.pad, rw = sz.x - left_w - l.pad;
    panel_bg(ImVec2(rx, o.y), ImVec2(rw, sz.y));
    if (begin_region("##detail_right", ImVec2(rx + l.pad, o.y + l.pad), ImVec2(rw - 2 * l.pad, sz.y - 2 * l.pad))) {
        text("Remaining over time", color::dim);
        const float plot_h = sz.y * 0.36f;
        ImVec2 pp = ImGui::GetCursorScreenPos();
        const float pw = rw - 2 * l.pad;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(pp, ImVec2(pp.x + pw, pp.y + plot_h), u32(color::bg), 6);
        if (d.plot.size() >= 2) {
            int64_t t0 = d.plot.front().at_ms, t1 = d.plot.back().at_ms;
            if (t1 <= t0) t1 = t0 + 1;
            int maxw = std::max(1, d.card->spool.initial_weight_g);
            for (const auto& pt : d.plot) maxw = std::max(maxw, pt.weight_g);
            std::vector<ImVec2> pts;
            for (const auto& pt : d.plot)
                pts.push_back(ImVec2(pp.x + 6 * l.k + (pw - 12 * l.k) * float(pt.at_ms - t0) / float(t1 - t0),
                                     pp.y + plot_h - 6 * l.k - (plot_h - 12 * l.k) * float(pt.weight_g) / float(maxw)));
            dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), u32(color::accent), 0, 3 * l.k);
            for (auto& p : pts) dl->AddCircleFilled(p, 3.5f * l.k, u32(color::text));
        } else {
            dl->AddText(ImVec2(pp.x + l.pad, pp.y + plot_h / 2 - 10 * l.k), u32(color::dim), "No recorded usage yet");
        }
        ImGui::Dummy(ImVec2(pw, plot_h + l.pad));
        text(d.source == HistorySource::Server ? "Recent transactions" : "Recent transactions (this station)",
             color::dim);
        if (!d.history_note.empty())
            text(d.history_note, d.source == HistorySource::Unavailable ? color::amber : color::dim, l.fonts.small, true);
        if (d.rows.empty())
            text(d.source == HistorySource::Server ? "No transactions yet." : "None recorded at this station.", color::dim,
                 l.fonts.small);
        char buf[200];
        for (size_t i = 0; i < d.rows.size() && i < 12; ++i) {
            const auto& r = d.rows[i];
            const char* where = r.on_server ? "synced" : nullptr;
            std::string state = where ? where : std::string(batchivo::to_string(r.local_state));
            if (!r.on_server && r.local_state == RecordState::Pending) state = "queued";
            std::snprintf(buf, sizeof buf, "%s  %s %+d g  %s", fmt_clock(r.at_ms).c_str(),
                          std::string(batchivo::to_string(r.type)).c_str(), r.quantity_grams, state.c_str());
            ImVec4 c = !r.counts ? color::red : r.on_server ? color::text : color::amber;
            text(buf, c, l.fonts.small);
        }
        ImGui::EndChild();
    }
    return out;
}

Intents draw_reorder(const StationSnapshot& s, const Layout& l) {
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

Intents draw_sync(const StationSnapshot& s, const Layout& l) {
    Intents out;
    const SyncView& v = s.sync_screen;
    const SyncStatusView& st = s.sync;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    const int64_t now = now_epoch_ms();
    // tiles
    const float th = 92 * l.k, tw = (sz.x - 3 * l.pad) / 4;
    struct Tile {
        const char* label;
        std::string value;
        ImVec4 c;
    };
    char buf[96];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(st.pending));
    Tile tiles[4] = {
        {"Queued", buf, st.pending > 0 ? color::amber : color::green},
        {"Oldest queued", st.oldest_pending_ms ? fmt_ago(*st.oldest_pending_ms, now) : std::string("\u2014"), color::text},
        {"Last sync", st.last_success_ms ? fmt_ago(*st.last_success_ms, now) : std::string("never"), color::text},
        {"Server", !st.paired ? "not paired" : st.revoked ? "revoked" : st.reachable ? "reachable" : "unreachable",
         !st.paired || st.revoked || !st.reachable ? color::red : color::green},
    };
    for (int i = 0; i < 4; ++i) {
        ImVec2 p(o.x + i * (tw + l.pad), o.y);
        panel_bg(p, ImVec2(tw, th));
        ImGui::SetCursorScreenPos(ImVec2(p.x + l.pad, p.y + l.pad));
        text(tiles[i].label, color::dim, l.fonts.small);
        ImGui::SetCursorScreenPos(ImVec2(p.x + l.pad, ImGui::GetCursorScreenPos().y));
        text(tiles[i].value, tiles[i].c, l.fonts.big);
    }
    float y = o.y + th + l.pad;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    if (button("Sync now", ImVec2(160 * l.k, l.touch), color::accent, st.paired)) push(out, IntentKind::SyncNow);
    ImGui::SameLine(0, l.pad);
    ImGui::BeginGroup();
    std::string info = !st.last_error.empty() ? st.last_error : (st.tls_alert ? "TLS alert: the server's certificate changed" : "");
    if (!v.message.empty()) info = v.message;
    ImGui::PushTextWrapPos(o.x + sz.x - l.content_pos.x);
    text(info, st.last_error.empty() && v.message.empty() ? color::dim : color::amber, l.fonts.small, true);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    y += l.touch + l.pad;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    std::snprintf(buf, sizeof buf, "Rejected by the server (%zu)", v.rejected.size());
    text(v.rejected.empty() ? std::string("Recent records") : std::string(buf), color::dim);
    y = ImGui::GetCursorScreenPos().y;
    const float list_h = o.y + sz.y - y;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    ImGui::BeginChild("##sync_list", ImVec2(sz.x, list_h), false, kChild);
    // Rows tall enough for two lines of the server's reason next to glove-sized buttons (>= the touch size,
    // a full pad apart so Retry and Discard are not hit together).
    const float row_h = std::max(l.touch + 2 * l.pad, 92 * l.k);
    if (!v.rejected.empty()) {
        for (size_t i = 0; i < v.rejected.size(); ++i) {
            const auto& r = v.rejected[i];
            ImGui::PushID(static_cast<int>(i));
            ImVec2 p = ImGui::GetCursorScreenPos();
            panel_bg(p, ImVec2(sz.x, row_h - 6 * l.k), color::panel);
            const float bw = 130 * l.k;
            const float text_w = sz.x - 2 * bw - 4 * l.pad;
            std::snprintf(buf, sizeof buf, "%s  %+d g  %s", r.spool_label.empty() ? "(no label)" : r.spool_label.c_str(),
                          r.quantity_grams, fmt_clock(r.device_time_ms).c_str());
            ImGui::SetCursorScreenPos(ImVec2(p.x + l.pad, p.y + 6 * l.k));
            ImGui::PushClipRect(p, ImVec2(p.x + l.pad + text_w, p.y + row_h - 6 * l.k), true);
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
            text(buf, color::text);
            ImGui::SetCursorScreenPos(ImVec2(p.x + l.pad, ImGui::GetCursorScreenPos().y));
            text("Server: " + (r.reason.empty() ? std::string("no reason given") : r.reason), color::red, l.fonts.small);
            ImGui::PopTextWrapPos();
            ImGui::PopClipRect();
            const float by = p.y + (row_h - 6 * l.k - l.touch) / 2;
            ImGui::SetCursorScreenPos(ImVec2(p.x + sz.x - 2 * bw - 2 * l.pad, by));
            if (button("Retry", ImVec2(bw, l.touch), color::accent)) push(out, IntentKind::SyncRetry, r.id);
            ImGui::SetCursorScreenPos(ImVec2(p.x + sz.x - bw - l.pad, by));
            if (button("Discard", ImVec2(bw, l.touch), color::red)) push(out, IntentKind::SyncDiscardAsk, r.id);
            ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
            ImGui::PopID();
        }
    } else {
        if (v.recent.empty()) text("Nothing recorded yet.", color::dim);
        for (const auto& r : v.recent) {
            std::snprintf(buf, sizeof buf, "%s  %-9s %+6d g  %s", fmt_clock(r.device_time_ms).c_str(), r.spool_label.c_str(),
                          r.quantity_grams, std::string(batchivo::to_string(r.state)).c_str());
            text(buf, r.state == RecordState::Applied ? color::green : color::text);
        }
    }
    ImGui::Dummy(ImVec2(0, 0));
    ImGui::EndChild();
    // confirmation overlay
    if (!v.confirm_discard_id.empty()) {
        // A full-screen dimming window (it also takes every touch outside the dialog), then the dialog above it.
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(l.w, l.h));
        ImGui::SetNextWindowFocus();
        ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0.63f));
        ImGui::Begin("##confirm_dim", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
        ImGui::End();
        ImGui::PopStyleColor();
        ImGui::SetNextWindowFocus();
        const ImVec2 bsz(std::min(l.w * 0.7f, 560 * l.k), 220 * l.k);
        const ImVec2 bp((l.w - bsz.x) / 2, (l.h - bsz.y) / 2);
        ImGui::SetNextWindowPos(bp);
        ImGui::SetNextWindowSize(bsz);
        ImGui::PushStyleColor(ImGuiCol_WindowBg, color::panel2);
        ImGui::Begin("##confirm_discard", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
        ImGui::SetCursorPos(ImVec2(2 * l.pad, 2 * l.pad));
        text("Discard this record?", color::text, l.fonts.big);
        ImGui::SetCursorPosX(2 * l.pad);
        ImGui::PushTextWrapPos(bsz.x - 2 * l.pad);
        text("It stays on the station for the record but will never be sent to the server.", color::dim, nullptr, true);
        ImGui::PopTextWrapPos();
        const float bw = (bsz.x - 5 * l.pad) / 2;
        ImGui::SetCursorPos(ImVec2(2 * l.pad, bsz.y - l.touch - 2 * l.pad));
        if (button("Keep it", ImVec2(bw, l.touch), color::grey)) push(out, IntentKind::SyncDiscardCancel);
        ImGui::SameLine(0, l.pad);
        if (button("Discard", ImVec2(bw, l.touch), color::red)) push(out, IntentKind::SyncDiscardConfirm);
        ImGui::End();
        ImGui::PopStyleColor();
    }
    return out;
}

Intents draw_setup(const StationSnapshot& s, const Layout& l) {
    Intents out;
    const SetupView& v = s.setup;
    const StationConfig& c = v.config;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    ImGuiStorage* store = ImGui::GetStateStorage();
    const ImGuiID tab_id = ImGui::GetID("setup_tab");
    int tab = store->GetInt(tab_id, 0);
    static const char* tabs[] = {"Pairing", "Scale", "Camera", "Weighing", "Display"};
    const float tw = (sz.x - 4 * 6 * l.k) / 5;
    ImGui::SetCursorScreenPos(o);
    for (int i = 0; i < 5; ++i) {
        if (i) ImGui::SameLine(0, 6 * l.k);
        if (chip(tabs[i], tab == i, ImVec2(tw, 50 * l.k))) store->SetInt(tab_id, tab = i);
    }
    const float bottom_h = l.touch;
    float y = o.y + 50 * l.k + l.pad;
    const float area_h = o.y + sz.y - bottom_h - l.pad - y;
    panel_bg(ImVec2(o.x, y), ImVec2(sz.x, area_h));
    ImGui::SetCursorScreenPos(ImVec2(o.x + l.pad, y + l.pad));
    ImGui::BeginChild("##setup_area", ImVec2(sz.x - 2 * l.pad, area_h - 2 * l.pad), false, kChild);
    const float iw = sz.x - 2 * l.pad;
    char buf[160];
    auto row_label = [&](const char* label) {
        ImGui::AlignTextToFramePadding();
        text(label, color::dim);
        ImGui::SameLine(200 * l.k);
    };
    auto stepper = [&](const char* id, const char* label, const std::string& value, const char* field, double step) {
        ImGui::PushID(id);
        row_label(label);
        if (button("\u2212", ImVec2(l.touch, l.touch))) push(out, IntentKind::SetupAdjust, field, -step);
        ImGui::SameLine(0, l.pad);
        ImGui::BeginGroup();
        ImGui::Dummy(ImVec2(110 * l.k, 0));
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 0);
        text(value, color::text, l.fonts.big);
        ImGui::EndGroup();
        ImGui::SameLine(0, l.pad);
        if (button("+", ImVec2(l.touch, l.touch))) push(out, IntentKind::SetupAdjust, field, step);
        ImGui::PopID();
    };
    switch (tab) {
        case 0: {
            text(v.paired ? "Paired" + (v.tenant.empty() ? std::string() : " with " + v.tenant) : "Not paired",
                 v.paired ? color::green : color::amber, l.fonts.big);
            text("Show the server's pairing QR code to the camera (or the handheld scanner) while this screen is "
                 "open, or type the server address and the pairing code:",
                 color::text, nullptr, true);
            ImGui::Dummy(ImVec2(0, l.pad * 0.5f));
            row_label("Server address");
            if (button(((v.pair_url.empty() ? std::string("https://\u2026") : v.pair_url) + "##url").c_str(),
                       ImVec2(iw - 210 * l.k, l.touch), color::panel2, !v.pairing))
                push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::ServerUrl));
            row_label("Pairing code");
            if (button(v.pairing ? "Pairing\u2026##code" : "Type PAIR-XXXX-XXXX and pair##code",
                       ImVec2(iw - 210 * l.k, l.touch), color::accent, !v.pairing))
                push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::PairCode));
            text("Typed pairing trusts only publicly trusted certificates (the system's store); a server with its "
                 "own certificate authority needs its QR code.",
                 color::dim, l.fonts.small, true);
            ImGui::Dummy(ImVec2(0, l.pad));
            row_label("Station name");
            if (button((c.station_name + "##name").c_str(), ImVec2(iw - 210 * l.k, l.touch)))
                push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::StationName));
            break;
        }
        case 1: {
            text("Scale driver", color::dim);
            static const char* drivers[] = {"sim", "hid", "mt-sics", "and", "ohaus", "cas", "hx711"};
            const float dw = (iw - 6 * 6 * l.k) / 7;
            for (int i = 0; i < 7; ++i) {
                if (i) ImGui::SameLine(0, 6 * l.k);
                if (chip(drivers[i], c.scale.driver == drivers[i], ImVec2(dw, 48 * l.k)))
                    push(out, IntentKind::SetupScaleDriver, drivers[i]);
            }
            row_label("Device");
            if (button(((c.scale.device.empty() ? std::string("(none)") : c.scale.device) + "##sdev").c_str(),
                       ImVec2(iw - 210 * l.k, 48 * l.k)))
                push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::ScaleDevice));
            std::snprintf(buf, sizeof buf, "%.1f g", c.scale.stable_spread_g);
            stepper("spread", "Stable within", buf, "stable_spread", 0.5);
            ImGui::Separator();
            text("HX711 calibration (two points)", color::dim);
            text("Choose the hx711 driver and its device, then: empty pan, known weight.", color::dim, l.fonts.small);
            const float cw = (iw - 2 * l.pad) / 3;
            if (button(v.cal_stage == CalStage::Idle ? "1. Capture zero" : "1. Zero \u2713", ImVec2(cw, l.touch),
                       v.cal_stage == CalStage::Idle ? color::accent : color::green))
                push(out, IntentKind::SetupCalZero);
            ImGui::SameLine(0, l.pad);
            std::snprintf(buf, sizeof buf, "Known: %.0f g##known", v.cal_known_g);
            if (button(buf, ImVec2(cw, l.touch))) push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::CalKnownWeight));
            ImGui::SameLine(0, l.pad);
            if (button("2. Capture weight", ImVec2(cw, l.touch), color::accent, v.cal_stage == CalStage::ZeroCaptured))
                push(out, IntentKind::SetupCalKnown);
            break;
        }
        case 2: {
            text("Camera driver", color::dim);
            static const char* drivers[] = {"sim", "v4l2", "images", "none"};
            const float dw = (iw - 3 * 6 * l.k) / 4;
            for (int i = 0; i < 4; ++i) {
                if (i) ImGui::SameLine(0, 6 * l.k);
                if (chip(drivers[i], c.camera.driver == drivers[i], ImVec2(dw, 48 * l.k)))
                    push(out, IntentKind::SetupCameraDriver, drivers[i]);
            }
            row_label("Device");
            if (button((c.camera.device + "##cdev").c_str(), ImVec2(iw - 210 * l.k, 48 * l.k)))
                push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::CameraDevice));
            std::snprintf(buf, sizeof buf, "Now: %s", s.camera.connected ? s.camera.device.c_str() : s.camera.error.c_str());
            text(buf, s.camera.connected ? color::green : color::amber, nullptr, true);
            break;
        }
        case 3: {
            row_label("Default tare");
            std::snprintf(buf, sizeof buf, "%s##tare",
                          c.weigh.default_tare_g ? fmt_g(*c.weigh.default_tare_g).c_str() : "not set");
            if (button(buf, ImVec2(200 * l.k, l.touch))) push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::DefaultTare));
            row_label("Auto-commit");
            if (button(c.weigh.auto_commit ? "ON##ac" : "OFF##ac", ImVec2(120 * l.k, l.touch),
                       c.weigh.auto_commit ? color::green : color::grey))
                push(out, IntentKind::SetupToggleAutoCommit);
            std::snprintf(buf, sizeof buf, "%.1f s", c.weigh.auto_commit_stable_ms / 1000.0);
            stepper("acs", "Stable for", buf, "auto_commit_s", 0.5);
            std::snprintf(buf, sizeof buf, "%d s", c.weigh.undo_seconds);
            stepper("undo", "Undo window", buf, "undo_s", 1);
            break;
        }
        default: {
            text("Blank the screen after", color::dim);
            static const std::pair<const char*, int> opts[] = {{"Never", 0}, {"1 min", 60}, {"5 min", 300},
                                                               {"15 min", 900}, {"30 min", 1800}};
            const float dw = (iw - 4 * 6 * l.k) / 5;
            for (int i = 0; i < 5; ++i) {
                if (i) ImGui::SameLine(0, 6 * l.k);
                if (chip(opts[i].first, c.display.blank_after_s == opts[i].second, ImVec2(dw, l.touch)))
                    push(out, IntentKind::SetupBlank, {}, opts[i].second);
            }
            text("A touch or a handheld scan wakes the screen (the camera rests while blank).", color::dim, l.fonts.small);
        }
    }
    if (!v.message.empty()) {
        ImGui::Dummy(ImVec2(0, 4 * l.k));
        text(v.message, v.message_is_error ? color::red : color::green, nullptr, true);
    }
    ImGui::EndChild();
    // save / revert
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - bottom_h));
    text(v.dirty ? "Unsaved changes" : "Saved", v.dirty ? color::amber : color::dim);
    ImGui::SetCursorScreenPos(ImVec2(o.x + sz.x - 2 * 160 * l.k - l.pad, o.y + sz.y - bottom_h));
    if (button("Revert", ImVec2(160 * l.k, bottom_h), color::panel2, v.dirty)) push(out, IntentKind::SetupRevert);
    ImGui::SameLine(0, l.pad);
    if (button("Save", ImVec2(160 * l.k, bottom_h), color::green, v.dirty)) push(out, IntentKind::SetupSave);

    // edit overlay: keyboard or keypad
    if (v.editing != SetupField::None) {
        ImDrawList* fg = ImGui::GetForegroundDrawList();
        (void)fg;
        const ImVec2 ep(l.content_pos.x, l.content_pos.y);
        ImGui::SetNextWindowPos(ep);
        ImGui::SetNextWindowSize(l.content_size);
        ImGui::PushStyleColor(ImGuiCol_WindowBg, color::bg);
        ImGui::Begin("##setup_edit", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
        static const char* names[] = {"", "Pairing code (PAIR-XXXX-XXXX)", "Scale device", "Camera device",
                                      "Default tare (g)", "Known calibration weight (g)", "Station name",
                                      "Server address (https://host[:port])"};
        ImGui::SetCursorScreenPos(ImVec2(ep.x + l.pad, ep.y + l.pad));
        text(names[int(v.editing)], color::dim);
        ImVec2 bp(ep.x + l.pad, ImGui::GetCursorScreenPos().y);
        const float bw = l.content_size.x - 2 * l.pad - 2 * (120 * l.k + l.pad);
        ImGui::GetWindowDrawList()->AddRectFilled(bp, ImVec2(bp.x + bw, bp.y + l.touch), u32(color::panel), 8);
        ImGui::SetCursorScreenPos(ImVec2(bp.x + l.pad, bp.y + (l.touch - l.fonts.big->FontSize) / 2));
        // The end of what was typed, as much as fits the field ("…" in front when the start is cut off).
        std::string shown = v.edit_buffer + "_";
        ImGui::PushFont(l.fonts.big);
        const float room = bw - 2 * l.pad;
        if (ImGui::CalcTextSize(shown.c_str()).x > room) {
            size_t cut = 0;
            while (cut + 1 < shown.size() &&
                   ImGui::CalcTextSize(("\u2026" + shown.substr(cut)).c_str()).x > room)
                ++cut;
            shown = "\u2026" + shown.substr(cut);
        }
        ImGui::PopFont();
        text(shown, color::text, l.fonts.big);
        ImGui::SetCursorScreenPos(ImVec2(bp.x + bw + l.pad, bp.y));
        if (button("Cancel", ImVec2(120 * l.k, l.touch))) push(out, IntentKind::SetupEditCancel);
        ImGui::SameLine(0, l.pad);
        if (button("OK", ImVec2(120 * l.k, l.touch), color::green)) push(out, IntentKind::SetupEditDone);
        const float ky = bp.y + l.touch + l.pad;
        const ImVec2 ksz(l.content_size.x - 2 * l.pad, ep.y + l.content_size.y - l.pad - ky);
        if (v.edit_numeric) {
            keypad(ImVec2(ep.x + l.pad + ksz.x * 0.2f, ky), ImVec2(ksz.x * 0.6f, ksz.y), l, out, IntentKind::SetupKey,
                   IntentKind::SetupBackspace);
        } else {
            keyboard(ImVec2(ep.x + l.pad, ky), ksz, l, out, IntentKind::SetupKey, IntentKind::SetupBackspace,
                     IntentKind::SetupEditDone);
        }
        ImGui::End();
        ImGui::PopStyleColor();
    }
    return out;
}

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
    switch (s.screen) {
        case Screen::Weigh: add(draw_weigh(s, cl, tex)); break;
        case Screen::LogUsage: add(draw_usage(s, cl)); break;
        case Screen::Stock: add(draw_stock(s, cl)); break;
        case Screen::SpoolDetail: add(draw_detail(s, cl)); break;
        case Screen::Reorder: add(draw_reorder(s, cl)); break;
        case Screen::Sync: add(draw_sync(s, cl)); break;
        case Screen::Setup: add(draw_setup(s, cl)); break;
    }
    ImGui::End();
    add(draw_demo_panel(s, l));
    add(draw_toasts(s, l));
    return out;
}

}  // namespace batchivo::station::ui
