// Setup: tabs for the server (batchivo-central pairing, or a Spoolman / Batchivo server by URL and sign-in, with
// what each kind guarantees), scale (drivers, calibration), camera, weighing, display and the label printer;
// keyboard / keypad.
#include "station/ui/screens/draw.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "station/ui/widgets.hpp"
#include "sync/domain/time.hpp"
#include "station/ui/keyboards.hpp"

namespace batchivo::station::ui {

namespace {
// One chip per registered driver (one row), then what the chosen one is.
void driver_chips(const std::vector<DriverChoice>& drivers, const std::string& current, IntentKind pick, float iw,
                  const Layout& l, Intents& out) {
    const int n = static_cast<int>(drivers.size());
    if (n == 0) return;
    const float gap = 6 * l.k;
    const float dw = (iw - (n - 1) * gap) / n;
    const DriverChoice* chosen = nullptr;
    for (int i = 0; i < n; ++i) {
        const auto& d = drivers[size_t(i)];
        if (i) ImGui::SameLine(0, gap);
        if (chip(d.name.c_str(), current == d.name, ImVec2(dw, 48 * l.k))) push(out, pick, d.name);
        if (current == d.name) chosen = &d;
    }
    if (chosen) text(chosen->label + (chosen->device_hint.empty() ? "" : " \u2014 e.g. " + chosen->device_hint), color::dim,
                     l.fonts.small, true);
}
}  // namespace

Intents draw_setup(const StationSnapshot& s, const Layout& l, const Textures&) {
    Intents out;
    const SetupView& v = s.setup;
    const StationConfig& c = v.config;
    const ImVec2 o(l.content_pos.x + l.pad, l.content_pos.y + l.pad);
    const ImVec2 sz(l.content_size.x - 2 * l.pad, l.content_size.y - 2 * l.pad);
    ImGuiStorage* store = ImGui::GetStateStorage();
    const ImGuiID tab_id = ImGui::GetID("setup_tab");
    int tab = store->GetInt(tab_id, 0);
    static const char* tabs[] = {"Server", "Scale", "Camera", "Weighing", "Display", "Printer"};
    constexpr int kTabs = 6;
    const float tw = (sz.x - (kTabs - 1) * 6 * l.k) / kTabs;
    ImGui::SetCursorScreenPos(o);
    for (int i = 0; i < kTabs; ++i) {
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
            // The kind of server: one chip each (a tick on the one in use).
            static const std::pair<const char*, const char*> kinds[] = {
                {"central", "Batchivo central"}, {"spoolman", "Spoolman"}, {"batchivo", "Batchivo server"}};
            const float kw = (iw - 2 * 6 * l.k) / 3;
            for (int i = 0; i < 3; ++i) {
                if (i) ImGui::SameLine(0, 6 * l.k);
                std::string label = kinds[i].second;
                if (v.current_target == kinds[i].first) label += " \u2713";
                label += "##kind";
                label += kinds[i].first;
                if (chip(label.c_str(), v.target_kind == kinds[i].first, ImVec2(kw, l.touch)))
                    push(out, IntentKind::SetupTargetKind, kinds[i].first);
            }
            ImGui::Dummy(ImVec2(0, 2 * l.k));
            const bool busy = v.pairing || v.connecting;
            // Left: the chosen kind's form. Right: the last result, then what this kind can and cannot do.
            const float lw = std::floor(iw * 0.56f), rw = iw - lw - l.pad;
            const float wide = std::floor((lw - l.pad) * 0.6f), narrow = lw - l.pad - wide;
            ImGui::BeginGroup();
            if (v.target_kind == "central") {
                if (button(((v.pair_url.empty() ? std::string("Address: https://\u2026") : "Address: " + v.pair_url) +
                            "##url")
                               .c_str(),
                           ImVec2(lw, l.touch), color::panel2, !busy))
                    push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::ServerUrl));
                if (button(v.pairing ? "Pairing\u2026##code" : "Type code PAIR-XXXX-XXXX and pair##code",
                           ImVec2(lw, l.touch), color::accent, !busy))
                    push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::PairCode));
                if (button(("Station name: " + c.station_name + "##name").c_str(), ImVec2(lw, l.touch)))
                    push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::StationName));
            } else {
                const bool spoolman = v.target_kind == "spoolman";
                auto field = [&](const std::string& label, SetupField f, float w) {
                    if (button((label + "##f" + std::to_string(int(f))).c_str(), ImVec2(w, l.touch), color::panel2,
                               !busy))
                        push(out, IntentKind::SetupEdit, {}, 0, int(f));
                };
                field(v.target_url.empty() ? std::string(spoolman ? "Address: http://\u2026:7912" : "Address: https://\u2026")
                                           : v.target_url,
                      SetupField::TargetUrl, lw);
                if (spoolman) {
                    field(v.target_api_key_set ? "API key: \u2022\u2022\u2022\u2022" : "API key: none (optional)",
                          SetupField::TargetApiKey, lw);
                } else {
                    field(v.target_email.empty() ? std::string("Email") : v.target_email, SetupField::TargetEmail,
                          wide);
                    ImGui::SameLine(0, l.pad);
                    field(v.target_password_set ? "\u2022\u2022\u2022\u2022\u2022\u2022" : "Password",
                          SetupField::TargetPassword, narrow);
                    field(v.target_tenant.empty() ? std::string("Tenant: the account's")
                                                  : "Tenant " + v.target_tenant.substr(0, 8) + "\u2026",
                          SetupField::TargetTenant, wide);
                    ImGui::SameLine(0, l.pad);
                }
                const float cw = spoolman ? lw : narrow;
                if (v.connect_blocked_pending > 0) {
                    std::snprintf(buf, sizeof buf, "Discard %lld##force",
                                  static_cast<long long>(v.connect_blocked_pending));
                    if (button(buf, ImVec2(cw, l.touch), color::red, !busy)) push(out, IntentKind::SetupConnect, {}, 1);
                } else if (button(v.connecting ? "Connecting\u2026##connect" : "Connect##connect", ImVec2(cw, l.touch),
                                  color::accent, !busy)) {
                    push(out, IntentKind::SetupConnect, {}, 0);
                }
            }
            ImGui::EndGroup();
            ImGui::SameLine(0, l.pad);
            ImGui::BeginGroup();
            ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + rw);
            if (v.target_kind == "central") {  // pairing status above the guarantees
                text(v.current_target != "central" ? std::string("Pairing makes central the server again.")
                     : v.paired ? "Paired" + (v.tenant.empty() ? std::string() : " with " + v.tenant) + "."
                                : std::string("Not paired: show its pairing QR code, or type the address and code."),
                     v.paired && v.current_target == "central" ? color::green : color::amber);
                ImGui::Dummy(ImVec2(0, 2 * l.k));
            }
            for (const auto& f : v.target_facts)
                text((f.good ? "\u2713 " : "\u2022 ") + f.topic + ": " + f.text, f.good ? color::green : color::amber,
                     l.fonts.small, true);
            ImGui::PopTextWrapPos();
            ImGui::EndGroup();
            break;
        }
        case 1: {
            text("Scale driver", color::dim);
            driver_chips(v.scale_drivers, c.scale.driver, IntentKind::SetupScaleDriver, iw, l, out);
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
            driver_chips(v.camera_drivers, c.camera.driver, IntentKind::SetupCameraDriver, iw, l, out);
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
        case 5: {
            row_label("Printer");
            if (button(((c.printer.spec.empty() ? std::string("(none) \u2014 tap to set") : c.printer.spec) + "##pspec")
                           .c_str(),
                       ImVec2(iw - 210 * l.k, l.touch), color::panel2, !v.printing))
                push(out, IntentKind::SetupEdit, {}, 0, int(SetupField::PrinterSpec));
            text("cups:QUEUE, brother-ql:/dev/usb/lp0, zpl:/dev/usb/lp0, zpl:tcp:HOST:9100, png:DIR or pdf:FILE",
                 color::dim, l.fonts.small, true);
            text("Label size", color::dim);
            const int n = static_cast<int>(v.label_sizes.size());
            const float dw = n ? (iw - (n - 1) * 6 * l.k) / n : iw;
            for (int i = 0; i < n; ++i) {
                if (i) ImGui::SameLine(0, 6 * l.k);
                const std::string& name = v.label_sizes[size_t(i)];
                if (chip(name.c_str(), c.printer.size == name, ImVec2(dw, l.touch)))
                    push(out, IntentKind::SetupPrinterSize, name);
            }
            ImGui::Dummy(ImVec2(0, l.pad * 0.5f));
            if (button(v.printing ? "Printing\u2026##test" : "Print test label##test", ImVec2(iw * 0.5f, l.touch),
                       color::accent, !v.printing && !c.printer.spec.empty()))
                push(out, IntentKind::SetupTestPrint);
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
    if (!v.message.empty() && (tab != 0 || v.dirty)) {  // else the Server tab shows it in the bottom bar
        ImGui::Dummy(ImVec2(0, 4 * l.k));
        text(v.message, v.message_is_error ? color::red : color::green, nullptr, true);
    }
    ImGui::EndChild();
    // save / revert
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + sz.y - bottom_h));
    if (tab == 0 && !v.message.empty() && !v.dirty) {  // the Server tab's result (connect, pairing) goes here
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + sz.x - 2 * 160 * l.k - 2 * l.pad);
        text(v.message, v.message_is_error ? color::red : color::green, l.fonts.small);  // wraps at the push above
        ImGui::PopTextWrapPos();
    } else {
        text(v.dirty ? "Unsaved changes" : "Saved", v.dirty ? color::amber : color::dim);
    }
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
                                      "Server address (https://host[:port])",
                                      "Printer (cups:QUEUE, brother-ql:/dev/usb/lp0, zpl:..., png:DIR, pdf:FILE)",
                                      "Server address (https://host[:port], or http:// on the local network)",
                                      "Spoolman API key (empty = none)", "Email of the Batchivo account",
                                      "Password (used to sign in, never stored)",
                                      "Tenant UUID (empty = the account's own)"};
        ImGui::SetCursorScreenPos(ImVec2(ep.x + l.pad, ep.y + l.pad));
        text(names[int(v.editing)], color::dim);
        ImVec2 bp(ep.x + l.pad, ImGui::GetCursorScreenPos().y);
        const float bw = l.content_size.x - 2 * l.pad - 2 * (120 * l.k + l.pad);
        ImGui::GetWindowDrawList()->AddRectFilled(bp, ImVec2(bp.x + bw, bp.y + l.touch), u32(color::panel), 8);
        ImGui::SetCursorScreenPos(ImVec2(bp.x + l.pad, bp.y + (l.touch - l.fonts.big->FontSize) / 2));
        // The end of what was typed, as much as fits the field ("…" in front when the start is cut off).
        const bool secret = v.editing == SetupField::TargetPassword || v.editing == SetupField::TargetApiKey;
        std::string shown;
        if (secret)
            for (size_t i = 0; i < std::min<size_t>(v.edit_buffer.size(), 24); ++i) shown += "\u2022";
        else
            shown = v.edit_buffer;
        shown += "_";
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

}  // namespace batchivo::station::ui
