// Contract tests of the Spoolman target against an in-process fake Spoolman (v0.26 API, fake_spoolman.hpp) over
// real HTTP through libcurl, driven by the real engine: paging with x-total-count, archived spools, deletions by
// full snapshot, labels, weighings (absolute, the station's tare), usages with a lost answer (the guard prevents a
// double count), 429, a concurrent edit in Spoolman, a record for a spool of another kind, history unsupported,
// and the engine's happy path with this target.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "fake_spoolman.hpp"
#include "platform/labels/label_parser.hpp"
#include "station/core/catalog_index.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/spoolman/spoolman_map.hpp"
#include "sync/targets/spoolman/spoolman_target.hpp"
#include "run_program.hpp"
#include "sync_test_util.hpp"
#include "target_rig.hpp"

using namespace batchivo;
using namespace batchivo::sync;
using batchivo::test::FakeSpoolman;
using batchivo::test::TempDir;

namespace {

struct Rig : test::TargetRig {
    FakeSpoolman spoolman;

    Rig() : TargetRig("spoolman") {
        TargetConnection c;
        c.kind = "spoolman";
        c.url = spoolman.url();
        REQUIRE(save_connection(connection_path(dir.str()), c));
    }
    OutboxRecord use(int64_t id, int grams) {
        return record_use(spoolman::spool_uuid(id), spoolman::spool_code(id), grams);
    }
    OutboxRecord weigh(int64_t id, double gross, double tare) {
        return record_weighing(spoolman::spool_uuid(id), spoolman::spool_code(id), gross, tare);
    }
};

}  // namespace

TEST_CASE("spoolman mapping: stable UUIDs, S-<id>, tare spool else filament, archived inactive", "[sync][spoolman]") {
    const std::string u = spoolman::spool_uuid(42);
    CHECK(u == spoolman::spool_uuid(42));
    CHECK(u != spoolman::spool_uuid(43));
    CHECK(is_uuid(u));
    CHECK(u[14] == '5');  // version 5
    CHECK(spoolman::spoolman_id_of("S-42", u) == 42);
    CHECK(spoolman::spoolman_id_of("s-42", u) == 42);
    CHECK_FALSE(spoolman::spoolman_id_of("S-43", u));      // label and UUID disagree
    CHECK_FALSE(spoolman::spoolman_id_of("FIL-001", u));   // a central spool

    auto j = nlohmann::json::parse(R"({"id": 5, "remaining_weight": 612.4, "initial_weight": 750, "archived": true,
        "location": "Shelf B", "comment": "opened", "registered": "2026-01-01T00:00:00",
        "filament": {"name": "Jet Black", "material": "PETG", "weight": 1000, "spool_weight": 170,
                     "color_hex": "0a0B0c", "vendor": {"name": "Acme", "empty_spool_weight": 250}}})");
    auto s = spoolman::to_spool(j);
    REQUIRE(s);
    CHECK(s->id == spoolman::spool_uuid(5));
    CHECK(s->spool_id == "S-5");
    CHECK(s->qr_code_data == "web+spoolman:s-5");
    CHECK(s->material_name == "PETG");
    CHECK(s->brand == "Acme");
    CHECK(s->color == "Jet Black");
    CHECK(s->color_hex == "#0A0B0C");
    CHECK(s->initial_weight_g == 750);
    CHECK(s->current_weight_g == 612);
    CHECK(s->empty_spool_weight_g == 170);  // the filament's (no spool_weight); the vendor's is ignored
    CHECK_FALSE(s->is_active);
    CHECK(s->storage_location == "Shelf B");
    j["spool_weight"] = 210;
    j["initial_weight"] = nullptr;
    s = spoolman::to_spool(j);
    CHECK(s->empty_spool_weight_g == 210);
    CHECK(s->initial_weight_g == 1000);  // the filament's net weight
    CHECK_FALSE(spoolman::to_spool(nlohmann::json::parse(R"({"id": "x"})")));

    auto ids = spoolman::guard_ids(nlohmann::json::parse(R"({"extra": {"batchivo_applied": "\"a b c\""}})"));
    CHECK(ids == std::vector<std::string>{"a", "b", "c"});
    std::vector<std::string> many(40, "x");
    const auto v = spoolman::guard_value(many, "new");
    auto back = spoolman::guard_ids(nlohmann::json{{"extra", {{"batchivo_applied", v}}}});
    CHECK(back.size() == static_cast<size_t>(spoolman::kGuardKeep));
    CHECK(back.back() == "new");
}

TEST_CASE("spoolman connection file: 0600, local-network http only", "[sync][spoolman]") {
    TempDir dir{"spoolman-conn"};
    const auto path = connection_path(dir.str());
    CHECK(load_connection(path));
    CHECK_FALSE(*load_connection(path));
    REQUIRE(save_connection(path, {"spoolman", "http://192.168.1.5:7912", "secret-key", "", "t"}));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto c = load_connection(path);
    REQUIRE(c);
    REQUIRE(*c);
    CHECK((*c)->api_key == "secret-key");
    CHECK(stored_target_kind(dir.str()) == "spoolman");
    CHECK(check_target_url("http://192.168.1.5:7912"));
    CHECK(check_target_url("http://10.0.0.2"));
    CHECK(check_target_url("http://172.20.1.1:7912"));
    CHECK(check_target_url("http://spoolman.local:7912"));
    CHECK(check_target_url("http://127.0.0.1:7912"));
    CHECK(check_target_url("http://169.254.3.4"));
    CHECK(check_target_url("http://[fe80::1]:7912"));
    CHECK(check_target_url("https://spoolman.example.com"));
    CHECK_FALSE(check_target_url("http://spoolman.example.com"));
    CHECK_FALSE(check_target_url("http://8.8.8.8"));
    CHECK_FALSE(check_target_url("http://172.32.0.1"));
    CHECK_FALSE(check_target_url("ftp://192.168.1.5"));
    REQUIRE(remove_connection(path));
    CHECK(stored_target_kind(dir.str()) == "central");
}

TEST_CASE("spoolman catalog: all pages by x-total-count, archived inactive, deletions by full snapshot, labels",
          "[sync][spoolman]") {
    Rig rig;
    for (int i = 0; i < 249; ++i) rig.spoolman.add_spool(1000, i);
    const int64_t archived = rig.spoolman.add_spool(1000, 990, 0, true);
    test::TestEngine engine(*rig.store, rig.options());
    CHECK(engine.target()->kind() == "spoolman");
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_spools == 250);
    CHECK(rig.spoolman.list_calls == 3);  // 100 + 100 + 50
    CHECK(rig.store->all_spools(true).size() == 250);
    auto a = rig.store->spool_by_uuid(spoolman::spool_uuid(archived));
    REQUIRE(a);
    CHECK_FALSE(a->is_active);
    auto s7 = rig.store->spool_by_spool_id("S-7");
    REQUIRE(s7);
    CHECK(s7->current_weight_g == 1000 - 6);
    CHECK(s7->empty_spool_weight_g == 180);
    CHECK(s7->brand == "Prusament");
    CHECK(engine.status().paired);

    // Labels: both Spoolman forms, any case, resolve to the spool; a filament label is not a spool.
    for (const char* l : {"web+spoolman:s-7", "WEB+SPOOLMAN:S-7", "http://spoolman.local:7912/spool/show/7"}) {
        auto sp = station::spool_for_label(*rig.store, platform::parse_label(l));
        REQUIRE(sp);
        CHECK(sp->spool_id == "S-7");
    }
    const auto fil = platform::parse_label("web+spoolman:f-7");
    CHECK(fil.kind == platform::LabelKind::SpoolmanFilament);
    CHECK_FALSE(station::spool_for_label(*rig.store, fil));

    // A spool deleted in Spoolman disappears from the station's catalog at the next full pull.
    {
        std::lock_guard lk(rig.spoolman.mu);
        rig.spoolman.spools.erase(7);
    }
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_deleted == 1);
    CHECK_FALSE(rig.store->spool_by_spool_id("S-7"));
    CHECK(rig.store->all_spools(true).size() == 249);
}

TEST_CASE("spoolman weighing: remaining = gross - the station's tare, whatever Spoolman's tare", "[sync][spoolman]") {
    Rig rig;
    const int64_t id = rig.spoolman.add_spool(1000, 100, 150);  // Spoolman's tare 150
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    rig.weigh(id, 950, 230);  // the operator saw tare 230
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 1);
    CHECK(rig.spoolman.remaining(id) == 720);
    CHECK(rig.store->spool_by_spool_id("S-" + std::to_string(id))->current_weight_g == 720);
}

TEST_CASE("spoolman usage: an answer lost after Spoolman applied it is not applied twice", "[sync][spoolman]") {
    Rig rig;
    rig.total_timeout_ms = 400;
    rig.spoolman.stall_ms = 1200;
    const int64_t id = rig.spoolman.add_spool(1000, 200);
    const int64_t other = rig.spoolman.add_spool(1000, 0);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    const auto rec = rig.use(id, 30);
    rig.use(other, 5);
    {
        std::lock_guard lk(rig.spoolman.mu);
        rig.spoolman.lose_next_answers = 1;
    }
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Retry);
    CHECK(rig.spoolman.lost_answers == 1);
    CHECK(rig.spoolman.remaining(id) == 770);  // applied once, the station does not know yet
    CHECK(rig.store->get_record(rec.id)->state == RecordState::Sent);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the stalled handler finishes
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.duplicates == 1);
    CHECK(rep.applied == 1);
    CHECK(rig.spoolman.remaining(id) == 770);  // not 740
    CHECK(rig.spoolman.remaining(other) == 995);
    CHECK(rig.store->get_record(rec.id)->state == RecordState::Applied);
    CHECK(rig.store->get_record(rec.id)->server_weight_g == 770);
    CHECK(rig.store->counts().pending == 0);
}

TEST_CASE("spoolman 429: nothing applied, the same records go later", "[sync][spoolman]") {
    Rig rig;
    const int64_t id = rig.spoolman.add_spool(1000, 0);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    rig.use(id, 10);
    rig.spoolman.too_many_next = 3;
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Retry);
    CHECK(rig.spoolman.remaining(id) == 1000);
    rig.spoolman.too_many_next = 0;
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 1);
    CHECK(rig.spoolman.remaining(id) == 990);
}

TEST_CASE("spoolman concurrent edit: a use made in Spoolman meanwhile is kept, not overwritten", "[sync][spoolman]") {
    Rig rig;
    const int64_t id = rig.spoolman.add_spool(1000, 200);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    CHECK(rig.store->spool_by_spool_id("S-1")->current_weight_g == 800);
    rig.use(id, 30);            // the station saw 800
    rig.spoolman.use(id, 50);   // someone printed meanwhile, through Spoolman
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rig.spoolman.remaining(id) == 720);  // both counted
    CHECK(rig.store->spool_by_spool_id("S-1")->current_weight_g == 720);
}

TEST_CASE("spoolman rejections: a spool of another kind, a deleted spool, no initial weight, history unsupported",
          "[sync][spoolman]") {
    Rig rig;
    const int64_t id = rig.spoolman.add_spool(1000, 0);
    const int64_t gone = rig.spoolman.add_spool(1000, 0);
    const int64_t no_initial = rig.spoolman.add_spool(0, 0);
    {
        std::lock_guard lk(rig.spoolman.mu);
        rig.spoolman.spools[no_initial]["initial_weight"] = nullptr;
        rig.spoolman.spools[no_initial]["filament"]["weight"] = nullptr;
    }
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    NewRecord foreign;  // recorded for a central spool (FIL-001), not a Spoolman one
    foreign.spool_uuid = new_uuid_v4();
    foreign.spool_label = "FIL-001";
    foreign.quantity_grams = -5;
    const auto f = rig.store->record(foreign);
    {
        std::lock_guard lk(rig.spoolman.mu);
        rig.spoolman.spools.erase(gone);
    }
    const auto g = rig.use(gone, 5);
    const auto n = rig.use(no_initial, 5);
    const auto ok = rig.use(id, 5);
    auto rep = engine.sync_once();
    CHECK(rep.rejected == 3);
    CHECK(rep.applied == 1);
    CHECK(rig.store->get_record(f.id)->state == RecordState::Rejected);
    CHECK_THAT(rig.store->get_record(f.id)->reason, Catch::Contains("not a spool of the connected Spoolman"));
    CHECK_THAT(rig.store->get_record(g.id)->reason, Catch::Contains("no longer exists"));
    CHECK_THAT(rig.store->get_record(n.id)->reason, Catch::Contains("without initial weight"));
    CHECK(rig.store->get_record(ok.id)->state == RecordState::Applied);
    CHECK(rig.spoolman.remaining(id) == 995);

    auto h = engine.target()->history(spoolman::spool_uuid(id), 10, nullptr);
    REQUIRE_FALSE(h);
    CHECK(h.error().code == "unsupported");
    auto who = engine.target()->whoami(nullptr);
    REQUIRE(who);
    CHECK(who->kind == "spoolman");
    CHECK(who->tenant_name == "Spoolman 0.26.0");
}

TEST_CASE("engine happy path with the Spoolman target: order, batches, the server's weights", "[sync][spoolman]") {
    Rig rig;
    const int64_t a = rig.spoolman.add_spool(1000, 200);
    const int64_t b = rig.spoolman.add_spool(1000, 500);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    for (int i = 0; i < 25; ++i) rig.use(i % 2 ? a : b, 3);
    rig.weigh(a, 900, 200);
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 26);
    CHECK(rep.batches == 3);  // batch size 10
    CHECK(rep.pending_after == 0);
    CHECK(rep.catalog_pulled);
    CHECK(rig.spoolman.remaining(a) == 700);  // the weighing came last
    CHECK(rig.spoolman.remaining(b) == 500 - 13 * 3);
    CHECK(rig.store->spool_by_uuid(spoolman::spool_uuid(a))->current_weight_g == 700);
    CHECK(rig.store->spool_by_uuid(spoolman::spool_uuid(b))->current_weight_g == 500 - 13 * 3);
    rep = engine.sync_once();
    CHECK(rep.batches == 0);
    CHECK(rig.spoolman.patches == 26);
}

#ifdef BATCHIVO_STATION_BIN
namespace {
// The station binary with ARGS (tests/support/run_program.hpp); `status` gets its exit status.
std::string run(const std::string& args, int& status) {
    auto r = batchivo::test::run_program(BATCHIVO_STATION_BIN, args);
    status = r.status;
    return r.out;
}
}  // namespace

TEST_CASE("cli: connect spoolman checks /info, pulls the catalog, stores 0600, status --json", "[sync][spoolman]") {
    FakeSpoolman spoolman;
    spoolman.add_spool(1000, 100);
    spoolman.add_spool(1000, 300);
    TempDir dir{"spoolman-cli"};
    const std::string dd = "--data-dir " + dir.str() + " ";
    int st = 0;
    auto out = run(dd + "status --json", st);
    REQUIRE(st == 0);
    auto j = nlohmann::json::parse(out);
    CHECK(j["target"] == "central");
    CHECK(j["last_sync"].is_null());
    CHECK(j["pending"] == 0);

    out = run(dd + "connect spoolman --url http://8.8.8.8:7912", st);
    CHECK(st != 0);
    CHECK_THAT(out, Catch::Contains("local network"));
    out = run(dd + "connect spoolman --url http://127.0.0.1:1", st);  // nothing listens: the old target stays
    CHECK(st != 0);
    CHECK(sync::stored_target_kind(dir.str()) == "central");

    out = run(dd + "connect spoolman --url " + spoolman.url() + " --api-key s3cret-key", st);
    INFO(out);
    REQUIRE(st == 0);
    CHECK_THAT(out, Catch::Contains("Spoolman 0.26.0"));
    CHECK_THAT(out, Catch::Contains("not encrypted"));
    CHECK_THAT(out, Catch::Contains("2 spool(s)"));
    CHECK(out.find("s3cret-key") == std::string::npos);
    struct stat sb {};
    REQUIRE(::stat(connection_path(dir.str()).c_str(), &sb) == 0);
    CHECK((sb.st_mode & 0777) == 0600);

    out = run(dd + "status --json", st);
    REQUIRE(st == 0);
    j = nlohmann::json::parse(out);
    CHECK(j["target"] == "spoolman");
    CHECK(j["url"] == spoolman.url());
    CHECK(j["tenant"].is_null());
    CHECK(j["pending"] == 0);
    CHECK(j["last_sync"].is_string());
    CHECK(j["encrypted"] == false);
    CHECK(out.find("s3cret-key") == std::string::npos);

    // A record for S-1, then connecting elsewhere is refused until --force discards it.
    out = run(dd + "record usage --spool WEB+SPOOLMAN:S-1 --grams 12", st);
    INFO(out);
    CHECK(st == 0);
    FakeSpoolman other;
    out = run(dd + "connect spoolman --url " + other.url(), st);
    CHECK(st != 0);
    CHECK_THAT(out, Catch::Contains("--force"));
    out = run(dd + "connect spoolman --url " + other.url() + " --force", st);
    CHECK(st == 0);
    CHECK_THAT(out, Catch::Contains("WARNING"));
    j = nlohmann::json::parse(run(dd + "status --json", st));
    CHECK(j["pending"] == 0);
    CHECK(j["url"] == other.url());
}
#endif
