// The weigh screen (home): idle guide + camera preview, spool card, live weighing with tare chips, Confirm /
// Saving… / Saved + Undo, and the problem box.
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station::ui {

namespace {

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
                if (w.saving) {
                    label = "Saving\u2026";
                } else if (w.used_since_last_g && w.can_confirm) {
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

}  // namespace batchivo::station::ui
