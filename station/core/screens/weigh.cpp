#include "station/core/screens/weigh.hpp"

namespace batchivo::station {

ScanProblem explain_scan(const platform::LabelRef& label, bool paired, std::string_view target) {
    const bool spoolman = target == "spoolman";
    switch (label.kind) {
        case platform::LabelKind::Pairing:
            return {WeighProblem::PairingLabel,
                    "This is a pairing code, not a spool. Open Setup and scan it there to pair this station."};
        case platform::LabelKind::SpoolUuid:
            if (spoolman)
                return {WeighProblem::ForeignLabel,
                        "This is a Batchivo label. This station syncs with Spoolman: scan the spool's Spoolman label "
                        "or find it in Stock."};
            [[fallthrough]];
        case platform::LabelKind::SpoolId:
            return {WeighProblem::NotInCatalog,
                    "Spool " + label.value + " is not in this station's catalog" +
                        (paired ? std::string(" yet. If it is new, it arrives with the next sync (Sync > Sync now);"
                                              " otherwise it belongs to another ") +
                                      (target == "batchivo" ? "tenant." : spoolman ? "server." : "workspace.")
                                : std::string(". Connect the station (Setup > Server) to receive the catalog."))};
        case platform::LabelKind::SpoolmanSpool:
            if (spoolman)
                return {WeighProblem::NotInCatalog,
                        "Spoolman spool S-" + label.value + " is not in this station's catalog" +
                            (paired ? std::string(" yet. If it was just added in Spoolman, sync the catalog "
                                                  "(Sync > Sync now) and scan again.")
                                    : std::string(". Connect the station (Setup > Server) to receive the catalog."))};
            return {WeighProblem::ForeignLabel,
                    "This is a Spoolman label (spool " + label.value +
                        "). This station reads Batchivo labels: use the spool's Batchivo label or find it in Stock."};
        case platform::LabelKind::SpoolmanFilament:
            return {WeighProblem::FilamentLabel,
                    "This is a Spoolman filament label (a filament type, not a spool). Scan the spool's own label."};
        default:
            return {WeighProblem::UnknownLabel,
                    "Unknown label \u201c" + (label.raw.size() > 40 ? label.raw.substr(0, 40) + "\u2026" : label.raw) +
                        "\u201d. Scan the spool's Batchivo QR code or its spool ID."};
    }
}

bool WeighScreen::scanned(const platform::LabelRef& label, const std::optional<Spool>& spool) {
    if (spool && label.kind != platform::LabelKind::Pairing) {
        flow_.scan_spool(*spool, label.raw);
    } else {
        const auto st = host_.sync_status();
        auto p = explain_scan(label, st.paired, st.target);
        flow_.scan_problem(p.problem, std::move(p.text), label.raw);
    }
    return true;
}

void WeighScreen::commit(const NewRecord& r) {
    host_.record(r, [this](Result<Recorded> res) {
        if (res) flow_.saved(res->record, res->resulting_weight_g, host_.now_ms());
        else flow_.save_failed("the local store refused the record");
        host_.changed();
    });
}

bool WeighScreen::handle(const Intent& in) {
    const int64_t now = host_.now_ms();
    switch (in.kind) {
        case IntentKind::Confirm:
            if (auto r = flow_.confirm(now)) commit(*r);
            return true;
        case IntentKind::Undo:
            if (auto r = flow_.undo(now)) {
                host_.record(*r, [this](Result<Recorded> res) {
                    if (res) flow_.undone(res->resulting_weight_g);
                    else flow_.undo_failed();
                    host_.changed();
                });
            }
            return true;
        case IntentKind::WeighSpool:  // e.g. "Weigh it now" after adding a spool: as if its label had been scanned
            if (auto sp = host_.store().spool_by_uuid(in.text)) {
                flow_.scan_spool(*sp, sp->spool_id.empty() ? sp->id : sp->spool_id);
                host_.navigate(Screen::Weigh);
            } else {
                host_.toast("That spool is not in the catalog.", true);
            }
            return true;
        case IntentKind::ChooseTare: flow_.choose_tare(in.index); return true;
        case IntentKind::ClearSpool: flow_.clear(); return true;
        case IntentKind::LogUsageForCard:  // the card's button: hand the spool on to the usage screen
            if (!in.text.empty()) return false;
            if (flow_.spool()) host_.apply(Intent{IntentKind::LogUsageForCard, flow_.spool()->id});
            else host_.navigate(Screen::LogUsage);
            return true;
        case IntentKind::ShowSpoolDetail:
            if (!in.text.empty()) return false;
            if (flow_.spool()) host_.apply(Intent{IntentKind::OpenSpool, flow_.spool()->id});
            return true;
        default: return false;
    }
}

void WeighScreen::tick(int64_t now_ms) {
    if (auto r = flow_.tick(now_ms)) {
        commit(*r);
        host_.changed();
    }
}

void WeighScreen::catalog_loaded(const std::shared_ptr<const CatalogIndex>& idx) {
    if (!flow_.spool()) return;
    if (const Spool* s = idx->by_uuid(flow_.spool()->id)) flow_.spool_updated(*s);
}

void WeighScreen::config_changed(const StationConfig& cfg) {
    WeighSettings ws;
    ws.auto_commit = cfg.weigh.auto_commit;
    ws.auto_commit_stable_ms = cfg.weigh.auto_commit_stable_ms;
    ws.undo_ms = cfg.weigh.undo_seconds * 1000;
    ws.station_default_tare_g = cfg.weigh.default_tare_g;
    ws.catalog = &host_.tares();
    flow_.set_settings(ws);
}

}  // namespace batchivo::station
