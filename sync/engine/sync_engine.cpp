#include "sync/engine/sync_engine.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"

namespace batchivo::sync {

SyncEngine::SyncEngine(StationStore& store, std::shared_ptr<SyncTarget> target, SyncEngineOptions opts)
    : store_(store),
      target_(std::move(target)),
      opts_(std::move(opts)),
      backoff_(opts_.backoff, opts_.rng ? opts_.rng : os_seeded_rng()) {
    opts_.batch_size = std::clamp(opts_.batch_size, 1, std::max(1, target_->max_batch_items()));
    opts_.catalog_page = std::max(opts_.catalog_page, 1);
    if (opts_.interval_ms < 100) opts_.interval_ms = 100;
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (auto v = store_.meta("last_success_ms")) {
        try {
            status_.last_success_ms = std::stoll(*v);
        } catch (...) {
        }
    }
    status_.catalog_as_of_ms = parse_iso8601_ms(store_.meta("catalog_as_of").value_or(""));
    status_.target = std::string(target_->kind());
    const auto id = target_->identity();
    status_.paired = id.paired;
    status_.tenant = id.tenant_label();
    auto c = store_.counts();
    status_.pending = c.pending;
    status_.rejected = c.rejected;
    status_.oldest_pending_ms = c.oldest_pending_device_time_ms;
}

SyncEngine::~SyncEngine() {
    stop();
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (netlink_fd_ >= 0) ::close(netlink_fd_);
}

int64_t SyncEngine::now() const { return opts_.clock ? opts_.clock() : now_epoch_ms(); }

void SyncEngine::start() {
    if (worker_.joinable()) return;
    stop_ = false;
    abort_ = false;
    if (opts_.watch_network && netlink_fd_ < 0) {
        int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
        if (fd >= 0) {
            sockaddr_nl sa{};
            sa.nl_family = AF_NETLINK;
            sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
            if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
                netlink_fd_ = fd;
            } else {
                ::close(fd);  // no netlink (container without it): the timer and notify() still work
            }
        }
    }
    {
        std::lock_guard lk(status_mu_);
        status_.engine_running = true;
    }
    worker_ = std::thread([this] { run(); });
}

void SyncEngine::stop() {
    if (!worker_.joinable()) return;
    stop_ = true;
    abort_ = true;
    wake();
    worker_.join();
    stop_ = false;  // sync_once() stays usable after the worker stopped
    abort_ = false;
    {
        std::lock_guard lk(status_mu_);
        status_.engine_running = false;
    }
    publish();
}

void SyncEngine::wake() {
    uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void SyncEngine::notify() {
    notified_ = true;
    wake();
}

void SyncEngine::network_changed() {
    net_changed_ = true;
    wake();
}

void SyncEngine::reload_credentials() {
    creds_changed_ = true;
    wake();
}

SyncStatus SyncEngine::status() const {
    std::lock_guard lk(status_mu_);
    return status_;
}

void SyncEngine::set_on_change(std::function<void(const SyncStatus&)> cb) {
    std::lock_guard lk(cb_mu_);
    on_change_ = std::move(cb);
}

void SyncEngine::publish() {
    SyncStatus snap = status();
    std::lock_guard lk(cb_mu_);
    if (on_change_) on_change_(snap);
}

void SyncEngine::refresh_counts_and_publish() {
    try {
        auto c = store_.counts();
        std::lock_guard lk(status_mu_);
        status_.pending = c.pending;
        status_.rejected = c.rejected;
        status_.oldest_pending_ms = c.oldest_pending_device_time_ms;
    } catch (const std::exception& e) {
        std::lock_guard lk(status_mu_);
        status_.last_error = std::string("station store: ") + e.what();
    }
    publish();
}

bool SyncEngine::refresh_target() {
    // The target re-reads its credentials when asked to or when the file changed (paired from another process).
    const bool changed = target_->refresh(creds_changed_.exchange(false));
    const auto id = target_->identity();
    std::lock_guard lk(status_mu_);
    status_.paired = id.paired;
    status_.tenant = id.tenant_label();
    if (changed) {
        status_.revoked = false;
        status_.tls_alert = false;
    }
    if (!id.paired) status_.last_error = id.problem.empty() ? "not paired: scan a pairing code" : id.problem;
    return id.paired;
}

void SyncEngine::note_call(const CallInfo& info) {
    last_retry_after_ = info.retry_after_ms;
    std::lock_guard lk(status_mu_);
    status_.reachable = info.reachable;
}

Disposition SyncEngine::send_items(std::vector<OutboxRecord> items, SyncReport& rep, std::string& err, int depth) {
    if (items.empty()) return Disposition::Success;
    using clk = std::chrono::steady_clock;
    auto ms_since = [](clk::time_point t) { return std::chrono::duration<double, std::milli>(clk::now() - t).count(); };
    std::vector<std::string> ids;
    for (const auto& r : items) ids.push_back(r.id);
    auto t0 = clk::now();
    store_.mark_sent(ids, now());
    rep.store_ms += ms_since(t0);
    t0 = clk::now();
    CallInfo info;
    auto res = target_->push(items, now(), info, &abort_);
    rep.http_ms += ms_since(t0);
    ++rep.batches;
    note_call(info);
    if (res) {
        ++successful_pushes_;
        if (depth == 0) server_error_streak_ = 0;
        for (const auto& r : items) server_error_tries_.erase(r.id);
        return apply_results(items, *res, rep, err);
    }
    const Disposition d = disposition_of(res.error());
    // A 5xx for the whole batch: a server fault (database down) or one item the server cannot handle. Retried as a
    // whole first; if it keeps failing, bisected like a refused batch, and a record that fails alone again and
    // again while others go through is parked as rejected ("server error: ...") so the rest of the queue flows.
    const bool server_error = d == Disposition::Retry && info.http_status >= 500;
    if (server_error) {
        if (depth == 0) ++server_error_streak_;
        if (items.size() == 1) {
            auto& t = server_error_tries_[items[0].id];
            if (t.tries == 0) t.pushes_at_first = successful_pushes_;
            ++t.tries;
            if (t.tries >= std::max(1, opts_.server_error_tries) && successful_pushes_ > t.pushes_at_first) {
                const std::string reason = "server error: " + res.error().message;
                store_.mark_rejected(items[0].id, reason);
                server_error_tries_.erase(items[0].id);
                ++rep.rejected;
                rep.items.push_back({items[0].id, items[0].seq, ItemOutcome::Rejected, reason, std::nullopt});
                return Disposition::Success;
            }
            // Inside a bisection: this record stays 'sent' (resent later, same id) and the others still go, as long
            // as the server is evidently up (the first failing record, or another push went through since the
            // bisection started). Otherwise (an outage) stop here instead of sending every record alone.
            if (depth > 0 && (++bisect_failed_singles_ == 1 || successful_pushes_ > bisect_start_pushes_)) {
                err = res.error().message;
                return Disposition::Success;
            }
        } else if (server_error_streak_ >= std::max(1, opts_.bisect_after_server_errors) && depth <= 40) {
            if (depth == 0) {
                bisect_start_pushes_ = successful_pushes_;
                bisect_failed_singles_ = 0;
            }
            const size_t half = items.size() / 2;
            std::vector<OutboxRecord> a(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(half));
            std::vector<OutboxRecord> b(items.begin() + static_cast<std::ptrdiff_t>(half), items.end());
            auto da = send_items(std::move(a), rep, err, depth + 1);
            if (da != Disposition::Success) return da;
            return send_items(std::move(b), rep, err, depth + 1);
        }
    }
    if (d == Disposition::BadRequest) {
        if (items.size() == 1) {
            // The server refused the request with this single item in it: that item is at fault.
            store_.mark_rejected(items[0].id, "rejected by " + status().target + ": " + res.error().message);
            ++rep.rejected;
            rep.items.push_back({items[0].id, items[0].seq, ItemOutcome::Rejected, res.error().message, std::nullopt});
            return Disposition::Success;
        }
        if (depth > 40) {
            err = res.error().message;
            return Disposition::Retry;
        }
        // Bisect in sequence order to isolate the item(s) the server refuses; the others still apply.
        const size_t half = items.size() / 2;
        std::vector<OutboxRecord> a(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(half));
        std::vector<OutboxRecord> b(items.begin() + static_cast<std::ptrdiff_t>(half), items.end());
        auto da = send_items(std::move(a), rep, err, depth + 1);
        if (da != Disposition::Success) return da;
        return send_items(std::move(b), rep, err, depth + 1);
    }
    // Known not applied (refused before the server looked at the items, or TLS never connected): back to pending.
    // Anything else (5xx, network, timeout) may have been applied: they stay 'sent' and are resent as is.
    if (!info.maybe_applied) store_.mark_unsent(ids);
    err = res.error().message;
    return d;
}

Disposition SyncEngine::apply_results(const std::vector<OutboxRecord>& items, const std::vector<PushedItem>& answers,
                                      SyncReport& rep, std::string& err) {
    std::map<std::string, const PushedItem*> by_id;
    for (const auto& a : answers) by_id[a.id] = &a;
    std::map<std::string, int> weights;  // spool -> weight after its last applied item in this batch
    std::vector<StationStore::ServerResult> updates;
    updates.reserve(items.size());
    bool incomplete = false;
    for (const auto& rec : items) {
        auto it = by_id.find(rec.id);
        if (it == by_id.end()) {
            incomplete = true;
            continue;
        }
        const PushedItem& r = *it->second;
        if (r.outcome == ItemOutcome::Rejected) {
            updates.push_back({rec.id, false, std::nullopt, r.reason, ""});
            ++rep.rejected;
        } else {
            StationStore::ServerResult u{rec.id, true, r.spool_weight_g, "", r.spool_id};
            // A typed spool id another spool had taken first: central named this one differently. The station adopts
            // central's id (the store writes it into the spool) and keeps a notice on the record for the Sync screen.
            if (rec.new_spool && !rec.new_spool->spool_id.empty() && !r.spool_id.empty() &&
                r.spool_id != rec.new_spool->spool_id)
                u.reason = "spool id '" + rec.new_spool->spool_id + "' was already taken on the server; this spool is now '" +
                           r.spool_id + "' (reprint its label)";
            updates.push_back(std::move(u));
            if (r.spool_weight_g) weights[rec.spool_uuid] = *r.spool_weight_g;
            if (r.outcome == ItemOutcome::Applied) ++rep.applied; else ++rep.duplicates;
        }
        rep.items.push_back({rec.id, rec.seq, r.outcome, r.reason,
                             r.outcome == ItemOutcome::Rejected ? std::nullopt : r.spool_weight_g});
    }
    // One transaction for the whole batch: states, then the server's weights where nothing is unconfirmed.
    const auto t0 = std::chrono::steady_clock::now();
    store_.apply_server_results(updates, {weights.begin(), weights.end()});
    rep.store_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (incomplete) {
        // Items the server did not answer for stay 'sent' and are resent with the same ids.
        err = "the server's answer did not cover every item; the rest will be resent";
        return Disposition::Retry;
    }
    return Disposition::Success;
}

void SyncEngine::store_catalog_page(const CatalogPage& d, SyncReport& rep, const std::string& tenant_id) {
    // Material types first (spools reference them), then spools, reorder settings, deletions.
    if (!d.material_types.empty()) store_.upsert_material_types(d.material_types);
    if (!d.spools.empty()) {
        std::set<std::string> known;
        for (const auto& m : store_.material_types()) known.insert(m.id);
        std::vector<Spool> spools = d.spools;
        for (auto& s : spools) {
            if (s.tenant_id.empty()) s.tenant_id = tenant_id;
            if (!s.material_type_id.empty() && !known.count(to_lower(s.material_type_id)))
                s.material_type_id.clear();  // unknown type: keep the name, drop the dangling reference
        }
        store_.upsert_spools(spools);
        rep.catalog_spools += static_cast<int>(spools.size());
    }
    if (!d.reorder_settings.empty()) {
        auto rs = d.reorder_settings;
        for (auto& r : rs)
            if (r.tenant_id.empty()) r.tenant_id = tenant_id;
        store_.upsert_reorder_settings(rs);
    }
    if (!d.deleted_spools.empty()) {
        store_.remove_spools(d.deleted_spools);
        rep.catalog_deleted += static_cast<int>(d.deleted_spools.size());
    }
    if (!d.deleted_reorder_settings.empty()) store_.remove_reorder_settings(d.deleted_reorder_settings);
    if (d.open_purchases) store_.replace_open_purchases(*d.open_purchases);
    if (d.products) store_.replace_products(*d.products);
    store_.set_meta("catalog_cursor", d.next_cursor);
    if (!d.server_time.empty()) store_.set_meta("catalog_as_of", d.server_time);
}

Disposition SyncEngine::pull_catalog(SyncReport& rep, std::string& err) {
    std::string cursor = store_.meta("catalog_cursor").value_or("");
    const TargetIdentity me = target_->identity();
    const std::string tenant_id = me.tenant_id;
    // The cache belongs to one server (StationStore::reset_catalog_for_target): an engine still running on the
    // previous target after a switch must not pour its old catalog into the new one's cache.
    const std::string source = StationStore::catalog_source_key(me.kind, me.server_url, me.tenant_id);
    const bool from_start = cursor.empty();  // full snapshots: only a pass from the start may remove spools
    std::set<std::string> snapshot_ids;
    // The server's tag for the stored cursor (meta catalog_etag = "<cursor>\t<etag>", written after the answer for
    // that cursor was stored): sent back, an unchanged catalog costs one empty "not modified" answer. Never with
    // the empty cursor: a pull from the start always fetches everything (a cleared cache must be refilled).
    std::string if_none_match;
    if (!from_start) {
        const std::string tagged = store_.meta("catalog_etag").value_or("");
        const size_t tab = tagged.rfind('\t');
        if (tab != std::string::npos && tagged.compare(0, tab, cursor) == 0 && tab == cursor.size())
            if_none_match = tagged.substr(tab + 1);
    }
    for (int page = 0; page < 100000 && !stop_; ++page) {
        CallInfo info;
        if (page == 0) info.if_none_match = if_none_match;
        auto res = target_->pull_catalog(cursor, opts_.catalog_page, now(), info, &abort_);
        note_call(info);
        if (!res) {
            err = "catalog: " + res.error().message;
            const Disposition d = disposition_of(res.error());
            return d == Disposition::BadRequest ? Disposition::Retry : d;
        }
        const CatalogPage& d = *res;
        if (const auto owner = store_.meta("catalog_source"); owner && !owner->empty() && *owner != source) {
            err = "catalog: the station was switched to another server (" + *owner + "); this page is not stored";
            return Disposition::Retry;
        }
        if (d.not_modified) {
            if (info.if_none_match.empty()) {  // a target must not claim "unchanged" for a question not asked
                err = "catalog: the server answered \"not modified\" to a request without a tag";
                return Disposition::Retry;
            }
            // Nothing changed after the cursor: the cache is current as of the answer's time.
            if (!d.server_time.empty()) {
                try {
                    store_.set_meta("catalog_as_of", d.server_time);
                } catch (const std::exception& e) {
                    err = std::string("catalog: could not store the server's catalog: ") + e.what();
                    return Disposition::Retry;
                }
                std::lock_guard lk(status_mu_);
                status_.catalog_as_of_ms = parse_iso8601_ms(d.server_time);
            }
            rep.catalog_not_modified = true;
            break;
        }
        try {
            store_catalog_page(d, rep, tenant_id);
            // Only after the page (and its cursor) is stored: a tag names a cursor whose changes the station has.
            if (!d.etag.empty() && d.etag.find_first_of("\t\r\n") == std::string::npos)
                store_.set_meta("catalog_etag", cursor + '\t' + d.etag);
        } catch (const std::exception& e) {
            err = std::string("catalog: could not store the server's catalog: ") + e.what();
            return Disposition::Retry;
        }
        if (!d.server_time.empty()) {
            std::lock_guard lk(status_mu_);
            status_.catalog_as_of_ms = parse_iso8601_ms(d.server_time);
        }
        if (d.full_snapshot)
            for (const auto& sp : d.spools) snapshot_ids.insert(to_lower(sp.id));
        if (!d.has_more) {
            if (d.full_snapshot && from_start) {
                try {
                    std::vector<std::string> gone;
                    for (const auto& sp : store_.all_spools(true))
                        if (!snapshot_ids.count(to_lower(sp.id))) gone.push_back(sp.id);
                    if (!gone.empty()) store_.remove_spools(gone);
                    rep.catalog_deleted += static_cast<int>(gone.size());
                } catch (const std::exception& e) {
                    err = std::string("catalog: could not remove spools the server no longer has: ") + e.what();
                    return Disposition::Retry;
                }
            }
            break;
        }
        if (d.next_cursor == cursor) {
            err = "catalog: the server's cursor did not advance";
            return Disposition::Retry;
        }
        cursor = d.next_cursor;
    }
    rep.catalog_pulled = true;
    return Disposition::Success;
}

SyncReport SyncEngine::cycle() {
    std::lock_guard cl(cycle_mu_);
    SyncReport rep;
    std::string err;
    Disposition d = Disposition::Success;
    last_retry_after_.reset();
    try {
        if (!refresh_target()) {
            rep.outcome = Disposition::NotPaired;
            std::lock_guard lk(status_mu_);
            rep.error = status_.last_error.empty() ? "not paired" : status_.last_error;
            rep.pending_after = status_.pending;
            return rep;
        }
        {
            std::lock_guard lk(status_mu_);
            if (status_.revoked) {
                // Nothing to do until someone pairs again (refresh_target clears this when the credentials change).
                rep.outcome = Disposition::Revoked;
                rep.error = status_.last_error;
                rep.pending_after = status_.pending;
                return rep;
            }
            status_.syncing = true;
        }
        publish();
        while (!stop_) {
            auto batch = store_.unsent(opts_.batch_size);
            if (batch.empty()) break;
            const int answered = rep.applied + rep.duplicates + rep.rejected;
            d = send_items(std::move(batch), rep, err, 0);
            refresh_counts_and_publish();
            // No record answered (a bisection left every record of the batch 'sent' after 5xx answers): back off.
            if (d == Disposition::Success && rep.applied + rep.duplicates + rep.rejected == answered) d = Disposition::Retry;
            if (d != Disposition::Success) break;
        }
        if (stop_ && d == Disposition::Success) d = Disposition::Aborted;
        if (d == Disposition::Success) d = pull_catalog(rep, err);
    } catch (const std::exception& e) {
        d = Disposition::Retry;
        err = std::string("station store: ") + e.what();
    }
    rep.outcome = d;
    rep.error = err;
    const int64_t t = now();
    {
        std::lock_guard lk(status_mu_);
        status_.syncing = false;
        switch (d) {
            case Disposition::Success:
                status_.last_success_ms = t;
                status_.reachable = true;
                status_.last_error.clear();
                status_.tls_alert = false;
                status_.revoked = false;
                break;
            case Disposition::Revoked:
                status_.revoked = true;
                status_.last_error = err;  // the target's wording (what to do to connect again)
                break;
            case Disposition::TlsAlert:
                status_.tls_alert = true;
                status_.last_error = err;
                break;
            case Disposition::Aborted: break;
            default: status_.last_error = err; break;
        }
    }
    if (d == Disposition::Success) {
        try {
            store_.set_meta("last_success_ms", std::to_string(t));
        } catch (...) {
        }
    }
    if (d == Disposition::Revoked) rep.error = status().last_error;
    refresh_counts_and_publish();
    rep.pending_after = status().pending;
    return rep;
}

SyncReport SyncEngine::sync_once() { return cycle(); }

void SyncEngine::wait_ms(int64_t ms, bool wake_on_notify) {
    const int64_t deadline = now_epoch_ms() + ms;  // real time: an injected device clock must not stall the worker
    while (!stop_) {
        const int64_t left = deadline - now_epoch_ms();
        if (left <= 0) return;
        pollfd fds[2];
        int n = 0;
        fds[n++] = {wake_fd_, POLLIN, 0};
        if (netlink_fd_ >= 0) fds[n++] = {netlink_fd_, POLLIN, 0};
        int rc = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(std::min<int64_t>(left, 60'000)));
        if (rc < 0) continue;
        if (fds[0].revents & POLLIN) {
            uint64_t v;
            while (::read(wake_fd_, &v, sizeof v) > 0) {
            }
        }
        if (n > 1 && (fds[1].revents & POLLIN)) {
            char buf[8192];
            while (::recv(netlink_fd_, buf, sizeof buf, MSG_DONTWAIT) > 0) {
            }
            net_changed_ = true;
        }
        if (stop_ || creds_changed_) return;
        if (net_changed_.exchange(false)) {
            backoff_.reset();  // the network came back: try now rather than at the end of a long backoff
            return;
        }
        if (notified_.exchange(false)) {
            refresh_counts_and_publish();
            if (wake_on_notify) return;
        }
    }
}

void SyncEngine::run() {
    refresh_counts_and_publish();
    while (!stop_) {
        SyncReport rep = cycle();
        if (stop_) break;
        int64_t wait = opts_.interval_ms;
        bool wake_on_notify = true;
        switch (rep.outcome) {
            case Disposition::Success: backoff_.reset(); break;
            case Disposition::TlsAlert:
                // Stopped: no downgrade, no hammering. Re-check with full verification at the backoff cap.
                wait = backoff_.params().cap_ms;
                wake_on_notify = false;
                break;
            case Disposition::Revoked:
            case Disposition::NotPaired:
                wake_on_notify = false;  // waits for new credentials (file change or reload_credentials())
                break;
            case Disposition::Aborted: break;
            default:
                wait = backoff_.next_delay_ms(last_retry_after_);
                wake_on_notify = false;
                break;
        }
        {
            std::lock_guard lk(status_mu_);
            if (rep.outcome == Disposition::Success || rep.outcome == Disposition::Revoked ||
                rep.outcome == Disposition::NotPaired)
                status_.next_attempt_ms.reset();
            else
                status_.next_attempt_ms = now() + wait;
        }
        publish();
        wait_ms(wait, wake_on_notify);
    }
}

}  // namespace batchivo::sync
