#include "network_harness.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "fault_proxy.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/engine/sync_engine.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"
#include "sync_test_util.hpp"

namespace batchivo::test {

namespace {

struct Op {
    std::string id;
    std::string spool;
    bool weighing = false;
    int quantity = 0;
    int net = 0;
};

struct Station {
    int index = 0;
    std::string tenant_id;
    std::string device_id;
    std::unique_ptr<TempDir> dir;
    std::unique_ptr<StationStore> store;
    std::mutex engine_mu;
    std::unique_ptr<sync::SyncEngine> engine;
    std::vector<std::string> own_spools;
    std::string shared_spool;
    std::string foreign_spool;
    std::vector<Op> acked;          // valid records, in sequence order
    std::vector<std::string> foreign;  // records aimed at another tenant's spool
};

test::EngineOptions station_engine_options(Station& s, const NetworkScenario& sc, uint64_t seed) {
    test::EngineOptions o;
    o.target.data_dir = s.dir->str();
    o.batch_size = sc.batch_size;
    o.interval_ms = 200;
    o.target.connect_timeout_ms = 1000;
    o.target.total_timeout_ms = sc.total_timeout_ms;
    o.backoff = {20, 400};
    o.watch_network = false;
    auto gen = std::make_shared<std::mt19937_64>(seed);
    o.rng = [gen] { return (*gen)(); };
    return o;
}

}  // namespace

NetworkResult run_network_scenario(const NetworkScenario& sc) {
    NetworkResult res;
    const auto t0 = std::chrono::steady_clock::now();
    std::mt19937_64 rng(sc.seed);
    TempDir central_dir("central");
    const std::string central_db = (central_dir.path / "central.db").string();
    std::shared_ptr<central::Store> cstore = central::open_store("sqlite:" + central_db);
    cstore->migrate();
    auto tls = central::ensure_tls((central_dir.path / "tls").string());
    central::CentralServer server(cstore);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    so.rate_per_s = 0;  // the proxy injects 429s; central's own limiter would only slow the scenario down
    std::string err;
    if (!server.start(so, &err)) {
        res.problems.push_back("central did not start: " + err);
        return res;
    }
    FaultProxy proxy(server.port(), tls.cert_file, tls.key_file, sc.seed ^ 0x9e3779b97f4a7c15ULL);
    if (!proxy.start(&err)) {
        res.problems.push_back(err);
        return res;
    }
    proxy.set_retry_after_s(1);

    // Tenants and spools. Each station owns two spools (weighings and usages); stations of tenant A also share
    // one spool (usages only: they commute, so the final weight is known without knowing the server's order).
    Tenant ta = cstore->create_tenant("farm-a", "Farm A");
    Tenant tb = cstore->create_tenant("farm-b", "Farm B");
    auto make_spool = [&](const Tenant& t, const std::string& sid, int initial, int current) {
        Spool s;
        s.spool_id = sid;
        s.material_name = "PLA";
        s.brand = "Acme";
        s.initial_weight_g = initial;
        s.current_weight_g = current;
        return cstore->upsert_spool(t.id, s).id;
    };
    const std::string shared_a = make_spool(ta, "SHARED-A", 100000, 90000);
    const std::string shared_b = make_spool(tb, "SHARED-B", 100000, 90000);
    std::map<std::string, int> initial_weight;
    initial_weight[shared_a] = 90000;
    initial_weight[shared_b] = 90000;

    std::vector<std::unique_ptr<Station>> stations;
    std::map<std::string, std::string> device_tenant;
    for (int i = 0; i < sc.stations; ++i) {
        auto st = std::make_unique<Station>();
        st->index = i;
        const Tenant& t = i % 2 == 0 ? ta : tb;
        st->tenant_id = t.id;
        st->dir = std::make_unique<TempDir>("station");
        for (int k = 0; k < 2; ++k) {
            auto id = make_spool(t, "S" + std::to_string(i) + "-" + std::to_string(k), 50000, 40000);
            st->own_spools.push_back(id);
            initial_weight[id] = 40000;
        }
        st->shared_spool = i % 2 == 0 ? shared_a : shared_b;
        st->foreign_spool = i % 2 == 0 ? shared_b : shared_a;
        st->store = std::make_unique<StationStore>(st->dir->db());
        // Pair through the proxy (no faults yet): the payload carries the proxy's URL and central's CA and pin.
        proxy.set_fault_rates({});
        auto code = cstore->create_pairing_code(t.id, "Station " + std::to_string(i), 600);
        wire::PairingPayload p{proxy.url(), code.code, central::cert_der_base64url(tls.ca_file),
                               central::spki_pin_of_cert_file(tls.cert_file)};
        sync::PairOptions po;
        po.store = st->store.get();
        po.device_name = "station-" + std::to_string(i);
        auto pr = sync::pair_station(wire::format_pairing_payload(p), st->dir->str(), po);
        if (!pr.ok) {
            res.problems.push_back("pairing station " + std::to_string(i) + ": " + pr.error);
            return res;
        }
        st->device_id = pr.credentials.device_id;
        device_tenant[st->device_id] = t.id;
        stations.push_back(std::move(st));
    }
    // First catalog pull without faults so every station knows its spools.
    for (auto& st : stations) {
        test::TestEngine e(*st->store, station_engine_options(*st, sc, rng()));
        auto rep = e.sync_once();
        if (rep.outcome != sync::Disposition::Success) {
            res.problems.push_back("initial sync of station " + std::to_string(st->index) + ": " + rep.error);
            return res;
        }
    }

    const double f = sc.fault_rate / 5;
    proxy.set_fault_rates({{Fault::Drop, f}, {Fault::ApplyDrop, f}, {Fault::Stall, f * 0.5},
                           {Fault::Http503, f * 0.75}, {Fault::Http429, f * 0.75}});
    for (auto& st : stations) {
        st->engine = std::make_unique<test::TestEngine>(*st->store, station_engine_options(*st, sc, rng()));
        st->engine->start();
    }

    // Recorders: one thread per station; acknowledge after record() returns.
    std::atomic<int> recording{static_cast<int>(stations.size())};
    std::vector<std::thread> recorders;
    for (auto& stp : stations) {
        Station* st = stp.get();
        const uint64_t seed = rng();
        recorders.emplace_back([st, seed, &sc, &recording] {
            std::mt19937_64 r(seed);
            for (int n = 0; n < sc.transactions_per_station; ++n) {
                const unsigned roll = static_cast<unsigned>(r() % 100);
                NewRecord nr;
                Op op;
                if (roll < 3) {
                    nr.spool_uuid = st->foreign_spool;  // another tenant's spool: must be rejected
                    nr.type = TransactionType::Usage;
                    nr.quantity_grams = -1;
                } else if (roll < 25) {
                    nr.spool_uuid = st->shared_spool;
                    nr.type = TransactionType::Usage;
                    nr.quantity_grams = -static_cast<int>(1 + r() % 3);
                } else {
                    nr.spool_uuid = st->own_spools[r() % 2];
                    const int local = st->store->spool_by_uuid(nr.spool_uuid)->current_weight_g;
                    if (roll < 40) {
                        const int net = local - static_cast<int>(r() % 6);
                        nr.type = net < local ? TransactionType::Usage : TransactionType::Adjustment;
                        nr.quantity_grams = net - local;
                        nr.measurement = Measurement{net + 210.0, 210.0, TareSource::Spool, static_cast<double>(net)};
                        op.weighing = true;
                        op.net = net;
                    } else {
                        nr.type = TransactionType::Usage;
                        nr.quantity_grams = -static_cast<int>(1 + r() % 4);
                    }
                }
                auto rec = st->store->record(nr);
                if (nr.spool_uuid == st->foreign_spool) {
                    st->foreign.push_back(rec.id);
                } else {
                    op.id = rec.id;
                    op.spool = nr.spool_uuid;
                    op.quantity = nr.quantity_grams;
                    st->acked.push_back(op);
                }
                {
                    std::lock_guard lk(st->engine_mu);
                    if (st->engine) st->engine->notify();
                }
                std::this_thread::sleep_for(std::chrono::microseconds(r() % sc.max_pause_us));
            }
            --recording;
        });
    }
    // Chaos: kill and restart sync workers at random (aborting transfers in flight) while recording goes on.
    std::thread chaos([&] {
        std::mt19937_64 r(sc.seed + 7);
        auto end_after = std::chrono::steady_clock::time_point::max();
        while (true) {
            if (recording == 0 && end_after == std::chrono::steady_clock::time_point::max())
                end_after = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
            if (std::chrono::steady_clock::now() > end_after) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(30 + r() % 200));
            if (!sc.chaos) continue;
            auto& st = *stations[r() % stations.size()];
            std::lock_guard lk(st.engine_mu);
            st.engine->stop();
            st.engine.reset();
            st.engine = std::make_unique<test::TestEngine>(*st.store, station_engine_options(st, sc, r()));
            st.engine->start();
            ++res.worker_restarts;
        }
    });
    for (auto& t : recorders) t.join();
    chaos.join();

    // The network heals: every station drains what is left.
    proxy.set_fault_rates({});
    for (auto& st : stations) {
        {
            std::lock_guard lk(st->engine_mu);
            st->engine->stop();
            st->engine.reset();
        }
        test::TestEngine e(*st->store, station_engine_options(*st, sc, rng()));
        bool done = false;
        for (int i = 0; i < 50 && !done; ++i) {
            auto rep = e.sync_once();
            done = rep.outcome == sync::Disposition::Success && rep.pending_after == 0;
            if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!done) res.problems.push_back("station " + std::to_string(st->index) + " could not drain its queue");
    }
    res.connections = proxy.connections();
    for (int i = 0; i < 6; ++i) res.faults[i] = proxy.count(static_cast<Fault>(i));
    server.stop();
    proxy.stop();

    // --- checks ---
    std::set<std::string> acked_ids, foreign_ids;
    for (auto& st : stations) {
        for (auto& op : st->acked) acked_ids.insert(op.id);
        for (auto& id : st->foreign) foreign_ids.insert(id);
    }
    res.acknowledged = static_cast<int64_t>(acked_ids.size());
    res.foreign_attempts = static_cast<int64_t>(foreign_ids.size());
    std::set<std::string> applied;
    {
        sql::Db db(central_db, SQLITE_OPEN_READONLY);
        sql::Stmt q(db, "SELECT client_id, tenant_id, device_id, spool_id FROM inventory_transactions "
                        "WHERE client_id IS NOT NULL");
        while (q.step()) {
            const std::string cid = q.text(0);
            ++res.server_applied;
            if (!applied.insert(cid).second) ++res.duplicates;
            auto dt = device_tenant.find(q.text(2));
            if (dt == device_tenant.end() || dt->second != q.text(1)) ++res.wrong_tenant;
            if (foreign_ids.count(cid)) ++res.wrong_tenant;
        }
    }
    if (res.duplicates) res.problems.push_back(std::to_string(res.duplicates) + " duplicate client ids on the server");
    if (res.wrong_tenant) res.problems.push_back(std::to_string(res.wrong_tenant) + " rows in the wrong tenant");
    int64_t missing = 0, extra = 0;
    for (auto& id : acked_ids)
        if (!applied.count(id)) ++missing;
    for (auto& id : applied)
        if (!acked_ids.count(id)) ++extra;
    if (missing) res.problems.push_back(std::to_string(missing) + " acknowledged records not applied on the server");
    if (extra) res.problems.push_back(std::to_string(extra) + " server rows nobody acknowledged");

    // Local states: valid records applied, foreign ones rejected with a reason.
    for (auto& st : stations) {
        for (auto& op : st->acked) {
            auto r = st->store->get_record(op.id);
            if (!r || r->state != RecordState::Applied) {
                res.problems.push_back("station " + std::to_string(st->index) + ": record " + op.id + " is " +
                                       (r ? std::string(to_string(r->state)) + " " + r->reason : "missing"));
                break;
            }
        }
        for (auto& id : st->foreign) {
            auto r = st->store->get_record(id);
            if (!r || r->state != RecordState::Rejected || r->reason.empty()) {
                res.problems.push_back("station " + std::to_string(st->index) + ": foreign record " + id +
                                       " was not rejected");
                break;
            }
        }
        if (!st->store->integrity_ok()) res.problems.push_back("station store integrity check failed");
    }

    // Weights: replay of the acknowledged history.
    std::map<std::string, int> expected = initial_weight;
    for (auto& st : stations) {
        for (auto& op : st->acked) {
            if (op.weighing) expected[op.spool] = op.net;
            else expected[op.spool] += op.quantity;
        }
    }
    for (auto& [spool, w] : expected) {
        const std::string tenant = spool == shared_a ? ta.id
                                   : spool == shared_b ? tb.id
                                                       : [&] {
                                                             for (auto& st : stations)
                                                                 for (auto& o : st->own_spools)
                                                                     if (o == spool) return st->tenant_id;
                                                             return std::string();
                                                         }();
        auto s = cstore->get_spool(tenant, spool);
        if (!s || s->current_weight_g != w) {
            ++res.weight_mismatches;
            res.problems.push_back("spool " + spool + ": server weight " +
                                   (s ? std::to_string(s->current_weight_g) : "missing") + ", replay " +
                                   std::to_string(w));
        }
    }
    // The stations' catalogs reflect the server's weights for their own spools.
    for (auto& st : stations) {
        for (auto& o : st->own_spools) {
            auto local = st->store->spool_by_uuid(o);
            if (!local || local->current_weight_g != expected[o]) {
                ++res.weight_mismatches;
                res.problems.push_back("station " + std::to_string(st->index) + " local weight of " + o + " is " +
                                       (local ? std::to_string(local->current_weight_g) : "missing") +
                                       ", expected " + std::to_string(expected[o]));
            }
        }
    }
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return res;
}

}  // namespace batchivo::test
