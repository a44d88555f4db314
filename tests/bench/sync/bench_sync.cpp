// bench_sync: what the sync engine delivers, measured in one run.
//   1. Drain rate: 10,000 queued transactions into central over loopback HTTPS, in batches (the engine's way) vs
//      one request per transaction (what peer systems do); the ratio is printed. PostgreSQL when a throwaway
//      cluster can be started (scripts/pg-throwaway), else SQLite (said so).
//   2. Process crash: 1,000 SIGKILLs of a recording child; records lost, duplicates, sequence gaps.
//   3. Power loss: 100 simulated power cuts on the fault-injecting VFS (and the synchronous=OFF control).
//   4. Bad network: 10,000 transactions from 3 stations in 2 tenants through the fault proxy with worker chaos.
// Environment: BENCH_SYNC_N (default 10000), BENCH_SYNC_KILLS (1000), BENCH_SYNC_SKIP=drain,crash,power,network.
#include "batchivo_source_dir.hpp"
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>

#include "crash_harness.hpp"
#include "network_harness.hpp"
#include "powercut_vfs.hpp"
#include "sync/central/store/pg/pg.hpp"
#include "sync/central/store/pg/role_check.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/engine/sync_engine.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"
#include "sync_test_util.hpp"

using namespace batchivo;
using Clock = std::chrono::steady_clock;

namespace {

int env_int(const char* name, int dflt) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : dflt;
}

bool skipped(const char* what) {
    const char* v = std::getenv("BENCH_SYNC_SKIP");
    return v && std::string(v).find(what) != std::string::npos;
}

double secs(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

struct Pg {
    std::string dir;
    std::string owner_url, app_url;
    bool ok = false;
    ~Pg() {
        if (!dir.empty()) {
            const std::string cmd = std::string(BATCHIVO_SOURCE_DIR) + "/scripts/pg-throwaway stop " + dir + " >/dev/null 2>&1";
            (void)!std::system(cmd.c_str());
        }
    }
};

std::unique_ptr<Pg> start_pg() {
    auto pg = std::make_unique<Pg>();
    const std::string script = std::string(BATCHIVO_SOURCE_DIR) + "/scripts/pg-throwaway";
    if (!std::filesystem::exists(script)) return pg;
    pg->dir = "/tmp/batchivo-bench-sync-pg-" + std::to_string(::getpid());
    const std::string cmd = script + " start " + pg->dir + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        pg->dir.clear();
        return pg;
    }
    std::ifstream in(pg->dir + "/url");
    std::string super;
    in >> super;
    try {
        {
            central::pg::Conn c(super);
            c.exec("CREATE ROLE bench_owner LOGIN BYPASSRLS CREATEROLE");
            c.exec("CREATE DATABASE bench_sync OWNER bench_owner");
        }
        const size_t at = super.find('@'), slash = super.rfind('/');
        const std::string hostport = super.substr(at, slash - at);
        pg->owner_url = "postgresql://bench_owner" + hostport + "/bench_sync";
        pg->app_url = "postgresql://bench_app:app-secret" + hostport + "/bench_sync";
        auto owner = central::open_store(pg->owner_url, 2);
        owner->migrate();
        central::create_app_role(pg->owner_url, "bench_app", "app-secret");
        pg->ok = true;
    } catch (const std::exception& e) {
        std::printf("  (PostgreSQL setup failed: %s)\n", e.what());
    }
    return pg;
}

struct DrainResult {
    double record_s = 0;
    double drain_s = 0;
    int applied = 0;
    int64_t pending_after = 0;
    int batches = 0;
    double http_ms = 0, store_ms = 0;
};

// One station, n queued usages over 100 spools, drained with the given batch size over HTTPS.
DrainResult drain(central::Store& admin, const central::CentralServer& server, const central::TlsFiles& tls,
                  const std::string& tenant_id, const std::vector<std::string>& spools, int n, int batch_size) {
    DrainResult r;
    test::TempDir dir("bench-station");
    StationStore store(dir.db());
    auto code = admin.create_pairing_code(tenant_id, "bench", 600);
    wire::PairingPayload p{server.url(), code.code, central::cert_der_base64url(tls.ca_file),
                           central::spki_pin_of_cert_file(tls.cert_file)};
    sync::PairOptions po;
    po.store = &store;
    auto pr = sync::pair_station(wire::format_pairing_payload(p), dir.str(), po);
    if (!pr.ok) throw std::runtime_error("pairing: " + pr.error);
    auto t0 = Clock::now();
    NewRecord nr;
    nr.type = TransactionType::Usage;
    nr.quantity_grams = -1;
    for (int i = 0; i < n; ++i) {
        nr.spool_uuid = spools[static_cast<size_t>(i) % spools.size()];
        store.record(nr);
    }
    r.record_s = secs(t0);
    test::EngineOptions o;
    o.target.data_dir = dir.str();
    o.batch_size = batch_size;
    o.watch_network = false;
    test::TestEngine engine(store, o);
    t0 = Clock::now();
    auto rep = engine.sync_once();
    r.drain_s = secs(t0);
    r.applied = rep.applied;
    r.batches = rep.batches;
    r.pending_after = rep.pending_after;
    r.http_ms = rep.http_ms;
    r.store_ms = rep.store_ms;
    if (rep.outcome != sync::Disposition::Success) std::printf("  drain error: %s\n", rep.error.c_str());
    return r;
}

void bench_drain(int n) {
    std::printf("--- drain rate: %d queued transactions into central over loopback HTTPS\n", n);
    auto pg = std::getenv("BENCH_SYNC_SQLITE") ? std::make_unique<Pg>() : start_pg();
    test::TempDir cdir("bench-central");
    std::shared_ptr<central::Store> admin, app;
    std::string backend;
    if (pg->ok) {
        admin = central::open_store(pg->owner_url, 2);
        app = central::open_store(pg->app_url, 8);
        backend = "PostgreSQL 15 (forced RLS, non-owner app role; throwaway cluster with fsync=off)";
    } else {
        admin = central::open_store("sqlite:" + (cdir.path / "central.db").string());
        admin->migrate();
        app = admin;
        backend = "SQLite (scripts/pg-throwaway could not start PostgreSQL here)";
    }
    std::printf("  central store: %s\n", backend.c_str());
    auto tls = central::ensure_tls((cdir.path / "tls").string());
    central::CentralServer server(app);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    so.rate_per_s = 0;  // measuring throughput, not the flood limiter
    std::string err;
    if (!server.start(so, &err)) {
        std::printf("  central did not start: %s\n", err.c_str());
        return;
    }
    auto t = admin->create_tenant("bench", "Bench");
    std::vector<std::string> spools;
    for (int i = 0; i < 100; ++i) {
        Spool s;
        s.spool_id = "B-" + std::to_string(i);
        s.material_name = "PLA";
        s.initial_weight_g = 1000000;
        s.current_weight_g = 1000000;
        spools.push_back(admin->upsert_spool(t.id, s).id);
    }
    auto batched = drain(*admin, server, tls, t.id, spools, n, wire::kMaxBatchItems);
    const double batched_rate = batched.applied / batched.drain_s;
    std::printf("  record %d locally: %.2f s (%.0f records/s, each durable: WAL + fsync)\n", n, batched.record_s,
                n / batched.record_s);
    std::printf("  batched (%d per request, %d requests): %d applied in %.2f s = %.0f tx/s (goal >= 3000), %lld left\n",
                wire::kMaxBatchItems, batched.batches, batched.applied, batched.drain_s, batched_rate,
                static_cast<long long>(batched.pending_after));
    std::printf("    of which waiting for central %.2f s, station store (mark sent + results) %.2f s\n",
                batched.http_ms / 1000, batched.store_ms / 1000);
    if (skipped("single")) {
        server.stop();
        return;
    }
    auto single = drain(*admin, server, tls, t.id, spools, n, 1);
    const double single_rate = single.applied / single.drain_s;
    std::printf("  one request per transaction: %d applied in %.2f s = %.0f tx/s, %lld left\n", single.applied,
                single.drain_s, single_rate, static_cast<long long>(single.pending_after));
    std::printf("  ratio batched / one-per-request: %.1fx (goal >= 20x)\n", batched_rate / single_rate);
    server.stop();
}

void bench_crash(int kills) {
    std::printf("--- process crash: %d SIGKILLs of a recording child\n", kills);
    test::TempDir dir("bench-crash");
    auto t0 = Clock::now();
    auto st = test::run_crash_test(SYNC_CRASH_CHILD, dir.db(), kills, std::random_device{}(), 60);
    std::printf("  kills survived %d, acknowledged %lld, lost %lld, duplicates %lld, sequence gaps %lld, "
                "integrity failures %lld (%.1f s)\n",
                st.kills, static_cast<long long>(st.acknowledged), static_cast<long long>(st.lost),
                static_cast<long long>(st.duplicates), static_cast<long long>(st.seq_gaps),
                static_cast<long long>(st.integrity_failures), secs(t0));
}

struct CutTotals {
    int64_t acked = 0, lost = 0, integrity = 0;
};

CutTotals power_cuts(bool durable, int rounds) {
    CutTotals t;
    test::TempDir dir("bench-power");
    { StationStore init(dir.db()); }
    test::powercut::register_vfs();
    std::mt19937_64 rng(std::random_device{}());
    for (int round = 0; round < rounds; ++round) {
        std::vector<std::string> acked;
        std::mutex mu;
        {
            StoreOptions o;
            o.vfs = test::powercut::kVfsName;
            o.durable = durable;
            auto store = std::make_unique<StationStore>(dir.db(), o);
            std::atomic<bool> stop{false};
            std::thread w([&] {
                NewRecord r;
                r.spool_uuid = "55555555-5555-4555-8555-555555555555";
                r.quantity_grams = -1;
                while (!stop) {
                    try {
                        auto rec = store->record(r);
                        std::lock_guard lk(mu);
                        acked.push_back(rec.id);
                    } catch (...) {
                        return;
                    }
                }
            });
            for (int i = 0; i < 2000; ++i) {
                {
                    std::lock_guard lk(mu);
                    if (!acked.empty()) break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
            test::powercut::cut();
            stop = true;
            w.join();
            store.reset();
        }
        std::filesystem::remove(dir.db() + "-shm");
        test::powercut::power_on();
        StationStore store(dir.db());
        if (!store.integrity_ok()) ++t.integrity;
        std::unordered_set<std::string> present;
        sql::Stmt s(store.db(), "SELECT id FROM transactions");
        while (s.step()) present.insert(s.text(0));
        t.acked += static_cast<int64_t>(acked.size());
        for (auto& id : acked)
            if (!present.count(id)) ++t.lost;
    }
    return t;
}

void bench_power(int rounds) {
    std::printf("--- power loss: %d simulated power cuts (unsynced writes dropped)\n", rounds);
    auto d = power_cuts(true, rounds);
    std::printf("  synchronous=FULL: acknowledged %lld, lost %lld, integrity failures %lld\n",
                static_cast<long long>(d.acked), static_cast<long long>(d.lost), static_cast<long long>(d.integrity));
    auto o = power_cuts(false, rounds / 4 + 1);
    std::printf("  negative control synchronous=OFF: acknowledged %lld, lost %lld (the test detects loss: %s)\n",
                static_cast<long long>(o.acked), static_cast<long long>(o.lost), o.lost > 0 ? "yes" : "NO");
}

void bench_network(int n) {
    std::printf("--- bad network: %d transactions, 3 stations in 2 tenants, fault proxy + worker chaos\n", n);
    test::NetworkScenario sc;
    sc.stations = 3;
    sc.transactions_per_station = (n + 2) / 3;
    sc.seed = std::random_device{}();
    sc.max_pause_us = 3000;
    auto r = test::run_network_scenario(sc);
    std::printf("  acknowledged %lld (+%lld aimed at another tenant, all rejected), server applied %lld, duplicates "
                "%lld, wrong tenant %lld, weight mismatches %lld\n",
                static_cast<long long>(r.acknowledged), static_cast<long long>(r.foreign_attempts),
                static_cast<long long>(r.server_applied), static_cast<long long>(r.duplicates),
                static_cast<long long>(r.wrong_tenant), static_cast<long long>(r.weight_mismatches));
    std::printf("  %lld connections: drop %lld, applied-then-dropped %lld, stall %lld, 503 %lld, 429 %lld; %lld worker "
                "restarts; %.1f s; %s\n",
                static_cast<long long>(r.connections), static_cast<long long>(r.faults[1]),
                static_cast<long long>(r.faults[2]), static_cast<long long>(r.faults[3]),
                static_cast<long long>(r.faults[4]), static_cast<long long>(r.faults[5]),
                static_cast<long long>(r.worker_restarts), r.seconds,
                r.problems.empty() ? "all checks passed" : "CHECKS FAILED");
    for (auto& p : r.problems) std::printf("  problem: %s\n", p.c_str());
}

}  // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int n = env_int("BENCH_SYNC_N", 10000);
    try {
        if (!skipped("drain")) bench_drain(n);
        if (!skipped("crash")) bench_crash(env_int("BENCH_SYNC_KILLS", 1000));
        if (!skipped("power")) bench_power(100);
        if (!skipped("network")) bench_network(n);
    } catch (const std::exception& e) {
        std::printf("bench_sync failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
