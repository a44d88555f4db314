#include "sync/client/sync_engine.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "sync/client/station_api.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/protocol/wire.hpp"

namespace batchivo::sync {

namespace {

// The batch's send time on the device clock lets central cancel a constant device clock error (wire.hpp
// TxBatch::sent_at). Written so it compiles whether or not this protocol version has the field.
template <class Batch>
void stamp_sent_at(Batch& b, const std::string& iso) {
    if constexpr (requires { b.sent_at; }) b.sent_at = iso;
}

struct FileStamp {
    int64_t mtime_ns = -1;
    int64_t size = -1;
    bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return {static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec, st.st_size};
}

}  // namespace

SyncEngine::SyncEngine(StationStore& store, SyncEngineOptions opts)
    : store_(store), opts_(std::move(opts)), backoff_(opts_.backoff, opts_.rng ? opts_.rng : os_seeded_rng()) {
    opts_.batch_size = std::clamp(opts_.batch_size, 1, wire::kMaxBatchItems);
    opts_.catalog_page = std::clamp(opts_.catalog_page, 1, wire::kMaxCatalogPage);
    if (opts_.interval_ms < 100) opts_.interval_ms = 100;
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (auto v = store_.meta("last_success_ms")) {
        try {
            status_.last_success_ms = std::stoll(*v);
        } catch (...) {
        }
    }
    status_.catalog_as_of = store_.meta("catalog_as_of").value_or("");
    std::string err;
    if (auto c = load_credentials(opts_.credentials_path, err)) {
        status_.paired = true;
        status_.tenant_name = c->tenant_name;
    }
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
    worker_ = std::thread([this] { run(); });
}

void SyncEngine::stop() {
    if (!worker_.joinable()) return;
    stop_ = true;
    abort_ = true;
    uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
    worker_.join();
    stop_ = false;  // sync_once() stays usable after the worker stopped
    abort_ = false;
}

void SyncEngine::notify() {
    notified_ = true;
    uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void SyncEngine::network_changed() {
    net_changed_ = true;
    uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
}

void SyncEngine::reload_credentials() {
    creds_changed_ = true;
    uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof one);
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

bool SyncEngine::ensure_client() {
    // Re-read credentials when asked to, on first use, or when the file changed (paired from another process).
    const FileStamp now_stamp = stamp_of(opts_.credentials_path);
    const bool changed = creds_changed_.exchange(false) || !creds_loaded_ || now_stamp.mtime_ns != cred_mtime_ns_ ||
                         now_stamp.size != cred_size_;
    if (changed) {
        std::string err;
        creds_ = load_credentials(opts_.credentials_path, err);
        creds_loaded_ = true;
        cred_mtime_ns_ = now_stamp.mtime_ns;
        cred_size_ = now_stamp.size;
        http_.reset();
        std::lock_guard lk(status_mu_);
        status_.paired = creds_.has_value();
        status_.revoked = false;
        status_.tls_alert = false;
        status_.tenant_name = creds_ ? creds_->tenant_name : "";
        if (!creds_) status_.last_error = err.empty() ? "not paired: scan a pairing code" : err;
    }
    if (!creds_) return false;
    if (!http_) {
        try {
            if (opts_.client_factory) {
                http_ = opts_.client_factory(*creds_, &abort_);
            } else {
                CurlOptions co;
                co.base_url = creds_->server_url;
                co.trust = creds_->trust();
                co.connect_timeout_ms = opts_.connect_timeout_ms;
                co.total_timeout_ms = opts_.total_timeout_ms;
                co.abort_flag = &abort_;
                http_ = std::make_unique<CurlHttpClient>(co);
            }
        } catch (const std::exception& e) {
            std::lock_guard lk(status_mu_);
            status_.last_error = e.what();
            return false;
        }
    }
    return true;
}

Disposition SyncEngine::send_items(std::vector<OutboxRecord> items, SyncReport& rep, std::string& err, int depth) {
    if (items.empty()) return Disposition::Success;
    using clk = std::chrono::steady_clock;
    auto ms_since = [](clk::time_point t) { return std::chrono::duration<double, std::milli>(clk::now() - t).count(); };
    std::vector<std::string> ids;
    wire::TxBatch batch;
    for (const auto& r : items) {
        ids.push_back(r.id);
        batch.items.push_back(to_wire_item(r));
    }
    stamp_sent_at(batch, iso8601_utc_ms(now()));  // set anew on every attempt
    auto t0 = clk::now();
    store_.mark_sent(ids, now());
    rep.store_ms += ms_since(t0);
    t0 = clk::now();
    auto res = api_post_transactions(*http_, creds_->device_token, batch, now());
    rep.http_ms += ms_since(t0);
    ++rep.batches;
    {
        std::lock_guard lk(status_mu_);
        status_.reachable = res.http_status != 0;
    }
    last_retry_after_ = res.cls.retry_after_ms;
    switch (res.cls.what) {
        case Disposition::Success: break;
        case Disposition::BadRequest: {
            if (items.size() == 1) {
                // The server refused the request with this single item in it: that item is at fault.
                store_.mark_rejected(items[0].id, "rejected by central: " + res.cls.message);
                ++rep.rejected;
                rep.items.push_back({items[0].id, items[0].seq, ItemOutcome::Rejected, res.cls.message, std::nullopt});
                return Disposition::Success;
            }
            if (depth > 40) {
                err = res.cls.message;
                return Disposition::Retry;
            }
            // Bisect in sequence order to isolate the item(s) the server refuses; the others still apply.
            const size_t half = items.size() / 2;
            std::vector<OutboxRecord> a(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(half));
            std::vector<OutboxRecord> b(items.begin() + static_cast<std::ptrdiff_t>(half), items.end());
            auto d = send_items(std::move(a), rep, err, depth + 1);
            if (d != Disposition::Success) return d;
            return send_items(std::move(b), rep, err, depth + 1);
        }
        default:
            // 401 and 429 come from central before it looks at the items: they are known not to be applied.
            // Anything else (5xx, network, timeout) may have been applied: they stay 'sent' and are resent as is.
            if (res.http_status == 401 || res.http_status == 429 || res.cls.what == Disposition::TlsAlert)
                store_.mark_unsent(ids);  // (a failed TLS verification means nothing was sent at all)
            err = res.cls.message;
            return res.cls.what;
    }
    std::map<std::string, const wire::TxResult*> by_id;
    for (const auto& r : res.value->results) by_id[r.client_id] = &r;
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
        const auto& r = *it->second;
        if (r.status == "applied" || r.status == "duplicate") {
            updates.push_back({rec.id, true, r.spool_weight_g, ""});
            if (r.spool_weight_g) weights[rec.spool_uuid] = *r.spool_weight_g;
            if (r.status == "applied") ++rep.applied; else ++rep.duplicates;
            rep.items.push_back({rec.id, rec.seq, r.status == "applied" ? ItemOutcome::Applied : ItemOutcome::Duplicate,
                                 "", r.spool_weight_g});
        } else if (r.status == "rejected") {
            std::string reason = r.reason.empty() ? r.code : r.reason;
            if (!r.code.empty() && !r.reason.empty()) reason = r.reason + " (" + r.code + ")";
            if (reason.empty()) reason = "rejected by central";
            updates.push_back({rec.id, false, std::nullopt, reason});
            ++rep.rejected;
            rep.items.push_back({rec.id, rec.seq, ItemOutcome::Rejected, reason, std::nullopt});
        } else {
            incomplete = true;
        }
    }
    // One transaction for the whole batch: states, then the server's weights where nothing is unconfirmed.
    t0 = clk::now();
    store_.apply_server_results(updates, {weights.begin(), weights.end()});
    rep.store_ms += ms_since(t0);
    if (incomplete) {
        // Items the server did not answer for stay 'sent' and are resent with the same ids.
        err = "the server's answer did not cover every item; the rest will be resent";
        return Disposition::Retry;
    }
    return Disposition::Success;
}

Disposition SyncEngine::pull_catalog(SyncReport& rep, std::string& err) {
    std::string cursor = store_.meta("catalog_cursor").value_or("");
    for (int page = 0; page < 100000 && !stop_; ++page) {
        auto res = api_get_catalog(*http_, creds_->device_token, cursor, opts_.catalog_page, now());
        {
            std::lock_guard lk(status_mu_);
            status_.reachable = res.http_status != 0;
        }
        last_retry_after_ = res.cls.retry_after_ms;
        if (res.cls.what != Disposition::Success) {
            err = "catalog: " + res.cls.message;
            return res.cls.what == Disposition::BadRequest ? Disposition::Retry : res.cls.what;
        }
        const auto& d = *res.value;
        try {
            // Material types first (spools reference them), then spools, reorder settings, deletions.
            if (!d.material_types.empty()) store_.upsert_material_types(d.material_types);
            if (!d.spools.empty()) {
                std::set<std::string> known;
                for (const auto& m : store_.material_types()) known.insert(m.id);
                std::vector<Spool> spools;
                spools.reserve(d.spools.size());
                for (const auto& cs : d.spools) {
                    Spool s = cs.spool;
                    if (s.tenant_id.empty()) s.tenant_id = creds_->tenant_id;
                    if (!s.material_type_id.empty() && !known.count(to_lower(s.material_type_id)))
                        s.material_type_id.clear();  // unknown type: keep the name, drop the dangling reference
                    spools.push_back(std::move(s));
                }
                store_.upsert_spools(spools);
                rep.catalog_spools += static_cast<int>(spools.size());
            }
            if (!d.reorder_settings.empty()) {
                auto rs = d.reorder_settings;
                for (auto& r : rs)
                    if (r.tenant_id.empty()) r.tenant_id = creds_->tenant_id;
                store_.upsert_reorder_settings(rs);
            }
            if (!d.deleted_spools.empty()) {
                store_.remove_spools(d.deleted_spools);
                rep.catalog_deleted += static_cast<int>(d.deleted_spools.size());
            }
            if (!d.deleted_reorder_settings.empty()) store_.remove_reorder_settings(d.deleted_reorder_settings);
            store_.set_meta("catalog_cursor", d.next_cursor);
            if (!d.server_time.empty()) store_.set_meta("catalog_as_of", d.server_time);
        } catch (const std::exception& e) {
            err = std::string("catalog: could not store the server's catalog: ") + e.what();
            return Disposition::Retry;
        }
        {
            std::lock_guard lk(status_mu_);
            if (!d.server_time.empty()) status_.catalog_as_of = d.server_time;
        }
        if (!d.has_more) break;
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
        if (!ensure_client()) {
            rep.outcome = Disposition::NotPaired;
            std::lock_guard lk(status_mu_);
            rep.error = status_.last_error.empty() ? "not paired" : status_.last_error;
            rep.pending_after = status_.pending;
            return rep;
        }
        {
            std::lock_guard lk(status_mu_);
            if (status_.revoked) {
                // Nothing to do until someone pairs again (ensure_client clears this when the credentials change).
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
            d = send_items(std::move(batch), rep, err, 0);
            refresh_counts_and_publish();
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
                status_.last_error = "Central no longer accepts this station's token (revoked or unknown): pair "
                                     "the station again. Its queue is kept and will be sent after pairing.";
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
