#include "station/core/scenario.hpp"

#include <cstdlib>
#include <sstream>

#include "station/core/station.hpp"
#include "sync/domain/text.hpp"

namespace batchivo::station {

Result<std::vector<ScenarioStep>> parse_scenario(const std::string& text) {
    static const char* known[] = {"screen", "show-label", "scan", "scan-image", "place", "remove", "unplug-scale",
                                  "plug-scale", "wait-stable", "wait-stage", "wait-synced", "wait-record", "wait-target", "wait-catalog", "wait-intake-saved", "record-usage", "wait", "wait-frames",
                                  "tap", "type", "screenshot", "expect"};
    std::vector<ScenarioStep> out;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        std::string_view t = trim(line);
        if (t.empty() || t[0] == '#') continue;
        ScenarioStep s;
        s.line = n;
        auto sp = t.find(' ');
        s.cmd = std::string(t.substr(0, sp));
        if (sp != std::string_view::npos) s.rest = std::string(trim(t.substr(sp + 1)));
        std::istringstream a(s.rest);
        std::string w;
        while (a >> w) s.args.push_back(w);
        bool ok = false;
        for (auto k : known) ok |= s.cmd == k;
        if (!ok) return Error{"invalid_scenario", "line " + std::to_string(n) + ": unknown command '" + s.cmd + "'"};
        out.push_back(std::move(s));
    }
    return out;
}

ScenarioRunner::ScenarioRunner(std::vector<ScenarioStep> steps, std::string base_dir, Station& station, Screenshot shot)
    : steps_(std::move(steps)), base_(std::move(base_dir)), st_(station), shot_(std::move(shot)) {}

std::string ScenarioRunner::path(const std::string& p) const {
    if (p.empty() || p[0] == '/' || base_.empty()) return p;
    return base_ + "/" + p;
}

bool ScenarioRunner::fail(const ScenarioStep& s, const std::string& msg) {
    error_ = "scenario line " + std::to_string(s.line) + " (" + s.cmd + (s.rest.empty() ? "" : " " + s.rest) + "): " + msg;
    status_ = Status::Failed;
    return false;
}

ScenarioRunner::Status ScenarioRunner::step(int64_t now) {
    while (status_ == Status::Running && pos_ < steps_.size()) {
        // A record being written ("Saving…") finishes before the next step, as an operator would wait for it.
        if (st_.saving()) {
            st_.frame(now);
            if (st_.saving()) return status_;
        }
        bool wait = false;
        if (!run_one(steps_[pos_], now, wait)) return status_;
        if (wait) return status_;
        const bool shot = steps_[pos_].cmd == "screenshot";
        ++pos_;
        wait_started_ = -1;
        frames_waited_ = 0;
        if (shot) return status_;  // the picture is taken after this frame is drawn: nothing else may change first
    }
    if (status_ == Status::Running) status_ = Status::Done;
    return status_;
}

bool ScenarioRunner::run_one(const ScenarioStep& s, int64_t now, bool& wait) {
    st_.frame(now);  // the previous step's effects (and queued device events) are in the snapshot
    auto snap = st_.snapshot();
    auto arg = [&](size_t i) { return i < s.args.size() ? s.args[i] : std::string(); };
    auto timeout_s = [&](size_t i, double d) { return i < s.args.size() ? std::atof(s.args[i].c_str()) : d; };
    auto waiting = [&](bool done, double limit_s, const std::string& what) -> bool {
        if (done) return true;
        if (wait_started_ < 0) wait_started_ = now;
        if (now - wait_started_ > static_cast<int64_t>(limit_s * 1000)) return fail(s, "timed out waiting for " + what);
        wait = true;
        return true;
    };
    const std::string& c = s.cmd;
    if (c == "screen") {
        auto sc = screen_from_string(arg(0));
        if (!sc) return fail(s, "unknown screen");
        st_.navigate(*sc);
        return true;
    }
    if (c == "show-label") {
        if (st_.camera() && st_.camera()->simulated()) {
            Intent in{IntentKind::DemoShowLabel, s.rest};
            st_.apply(in);
        } else {
            st_.scanned(s.rest);
        }
        return true;
    }
    if (c == "scan") {
        st_.scanned(s.rest);
        return true;
    }
    if (c == "scan-image") {
        if (!st_.camera()) return fail(s, "no camera");
        if (auto shown = st_.camera()->show_image(path(s.rest)); !shown) return fail(s, shown.error().message);
        return true;
    }
    if (c == "place") {
        if (!st_.scale() || !st_.scale()->place(std::atof(arg(0).c_str()))) return fail(s, "the scale is not simulated");
        return true;
    }
    if (c == "remove") {
        if (!st_.scale() || !st_.scale()->remove()) return fail(s, "the scale is not simulated");
        return true;
    }
    if (c == "unplug-scale" || c == "plug-scale") {
        if (!st_.scale() || !st_.scale()->set_connected(c == "plug-scale")) return fail(s, "the scale is not simulated");
        return true;
    }
    if (c == "wait-stable")
        return waiting(snap->scale.connected && snap->scale.stable && snap->scale.grams.has_value(), timeout_s(0, 15),
                       "a stable reading");
    if (c == "wait-stage")
        return waiting(to_string(snap->weigh.stage) == arg(0), timeout_s(1, 15),
                       "stage " + arg(0) + " (now " + std::string(to_string(snap->weigh.stage)) + ", problem " +
                           std::string(to_string(snap->weigh.problem)) + ", last scan '" + snap->weigh.scanned + "')");
    if (c == "wait-target") {  // wait-target <kind> [s]: the Setup connect finished and the link switched
        return waiting(snap->sync.target == arg(0) && snap->sync.paired && snap->stock.catalog_size > 0 &&
                           !snap->setup.connecting,
                       timeout_s(1, 60), "the sync target to be " + arg(0) + " (now " + snap->sync.target + ")");
    }
    if (c == "wait-intake-saved")  // the Add spool screen shows its result
        return waiting(snap->intake.saved, timeout_s(0, 15), "the new spool to be saved (" + snap->intake.message + ")");
    if (c == "wait-catalog") {  // wait-catalog <n> [s]: the station's catalog holds exactly n spools
        return waiting(std::to_string(snap->stock.catalog_size) == arg(0), timeout_s(1, 60),
                       "a catalog of " + arg(0) + " spools (now " + std::to_string(snap->stock.catalog_size) + ")");
    }
    if (c == "wait-synced") {
        const std::string id = st_.last_record_id();
        if (id.empty()) return fail(s, "nothing was recorded");
        auto r = st_.store().get_record(id);
        if (r && r->state == RecordState::Rejected) return fail(s, "the server rejected the record: " + r->reason);
        return waiting(r && r->state == RecordState::Applied, timeout_s(0, 60), "the record to be applied");
    }
    if (c == "wait-record") {  // wait-record <state> [s]: the last record written reaches <state>
        const std::string id = st_.last_record_id();
        if (id.empty()) return fail(s, "nothing was recorded");
        auto r = st_.store().get_record(id);
        const std::string now_state = r ? std::string(to_string(r->state)) : "none";
        return waiting(now_state == arg(0), timeout_s(1, 60), "the record to be " + arg(0) + " (now " + now_state + ")");
    }
    if (c == "record-usage") {  // record-usage <spool uuid> <grams> [label]
        if (!st_.record_usage(arg(0), s.args.size() > 2 ? arg(2) : std::string(), std::atoi(arg(1).c_str())))
            return fail(s, "the record was not written");
        return true;
    }
    if (c == "wait") {
        if (wait_started_ < 0) wait_started_ = now;
        if (now - wait_started_ < std::atoll(arg(0).c_str())) wait = true;
        return true;
    }
    if (c == "wait-frames") {
        if (frames_waited_++ < std::atoi(arg(0).c_str())) wait = true;
        return true;
    }
    if (c == "tap") {
        const std::string t = arg(0);
        static const std::pair<const char*, IntentKind> simple[] = {
            {"confirm", IntentKind::Confirm},     {"undo", IntentKind::Undo},
            {"clear", IntentKind::ClearSpool},    {"home", IntentKind::Home},
            {"back", IntentKind::Back},           {"submit", IntentKind::KeypadSubmit},
            {"sync-now", IntentKind::SyncNow},    {"save", IntentKind::SetupSave},
            {"revert", IntentKind::SetupRevert},  {"keyboard", IntentKind::StockToggleKeyboard},
            {"demo", IntentKind::DemoTogglePanel}, {"log-usage", IntentKind::LogUsageForCard},
            {"details", IntentKind::ShowSpoolDetail}, {"ok", IntentKind::SetupEditDone},
            {"cancel", IntentKind::SetupEditCancel},
            {"demo-show", IntentKind::DemoShowLabel}, {"demo-place", IntentKind::DemoPlace},
            {"demo-remove", IntentKind::DemoRemove}, {"print-label", IntentKind::DetailPrintLabel},
            {"test-print", IntentKind::SetupTestPrint}};
        for (auto& [name, kind] : simple)
            if (t == name) {
                st_.apply(Intent{kind});
                return true;
            }
        if (t == "tare") {
            st_.apply(Intent{IntentKind::ChooseTare, {}, 0, std::atoi(arg(1).c_str())});
            return true;
        }
        if (t == "material") {
            st_.apply(Intent{IntentKind::StockMaterial, arg(1)});
            return true;
        }
        if (t == "status") {
            st_.apply(Intent{IntentKind::StockStatus, arg(1)});
            return true;
        }
        if (t == "products" || t == "spools") {  // the Stock screen's view
            st_.apply(Intent{IntentKind::StockMode, t});
            return true;
        }
        if (t == "product") {  // tap product SKU: open it in the Products view
            st_.apply(Intent{IntentKind::StockOpenProduct, arg(1)});
            return true;
        }
        if (t == "first-row") {
            if (snap->stock.rows.empty()) return fail(s, "the stock list is empty");
            st_.apply(Intent{IntentKind::OpenSpool, snap->stock.rows.front().uuid});
            return true;
        }
        if (t == "retry" || t == "discard") {  // tap retry|discard <n>: the n-th rejected record on the Sync screen
            const size_t n = static_cast<size_t>(std::atoi(arg(1).c_str()));
            if (n >= snap->sync_screen.rejected.size()) return fail(s, "no rejected record " + arg(1));
            st_.apply(Intent{t == "retry" ? IntentKind::SyncRetry : IntentKind::SyncDiscardAsk,
                             snap->sync_screen.rejected[n].id});
            return true;
        }
        if (t == "discard-confirm" || t == "discard-cancel") {
            st_.apply(Intent{t == "discard-confirm" ? IntentKind::SyncDiscardConfirm : IntentKind::SyncDiscardCancel});
            return true;
        }
        if (t == "edit") {
            static const std::pair<const char*, SetupField> named[] = {
                {"target-url", SetupField::TargetUrl},     {"api-key", SetupField::TargetApiKey},
                {"email", SetupField::TargetEmail},        {"password", SetupField::TargetPassword},
                {"tenant", SetupField::TargetTenant},      {"server-url", SetupField::ServerUrl},
                {"pair-code", SetupField::PairCode},       {"station-name", SetupField::StationName}};
            for (auto& [name, f] : named)
                if (arg(1) == name) {
                    st_.apply(Intent{IntentKind::SetupEdit, {}, 0, int(f)});
                    return true;
                }
            st_.apply(Intent{IntentKind::SetupEdit, {}, 0, std::atoi(arg(1).c_str())});
            return true;
        }
        // Add spool: tap intake-material PLA | intake-line <n> | intake-edit brand|color|location|spool_id |
        // intake-suggest <n> | intake-mode purchase|manual | intake-ok | intake-save | intake-print | intake-weigh |
        // intake-another | intake-done
        if (t == "intake-material") {
            st_.apply(Intent{IntentKind::IntakeMaterial, arg(1)});
            return true;
        }
        if (t == "intake-mode") {
            st_.apply(Intent{IntentKind::IntakeMode, arg(1)});
            return true;
        }
        if (t == "intake-line") {
            const size_t n = static_cast<size_t>(std::atoi(arg(1).c_str()));
            if (n >= snap->intake.lines.size()) return fail(s, "no open purchase line " + arg(1));
            st_.apply(Intent{IntentKind::IntakePickLine, snap->intake.lines[n].id});
            return true;
        }
        if (t == "intake-edit") {
            st_.apply(Intent{IntentKind::IntakeEdit, arg(1)});
            return true;
        }
        if (t == "intake-suggest") {
            const size_t n = static_cast<size_t>(std::atoi(arg(1).c_str()));
            if (n >= snap->intake.suggestions.size()) return fail(s, "no suggestion " + arg(1));
            st_.apply(Intent{IntentKind::IntakeSuggest, snap->intake.suggestions[n]});
            return true;
        }
        {
            static const std::pair<const char*, IntentKind> intake[] = {
                {"intake-ok", IntentKind::IntakeEditDone}, {"intake-save", IntentKind::IntakeSave},
                {"intake-print", IntentKind::IntakePrint}, {"intake-weigh", IntentKind::IntakeWeighNow},
                {"intake-another", IntentKind::IntakeAnother}, {"intake-done", IntentKind::IntakeDone}};
            for (auto& [name, kind] : intake)
                if (t == name) {
                    st_.apply(Intent{kind});
                    return true;
                }
        }
        if (t == "target") {  // tap target central|spoolman|batchivo: the Server tab's kind chip
            st_.apply(Intent{IntentKind::SetupTargetKind, arg(1)});
            return true;
        }
        if (t == "connect" || t == "connect-force") {
            st_.apply(Intent{IntentKind::SetupConnect, {}, t == "connect-force" ? 1.0 : 0.0});
            return true;
        }
        return fail(s, "unknown tap target");
    }
    if (c == "type") {
        for (char ch : s.rest) {
            switch (snap->screen) {
                case Screen::LogUsage: st_.apply(Intent{IntentKind::KeypadKey, std::string(1, ch)}); break;
                case Screen::Stock: st_.apply(Intent{IntentKind::StockKey, std::string(1, ch)}); break;
                case Screen::Setup: st_.apply(Intent{IntentKind::SetupKey, std::string(1, ch)}); break;
                case Screen::Intake: st_.apply(Intent{IntentKind::IntakeKey, std::string(1, ch)}); break;
                default: return fail(s, "nothing to type into on this screen");
            }
        }
        return true;
    }
    if (c == "screenshot") {
        // Let the screen settle (the snapshot is rebuilt and drawn a few times) before grabbing it.
        if (frames_waited_++ < 4) {
            wait = true;
            return true;
        }
        std::string err;
        if (!shot_ || !shot_(path(s.rest), err)) return fail(s, "screenshot failed: " + err);
        return true;
    }
    if (c == "expect") {
        const std::string what = arg(0), val = arg(1);
        std::string got;
        if (what == "screen") got = std::string(to_string(snap->screen));
        else if (what == "stage") got = std::string(to_string(snap->weigh.stage));
        else if (what == "problem") got = std::string(to_string(snap->weigh.problem));
        else if (what == "confirmable") got = snap->weigh.can_confirm ? "yes" : "no";
        else if (what == "paired") return snap->sync.paired ? true : fail(s, "the station is not paired");
        else if (what == "pending") got = std::to_string(snap->sync.pending);
        else if (what == "target") got = snap->sync.target;
        else if (what == "catalog") got = std::to_string(snap->stock.catalog_size);
        else if (what == "results") got = std::to_string(snap->stock.total);
        else if (what == "intake-weight") got = snap->intake.initial_weight_g ? std::to_string(*snap->intake.initial_weight_g) : "none";
        else if (what == "intake-spool-id") got = snap->intake.saved_spool_id.empty() ? "none" : snap->intake.saved_spool_id;
        else if (what == "record") {
            auto r = st_.store().get_record(st_.last_record_id());
            got = r ? std::string(to_string(r->state)) : "none";
        } else {
            return fail(s, "unknown expectation");
        }
        // "a|b" accepts either value
        std::string alts = "|" + val + "|";
        if (alts.find("|" + got + "|") == std::string::npos) return fail(s, "expected " + what + " " + val + ", got " + got);
        return true;
    }
    return fail(s, "unknown command");
}

}  // namespace batchivo::station
