// Switching the station from one server to another: the catalog cache holds only the connected server's catalog
// (StationStore::reset_catalog_for_target, called by connect_target() and pairing). Spoolman (in-process fake) ->
// batchivo-central (in-process, HTTPS, paired) -> Spoolman, and Spoolman -> another Spoolman; spools that
// unconfirmed records refer to are kept (inactive); an engine still running on the previous target stores nothing;
// a failed connect gives the cache back to the previous target; the same through the CLI (connect, pair, status
// --json, a record for a spool of the old server refused).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "fake_spoolman.hpp"
#include "run_program.hpp"
#include "station/core/catalog_index.hpp"
#include "station/core/sync_link.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/central/store/store.hpp"
#include "sync/protocol/wire.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/make_target.hpp"
#include "sync/targets/spoolman/spoolman_map.hpp"
#include "sync/targets/spoolman/spoolman_target.hpp"
#include "sync_test_util.hpp"
#include "target_rig.hpp"

using namespace batchivo;
using batchivo::test::FakeSpoolman;
using batchivo::test::TempDir;

namespace {

// batchivo-central in-process (SQLite, HTTPS) with one tenant and two spools.
struct Central {
    TempDir dir{"switch-central"};
    std::shared_ptr<central::Store> store;
    central::TlsFiles tls;
    std::unique_ptr<central::CentralServer> server;
    std::string tenant_id;

    Central() {
        store = central::open_store("sqlite:" + (dir.path / "central.db").string());
        store->migrate();
        tls = central::ensure_tls((dir.path / "tls").string());
        server = std::make_unique<central::CentralServer>(store);
        central::ServerOptions so;
        so.cert_file = tls.cert_file;
        so.key_file = tls.key_file;
        std::string err;
        REQUIRE(server->start(so, &err));
        tenant_id = store->create_tenant("farm", "Farm").id;
        for (const char* id : {"FIL-001", "FIL-002"}) {
            Spool s;
            s.spool_id = id;
            s.material_name = "PLA";
            s.brand = "Acme";
            s.initial_weight_g = 1000;
            s.current_weight_g = 800;
            s.empty_spool_weight_g = 200;
            store->upsert_spool(tenant_id, s);
        }
    }
    ~Central() { server->stop(); }
    std::string pairing_payload() {
        auto code = store->create_pairing_code(tenant_id, "Bay 1", 600);
        return wire::format_pairing_payload({server->url(), code.code, central::cert_der_base64url(tls.ca_file),
                                             central::spki_pin_of_cert_file(tls.cert_file)});
    }
};

std::vector<std::string> index_ids(StationStore& store) {
    station::CatalogIndex index(store.all_spools());  // what the kiosk's lookups search
    std::vector<std::string> ids;
    for (const auto& s : index.spools()) ids.push_back(s.spool_id);
    return ids;
}

station::ConnectReport connect_spoolman(test::TargetRig& rig, const FakeSpoolman& spoolman, bool force = false) {
    station::ConnectRequest req;
    req.kind = "spoolman";
    req.url = spoolman.url();
    req.force = force;
    auto setup = station::sync_setup(station::SyncConfig{}, rig.dir.str());
    auto rep = station::connect_target(req, *rig.store, rig.dir.str(), setup);
    INFO((rep ? std::string() : rep.error().message));
    REQUIRE(rep);
    return *rep;
}

}  // namespace

TEST_CASE("catalog source: the reset clears another server's catalog, keeps spools of unconfirmed records",
          "[sync][target_switch]") {
    test::TargetRig rig("switch-store");
    StationStore& store = *rig.store;
    const std::string a = StationStore::catalog_source_key("spoolman", "http://10.0.0.2:7912/", "T1");
    CHECK(a == "spoolman http://10.0.0.2:7912 t1");
    CHECK(StationStore::catalog_source_key("central", "", "x").empty());

    // An empty store simply takes the source.
    auto r = store.reset_catalog_for_target(a);
    CHECK_FALSE(r.cleared);
    CHECK(r.previous_source.empty());
    CHECK(store.meta("catalog_source") == a);
    CHECK(store.reset_catalog_for_target(a).cleared == false);  // the same source: nothing happens

    MaterialType pla{"0193c000-0000-7000-8000-0000000000a1", "PLA", "{}"};
    MaterialType petg{"0193c000-0000-7000-8000-0000000000a2", "PETG", "{}"};
    store.upsert_material_types({pla, petg});
    std::vector<Spool> spools;
    for (int i = 1; i <= 3; ++i) {
        Spool s;
        s.id = sync::spoolman::spool_uuid(i);
        s.tenant_id = "t1";
        s.spool_id = sync::spoolman::spool_code(i);
        s.material_name = i == 2 ? "PETG" : "PLA";
        s.material_type_id = i == 2 ? petg.id : pla.id;
        s.initial_weight_g = 1000;
        s.current_weight_g = 900;
        spools.push_back(s);
    }
    store.upsert_spools(spools);
    ReorderSetting rs{};
    rs.id = "0193c000-0000-7000-8000-0000000000b1";
    rs.tenant_id = "t1";
    rs.material_name = "PLA";
    rs.lead_time_days = 3;
    store.upsert_reorder_settings({rs});
    store.replace_open_purchases({PurchaseLine{}});
    store.set_meta("catalog_cursor", "250");
    store.set_meta("catalog_as_of", "2026-11-27T10:00:00.000Z");
    store.set_meta("catalog_etag", "\"abc\"");
    store.set_meta("last_success_ms", "42");
    const auto pending = rig.record_use(sync::spoolman::spool_uuid(2), "S-2", 10);   // unconfirmed: S-2 stays
    const auto applied = rig.record_use(sync::spoolman::spool_uuid(3), "S-3", 10);  // confirmed: S-3 goes
    store.mark_applied(applied.id, 880);

    const std::string b = StationStore::catalog_source_key("central", "https://central.test:8443", "T2");
    r = store.reset_catalog_for_target(b);
    CHECK(r.cleared);
    CHECK(r.previous_source == a);
    CHECK(r.spools_removed == 2);
    CHECK(r.spools_kept == 1);
    CHECK(store.meta("catalog_source") == b);
    auto all = store.all_spools(true);
    REQUIRE(all.size() == 1);
    CHECK(all[0].spool_id == "S-2");
    CHECK_FALSE(all[0].is_active);              // out of the lookups until the new server lists it
    CHECK(store.all_spools().empty());
    CHECK(index_ids(store).empty());
    REQUIRE(store.material_types().size() == 1);  // PETG: the kept spool still uses it
    CHECK(store.material_types()[0].name == "PETG");
    CHECK(store.reorder_settings().empty());
    CHECK(store.open_purchase_lines(false).empty());
    CHECK_FALSE(store.meta("catalog_cursor"));
    CHECK_FALSE(store.meta("catalog_as_of"));
    CHECK_FALSE(store.meta("catalog_etag"));
    CHECK(store.meta("last_success_ms") == "42");  // not the cache's
    // Records are never touched.
    CHECK(store.get_record(pending.id)->state == RecordState::Pending);
    CHECK(store.get_record(applied.id)->state == RecordState::Applied);
    CHECK(store.counts().pending == 1);

    // A store from before the source was recorded: the caller's reading of the stored target stands in for it.
    Spool plain = spools[0];
    plain.material_type_id.clear();
    test::TargetRig old("switch-old");
    old.store->upsert_spools({plain});
    CHECK_FALSE(old.store->reset_catalog_for_target(a, a).cleared);
    CHECK(old.store->all_spools().size() == 1);
    test::TargetRig unknown("switch-unknown");
    unknown.store->upsert_spools({plain});
    CHECK(unknown.store->reset_catalog_for_target(a).cleared);  // nothing known about the cache: cleared
    CHECK(unknown.store->all_spools(true).empty());
}

TEST_CASE("switching targets: Spoolman -> central (pair) -> Spoolman, the lookups show only the connected server",
          "[sync][target_switch]") {
    FakeSpoolman spoolman;
    for (int i = 0; i < 3; ++i) spoolman.add_spool(1000, 100 * i);
    Central central;
    test::TargetRig rig("switch");
    StationStore& store = *rig.store;

    auto rep = connect_spoolman(rig, spoolman);
    CHECK(rep.spools == 3);
    CHECK(index_ids(store) == std::vector<std::string>{"S-1", "S-2", "S-3"});
    const auto rec = rig.record_use(sync::spoolman::spool_uuid(2), "S-2", 10);  // not yet sent to Spoolman

    // Pairing with central (pair doesn't refuse pending records: they go to the new pairing).
    auto paired = station::pair_with_payload(central.pairing_payload(), rig.dir.str(), &store, "Bay 1");
    INFO((paired ? std::string() : paired.error().message));
    REQUIRE(paired);
    CHECK(sync::stored_target_kind(rig.dir.str()) == "central");
    CHECK(index_ids(store).empty());  // S-1, S-3 gone; S-2 kept for its record, inactive
    CHECK(store.all_spools(true).size() == 1);
    CHECK_FALSE(store.meta("catalog_cursor"));

    // An engine still running on Spoolman (its records are its own: it may still send them) stores no catalog.
    {
        const std::string old_conn = rig.dir.str() + "/old-target.json";
        sync::TargetConnection c;
        c.kind = "spoolman";
        c.url = spoolman.url();
        REQUIRE(sync::save_connection(old_conn, c));
        sync::SpoolmanTargetOptions so;
        so.connection_path = old_conn;
        sync::SyncEngine old_engine(store, std::make_shared<sync::SpoolmanTarget>(so), rig.options());
        int list_calls = 0;
        {
            std::lock_guard lk(spoolman.mu);
            list_calls = spoolman.list_calls;
        }
        auto stale = old_engine.sync_once();
        CHECK_FALSE(stale.catalog_pulled);
        CHECK_THAT(stale.error, Catch::Contains("switched to another server"));
        {
            std::lock_guard lk(spoolman.mu);
            CHECK(spoolman.list_calls == list_calls + 1);  // it asked, and dropped the answer
        }
        CHECK(store.all_spools(true).size() == 1);
        CHECK(index_ids(store).empty());
    }
    CHECK(store.get_record(rec.id)->state == RecordState::Applied);  // sent by the old engine, to Spoolman
    test::TestEngine engine(store, rig.options());
    auto synced = engine.sync_once();
    INFO(synced.error);
    CHECK(synced.catalog_pulled);
    CHECK(index_ids(store) == std::vector<std::string>{"FIL-001", "FIL-002"});

    // Back to Spoolman: central's spools go, Spoolman's come back (S-2 active again: Spoolman lists it).
    rep = connect_spoolman(rig, spoolman);
    CHECK(rep.catalog_cleared);
    CHECK(index_ids(store) == std::vector<std::string>{"S-1", "S-2", "S-3"});
    CHECK(store.all_spools(true).size() == 3);
    CHECK(store.meta("catalog_source") == sync::stored_catalog_source(rig.options().target));

    // Another Spoolman (same kind, another address): only its spools.
    FakeSpoolman other;
    other.add_spool(500, 0);
    other.add_spool(500, 0);
    other.add_spool(500, 0);
    other.add_spool(750, 10);
    rep = connect_spoolman(rig, other);
    CHECK(rep.catalog_cleared);
    CHECK(rep.spools == 4);
    CHECK(store.all_spools(true).size() == 4);
    CHECK(store.spool_by_spool_id("S-4"));

    // Connecting again to the same server keeps the cache (no reset).
    rep = connect_spoolman(rig, other);
    CHECK_FALSE(rep.catalog_cleared);
    CHECK(store.all_spools(true).size() == 4);
}

TEST_CASE("switching targets: a connect that fails after the reset gives the cache back to the previous target",
          "[sync][target_switch]") {
    FakeSpoolman spoolman;
    spoolman.add_spool(1000, 0);
    FakeSpoolman broken;  // answers /info, but not the spool list
    broken.add_spool(1000, 0);
    test::TargetRig rig("switch-fail");
    connect_spoolman(rig, spoolman);
    const std::string first = *rig.store->meta("catalog_source");
    {
        std::lock_guard lk(broken.mu);
        broken.fail_list = true;
    }
    station::ConnectRequest req;
    req.kind = "spoolman";
    req.url = broken.url();
    auto rep = station::connect_target(req, *rig.store, rig.dir.str(), station::sync_setup(station::SyncConfig{}, rig.dir.str()));
    REQUIRE_FALSE(rep);
    CHECK(rep.error().code == "catalog");
    CHECK(sync::load_connection(sync::connection_path(rig.dir.str())).value()->url == spoolman.url());
    CHECK(rig.store->meta("catalog_source") == first);
    // The previous target's engine pulls its catalog afresh.
    test::TestEngine engine(*rig.store, rig.options());
    CHECK(engine.sync_once().catalog_pulled);
    CHECK(index_ids(*rig.store) == std::vector<std::string>{"S-1"});
}

#ifdef BATCHIVO_STATION_BIN
TEST_CASE("cli: connect spoolman, then pair with central: status --json and lookups show only central's spools",
          "[sync][target_switch]") {
    using batchivo::test::run_station;
    using batchivo::test::shell_quote;
    FakeSpoolman spoolman;
    spoolman.add_spool(1000, 100);
    spoolman.add_spool(1000, 300);
    Central central;
    TempDir dir{"switch-cli"};
    const std::string d = dir.str();

    auto r = run_station(d, "connect spoolman --url " + spoolman.url());
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK(run_station(d, "record usage --spool WEB+SPOOLMAN:S-1 --grams 5").status == 0);
    CHECK(run_station(d, "sync --once").status == 0);

    r = run_station(d, "pair " + shell_quote(central.pairing_payload()));
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("catalog cache was cleared"));
    r = run_station(d, "sync --once");
    INFO(r.out);
    CHECK(r.status == 0);
    r = run_station(d, "status --json");
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["target"] == "central");
    CHECK(j["tenant"] == "Farm");
    CHECK(j["pending"] == 0);
    CHECK(j["last_sync"].is_string());
    // A Spoolman spool is no longer known here; central's is.
    r = run_station(d, "record usage --spool WEB+SPOOLMAN:S-2 --grams 5");
    CHECK(r.status != 0);
    CHECK_THAT(r.out, Catch::Contains("No spool matches"));
    CHECK(run_station(d, "record usage --spool FIL-001 --grams 5").status == 0);
    {
        StationStore local(dir.db());
        std::vector<std::string> ids;
        for (const auto& s : local.all_spools(true)) ids.push_back(s.spool_id);
        CHECK(ids == std::vector<std::string>{"FIL-001", "FIL-002"});
    }
    CHECK(run_station(d, "sync --once").status == 0);

    // And back to Spoolman through the CLI: central's spools go.
    r = run_station(d, "connect spoolman --url " + spoolman.url());
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("previous server's catalog"));
    j = nlohmann::json::parse(run_station(d, "status --json").out);
    CHECK(j["target"] == "spoolman");
    CHECK(run_station(d, "record usage --spool FIL-001 --grams 5").status != 0);
    CHECK(run_station(d, "record usage --spool web+spoolman:s-2 --grams 5").status == 0);
}
#endif
