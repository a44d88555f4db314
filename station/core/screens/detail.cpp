#include "station/core/screens/detail.hpp"

#include <algorithm>
#include <unordered_set>

#include "station/core/label_printing.hpp"
#include "station/core/screens/stock.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::station {

std::vector<UsagePoint> usage_plot(const std::vector<OutboxRecord>& newest_first, int current_weight_g,
                                   int64_t now_epoch_ms) {
    return history_plot(merge_history(newest_first, std::nullopt), current_weight_g, now_epoch_ms);
}

std::vector<DetailTx> merge_history(const std::vector<OutboxRecord>& local, const std::optional<sync::SpoolHistory>& server) {
    std::vector<DetailTx> rows;
    std::unordered_set<std::string> on_server;
    if (server) {
        for (const auto& t : server->transactions) {
            DetailTx d;
            d.at_ms = t.at_ms;
            d.type = t.type;
            d.quantity_grams = t.quantity_grams;
            d.on_server = true;
            d.local_state = RecordState::Applied;
            rows.push_back(d);
            if (!t.client_id.empty()) on_server.insert(to_lower(t.client_id));
            on_server.insert(to_lower(t.id));
        }
    }
    for (const auto& r : local) {
        if (on_server.count(to_lower(r.id))) continue;  // central has it: shown once, as central's
        // Applied locally but outside central's window (older than its list): still a real transaction, once.
        DetailTx d;
        d.at_ms = r.device_time_ms;
        d.type = r.type;
        d.quantity_grams = r.quantity_grams;
        d.local_state = r.state;
        d.counts = r.state != RecordState::Rejected && r.state != RecordState::Discarded;
        d.reason = r.reason;
        rows.push_back(d);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const DetailTx& a, const DetailTx& b) { return a.at_ms > b.at_ms; });
    return rows;
}

std::vector<UsagePoint> history_plot(const std::vector<DetailTx>& newest_first, int current_weight_g,
                                     int64_t now_epoch_ms) {
    std::vector<UsagePoint> pts;
    pts.push_back({now_epoch_ms, current_weight_g});
    int w = current_weight_g;
    for (const auto& r : newest_first) {
        if (!r.counts) continue;
        pts.push_back({r.at_ms, w});
        w -= r.quantity_grams;
        pts.push_back({r.at_ms - 1, w});
    }
    std::reverse(pts.begin(), pts.end());
    return pts;
}

// ---------------------------------------------------------------- controller
bool DetailScreen::handle(const Intent& in) {
    if (in.kind == IntentKind::OpenSpool || (in.kind == IntentKind::ShowSpoolDetail && !in.text.empty())) {
        open(in.text);
        return true;
    }
    if (in.kind == IntentKind::DetailPrintLabel) {
        print_label();
        return true;
    }
    return false;
}

void DetailScreen::fill(StationSnapshot& s, int64_t) const {
    s.detail = view_;
    s.detail.printer_configured = !host_.config().printer.spec.empty();
    s.detail.printing = printing_;
}

void DetailScreen::print_label() {
    if (printing_ || uuid_.empty()) return;
    const PrinterConfig pc = host_.config().printer;
    if (pc.spec.empty()) {
        host_.toast("No label printer: choose one in Setup \u2192 Printer.", true);
        return;
    }
    auto sp = host_.store().spool_by_uuid(uuid_);
    if (!sp) {
        host_.toast("That spool is no longer in the catalog.", true);
        return;
    }
    auto size = parse_station_label_size(pc.size);
    if (!size) {
        host_.toast(size.error().message, true);
        return;
    }
    printing_ = true;
    host_.changed();
    host_.network_tasks().run<printing::PrintReceipt>(
        [spool = *sp, spec = pc.spec, sz = *size](const std::atomic<bool>&) -> Result<printing::PrintReceipt> {
            return print_spool_label(spool, spec, sz);
        },
        [this, name = sp->spool_id.empty() ? std::string("the spool") : sp->spool_id](Result<printing::PrintReceipt> r) {
            printing_ = false;
            if (r) host_.toast("Label for " + name + " printed.");
            else host_.toast("Label not printed: " + r.error().message, true);
            host_.changed();
        });
}

void DetailScreen::open(const std::string& uuid) {
    auto sp = host_.store().spool_by_uuid(uuid);
    if (!sp) {
        host_.toast("That spool is no longer in the catalog.", true);
        return;
    }
    if (uuid != uuid_) server_.reset();
    uuid_ = uuid;
    *latest_ = ++gen_;
    refresh();
    if (host_.sync_status().paired) {
        view_.source = HistorySource::Loading;
        view_.history_note = server_ ? "Updating from the server\u2026" : "Asking the server\u2026";
        request_history();
    } else {
        view_.source = HistorySource::LocalOnly;
        view_.history_note = "Not paired: showing this station's records only.";
    }
    host_.navigate(Screen::SpoolDetail);
}

void DetailScreen::refresh() {
    auto sp = host_.store().spool_by_uuid(uuid_);
    if (!sp) return;
    view_.card = SpoolCard{*sp, stock_info(*sp)};
    view_.recent = host_.store().records_for_spool(uuid_, 20);
    view_.rows = merge_history(view_.recent, server_);
    view_.plot = history_plot(view_.rows, sp->current_weight_g, now_epoch_ms());
    host_.changed();
}

void DetailScreen::request_history() {
    host_.network_tasks().run<sync::SpoolHistory>(
        [&host = host_, uuid = uuid_, gen = gen_, latest = latest_](const std::atomic<bool>& abort)
            -> Result<sync::SpoolHistory> {
            if (latest->load() != gen) return Error{"superseded", "another spool was opened"};
            return host.fetch_history(uuid, &abort);
        },
        [this, gen = gen_](Result<sync::SpoolHistory> r) {
            if (gen != gen_) return;  // the operator opened another spool meanwhile
            if (r) {
                server_ = *r;
                view_.source = HistorySource::Server;
                view_.history_note.clear();
            } else if (r.error().code == "unsupported") {
                // Spoolman and Batchivo keep no transaction history: the station's records are the audit trail.
                view_.source = HistorySource::Unavailable;
                view_.history_note = r.error().message;
            } else {
                view_.source = HistorySource::Unavailable;
                view_.history_note = (server_ ? "Server history may be out of date: " : "Server history unavailable: ") +
                                     r.error().message + ". Showing this station's records.";
            }
            refresh();
        });
}

void DetailScreen::returned() {
    if (!uuid_.empty()) refresh();
}

bool DetailScreen::scanned(const platform::LabelRef&, const std::optional<Spool>& spool) {
    return open_scanned_spool(host_, spool);
}

void DetailScreen::sync_status_changed(const sync::SyncStatus&) {
    if (host_.current() == Screen::SpoolDetail && !uuid_.empty()) refresh();
}

}  // namespace batchivo::station
