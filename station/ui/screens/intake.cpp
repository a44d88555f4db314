// Add spool: purchase lines or material chips + brand/color fields on the left, the live weight (gross, tare with
// its source, initial weight) and Save on the right; the on-screen keyboard with suggestion chips while a field is
// edited; after Save the result with Print label / Weigh it now / Add another / Done.
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cstdio>

#include "station/ui/keyboards.hpp"
#include "station/ui/widgets.hpp"

namespace batchivo::station::ui {

namespace {

const char* field_title(IntakeField f) {
    switch (f) {
        case IntakeField::Brand: return "Brand";
        case IntakeField::Color: return "Color";
        case IntakeField::Location: return "Location";
        case IntakeField::SpoolId: return "Spool id";
        case IntakeField::None: return "";
    }
    return "";
}

// A field as a full-width touch button: "Brand   Bambu Lab" (the placeholder dimmed when empty).
void field_button(const char* id, IntakeField f, const std::string& value, const char* placeholder, float w,
                  const Layout& l, Intents& out) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(id);
    if (button("##field", ImVec2(w, l.touch), color::panel2)) push(out, IntentKind::IntakeEdit, std::string(to_string(f)));
    ImGui::PopID();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float ty = p.y + (l.touch - l.fonts.body->FontSize) / 2;
    dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(p.x + 12 * l.k, ty + 3 * l.k), u32(color::dim), field_title(f));
    const bool empty = value.empty();
    dl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(p.x + 100 * l.k, ty), u32(empty ? color::dim : color::text),
                empty ? placeholder : value.c_str());
}

void draw_editor(const IntakeView& v, const Layout& l, Intents& out) {
    const ImVec2 ep(l.content_pos.x, l.content_pos.y);
    ImGui::SetNextWindowPos(ep);
    ImGui::SetNextWindowSize(l.content_size);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, color::bg);
    ImGui::Begin("##intake_edit", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    const float w = l.content_size.x - 2 * l.pad;
    const ImVec2 bp(ep.x + l.pad, ep.y + l.pad);
    const float ok_w = 120 * l.k;
    const float bw = w - ok_w - l.pad;
    ImGui::GetWindowDrawList()->AddRectFilled(bp, ImVec2(bp.x + bw, bp.y + l.touch), u32(color::panel), 8);
    ImGui::GetWindowDrawList()->AddText(l.fonts.small, l.fonts.small->FontSize,
                                        ImVec2(bp.x + 10 * l.k, bp.y + (l.touch - l.fonts.small->FontSize) / 2),
                                        u32(color::dim), field_title(v.editing));
    std::string shown = v.edit_buffer + "_";
    ImGui::PushFont(l.fonts.big);
    const float room = bw - 110 * l.k;
    while (shown.size() > 1 && ImGui::CalcTextSize(shown.c_str()).x > room) shown.erase(0, 1);
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(bp.x + 100 * l.k, bp.y + (l.touch - l.fonts.big->FontSize) / 2));
    text(shown, color::text, l.fonts.big);
    ImGui::SetCursorScreenPos(ImVec2(bp.x + bw + l.pad, bp.y));
    if (button("OK##intake_ok", ImVec2(ok_w, l.touch), color::green)) push(out, IntentKind::IntakeEditDone);
    float y = bp.y + l.touch + l.pad;
    // suggestions: existing spools' values and the tare data's brands
    const float chip_h = 48 * l.k;
    if (!v.suggestions.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(bp.x, y));
        const size_t n = std::min<size_t>(v.suggestions.size(), 4);
        const float cw = (w - (n - 1) * 6 * l.k) / n;
        for (size_t i = 0; i < n; ++i) {
            if (i) ImGui::SameLine(0, 6 * l.k);
            ImGui::PushID(static_cast<int>(i) + 500);
            if (chip(v.suggestions[i].c_str(), false, ImVec2(cw, chip_h))) push(out, IntentKind::IntakeSuggest, v.suggestions[i]);
            ImGui::PopID();
        }
    }
    y += chip_h + l.pad;
    keyboard(ImVec2(bp.x, y), ImVec2(w, ep.y + l.content_size.y - l.pad - y), l, out, IntentKind::IntakeKey,
             IntentKind::IntakeBackspace, IntentKind::IntakeEditDone);
    ImGui::End();
    ImGui::PopStyleColor();
}

void draw_saved(const IntakeView& v, const Layout& l, Intents& out) {
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    const float bh = l.big_button;
    panel_bg(o, ImVec2(sz.x, sz.y - bh - l.pad));
    ImGui::SetCursorScreenPos(ImVec2(o.x + 2 * l.pad, o.y + 2 * l.pad));
    text("Spool added", color::green, l.fonts.big);
    ImGui::SetCursorScreenPos(ImVec2(o.x + 2 * l.pad, ImGui::GetCursorScreenPos().y + 4 * l.k));
    // (the huge font carries digits only: the id is drawn big)
    text(v.saved_spool_id.empty() ? std::string("Spool id: assigned by the server at sync") : v.saved_spool_id,
         v.saved_spool_id.empty() ? color::dim : color::text, v.saved_spool_id.empty() ? l.fonts.body : l.fonts.big);
    ImGui::SetCursorScreenPos(ImVec2(o.x + 2 * l.pad, ImGui::GetCursorScreenPos().y + 4 * l.k));
    text(v.saved_summary, color::text, l.fonts.body);
    ImGui::SetCursorScreenPos(ImVec2(o.x + 2 * l.pad, ImGui::GetCursorScreenPos().y + 2 * l.k));
    text(fmt_g(v.saved_weight_g) + " of filament (" + v.weight_source + ")", color::text, l.fonts.body);
    ImGui::SetCursorScreenPos(ImVec2(o.x + 2 * l.pad, ImGui::GetCursorScreenPos().y + 8 * l.k));
    ImGui::PushTextWrapPos(o.x + sz.x - 2 * l.pad);
    text("Saved on this station as record #" + std::to_string(v.saved_seq) + ": usable at once, it syncs with the queue" +
             (v.saved_spool_id.empty() ? " and the server assigns its id." : ".") + (v.printed ? " Label printed." : ""),
         color::dim, l.fonts.small, true);
    ImGui::PopTextWrapPos();
    // buttons
    const float y = o.y + sz.y - bh;
    const float bw = (sz.x - 3 * l.pad) / 4;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    const char* print_label = v.printing ? "Printing\u2026" : v.printer_configured ? "Print label" : "No printer";
    if (button(print_label, ImVec2(bw, bh), color::accent, v.printer_configured && !v.printing))
        push(out, IntentKind::IntakePrint);
    ImGui::SameLine(0, l.pad);
    if (button("Weigh it now", ImVec2(bw, bh))) push(out, IntentKind::IntakeWeighNow);
    ImGui::SameLine(0, l.pad);
    if (button("Add another", ImVec2(bw, bh))) push(out, IntentKind::IntakeAnother);
    ImGui::SameLine(0, l.pad);
    if (button("Done", ImVec2(bw, bh), color::green)) push(out, IntentKind::IntakeDone);
}

}  // namespace

Intents draw_intake(const StationSnapshot& s, const Layout& l, const Textures&) {
    Intents out;
    const IntakeView& v = s.intake;
    if (v.saved) {
        draw_saved(v, l, out);
        return out;
    }
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    const float right_w = 236 * l.k;
    const float left_w = sz.x - right_w - l.pad;
    const float chip_h = 48 * l.k;
    float y = o.y;

    // ---- left: where the spool comes from
    if (!v.lines.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        const float cw = (left_w - 6 * l.k) / 2;
        if (chip("From a purchase", v.from_purchase, ImVec2(cw, chip_h))) push(out, IntentKind::IntakeMode, "purchase");
        ImGui::SameLine(0, 6 * l.k);
        if (chip("Enter by hand", !v.from_purchase, ImVec2(cw, chip_h))) push(out, IntentKind::IntakeMode, "manual");
        y += chip_h + 6 * l.k;
    }
    const float fields_h = 2 * l.touch + 6 * l.k;  // location + spool id, at the bottom of the left column
    const float mid_h = o.y + sz.y - fields_h - y - 6 * l.k;
    if (v.from_purchase) {
        if (begin_region("##intake_lines", ImVec2(o.x, y), ImVec2(left_w, mid_h), true)) {
            const float row_h = 60 * l.k;
            for (size_t i = 0; i < v.lines.size(); ++i) {
                const IntakeLineRow& r = v.lines[i];
                ImGui::PushID(static_cast<int>(i));
                const ImVec2 p = ImGui::GetCursorScreenPos();
                if (button("##line", ImVec2(left_w, row_h - 4 * l.k), r.selected ? color::accent : (i % 2 ? color::panel : color::panel2)))
                    push(out, IntentKind::IntakePickLine, r.id);
                ImDrawList* dl = ImGui::GetWindowDrawList();
                dl->AddText(l.fonts.body, l.fonts.body->FontSize, ImVec2(p.x + 12 * l.k, p.y + 5 * l.k), u32(color::text),
                            r.title.c_str());
                dl->AddText(l.fonts.small, l.fonts.small->FontSize, ImVec2(p.x + 12 * l.k, p.y + 32 * l.k),
                            u32(r.selected ? color::text : color::dim), r.detail.c_str());
                ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
                ImGui::PopID();
            }
            ImGui::Dummy(ImVec2(0, 0));
        }
        ImGui::EndChild();
    } else {
        // material chips (most used first), two rows; with more than 8 the last chip pages through the rest
        // (the page is UI-only state in ImGui storage)
        const int per_row = 4, slots = 2 * per_row;
        const int total = static_cast<int>(v.materials.size());
        const bool paged = total > slots;
        const int per_page = paged ? slots - 1 : slots;
        ImGuiStorage* st = ImGui::GetStateStorage();
        const ImGuiID page_key = ImGui::GetID("##intake_material_page");
        int page = st->GetInt(page_key, 0);
        if (page * per_page >= total) page = 0;
        const int first = page * per_page;
        const int nm = std::min(per_page, total - first);
        const float mw = (left_w - (per_row - 1) * 6 * l.k) / per_row;
        for (int i = 0; i < nm + (paged ? 1 : 0); ++i) {
            if (i % per_row == 0) ImGui::SetCursorScreenPos(ImVec2(o.x, y + (i / per_row) * (chip_h + 6 * l.k)));
            else ImGui::SameLine(0, 6 * l.k);
            ImGui::PushID(200 + i);
            if (i == nm) {
                if (chip("More \u25b6", false, ImVec2(mw, chip_h))) st->SetInt(page_key, (first + per_page >= total) ? 0 : page + 1);
            } else {
                const std::string& m = v.materials[size_t(first + i)];
                if (chip(m.c_str(), m == v.material, ImVec2(mw, chip_h))) push(out, IntentKind::IntakeMaterial, m);
            }
            ImGui::PopID();
        }
        if (nm == 0) {
            ImGui::SetCursorScreenPos(ImVec2(o.x, y));
            text("No material types yet: sync with the server first.", color::amber);
        }
        y += (nm + (paged ? 1 : 0) > per_row ? 2 : 1) * (chip_h + 6 * l.k);
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        field_button("brand", IntakeField::Brand, v.brand, "tap to type", left_w, l, out);
        y += l.touch + 6 * l.k;
        ImGui::SetCursorScreenPos(ImVec2(o.x, y));
        field_button("color", IntakeField::Color, v.color, "tap to type", left_w, l, out);
    }
    y = o.y + sz.y - fields_h;
    ImGui::SetCursorScreenPos(ImVec2(o.x, y));
    field_button("location", IntakeField::Location, v.location, "optional", left_w, l, out);
    ImGui::SetCursorScreenPos(ImVec2(o.x, y + l.touch + 6 * l.k));
    field_button("spool_id", IntakeField::SpoolId, v.spool_id, "optional: the server assigns one", left_w, l, out);

    // ---- right: the weight and Save
    const float rx = o.x + left_w + l.pad;
    const float save_h = l.big_button;
    const float panel_h = sz.y - save_h - l.pad;
    panel_bg(ImVec2(rx, o.y), ImVec2(right_w, panel_h));
    ImGui::PushClipRect(ImVec2(rx, o.y), ImVec2(rx + right_w, o.y + panel_h), true);
    const float tx = rx + l.pad;
    ImGui::SetCursorScreenPos(ImVec2(tx, o.y + l.pad));
    char buf[128];
    if (v.gross_g) {
        text(v.stable ? "On the scale" : "On the scale (settling)", color::dim, l.fonts.small);
        std::snprintf(buf, sizeof buf, "%.0f g", *v.gross_g);
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        text(buf, v.stable ? color::text : color::amber, l.fonts.big);
    } else {
        text(v.scale_connected ? "Scale empty" : "No scale", color::dim, l.fonts.small);
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        text("Put the full spool on the scale", color::dim, l.fonts.small);
    }
    ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y + 4 * l.k));
    if (v.tare_g) {
        std::snprintf(buf, sizeof buf, "Tare %.0f g", *v.tare_g);
        text(buf, color::text, l.fonts.body);
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        ImGui::PushTextWrapPos(rx + right_w - l.pad);
        text(v.tare_source, color::dim, l.fonts.small, true);
        ImGui::PopTextWrapPos();
    }
    ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y + 6 * l.k));
    if (v.initial_weight_g) {
        text(v.gross_g ? "Initial weight = gross \u2212 tare" : "Initial weight (nominal)", color::dim, l.fonts.small);
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        text(fmt_g(*v.initial_weight_g), color::green, l.fonts.big);
        if (!v.gross_g) {
            ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
            text("from the " + v.weight_source, color::dim, l.fonts.small);
        }
    }
    if (!v.message.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y + 6 * l.k));
        ImGui::PushTextWrapPos(rx + right_w - l.pad);
        text(v.message, v.message_is_error ? color::red : color::amber, l.fonts.small, true);
        ImGui::PopTextWrapPos();
    }
    ImGui::PopClipRect();
    ImGui::SetCursorScreenPos(ImVec2(rx, o.y + sz.y - save_h));
    // Enabled even when the input is not complete yet: a tap says what is missing and saves nothing.
    if (button(v.saving ? "Saving\u2026" : "Save", ImVec2(right_w, save_h), v.can_save ? color::green : color::grey,
               !v.saving))
        push(out, IntentKind::IntakeSave);

    if (v.editing != IntakeField::None) draw_editor(v, l, out);
    return out;
}

}  // namespace batchivo::station::ui
