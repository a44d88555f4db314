// Spool detail: card, remaining weight over time (plot) and the merged history.
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station::ui {

Intents draw_detail(const StationSnapshot& s, const Layout& l, const Textures&) {
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
    const float card_h = std::min(236 * l.k, sz.y - 2 * (l.touch + l.pad));
    spool_card(*d.card, ImVec2(left_w, card_h), l);
    // "Print label": its own row above the two actions; disabled with the reason when no printer is configured.
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - 2 * l.touch - l.pad));
    const char* print_text = d.printing ? "Printing label\u2026##print"
                             : d.printer_configured ? "Print label##print"
                                                    : "No printer set (Setup)##print";
    if (button(print_text, ImVec2(left_w, l.touch), color::panel2, d.printer_configured && !d.printing))
        push(out, IntentKind::DetailPrintLabel);
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

}  // namespace batchivo::station::ui
