// Stock: search field + keyboard, material and status chips, paged rows, catalog freshness.
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"
#include "station/ui/keyboards.hpp"

namespace batchivo::station::ui {

Intents draw_stock(const StationSnapshot& s, const Layout& l, const Textures&) {
    Intents out;
    const StockView& v = s.stock;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    float y = o.y;
    // search row
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    const float reorder_w = 110 * l.k, clear_w = 80 * l.k, mode_w = 120 * l.k, add_w = 130 * l.k;
    const float search_w = sz.x - reorder_w - clear_w - mode_w - add_w - 4 * l.pad;
    std::string q = v.query.empty() ? (v.products_mode ? "SKU or name\u2026" : "Search spools\u2026")
                                    : v.query + (v.keyboard ? "_" : "");
    ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
    if (button((q + "##search").c_str(), ImVec2(search_w, l.touch), v.keyboard ? color::accent : color::bg))
        push(out, IntentKind::StockToggleKeyboard);
    ImGui::PopStyleVar();
    ImGui::SameLine(0, l.pad);
    if (button("Clear", ImVec2(clear_w, l.touch), color::panel2, !v.query.empty())) push(out, IntentKind::StockClear);
    ImGui::SameLine(0, l.pad);
    if (button(v.products_mode ? "Spools" : "Products", ImVec2(mode_w, l.touch), v.products_mode ? color::accent : color::panel2))
        push(out, IntentKind::StockMode, v.products_mode ? "spools" : "products");
    ImGui::SameLine(0, l.pad);
    if (button("Reorder", ImVec2(reorder_w, l.touch))) push(out, IntentKind::Navigate, "reorder");
    ImGui::SameLine(0, l.pad);
    if (button("Add spool", ImVec2(add_w, l.touch), color::green)) push(out, IntentKind::Navigate, "intake");
    y += l.touch + l.pad;
    if (v.products_mode) {
        const float kb = v.keyboard ? std::min(sz.y * 0.66f, 268 * l.k) : 0;
        draw_stock_products(v, l, ImVec2(o.x, y), ImVec2(sz.x, o.y + sz.y - y - kb - (v.keyboard ? l.pad : 0)), out);
        if (v.keyboard)
            keyboard(ImVec2(o.x, o.y + sz.y - kb), ImVec2(sz.x, kb), l, out, IntentKind::StockKey,
                     IntentKind::StockBackspace, IntentKind::StockToggleKeyboard);
        return out;
    }
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

}  // namespace batchivo::station::ui
