#include "station/ui/widgets.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

namespace batchivo::station::ui {

ImU32 u32(const ImVec4& c, float alpha) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, c.w * alpha)); }

ImU32 parse_hex(const std::string& hex, ImU32 fallback) {
    if (hex.size() != 7 || hex[0] != '#') return fallback;
    unsigned v = 0;
    if (std::sscanf(hex.c_str() + 1, "%6x", &v) != 1) return fallback;
    return IM_COL32((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF, 255);
}

ImVec4 status_color(StockStatus s) {
    switch (s) {
        case StockStatus::Ok: return color::green;
        case StockStatus::Low: return color::amber;
        case StockStatus::Critical: return color::red;
        case StockStatus::Depleted: return color::grey;
    }
    return color::grey;
}

const char* status_label(StockStatus s) {
    switch (s) {
        case StockStatus::Ok: return "OK";
        case StockStatus::Low: return "LOW";
        case StockStatus::Critical: return "CRITICAL";
        case StockStatus::Depleted: return "EMPTY";
    }
    return "?";
}

bool button(const char* label, ImVec2 size, ImVec4 bg, bool enabled, ImFont* font) {
    ImVec4 hover(std::min(1.f, bg.x * 1.15f + 0.03f), std::min(1.f, bg.y * 1.15f + 0.03f),
                 std::min(1.f, bg.z * 1.15f + 0.03f), 1);
    ImVec4 active(bg.x * 0.8f, bg.y * 0.8f, bg.z * 0.8f, 1);
    ImGui::PushStyleColor(ImGuiCol_Button, bg);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, active);
    if (font) ImGui::PushFont(font);
    if (!enabled) ImGui::BeginDisabled();
    bool pressed = ImGui::Button(label, size);
    if (!enabled) ImGui::EndDisabled();
    if (font) ImGui::PopFont();
    ImGui::PopStyleColor(3);
    return pressed && enabled;
}

bool chip(const char* label, bool selected, ImVec2 size) {
    return button(label, size, selected ? color::accent : color::panel2);
}

void swatch(ImDrawList* dl, ImVec2 c, float r, const std::string& hex) {
    dl->AddCircleFilled(c, r, parse_hex(hex, IM_COL32(128, 128, 128, 255)), 32);
    dl->AddCircle(c, r, IM_COL32(230, 230, 230, 200), 32, std::max(1.5f, r * 0.08f));
    if (hex.empty()) dl->AddLine(ImVec2(c.x - r * 0.6f, c.y + r * 0.6f), ImVec2(c.x + r * 0.6f, c.y - r * 0.6f),
                                 IM_COL32(230, 230, 230, 200), 2);
}

void remaining_bar(ImVec2 size, double percent, StockStatus status) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    float r = size.y * 0.35f;
    dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), u32(color::bg), r);
    float f = static_cast<float>(std::clamp(percent, 0.0, 100.0) / 100.0);
    if (f > 0) dl->AddRectFilled(p, ImVec2(p.x + std::max(size.y, size.x * f), p.y + size.y), u32(status_color(status)), r);
    dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), u32(color::dim, 0.6f), r);
    ImGui::Dummy(size);
}

void panel_bg(ImVec2 p, ImVec2 size, ImVec4 c) {
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), u32(c), 10.0f);
}

void text(const std::string& s, ImVec4 c, ImFont* font, bool wrap) {
    if (font) ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, c);
    if (wrap) ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(s.c_str());
    if (wrap) ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
}

void text_centered(const std::string& s, float width, ImVec4 c, ImFont* font) {
    if (font) ImGui::PushFont(font);
    float tw = ImGui::CalcTextSize(s.c_str()).x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (width - tw) * 0.5f));
    ImGui::PushStyleColor(ImGuiCol_Text, c);
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
}

std::string fmt_g(double g, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f g", decimals, g);
    return buf;
}

std::string fmt_ago(int64_t then, int64_t now) {
    int64_t s = (now - then) / 1000;
    char buf[48];
    if (s < 60) return "just now";
    if (s < 3600) std::snprintf(buf, sizeof buf, "%lld min ago", static_cast<long long>(s / 60));
    else if (s < 86400) std::snprintf(buf, sizeof buf, "%lld h ago", static_cast<long long>(s / 3600));
    else std::snprintf(buf, sizeof buf, "%lld days ago", static_cast<long long>(s / 86400));
    return buf;
}

std::string fmt_clock(int64_t epoch_ms) {
    std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%d %b %H:%M", &tm);
    return buf;
}

void spool_card(const SpoolCard& c, ImVec2 size, const Layout& l) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    panel_bg(p, size);
    const float pad = l.pad * 1.2f;
    const float r = 30 * l.k;
    swatch(ImGui::GetWindowDrawList(), ImVec2(p.x + pad + r, p.y + pad + r), r, c.spool.color_hex);
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad * 2 + r * 2, p.y + pad));
    ImGui::BeginGroup();
    text(c.spool.spool_id, color::text, l.fonts.big);
    text(c.spool.brand + " \u00b7 " + (c.spool.material_name.empty() ? "?" : c.spool.material_name), color::text);
    text(c.spool.color.empty() ? "colour not set" : c.spool.color, color::dim);
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y + pad + std::max(r * 2, 3 * 28 * l.k) + l.pad));
    float inner = size.x - 2 * pad;
    remaining_bar(ImVec2(inner, 22 * l.k), c.stock.remaining_percent, c.stock.status);
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, ImGui::GetCursorScreenPos().y));
    char buf[96];
    std::snprintf(buf, sizeof buf, "%d g of %d g  (%.0f%%)", c.spool.current_weight_g, c.spool.initial_weight_g,
                  c.stock.remaining_percent);
    text(buf, color::text);
    ImGui::SameLine();
    float chip_w = ImGui::CalcTextSize(status_label(c.stock.status)).x + 16 * l.k;
    ImGui::SetCursorScreenPos(ImVec2(p.x + size.x - pad - chip_w, ImGui::GetCursorScreenPos().y));
    ImVec2 cp = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(cp, ImVec2(cp.x + chip_w, cp.y + ImGui::GetTextLineHeight() + 2),
                                              u32(status_color(c.stock.status)), 6);
    ImGui::SetCursorScreenPos(ImVec2(cp.x + 8 * l.k, cp.y + 1));
    text(status_label(c.stock.status), color::text);
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, ImGui::GetCursorScreenPos().y));
    if (!c.spool.storage_location.empty()) text("Location: " + c.spool.storage_location, color::dim);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + size.y));
    ImGui::Dummy(ImVec2(0, 0));
}

void push(Intents& out, IntentKind k, std::string text, double value, int index) {
    out.push_back(Intent{k, std::move(text), value, index});
}

namespace {
std::map<std::string, float>& scroll_requests() {
    static std::map<std::string, float> m;  // UI thread only
    return m;
}
}  // namespace

void request_scroll(const char* child, float y) { scroll_requests()[child] = y; }
void apply_scroll_request(const char* child) {
    auto& m = scroll_requests();
    if (auto it = m.find(child); it != m.end()) {
        ImGui::SetScrollY(it->second);
        m.erase(it);
    }
}

bool begin_region(const char* id, ImVec2 pos, ImVec2 size, bool bg) {
    ImGui::SetCursorScreenPos(pos);
    if (bg) ImGui::PushStyleColor(ImGuiCol_ChildBg, color::panel);
    bool open = ImGui::BeginChild(id, size, false, kChild);
    if (bg) ImGui::PopStyleColor();
    return open;
}

}  // namespace batchivo::station::ui
