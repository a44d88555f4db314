// Sync: queue tiles, Sync now, rejected records with Retry / Discard (confirmed).
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station::ui {

Intents draw_sync(const StationSnapshot& s, const Layout& l, const Textures&) {
    Intents out;
    const SyncView& v = s.sync_screen;
    const sync::SyncStatus& st = s.sync;
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
        {"Server",
         !st.paired    ? "not paired"
         : st.revoked  ? (st.target == "batchivo" ? "sign in again" : st.target == "spoolman" ? "key refused" : "revoked")
         : st.reachable ? "reachable"
                        : "unreachable",
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
    // Notices on applied records (e.g. a spool id central changed): amber, wrapped, above the list.
    for (const auto& r : v.notices) {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + sz.x - l.pad);
        text(fmt_clock(r.device_time_ms) + "  " + r.reason, color::amber, l.fonts.small, true);
        ImGui::PopTextWrapPos();
    }
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

}  // namespace batchivo::station::ui
