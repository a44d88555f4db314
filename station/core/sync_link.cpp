#include "station/core/sync_link.hpp"

#include <mutex>

#include "sync/domain/time.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/batchivo/batchivo_target.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/targets/make_target.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/spoolman/spoolman_target.hpp"

namespace batchivo::station {

SyncSetup sync_setup(const SyncConfig& cfg, const std::string& data_dir) {
    SyncSetup s;
    s.engine.batch_size = cfg.batch_size;
    s.engine.interval_ms = cfg.interval_s * 1000;
    s.target.data_dir = data_dir;
    s.target.connect_timeout_ms = cfg.connect_timeout_s * 1000;
    s.target.total_timeout_ms = cfg.total_timeout_s * 1000;
    return s;
}

std::unique_ptr<sync::SyncEngine> make_sync_engine(StationStore& store, const SyncSetup& setup) {
    return std::make_unique<sync::SyncEngine>(store, sync::make_target(setup.target), setup.engine);
}

namespace {

class EngineSyncLink final : public SyncLink {
public:
    EngineSyncLink(StationStore& store, const SyncSetup& setup)
        : store_(store), setup_(setup), engine_(make_sync_engine(store, setup)) {}
    ~EngineSyncLink() override { stop(); }
    void start(std::function<void()> on_change) override {
        std::lock_guard lk(mu_);
        on_change_ = std::move(on_change);
        start_locked();
    }
    void stop() override {
        std::lock_guard lk(mu_);
        if (engine_) engine_->stop();
        started_ = false;
    }
    sync::SyncStatus status() override {
        std::lock_guard lk(mu_);
        return engine_->status();
    }
    void notify() override {
        std::lock_guard lk(mu_);
        engine_->notify();
    }
    void reload_credentials() override {
        std::unique_ptr<sync::SyncEngine> old;
        {
            std::lock_guard lk(mu_);
            if (sync::stored_target_kind(setup_.target.data_dir) == engine_->target()->kind()) {
                engine_->reload_credentials();
                return;
            }
            // Another kind of server: a new engine on the new target (the store and its outbox stay).
            const bool was_started = started_;
            engine_->stop();
            old = std::move(engine_);
            // The cache already belongs to the new server (connect/pair reset it; the old engine's pages since were
            // dropped): the new engine starts a full pass all the same (a full-snapshot target then removes every
            // spool it does not list).
            try {
                store_.set_meta("catalog_cursor", "");
            } catch (const std::exception&) {
            }
            engine_ = make_sync_engine(store_, setup_);
            if (was_started) start_locked();
        }
    }
    Result<sync::SpoolHistory> history(const std::string& spool_uuid, int limit,
                                       const std::atomic<bool>* abort) override {
        std::shared_ptr<sync::SyncTarget> target;
        {
            std::lock_guard lk(mu_);
            target = engine_->target();
        }
        return target->history(spool_uuid, limit, abort);
    }

private:
    void start_locked() {
        engine_->set_on_change([cb = on_change_](const sync::SyncStatus&) {
            if (cb) cb();
        });
        engine_->start();
        started_ = true;
    }

    StationStore& store_;
    const SyncSetup setup_;
    std::mutex mu_;
    std::unique_ptr<sync::SyncEngine> engine_;
    std::function<void()> on_change_;
    bool started_ = false;
};

}  // namespace

std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const SyncSetup& setup) {
    return std::make_unique<EngineSyncLink>(store, setup);
}

std::unique_ptr<SyncLink> make_sync_link(StationStore& store, const std::string& data_dir, const SyncConfig& cfg) {
    return make_sync_link(store, sync_setup(cfg, data_dir));
}

Result<ConnectReport> connect_target(const ConnectRequest& req, StationStore& store, const std::string& data_dir,
                                     const SyncSetup& setup, const std::atomic<bool>* abort) {
    if (req.kind != "spoolman" && req.kind != "batchivo")
        return Error{"invalid_input", "unknown server kind: " + req.kind + " (spoolman or batchivo)"};
    std::string url = req.url;
    while (!url.empty() && (url.back() == '/' || url.back() == ' ')) url.pop_back();
    while (!url.empty() && url.front() == ' ') url.erase(0, 1);
    if (url.empty()) return Error{"invalid_input", "the server's URL is required"};
    if (auto ok = sync::check_target_url(url); !ok) return ok.error();
    if (!req.ca_pem.empty() && req.ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        return Error{"invalid_input", "the CA file is not a PEM certificate"};
    if (req.kind == "batchivo" && (req.email.empty() || req.password.empty()))
        return Error{"invalid_input", "Batchivo needs the account's email and password"};
    sync::TargetConnection conn;
    conn.kind = req.kind;
    conn.url = url;
    conn.api_key = req.kind == "spoolman" ? req.api_key : std::string();
    conn.ca_pem = req.ca_pem;
    conn.connected_at = iso8601_utc_ms(now_epoch_ms());

    const auto old = sync::load_connection(sync::connection_path(data_dir));
    const bool same_target = old && *old && (*old)->kind == req.kind && (*old)->url == url &&
                             (req.kind != "batchivo" || req.tenant_id.empty() || (*old)->tenant_id == req.tenant_id);
    const auto counts = store.counts();
    if (counts.pending > 0 && !same_target && !req.force)
        return Error{"pending_records",
                     std::to_string(counts.pending) + " record(s) are not yet confirmed by the current target (" +
                         sync::stored_target_kind(data_dir) +
                         "). Sync them first, or connect with --force to discard them."};

    ConnectReport rep;
    rep.url = url;
    rep.plain_http = sync::is_plain_http(url);
    if (req.kind == "batchivo") {
        auto signed_in = sync::batchivo_sign_in(conn, req.email, req.password, req.tenant_id,
                                                setup.target.client_factory, setup.target.connect_timeout_ms,
                                                setup.target.lookup_timeout_ms, abort);
        if (!signed_in) return signed_in.error();
        conn = std::move(*signed_in);
        rep.tenant_id = conn.tenant_id;
        rep.tenant_name = conn.tenant_name;
        rep.tenant_chosen = conn.tenant_chosen;
    }
    // The new server is checked through a trial connection file; the previous one stays until it answered.
    const std::string trial = sync::connection_path(data_dir) + ".trial";
    if (auto s = sync::save_connection(trial, conn); !s) return s.error();
    std::shared_ptr<sync::SyncTarget> target;
    if (req.kind == "spoolman") {
        sync::SpoolmanTargetOptions so;
        so.connection_path = trial;
        so.connect_timeout_ms = setup.target.connect_timeout_ms;
        so.total_timeout_ms = setup.target.total_timeout_ms;
        so.lookup_timeout_ms = setup.target.lookup_timeout_ms;
        so.client_factory = setup.target.client_factory;
        target = std::make_shared<sync::SpoolmanTarget>(so);
    } else {
        sync::BatchivoTargetOptions bo;
        bo.connection_path = trial;
        bo.journal_path = data_dir + "/batchivo_journal.jsonl";
        bo.connect_timeout_ms = setup.target.connect_timeout_ms;
        bo.total_timeout_ms = setup.target.total_timeout_ms;
        bo.lookup_timeout_ms = setup.target.lookup_timeout_ms;
        bo.client_factory = setup.target.client_factory;
        target = std::make_shared<sync::BatchivoTarget>(bo);
    }
    auto who = target->whoami(abort);
    if (!who) {
        (void)sync::remove_connection(trial);
        return Error{who.error().code, url + " did not answer like " +
                                           std::string(req.kind == "spoolman" ? "Spoolman" : "Batchivo") + ": " +
                                           who.error().message};
    }
    rep.server = req.kind == "spoolman" ? who->tenant_name : "Batchivo (" + who->tenant_label() + ")";
    if (counts.pending > 0 && !same_target) {
        rep.discarded = counts.pending;
        rep.warning = std::to_string(counts.pending) +
                      " unconfirmed record(s) for the previous target were marked discarded (kept in the log, never "
                      "sent). Records already sent may have been applied there.";
        std::vector<std::string> ids;
        for (const auto& r : store.unsent(1'000'000)) ids.push_back(r.id);
        store.mark_unsent(ids);
        for (const auto& id : ids) store.discard(id);
    }
    // The new server answered: the cache is emptied of the previous server's catalog (a no-op when it already
    // belongs to this one), then filled from the new one. Should the pull fail, the previous target stays, and so
    // the cache goes back to it (cleared: its engine pulls it afresh).
    const std::string previous_source = sync::stored_catalog_source(setup.target);
    const auto reset = store.reset_catalog_for_target(sync::catalog_source_of(target->identity()), previous_source);
    rep.catalog_cleared = reset.cleared;
    rep.spools_kept = reset.spools_kept;
    auto eo = setup.engine;
    eo.watch_network = false;
    sync::SyncEngine engine(store, target, eo);
    const auto pulled = engine.sync_once();
    if (!pulled.catalog_pulled) {
        (void)sync::remove_connection(trial);
        if (reset.cleared) (void)store.reset_catalog_for_target(previous_source);
        return Error{"catalog", "the catalog could not be pulled: " + pulled.error};
    }
    // The trial file may hold rotated tokens by now: store what the target last saved.
    auto final_conn = sync::load_connection(trial);
    if (final_conn && *final_conn) conn = **final_conn;
    if (auto s = sync::save_connection(sync::connection_path(data_dir), conn); !s) {
        (void)sync::remove_connection(trial);
        return s.error();
    }
    (void)sync::remove_connection(trial);
    rep.spools = pulled.catalog_spools;
    rep.removed = pulled.catalog_deleted;
    return rep;
}

Result<std::string> pair_with_payload(const std::string& payload, const std::string& data_dir, StationStore* store,
                                      const std::string& station_name, const std::atomic<bool>* abort) {
    if (payload.empty()) return Error{"invalid_pairing_payload", "no pairing code"};
    sync::PairOptions o;
    o.device_name = station_name;
    o.store = store;
    o.abort_flag = abort;
    auto r = sync::pair_station(payload, data_dir, o);
    if (!r.ok) return Error{"pairing", r.error};
    // Pairing with central makes central the target again (make_target prefers a stored connection).
    if (auto rm = sync::select_central_target(data_dir); !rm)
        return r.warning.empty() ? rm.error().message : r.warning + " " + rm.error().message;
    return r.warning;
}

}  // namespace batchivo::station
