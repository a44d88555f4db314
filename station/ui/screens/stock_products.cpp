// Stock screen, Products view: the product list (SKU, name, "can print N", cost per unit) or the opened product:
// "can print N" and the cost on top, then one row per BOM line (grams per unit, the linked spool's remaining
// grams, the equivalent stock, units it allows) with the limiting line highlighted. Big rows for gloved fingers.
#include <algorithm>
#include <cstdio>

#include "station/ui/screens/draw.hpp"
#include "station/ui/widgets.hpp"

namespace batchivo::station::ui {

namespace {

std::string units_text(const std::optional<int>& n) { return n ? std::to_string(*n) : std::string("-"); }

std::string money(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

void draw_list(const StockView& v, const Layout& l, ImVec2 o, ImVec2 sz, Intents& out) {
    const float row_h = 62 * l.k;
    const bool paging = sz.y >= 2 * l.touch;
    const float page_w = paging ? 64 * l.k : 0;
    const float lw = sz.x - page_w - (paging ? l.pad : 0);
    ImGui::SetCursorScreenPos(o);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, color::panel);
    ImGui::BeginChild("##product_list", ImVec2(lw, sz.y), false, kChild);
    ImGui::PopStyleColor();
    apply_scroll_request("##product_list");
    if (v.products.empty()) {
        ImGui::SetCursorPos(ImVec2(l.pad, l.pad));
        text(v.products_total == 0 ? "No products in the catalog: add them on the server (batchivo-central product add)."
                                   : "No product matches.",
             color::dim, nullptr, true);
    }
    for (size_t i = 0; i < v.products.size(); ++i) {
        const ProductRow& r = v.products[i];
        ImGui::PushID(static_cast<int>(i));
        const ImVec2 p = ImGui::GetCursorScreenPos();
        if (button("##prow", ImVec2(lw, row_h - 4 * l.k), i % 2 ? color::panel : color::panel2))
            push(out, IntentKind::StockOpenProduct, r.sku);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(p.x + 14 * l.k, p.y + 5 * l.k), u32(color::text), r.sku.c_str());
        dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(p.x + 14 * l.k, p.y + 33 * l.k), u32(color::dim),
                    r.name.c_str());
        const ImVec4 c = !r.max_units || *r.max_units > 0 ? color::green : color::red;
        const std::string can = "can print " + units_text(r.max_units) + (r.has_problem ? "  !" : "");
        dl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(p.x + lw * 0.55f, p.y + 5 * l.k), u32(c), can.c_str());
        const std::string cost = "cost/unit " + money(r.cost_per_unit);
        dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(p.x + lw * 0.55f, p.y + 33 * l.k), u32(color::dim),
                    cost.c_str());
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
        ImGui::PopID();
    }
    ImGui::Dummy(ImVec2(0, 0));
    const float scroll = ImGui::GetScrollY(), max_scroll = ImGui::GetScrollMaxY();
    ImGui::EndChild();
    if (!paging) return;
    const float px = o.x + sz.x - page_w;
    ImGui::SetCursorScreenPos(ImVec2(px, o.y));
    const bool up = button("\u25b2##ppgup", ImVec2(page_w, sz.y / 2 - 3 * l.k), color::panel2, scroll > 0);
    ImGui::SetCursorScreenPos(ImVec2(px, o.y + sz.y / 2 + 3 * l.k));
    const bool down = button("\u25bc##ppgdn", ImVec2(page_w, sz.y / 2 - 3 * l.k), color::panel2, scroll < max_scroll);
    if (up || down)
        request_scroll("##product_list", std::clamp(scroll + (down ? 1 : -1) * (sz.y - row_h), 0.0f, max_scroll));
}

void draw_product(const ProductCheckView& pv, const Layout& l, ImVec2 o, ImVec2 sz, Intents& out) {
    // Header: back, SKU + name, the answer.
    const float back_w = 120 * l.k;
    ImGui::SetCursorScreenPos(o);
    if (button("\u25c0 Products", ImVec2(back_w, l.touch))) push(out, IntentKind::StockCloseProduct);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float hx = o.x + back_w + l.pad;
    dl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(hx, o.y + 2 * l.k), u32(color::text), pv.sku.c_str());
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(hx, o.y + 30 * l.k), u32(color::dim), pv.name.c_str());
    const ImVec4 c = !pv.max_units || *pv.max_units > 0 ? color::green : color::red;
    const std::string can = "can print " + units_text(pv.max_units);
    const ImVec2 cs = l.fonts.big->CalcTextSizeA(l.fonts.big->FontSize, 1e9f, 0, can.c_str());
    dl->AddText(l.fonts.big, l.fonts.big->FontSize, ImVec2(o.x + sz.x - cs.x - 4 * l.k, o.y - 4 * l.k), u32(c), can.c_str());
    const std::string cost = "cost per unit " + money(pv.cost_per_unit);
    const ImVec2 ts = l.fonts.small->CalcTextSizeA(l.fonts.small->FontSize, 1e9f, 0, cost.c_str());
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(o.x + sz.x - ts.x - 4 * l.k, o.y + cs.y - 6 * l.k),
                u32(color::dim), cost.c_str());
    float y = o.y + std::max(l.touch, cs.y + ts.y - 6 * l.k) + l.pad;

    // Column heads.
    const float c_g = o.x + sz.x * 0.42f, c_sp = o.x + sz.x * 0.56f, c_eq = o.x + sz.x * 0.71f, c_n = o.x + sz.x * 0.88f;
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(o.x + 8 * l.k, y), u32(color::dim), "material (slot)");
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c_g, y), u32(color::dim), "g / unit");
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c_sp, y), u32(color::dim), "spool");
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c_eq, y), u32(color::dim), "in stock");
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c_n, y), u32(color::dim), "units");
    y += l.fonts.small->FontSize + 4 * l.k;

    const float problems_h = pv.problems.empty() ? 0 : (l.fonts.small->FontSize + 2 * l.k) * static_cast<float>(std::min<size_t>(2, pv.problems.size()));
    const float list_h = o.y + sz.y - y - problems_h;
    const float row_h = 58 * l.k;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, color::panel);
    ImGui::BeginChild("##product_lines", ImVec2(sz.x, list_h), false, kChild);
    ImGui::PopStyleColor();
    ImDrawList* cl = ImGui::GetWindowDrawList();
    for (size_t i = 0; i < pv.lines.size(); ++i) {
        const ProductLineRow& r = pv.lines[i];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const ImVec4 bg = r.limiting ? ImVec4(0.45f, 0.16f, 0.14f, 1) : (i % 2 ? color::panel : color::panel2);
        cl->AddRectFilled(p, ImVec2(p.x + sz.x, p.y + row_h - 4 * l.k), u32(bg), 6 * l.k);
        if (r.limiting) cl->AddRect(p, ImVec2(p.x + sz.x, p.y + row_h - 4 * l.k), u32(color::red), 6 * l.k, 0, 3 * l.k);
        swatch(cl, ImVec2(p.x + 22 * l.k, p.y + row_h / 2 - 2 * l.k), 14 * l.k, r.color_hex);
        std::string head = r.spool_id + (r.slot.empty() ? "" : " (" + r.slot + ")");
        if (!r.via.empty()) head += " via " + r.via;
        cl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(p.x + 42 * l.k, p.y + 4 * l.k),
                    u32(r.missing ? color::red : color::text), head.c_str());
        const std::string sub = r.missing ? std::string("not in the catalog") : r.material;
        cl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(p.x + 42 * l.k, p.y + 31 * l.k), u32(color::dim), sub.c_str());
        auto cell = [&](float x, const std::string& s, ImVec4 col, ImFont* f) {
            cl->AddText(f, f->FontSize, ImVec2(x, p.y + 14 * l.k), u32(col), s.c_str());
        };
        cell(c_g, std::to_string(r.grams_per_unit) + " g", color::text, l.fonts.body);
        cell(c_sp, fmt_g(r.linked_remaining_g), color::text, l.fonts.body);
        const std::string eq = fmt_g(r.available_g);
        cell(c_eq, eq, color::text, l.fonts.body);
        if (r.equivalent_count > 1) {
            const std::string n = std::to_string(r.equivalent_count) + " spools";
            cl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(c_eq, p.y + 36 * l.k), u32(color::dim), n.c_str());
        }
        cell(c_n, units_text(r.max_units), r.limiting ? color::amber : color::text, l.fonts.body);
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
        ImGui::Dummy(ImVec2(sz.x, 0));
    }
    ImGui::EndChild();
    for (size_t i = 0; i < std::min<size_t>(2, pv.problems.size()); ++i) {
        ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - problems_h + static_cast<float>(i) * (l.fonts.small->FontSize + 2 * l.k)));
        text("! " + pv.problems[i], color::amber, l.fonts.small);
    }
}

}  // namespace

void draw_stock_products(const StockView& v, const Layout& l, ImVec2 origin, ImVec2 size, Intents& out) {
    if (v.product) draw_product(*v.product, l, origin, size, out);
    else draw_list(v, l, origin, size, out);
}

}  // namespace batchivo::station::ui
