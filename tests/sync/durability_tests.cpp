// Process crash and power loss: a record is durable when record() returns.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <unordered_set>

#include "crash_harness.hpp"
#include "powercut_vfs.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"
#include "sync_test_util.hpp"

using namespace batchivo;
using batchivo::test::TempDir;

TEST_CASE("process crash: 100 SIGKILLs at random moments lose nothing acknowledged", "[sync][durability][crash]") {
    TempDir dir("crash");
    const uint64_t seed = std::random_device{}();
    INFO("seed " << seed);
    auto st = test::run_crash_test(SYNC_CRASH_CHILD, dir.db(), 100, seed, 60);
    CHECK(st.kills == 100);
    CHECK(st.acknowledged >= 30);  // the child made progress between kills (each record is an fsync)
    CHECK(st.lost == 0);
    CHECK(st.duplicates == 0);
    CHECK(st.seq_gaps == 0);
    CHECK(st.integrity_failures == 0);
    CHECK(st.records >= st.acknowledged);
}

namespace {

struct PowerCutResult {
    int64_t acknowledged = 0;
    int64_t lost = 0;
    bool integrity_ok = true;
    bool seq_gap_free = true;
};

// One station "boots" on the power-cut VFS, records from a worker thread (acknowledging each after record()
// returned), the power goes off at a random moment, the machine "reboots" (the -shm file is gone) and the store
// is opened again with the ordinary VFS.
PowerCutResult power_cut_round(const std::string& db, bool durable, std::mt19937_64& rng) {
    PowerCutResult out;
    test::powercut::register_vfs();
    std::vector<std::string> acked;
    std::mutex mu;
    {
        StoreOptions o;
        o.vfs = test::powercut::kVfsName;
        o.durable = durable;
        auto store = std::make_unique<StationStore>(db, o);
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            NewRecord r;
            r.spool_uuid = "55555555-5555-4555-8555-555555555555";
            r.type = TransactionType::Usage;
            r.quantity_grams = -2;
            while (!stop) {
                try {
                    auto rec = store->record(r);
                    std::lock_guard lk(mu);
                    acked.push_back(rec.id);
                } catch (const std::exception&) {
                    return;  // the power is off: nothing after this point was acknowledged
                }
            }
        });
        // Wait for the first acknowledgement, then cut after a random extra delay.
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
        writer.join();
        store.reset();  // closes: the close-time checkpoint fails, as the machine is off
    }
    std::filesystem::remove(db + "-shm");  // shared memory does not survive a power cut
    test::powercut::power_on();

    StationStore store(db);
    out.integrity_ok = store.integrity_ok();
    std::unordered_set<std::string> present;
    {
        sql::Stmt s(store.db(), "SELECT id FROM transactions");
        while (s.step()) present.insert(s.text(0));
    }
    const int64_t n = store.db().query_int("SELECT COUNT(*) FROM transactions").value_or(0);
    out.seq_gap_free = n == store.db().query_int("SELECT COALESCE(MAX(seq), 0) FROM transactions").value_or(0);
    out.acknowledged = static_cast<int64_t>(acked.size());
    for (const auto& id : acked)
        if (!present.count(id)) ++out.lost;
    return out;
}

}  // namespace

TEST_CASE("power loss: every acknowledged record survives a cut that drops unsynced writes",
          "[sync][durability][power]") {
    TempDir dir("power");
    { StationStore init(dir.db()); }  // created on the ordinary VFS, closed cleanly
    std::mt19937_64 rng(std::random_device{}());
    test::powercut::reset_stats();
    int64_t acked = 0;
    for (int round = 0; round < 15; ++round) {
        INFO("round " << round);
        auto r = power_cut_round(dir.db(), true, rng);
        CHECK(r.lost == 0);
        CHECK(r.integrity_ok);
        CHECK(r.seq_gap_free);
        acked += r.acknowledged;
    }
    CHECK(acked >= 15);
    auto s = test::powercut::stats();
    CHECK(s.syncs > 0);  // commits did reach xSync: the durable path was exercised
}

TEST_CASE("power loss negative control: with synchronous=OFF the same test detects lost records",
          "[sync][durability][power]") {
    TempDir dir("power-off");
    { StationStore init(dir.db()); }
    std::mt19937_64 rng(std::random_device{}());
    int64_t lost = 0, acked = 0;
    for (int round = 0; round < 5; ++round) {
        auto r = power_cut_round(dir.db(), false, rng);
        lost += r.lost;
        acked += r.acknowledged;
        CHECK(r.integrity_ok);  // WAL keeps the file consistent; it is the acknowledged records that vanish
    }
    INFO("acknowledged " << acked << ", lost " << lost);
    CHECK(acked > 0);
    CHECK(lost > 0);  // the test can catch the bug it is there to catch
}
