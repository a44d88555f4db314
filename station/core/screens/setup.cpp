#include "station/core/screens/setup.hpp"

#include "platform/camera/camera_registry.hpp"
#include "platform/scale/scale_registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "platform/scale/hx711_scale.hpp"
#include "station/core/devices.hpp"
#include "station/core/label_printing.hpp"
#include "station/core/sync_link.hpp"
#include "sync/http/http_client.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/targets/connection.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::station {

Result<Calibration> two_point_calibration(double zero_raw, double known_raw, double known_g) {
    auto invalid = [](std::string why) { return Error{"invalid_calibration", std::move(why)}; };
    if (!(known_g > 0) || !std::isfinite(known_g)) {
        return invalid("The known weight must be more than 0 g.");
    }
    if (!std::isfinite(zero_raw) || !std::isfinite(known_raw) || std::abs(known_raw - zero_raw) < 10) {
        return invalid("The reading did not change. Is the weight on the pan?");
    }
    auto c = platform::hx711_calibrate(zero_raw, known_raw, known_g);
    if (!c) {
        return invalid("These readings cannot calibrate the load cell.");
    }
    return Calibration{c->offset, c->grams_per_count};
}

std::vector<TargetFact> target_facts(const std::string& kind) {
    if (kind == "spoolman")
        return {{"Exactly once", "yes (a marker in the spool's extra field)", true},
                {"Audit trail", "none in Spoolman: the station's records", false},
                {"History", "none: the station's records", false},
                {"Tenants", "none", false}};
    if (kind == "batchivo")
        return {{"Exactly once", "for this station's records (journal; a Batchivo edit seen on retry is shown, not overwritten)",
                 true},
                {"Audit trail", "none in Batchivo (no transaction rows): the station's records", false},
                {"History", "none: the station's records", false},
                {"Tenants", "yes (X-Tenant-ID)", true}};
    return {{"Exactly once", "yes: central applies each record once", true},
            {"Audit trail", "central's transaction rows", true},
            {"History", "central's transactions", true},
            {"Tenants", "yes: the pairing code picks it", true}};
}

void SetupFlow::load(const StationConfig& cfg, bool paired, const std::string& tenant) {
    saved_ = cfg;
    SetupView fresh;
    // The server form survives a reload of the screen (it is not part of the config).
    fresh.current_target = view_.current_target;
    fresh.target_kind = view_.target_kind;
    fresh.target_url = view_.target_url;
    fresh.target_email = view_.target_email;
    fresh.target_tenant = view_.target_tenant;
    fresh.target_api_key_set = !api_key_.empty();
    fresh.target_password_set = !password_.empty();
    fresh.connecting = view_.connecting;
    fresh.target_facts = target_facts(fresh.target_kind);
    view_ = std::move(fresh);
    view_.config = cfg;
    view_.paired = paired;
    view_.tenant = tenant;
}
void SetupFlow::set_current_target(const std::string& kind) {
    if (kind.empty() || kind == view_.current_target) return;
    view_.current_target = kind;
    set_target_kind(kind);  // the tab opens on the kind in use
}
void SetupFlow::set_target_kind(const std::string& kind) {
    if (kind != "central" && kind != "spoolman" && kind != "batchivo") {
        message("Unknown kind of server: " + kind, true);
        return;
    }
    if (kind != view_.target_kind) view_.connect_blocked_pending = 0;
    view_.target_kind = kind;
    view_.target_facts = target_facts(kind);
}
std::optional<ConnectRequest> SetupFlow::connect_request(bool force) {
    ConnectRequest r;
    r.kind = view_.target_kind;
    r.force = force;
    if (r.kind != "spoolman" && r.kind != "batchivo") {
        message("batchivo-central connects by pairing: scan its pairing QR code or type the code.", true);
        return std::nullopt;
    }
    std::string url(trim(view_.target_url));
    if (url.empty() || url == "https://" || url == "http://") {
        message("Type the server's address first (for example " +
                    std::string(r.kind == "spoolman" ? "http://192.168.1.20:7912" : "https://batchivo.example.com") +
                    ").",
                true);
        return std::nullopt;
    }
    if (to_lower(url).find("://") == std::string::npos) url = (r.kind == "spoolman" ? "http://" : "https://") + url;
    if (auto ok = sync::check_target_url(url); !ok) {
        message(ok.error().message, true);
        return std::nullopt;
    }
    r.url = url;
    if (r.kind == "spoolman") {
        r.api_key = api_key_;
    } else {
        r.email = std::string(trim(view_.target_email));
        r.password = password_;
        r.tenant_id = to_lower(std::string(trim(view_.target_tenant)));
        if (r.email.empty() || r.password.empty()) {
            message("Batchivo needs the account's email and password.", true);
            return std::nullopt;
        }
        if (!r.tenant_id.empty() && !is_uuid(r.tenant_id)) {
            message("The tenant must be its UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), or empty for the "
                    "account's own.",
                    true);
            return std::nullopt;
        }
    }
    return r;
}
void SetupFlow::connect_started() {
    view_.connecting = true;
    message(std::string("Connecting to ") + (view_.target_kind == "spoolman" ? "Spoolman" : "Batchivo") + "\u2026",
            false);
}
void SetupFlow::connect_finished(const Result<ConnectReport>& r, int64_t pending) {
    view_.connecting = false;
    password_.clear();  // used once; never kept
    view_.target_password_set = false;
    if (!r) {
        view_.connect_blocked_pending = r.error().code == "pending_records" ? std::max<int64_t>(pending, 1) : 0;
        message("Not connected: " + r.error().message +
                    (view_.connect_blocked_pending ? " Tap \u201cDiscard and connect\u201d to drop them." : ""),
                true);
        return;
    }
    view_.connect_blocked_pending = 0;
    std::string m = "Connected to " + r->server + (r->plain_http ? ", not encrypted (local network)" : "") + ". " +
                    std::to_string(r->spools) + " spool(s).";
    if (!r->tenant_id.empty() && !r->tenant_chosen) m += " Tenant: the account's default.";
    if (!r->warning.empty()) m += " " + r->warning;
    message(m, false);
}
void SetupFlow::set_paired(bool paired, const std::string& tenant) {
    view_.paired = paired;
    view_.tenant = tenant;
}
void SetupFlow::set_scale_driver(const std::string& d) {
    view_.config.scale.driver = d;
    view_.dirty = true;
}
void SetupFlow::set_camera_driver(const std::string& d) {
    view_.config.camera.driver = d;
    view_.dirty = true;
}
void SetupFlow::toggle_auto_commit() {
    view_.config.weigh.auto_commit = !view_.config.weigh.auto_commit;
    view_.dirty = true;
}
void SetupFlow::adjust(const std::string& field, double delta) {
    auto& c = view_.config;
    if (field == "auto_commit_s")
        c.weigh.auto_commit_stable_ms = std::clamp(c.weigh.auto_commit_stable_ms + int(delta * 1000), 500, 30000);
    else if (field == "undo_s")
        c.weigh.undo_seconds = std::clamp(c.weigh.undo_seconds + int(delta), 0, 60);
    else if (field == "stable_spread")
        c.scale.stable_spread_g = std::clamp(c.scale.stable_spread_g + delta, 0.5, 20.0);
    else
        return;
    view_.dirty = true;
}
void SetupFlow::set_blank(int seconds) {
    view_.config.display.blank_after_s = std::max(0, seconds);
    view_.dirty = true;
}
void SetupFlow::set_printer_size(const std::string& size) {
    auto s = parse_station_label_size(size);
    if (!s) {
        message(s.error().message, true);
        return;
    }
    view_.config.printer.size = std::string(printing::info(*s).name);
    view_.dirty = true;
}
void SetupFlow::begin_edit(SetupField f) {
    view_.editing = f;
    view_.edit_numeric = f == SetupField::DefaultTare || f == SetupField::CalKnownWeight;
    char buf[32];
    switch (f) {
        case SetupField::ScaleDevice: view_.edit_buffer = view_.config.scale.device; break;
        case SetupField::CameraDevice: view_.edit_buffer = view_.config.camera.device; break;
        case SetupField::StationName: view_.edit_buffer = view_.config.station_name; break;
        case SetupField::PrinterSpec: view_.edit_buffer = view_.config.printer.spec; break;
        case SetupField::ServerUrl:
            view_.edit_buffer = view_.pair_url.empty() ? std::string("https://") : view_.pair_url;
            break;
        case SetupField::TargetUrl: view_.edit_buffer = view_.target_url; break;  // no scheme: https (Spoolman: http)
        case SetupField::TargetEmail: view_.edit_buffer = view_.target_email; break;
        case SetupField::TargetTenant: view_.edit_buffer = view_.target_tenant; break;
        case SetupField::TargetApiKey:    // secrets are typed anew, never shown
        case SetupField::TargetPassword: view_.edit_buffer.clear(); break;
        case SetupField::DefaultTare:
            view_.edit_buffer.clear();
            if (view_.config.weigh.default_tare_g) {
                std::snprintf(buf, sizeof buf, "%g", *view_.config.weigh.default_tare_g);
                view_.edit_buffer = buf;
            }
            break;
        case SetupField::CalKnownWeight:
            std::snprintf(buf, sizeof buf, "%g", view_.cal_known_g);
            view_.edit_buffer = buf;
            break;
        default: view_.edit_buffer.clear(); break;
    }
}
void SetupFlow::key(char c) {
    if (view_.editing == SetupField::None) return;
    if (view_.edit_numeric && !((c >= '0' && c <= '9') || c == '.')) return;
    if (view_.edit_buffer.size() < 200) view_.edit_buffer += c;
}
void SetupFlow::backspace() {
    if (!view_.edit_buffer.empty()) view_.edit_buffer.pop_back();
}
void SetupFlow::cancel_edit() {
    view_.editing = SetupField::None;
    view_.edit_buffer.clear();
}
Result<std::string> typed_pairing_payload(const std::string& server_url_in, const std::string& code_in) {
    auto invalid = [](std::string why) { return Error{"invalid_pairing_input", std::move(why)}; };
    std::string code(trim(code_in));
    if (code.rfind("batchivo-pair:", 0) == 0) {
        if (!wire::parse_pairing_payload(code)) {
            return invalid("That pairing text is incomplete or damaged. Scan the QR code, or type the server address and the code.");
        }
        return code;
    }
    if (!wire::looks_like_pairing_code(code)) {
        return invalid("A pairing code looks like PAIR-XXXX-XXXX (from the Batchivo server's device pairing page).");
    }
    std::string url(trim(server_url_in));
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.empty() || url == "https:" || url == "https:/") {
        return invalid("Type the server address first (for example https://batchivo.example.com).");
    }
    const std::string lower_url = to_lower(url);
    if (lower_url.find("://") == std::string::npos) {
        url = "https://" + url;
    } else if (lower_url.rfind("https://", 0) != 0) {
        if (!(lower_url.rfind("http://", 0) == 0 && sync::is_loopback_url(url))) {
            return invalid("The server address must start with https:// (plain http:// only for this machine).");
        }
    }
    const std::string host = url.substr(url.find("://") + 3);
    if (host.empty() || host.find_first_of(" \t") != std::string::npos) {
        return invalid("\u201c" + url + "\u201d is not a server address.");
    }
    for (auto& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    wire::PairingPayload p;
    p.server_url = url;
    p.code = code;  // no CA, no pin: the system trust store verifies the server
    return wire::format_pairing_payload(p);
}

std::optional<std::string> SetupFlow::finish_edit() {
    auto f = view_.editing;
    std::string b(trim(view_.edit_buffer));
    view_.editing = SetupField::None;
    switch (f) {
        case SetupField::PairCode: {
            auto payload = typed_pairing_payload(view_.pair_url, b);
            if (!payload) {
                message(payload.error().message, true);
                return std::nullopt;
            }
            return *payload;
        }
        case SetupField::ServerUrl: view_.pair_url = b; break;
        case SetupField::TargetUrl:
            view_.target_url = b;
            view_.connect_blocked_pending = 0;
            return std::nullopt;  // not part of the config: nothing to save
        case SetupField::TargetEmail: view_.target_email = b; return std::nullopt;
        case SetupField::TargetTenant: view_.target_tenant = b; return std::nullopt;
        case SetupField::TargetApiKey:
            api_key_ = b;
            view_.target_api_key_set = !b.empty();
            view_.edit_buffer.clear();
            return std::nullopt;
        case SetupField::TargetPassword:
            password_ = view_.edit_buffer;  // untrimmed: a password may end in a space
            view_.target_password_set = !password_.empty();
            view_.edit_buffer.clear();
            return std::nullopt;
        case SetupField::ScaleDevice: view_.config.scale.device = b; break;
        case SetupField::CameraDevice: view_.config.camera.device = b; break;
        case SetupField::StationName:
            if (b.empty()) {
                message("The station name cannot be empty.", true);
                return std::nullopt;
            }
            view_.config.station_name = b;
            break;
        case SetupField::DefaultTare:
            if (b.empty()) {
                view_.config.weigh.default_tare_g.reset();
            } else {
                double g = std::strtod(b.c_str(), nullptr);
                if (g < 0 || g > 5000) {
                    message("A default tare must be 0 to 5000 g.", true);
                    return std::nullopt;
                }
                view_.config.weigh.default_tare_g = g;
            }
            break;
        case SetupField::PrinterSpec:
            if (!b.empty()) {
                if (auto spec = printing::parse_printer_spec(b); !spec) {
                    message(spec.error().message, true);
                    return std::nullopt;
                }
            }
            view_.config.printer.spec = b;  // empty = no printer
            break;
        case SetupField::CalKnownWeight: {
            double g = std::strtod(b.c_str(), nullptr);
            if (!(g > 0)) {
                message("The known weight must be more than 0 g.", true);
                return std::nullopt;
            }
            view_.cal_known_g = g;
            return std::nullopt;
        }
        case SetupField::None: return std::nullopt;
    }
    view_.dirty = true;
    return std::nullopt;
}
void SetupFlow::cal_zero(std::optional<double> raw) {
    if (!raw) {
        message("No reading from the load cell.", true);
        return;
    }
    view_.cal_zero_raw = *raw;
    view_.cal_stage = CalStage::ZeroCaptured;
    message("Zero captured. Put the known weight on the pan and tap \"Capture weight\".", false);
}
void SetupFlow::cal_known(std::optional<double> raw) {
    if (view_.cal_stage != CalStage::ZeroCaptured) {
        message("Capture zero first, with the pan empty.", true);
        return;
    }
    if (!raw) {
        message("No reading from the load cell.", true);
        return;
    }
    auto c = two_point_calibration(view_.cal_zero_raw, *raw, view_.cal_known_g);
    if (!c) {
        message(c.error().message, true);
        return;
    }
    view_.config.scale.hx711_offset = c->offset;
    view_.config.scale.hx711_grams_per_count = c->grams_per_count;
    view_.cal_stage = CalStage::Done;
    view_.dirty = true;
    char buf[160];
    std::snprintf(buf, sizeof buf, "Calibrated: offset %.0f, %.6f g per count. Save to keep it.", c->offset,
                  c->grams_per_count);
    message(buf, false);
}
void SetupFlow::cal_reset() {
    view_.cal_stage = CalStage::Idle;
    view_.message.clear();
}
bool SetupFlow::save(const std::string& path) {
    if (auto checked = parse_config(format_config(view_.config)); !checked) {
        message(checked.error().message, true);
        return false;
    }
    if (auto saved = save_config(path, view_.config); !saved) {
        message(saved.error().message, true);
        return false;
    }
    saved_ = view_.config;
    view_.dirty = false;
    message("Saved to " + path, false);
    return true;
}
void SetupFlow::revert() {
    view_.config = saved_;
    view_.dirty = false;
    view_.editing = SetupField::None;
    message("Changes discarded.", false);
}

// ---------------------------------------------------------------- controller
void SetupScreen::entered() {
    const auto& st = host_.sync_status();
    flow_.load(host_.config(), st.paired, st.tenant);
    flow_.set_current_target(st.target);
    flow_.set_pairing(pairing_);
    flow_.set_printing(printing_);
}

void SetupScreen::config_changed(const StationConfig&) {
    if (loaded_) return;  // a saved config is the draft already
    loaded_ = true;
    entered();
}

bool SetupScreen::scanned(const platform::LabelRef& label, const std::optional<Spool>&) {
    if (label.kind != platform::LabelKind::Pairing) return false;
    start_pairing(label.value);
    return true;
}

bool SetupScreen::handle(const Intent& in) {
    switch (in.kind) {
        case IntentKind::SetupScaleDriver: flow_.set_scale_driver(in.text); return true;
        case IntentKind::SetupCameraDriver: flow_.set_camera_driver(in.text); return true;
        case IntentKind::SetupToggleAutoCommit: flow_.toggle_auto_commit(); return true;
        case IntentKind::SetupAdjust: flow_.adjust(in.text, in.value); return true;
        case IntentKind::SetupBlank: flow_.set_blank(static_cast<int>(in.value)); return true;
        case IntentKind::SetupEdit: flow_.begin_edit(static_cast<SetupField>(in.index)); return true;
        case IntentKind::SetupKey:
            for (char c : in.text) flow_.key(c);
            return true;
        case IntentKind::SetupBackspace: flow_.backspace(); return true;
        case IntentKind::SetupEditCancel: flow_.cancel_edit(); return true;
        case IntentKind::SetupEditDone:
            if (auto payload = flow_.finish_edit()) start_pairing(*payload);
            return true;
        case IntentKind::SetupCalZero: calibrate(true); return true;
        case IntentKind::SetupCalKnown: calibrate(false); return true;
        case IntentKind::SetupCalReset: flow_.cal_reset(); return true;
        case IntentKind::SetupRevert: flow_.revert(); return true;
        case IntentKind::SetupPrinterSize: flow_.set_printer_size(in.text); return true;
        case IntentKind::SetupTestPrint: test_print(); return true;
        case IntentKind::SetupTargetKind: flow_.set_target_kind(in.text); return true;
        case IntentKind::SetupConnect: start_connect(in.value > 0); return true;
        case IntentKind::SetupSave:
            if (flow_.save(host_.data_dir().config())) host_.config_saved(flow_.saved_config());
            return true;
        default: return false;
    }
}

namespace {
template <class Table>
std::vector<DriverChoice> choices(const Table& drivers) {
    std::vector<DriverChoice> out;
    for (const auto& d : drivers)
        out.push_back(DriverChoice{std::string(d.name), std::string(d.label), std::string(d.device_hint)});
    return out;
}
}  // namespace

void SetupScreen::fill(StationSnapshot& s, int64_t) const {
    static const std::vector<DriverChoice> scales = choices(platform::scale_drivers());
    static const std::vector<DriverChoice> cameras = choices(platform::camera_drivers());
    s.setup = flow_.view();
    s.setup.scale_drivers = scales;
    s.setup.camera_drivers = cameras;
    for (auto size : kStationLabelSizes) s.setup.label_sizes.emplace_back(printing::info(size).name);
}

void SetupScreen::test_print() {
    if (printing_) return;
    const PrinterConfig pc = flow_.draft().printer;
    if (pc.spec.empty()) {
        flow_.message("Type a printer spec first (for example brother-ql:/dev/usb/lp0 or cups:QUEUE).", true);
        return;
    }
    auto size = parse_station_label_size(pc.size);
    if (!size) {
        flow_.message(size.error().message, true);
        return;
    }
    printing_ = true;
    flow_.set_printing(true);
    flow_.message("Printing a test label\u2026", false);
    host_.changed();
    host_.network_tasks().run<printing::PrintReceipt>(
        [spec = pc.spec, sz = *size](const std::atomic<bool>&) -> Result<printing::PrintReceipt> {
            return print_spool_label(test_label_spool(), spec, sz);
        },
        [this](Result<printing::PrintReceipt> r) {
            printing_ = false;
            flow_.set_printing(false);
            if (r) flow_.message("Test label sent to " + r->destination + ".", false);
            else flow_.message("Test label failed: " + r.error().message, true);
            host_.changed();
        });
}

void SetupScreen::calibrate(bool zero) {
    const auto& sc = flow_.draft().scale;
    if (sc.driver != "hx711" || sc.device.empty()) {
        flow_.message("Calibration is for the HX711 load cell: choose the hx711 driver and its device first.", true);
        return;
    }
    auto counts = platform::hx711_read_counts(sc.device);
    if (!counts) {
        flow_.message(counts.error().message, true);
        return;
    }
    if (zero) flow_.cal_zero(*counts);
    else flow_.cal_known(*counts);
}

void SetupScreen::start_connect(bool force) {
    if (connecting_ || pairing_) {
        flow_.message("A connection attempt is already in progress\u2026", false);
        return;
    }
    auto req = flow_.connect_request(force);
    if (!req) {
        host_.changed();
        return;
    }
    connecting_ = true;
    flow_.connect_started();
    host_.changed();
    host_.network_tasks().run<ConnectReport>(
        [req = *req, dir = host_.data_dir().root, store = &host_.store(), sync_cfg = host_.config().sync](
            const std::atomic<bool>& abort) -> Result<ConnectReport> {
            return connect_target(req, *store, dir, sync_setup(sync_cfg, dir), &abort);
        },
        [this](Result<ConnectReport> r) {
            connecting_ = false;
            int64_t pending = 0;
            try {
                pending = host_.store().counts().pending;
            } catch (const std::exception&) {
            }
            flow_.connect_finished(r, pending);
            if (r) {
                flow_.set_current_target(flow_.view().target_kind);
                host_.credentials_changed();  // the sync link switches to the new target
            }
            host_.changed();
        });
}

void SetupScreen::start_pairing(std::string payload) {
    if (pairing_) {
        flow_.message("Pairing is already in progress\u2026", false);
        return;
    }
    pairing_ = true;
    flow_.set_pairing(true);
    flow_.message("Pairing with the server\u2026", false);
    host_.changed();
    host_.network_tasks().run<std::string>(
        [payload, dir = host_.data_dir().root, store = &host_.store(), name = host_.config().station_name](
            const std::atomic<bool>& abort) -> Result<std::string> {
            return pair_with_payload(payload, dir, store, name, &abort);
        },
        [this, payload](Result<std::string> r) {
            pairing_ = false;
            flow_.set_pairing(false);
            if (r) {
                flow_.message(r->empty() ? "Paired." : "Paired. " + *r, false);
                host_.credentials_changed();
            } else {
                const std::string& err = r.error().message;
                std::string hint;
                auto p = wire::parse_pairing_payload(payload);
                if (p && p->ca_der_base64url.empty() && err.find("certificate") != std::string::npos)
                    hint = " Typed pairing trusts only publicly trusted certificates: for a server with its own "
                           "certificate authority, scan its pairing QR code here.";
                flow_.message("Pairing failed: " + err + hint, true);
            }
            host_.changed();
        });
}

}  // namespace batchivo::station
