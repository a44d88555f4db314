// The kiosk and the CLI build the engine from [sync] in one place (station/core/sync_link.hpp). Regression for the
// kiosk ignoring batch_size and the timeouts (issue #13): the options carry them, and a kiosk-path engine against
// the fake central sends batches no larger than the configured batch_size.
#include <catch2/catch.hpp>

#include "sync/protocol/lookup.hpp"

#include <chrono>
#include <thread>

#include "fake_central.hpp"
#include "station/core/sync_link.hpp"
#include "sync/store/station_store.hpp"
#include "sync_test_util.hpp"

using namespace batchivo;
using namespace batchivo::station;

namespace {

SyncConfig custom_config() {
    SyncConfig c;
    c.batch_size = 7;
    c.interval_s = 13;
    c.connect_timeout_s = 3;
    c.total_timeout_s = 11;
    return c;
}

}  // namespace

TEST_CASE("sync_setup carries every [sync] setting to the engine and its target", "[sync][link]") {
    const auto s = sync_setup(custom_config(), "/data/station");
    CHECK(s.engine.batch_size == 7);
    CHECK(s.engine.interval_ms == 13'000);
    CHECK(s.target.connect_timeout_ms == 3'000);
    CHECK(s.target.total_timeout_ms == 11'000);
    CHECK(s.target.data_dir == "/data/station");
}

TEST_CASE("the kiosk's sync link sends batches no larger than [sync] batch_size, with the configured timeouts",
          "[sync][link]") {
    test::TempDir dir("link");
    test::FakeCentral central;
    StationStore store(dir.db());
    std::string err;
    REQUIRE(sync::save_credentials(dir.creds(), test::test_credentials(), err));
    auto spool = central.add_spool("FIL-001", 1000, 1000);
    {
        std::lock_guard lk(central.mu);
        store.upsert_spools({central.spools.at(spool)});
    }
    for (int i = 0; i < 30; ++i) {
        NewRecord r;
        r.spool_uuid = spool;
        r.type = TransactionType::Usage;
        r.quantity_grams = -1;
        store.record(r);
    }
    auto setup = sync_setup(custom_config(), dir.str());
    std::mutex seen_mu;
    std::vector<sync::CurlOptions> seen;
    setup.target.client_factory = [&](const sync::CurlOptions& co) -> std::unique_ptr<sync::HttpClient> {
        {
            std::lock_guard lk(seen_mu);
            seen.push_back(co);
        }
        return std::make_unique<test::FnClient>(
            [&](const sync::HttpRequest& r, const std::atomic<bool>*) { return central.handle(r); }, co.abort_flag);
    };
    auto link = make_sync_link(store, setup);
    link->start([] {});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline &&
           !(link->status().pending == 0 && link->status().last_success_ms))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    link->stop();
    const auto st = link->status();
    CHECK(st.pending == 0);
    CHECK(st.tenant == "Acme");
    CHECK(st.target == "central");
    {
        std::lock_guard lk(central.mu);
        CHECK(central.applied.size() == 30);
        CHECK(central.max_batch_items == 7);  // 30 records: 7+7+7+7+2
        CHECK(central.batches == 5);
    }
    std::lock_guard lk(seen_mu);
    REQUIRE_FALSE(seen.empty());
    for (const auto& co : seen) {
        CHECK(co.connect_timeout_ms == 3'000);
        CHECK(co.total_timeout_ms == 11'000);
    }
}

namespace {
// A spool's history as central writes it (sync/protocol/lookup.hpp): one usage of 12 g.
std::string history_body() {
    wire::SpoolHistoryResponse h;
    Spool& sp = h.spool.spool;
    sp.id = "0193a1b2-0000-7000-8000-00000000c001";
    sp.tenant_id = "0193a1b2-0000-7000-8000-00000000a001";
    sp.spool_id = "FIL-001";
    sp.material_type_id = "0193a1b2-0000-7000-8000-00000000b001";
    sp.material_name = "PLA";
    sp.initial_weight_g = 1000;
    sp.current_weight_g = 612;
    sp.created_at = sp.updated_at = "2026-11-01T08:00:00.000Z";
    h.spool.stock = stock_info(sp);
    wire::HistoryTransaction t;
    t.tx.id = "0193a1b2-0000-7000-8000-0000000000f1";
    t.tx.spool_id = sp.id;
    t.tx.type = TransactionType::Usage;
    t.tx.quantity_grams = -12;
    t.tx.created_at = "2026-11-25T10:00:00.000Z";
    t.occurred_at = "2026-11-25T10:00:00.000Z";
    t.resulting_weight_g = 612;
    h.transactions.push_back(t);
    return nlohmann::json(h).dump();
}
}  // namespace

TEST_CASE("SyncLink::history asks the same target, credentials loaded once", "[sync][link]") {
    test::TempDir dir("link-hist");
    StationStore store(dir.db());
    auto setup = sync_setup(SyncConfig{}, dir.str());
    std::atomic<int> requests{0};
    setup.target.client_factory = [&](const sync::CurlOptions& co) -> std::unique_ptr<sync::HttpClient> {
        return std::make_unique<test::FnClient>(
            [&](const sync::HttpRequest& r, const std::atomic<bool>*) {
                ++requests;
                if (r.target.find("/spools/u-1/transactions?limit=5") == std::string::npos)
                    return sync::ScriptedHttpClient::status(404, "{}");
                return sync::ScriptedHttpClient::status(200, history_body());
            },
            co.abort_flag);
    };
    auto link = make_sync_link(store, setup);
    auto r = link->history("u-1", 5, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "not_paired");
    CHECK(requests == 0);
    // Paired afterwards (e.g. from the CLI): the target notices the new file without a restart.
    std::string err;
    REQUIRE(sync::save_credentials(dir.creds(), test::test_credentials(), err));
    r = link->history("u-1", 5, nullptr);
    REQUIRE(r.ok());
    CHECK(r->current_weight_g == 612);
    REQUIRE(r->transactions.size() == 1);
    CHECK(r->transactions[0].quantity_grams == -12);
    CHECK(link->history("other", 5, nullptr).error().code == "not_found");
}
