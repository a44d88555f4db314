// Headless tests of the kiosk's flows and state (no display, no network).
#include "batchivo_source_dir.hpp"
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "station/core/event_queue.hpp"
#include "station/core/catalog_index.hpp"
#include "station/core/screens/detail.hpp"
#include "station/core/screens/setup.hpp"
#include "station/core/screens/stock.hpp"
#include "station/core/screens/sync.hpp"
#include "station/core/screens/usage.hpp"
#include "station/core/screens/weigh.hpp"
#include "platform/labels/label_parser.hpp"
#include "station/core/scenario.hpp"
#include "station/core/weigh_flow.hpp"
#include "sync/store/station_store.hpp"

using namespace batchivo;
using namespace batchivo::station;

namespace {

Spool spool(int initial = 1000, int current = 800, std::optional<int> empty = 200) {
    Spool s;
    s.id = "0193b000-0000-7000-8000-000000000001";
    s.tenant_id = "0193d000-0000-7000-8000-000000000001";
    s.spool_id = "FIL-001";
    s.material_name = "PLA";
    s.brand = "Bambu Lab";
    s.color = "Red";
    s.initial_weight_g = initial;
    s.current_weight_g = current;
    s.empty_spool_weight_g = empty;
    return s;
}

platform::ScaleReadout reading(double g, bool stable, int64_t at, int64_t stable_since = 0) {
    platform::ScaleReadout s;
    s.connected = true;
    s.grams = g;
    s.stable = stable;
    s.status = stable ? "stable" : "in motion";
    s.at_ms = at;
    s.stable_since_ms = stable ? (stable_since ? stable_since : at) : 0;
    return s;
}

struct TempDir {
    std::string path;
    TempDir() {
        path = std::filesystem::temp_directory_path() / ("station-test-" + std::to_string(::getpid()) + "-" +
                                                         std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    static int& counter() {
        static int c = 0;
        return c;
    }
};

}  // namespace

TEST_CASE("event queue runs tasks in order on drain and wakes the loop") {
    EventQueue q;
    std::atomic<int> wakes{0};
    q.set_waker([&] { ++wakes; });
    std::vector<int> order;
    std::thread t([&] {
        for (int i = 0; i < 100; ++i) q.post([&order, i] { order.push_back(i); });
    });
    t.join();
    CHECK(wakes == 100);
    CHECK(q.drain() == 100);
    REQUIRE(order.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(order[size_t(i)] == i);
    CHECK(q.drain() == 0);
    q.post([] { throw std::runtime_error("boom"); });
    q.post([&] { order.push_back(-1); });
    CHECK(q.drain() == 2);
    CHECK(q.failed() == 1);
    CHECK(order.back() == -1);
}

TEST_CASE("weigh flow: scan, place, stable, confirm yields a usage record with the measurement") {
    WeighFlow f;
    CHECK(f.view(0).stage == WeighStage::Idle);
    f.scale(reading(0, true, 0), 0);
    f.scan_spool(spool(), "FIL-001");
    CHECK(f.view(10).stage == WeighStage::Card);
    CHECK_FALSE(f.confirm(10));
    f.scale(reading(950, false, 100), 100);
    auto v = f.view(100);
    CHECK(v.stage == WeighStage::Weighing);
    CHECK_FALSE(v.can_confirm);                // still moving
    CHECK_FALSE(f.confirm(100));
    f.scale(reading(963.4, true, 1200), 1200);
    v = f.view(1200);
    REQUIRE(v.tare);
    CHECK(v.tare->source == TareSource::Spool);
    CHECK(v.tare->grams == Approx(200));
    REQUIRE(v.net_g);
    CHECK(*v.net_g == Approx(763.4));
    REQUIRE(v.used_since_last_g);
    CHECK(*v.used_since_last_g == 37);
    CHECK(v.can_confirm);
    auto r = f.confirm(1200);
    REQUIRE(r);
    CHECK(r->type == TransactionType::Usage);
    CHECK(r->quantity_grams == -37);
    REQUIRE(r->measurement);
    CHECK(r->measurement->gross_g == Approx(963.4));
    CHECK(r->measurement->tare_g == Approx(200));
    CHECK(r->measurement->tare_source == TareSource::Spool);
    CHECK_FALSE(f.confirm(1201));  // never twice for one placement
    OutboxRecord rec;
    rec.id = "rec-1";
    rec.spool_uuid = r->spool_uuid;
    rec.quantity_grams = r->quantity_grams;
    f.saved(rec, 763, 1300);
    v = f.view(1400);
    CHECK(v.stage == WeighStage::Saved);
    CHECK(v.saved_text == "Saved \u2014 will sync");
    CHECK(v.undo_remaining_ms > 0);
    // spool off the pan, undo window over -> ready for the next spool
    f.scale(reading(0, true, 2000), 2000);
    CHECK_FALSE(f.tick(7000));
    CHECK(f.view(7000).stage == WeighStage::Idle);
    CHECK_FALSE(f.undo(7000));
}

TEST_CASE("weigh flow: undo within the window gives a compensating adjustment") {
    WeighFlow f;
    f.scan_spool(spool(), "FIL-001");
    f.scale(reading(963, true, 1000), 1000);
    auto r = f.confirm(1000);
    REQUIRE(r);
    OutboxRecord rec;
    rec.id = "rec-1";
    rec.spool_uuid = r->spool_uuid;
    rec.spool_label = "FIL-001";
    rec.quantity_grams = r->quantity_grams;
    f.saved(rec, 763, 1000);
    auto u = f.undo(3000);
    REQUIRE(u);
    CHECK(u->type == TransactionType::Adjustment);
    CHECK(u->quantity_grams == 37);
    CHECK_FALSE(u->measurement);
    CHECK(u->notes == "undo of rec-1");
    f.undone(800);
    CHECK(f.view(3000).stage == WeighStage::Weighing);
    CHECK_FALSE(f.confirm(3000));  // the same placement is not committed again
    CHECK_FALSE(f.tick(9000));
    CHECK(f.view(3000).card->spool.current_weight_g == 800);
}

TEST_CASE("weigh flow: auto-commit after stable for the configured time, once") {
    WeighSettings s;
    s.auto_commit = true;
    s.auto_commit_stable_ms = 2000;
    WeighFlow f(s);
    f.scan_spool(spool(), "FIL-001");
    f.scale(reading(900, true, 1000, 1000), 1000);
    CHECK_FALSE(f.tick(2500));
    CHECK(f.view(2500).auto_commit_progress == Approx(0.75));
    auto r = f.tick(3000);
    REQUIRE(r);
    CHECK(r->quantity_grams == -100);
    OutboxRecord rec;
    rec.id = "x";
    rec.quantity_grams = -100;
    f.saved(rec, 700, 3000);
    CHECK_FALSE(f.tick(3500));
    CHECK_FALSE(f.tick(20000));
}

TEST_CASE("weigh flow explains problems instead of recording them") {
    SECTION("net above the initial weight offers the tare choices") {
        WeighSettings s;
        s.station_default_tare_g = 250;
        WeighFlow f(s);
        f.scan_spool(spool(1000, 1000, 50), "FIL-001");  // a wrong (too light) spool tare
        f.scale(reading(1240, true, 0), 0);
        auto v = f.view(0);
        CHECK(v.problem == WeighProblem::AboveInitial);
        CHECK_FALSE(v.can_confirm);
        REQUIRE(v.tare_candidates.size() >= 2);
        CHECK_FALSE(f.confirm(0));
        int def = -1;
        for (size_t i = 0; i < v.tare_candidates.size(); ++i)
            if (v.tare_candidates[i].source == TareSource::StationDefault) def = int(i);
        REQUIRE(def >= 0);
        f.choose_tare(def);
        v = f.view(0);
        CHECK(v.tare->source == TareSource::StationDefault);
        CHECK(v.problem == WeighProblem::None);
        CHECK(v.can_confirm);
        CHECK(f.confirm(0)->measurement->tare_source == TareSource::StationDefault);
    }
    SECTION("negative net") {
        WeighFlow f;
        f.scan_spool(spool(), "FIL-001");
        f.scale(reading(150, true, 0), 0);
        CHECK(f.view(0).problem == WeighProblem::NegativeNet);
        CHECK_FALSE(f.confirm(0));
    }
    SECTION("unstable for long") {
        WeighFlow f;
        f.scan_spool(spool(), "FIL-001");
        f.scale(reading(950, false, 1000), 1000);
        CHECK(f.view(2000).problem == WeighProblem::None);
        f.scale(reading(951, false, 9500), 9500);
        CHECK(f.view(9500).problem == WeighProblem::UnstableLong);
    }
    SECTION("scale disconnected") {
        WeighFlow f;
        f.scan_spool(spool(), "FIL-001");
        platform::ScaleReadout gone;
        gone.error = "unplugged";
        f.scale(gone, 0);
        auto v = f.view(0);
        CHECK(v.problem == WeighProblem::ScaleDisconnected);
        CHECK_THAT(v.problem_text, Catch::Contains("unplugged"));
        CHECK_FALSE(f.confirm(0));
    }
    SECTION("no tare source at all") {
        WeighFlow f;
        f.scan_spool(spool(1000, 800, std::nullopt), "FIL-001");
        f.scale(reading(900, true, 0), 0);
        CHECK(f.view(0).problem == WeighProblem::NoTare);
        CHECK_FALSE(f.confirm(0));
    }
    SECTION("same weight as last time records nothing") {
        WeighFlow f;
        f.scan_spool(spool(), "FIL-001");
        f.scale(reading(1000, true, 0), 0);
        CHECK(f.view(0).problem == WeighProblem::NoChange);
        CHECK_FALSE(f.confirm(0));
    }
    SECTION("label problems") {
        WeighFlow f;
        f.scan_problem(WeighProblem::ForeignLabel, "Spoolman", "web+spoolman:s-42");
        auto v = f.view(0);
        CHECK(v.stage == WeighStage::Problem);
        CHECK_FALSE(v.card);
        CHECK_FALSE(f.confirm(0));
    }
}

TEST_CASE("log usage flow validates the keypad entry") {
    UsageFlow u;
    CHECK_FALSE(u.submit());
    CHECK(u.view().message == "Scan a spool first.");
    u.set_spool(spool(1000, 300));
    for (char c : std::string("12.55")) u.key(c);
    CHECK(u.view().entry == "12.5");  // one decimal
    u.backspace();
    u.backspace();
    u.key('0');
    CHECK(u.view().entry == "120");
    CHECK(u.view().resulting_weight_g == 180);
    auto r = u.submit();
    REQUIRE(r);
    CHECK(r->type == TransactionType::Usage);
    CHECK(r->quantity_grams == -120);
    CHECK_FALSE(r->measurement);
    u.saved(180);
    CHECK(u.view().entry.empty());
    for (char c : std::string("400")) u.key(c);
    CHECK_FALSE(u.view().can_submit);  // more than is left
    CHECK_FALSE(u.submit());
    CHECK(u.view().message_is_error);
}

TEST_CASE("catalog index: text tokens, material and status filters") {
    std::vector<Spool> spools;
    for (int i = 0; i < 30; ++i) {
        Spool s = spool(1000, i % 3 == 0 ? 50 : 900);
        s.id = "id-" + std::to_string(i);
        s.spool_id = "FIL-" + std::to_string(100 + i);
        s.material_name = i % 2 ? "PETG" : "PLA";
        s.color = i % 5 == 0 ? "Galaxy Black" : "White";
        spools.push_back(s);
    }
    CatalogIndex idx(spools);
    CHECK(idx.materials() == std::vector<std::string>{"PETG", "PLA"});
    CHECK(idx.search("", "", std::nullopt).total == 30);
    CHECK(idx.search("galaxy", "", std::nullopt).total == 6);
    CHECK(idx.search("GALAXY bla", "", std::nullopt).total == 6);
    CHECK(idx.search("galaxy white", "", std::nullopt).total == 0);
    CHECK(idx.search("", "pla", std::nullopt).total == 15);
    CHECK(idx.search("", "", StockStatus::Critical).total == 10);
    auto r = idx.search("fil-1", "PETG", StockStatus::Ok, 3);
    CHECK(r.total == 10);
    CHECK(r.rows.size() == 3);
    CHECK(r.rows[0]->spool_id < r.rows[1]->spool_id);

    StockFlow f;
    f.set_index(std::make_shared<CatalogIndex>(spools));
    f.key('g');
    f.key('a');
    CHECK(f.view().total == 6);
    f.set_material("PLA");
    CHECK(f.view().total == 3);  // galaxy black and PLA: i = 0, 10, 20
    f.set_material("PLA");       // same chip again clears it
    CHECK(f.view().material.empty());
    f.backspace();
    f.backspace();
    f.set_status(StockStatus::Critical);
    CHECK(f.view().total == 10);
    CHECK(f.view().rows.front().status == StockStatus::Critical);
}

TEST_CASE("usage plot walks back from the current weight") {
    std::vector<OutboxRecord> recs(2);
    recs[0].device_time_ms = 2000;
    recs[0].quantity_grams = -50;
    recs[1].device_time_ms = 1000;
    recs[1].quantity_grams = -100;
    auto pts = usage_plot(recs, 850, 3000);
    REQUIRE(pts.size() == 5);
    CHECK(pts.front().weight_g == 1000);
    CHECK(pts.back().weight_g == 850);
    CHECK(pts.back().at_ms == 3000);
}

TEST_CASE("sync screen model: retry and confirmed discard of rejected records") {
    TempDir dir;
    StationStore store(dir.path + "/station.db");
    NewRecord n;
    n.spool_uuid = "0193b000-0000-7000-8000-000000000001";
    n.spool_label = "FIL-001";
    n.quantity_grams = -20;
    auto a = store.record(n);
    auto b = store.record(n);
    store.mark_rejected(a.id, "spool is archived");
    store.mark_rejected(b.id, "quantity too large");
    SyncModel m;
    sync::SyncStatus st;
    m.refresh(store, st);
    REQUIRE(m.view().rejected.size() == 2);
    CHECK(m.retry(store, a.id));
    m.refresh(store, st);
    CHECK(m.view().rejected.size() == 1);
    CHECK(store.get_record(a.id)->state == RecordState::Pending);
    CHECK_FALSE(m.confirm_discard(store));  // nothing asked yet
    m.ask_discard(b.id);
    CHECK(m.view().confirm_discard_id == b.id);
    m.cancel_discard();
    CHECK(store.get_record(b.id)->state == RecordState::Rejected);
    m.ask_discard(b.id);
    CHECK(m.confirm_discard(store));
    CHECK(store.get_record(b.id)->state == RecordState::Discarded);
    m.refresh(store, st);
    CHECK(m.view().rejected.empty());
}

TEST_CASE("setup flow edits, validates and saves the config file") {
    TempDir dir;
    SetupFlow f;
    f.load(StationConfig{}, false, "");
    f.begin_edit(SetupField::DefaultTare);
    for (char c : std::string("9999")) f.key(c);
    CHECK_FALSE(f.finish_edit());
    CHECK(f.view().message_is_error);
    CHECK_FALSE(f.draft().weigh.default_tare_g);
    f.begin_edit(SetupField::DefaultTare);
    f.key('2');
    f.key('x');  // ignored on a numeric field
    f.key('1');
    f.key('5');
    f.finish_edit();
    CHECK(f.draft().weigh.default_tare_g == Approx(215));
    f.toggle_auto_commit();
    f.adjust("auto_commit_s", 1.5);
    f.adjust("undo_s", -10);
    f.set_blank(900);
    f.set_scale_driver("hx711");
    f.begin_edit(SetupField::ScaleDevice);
    for (char c : std::string("/sys/x/in_voltage0_raw")) f.key(c);
    f.finish_edit();
    CHECK(f.view().dirty);
    // calibration: two points
    f.cal_known(1000.0);
    CHECK(f.view().message_is_error);  // zero first
    f.cal_zero(1000.0);
    f.begin_edit(SetupField::CalKnownWeight);
    f.backspace();
    f.backspace();
    f.backspace();
    f.key('1');
    f.key('0');
    f.key('0');
    f.key('0');
    f.finish_edit();
    f.cal_known(1000.0);
    CHECK(f.view().message_is_error);  // did not change
    f.cal_known(421000.0);
    CHECK(f.view().cal_stage == CalStage::Done);
    CHECK(f.draft().scale.hx711_offset == Approx(1000));
    CHECK(f.draft().scale.hx711_grams_per_count == Approx(1000.0 / 420000.0));
    const std::string path = dir.path + "/config.toml";
    REQUIRE(f.save(path));
    CHECK_FALSE(f.view().dirty);
    auto back = load_config(path);
    REQUIRE(back.ok());
    CHECK(back->weigh.default_tare_g == Approx(215));
    CHECK(back->weigh.auto_commit);
    CHECK(back->weigh.auto_commit_stable_ms == 3500);
    CHECK(back->weigh.undo_seconds == 0);
    CHECK(back->display.blank_after_s == 900);
    CHECK(back->scale.driver == "hx711");
    CHECK(back->scale.device == "/sys/x/in_voltage0_raw");
    CHECK(back->scale.hx711_grams_per_count == Approx(1000.0 / 420000.0));
    f.set_camera_driver("none");
    f.revert();
    CHECK(f.draft().camera.driver == "sim");
}

TEST_CASE("labels are classified through the platform parser") {
    CHECK(platform::parse_label(" https://batchivo.com/filaments/0192F3A4-5B6C-7D8E-9F01-23456789ABCD/update ").kind ==
          platform::LabelKind::SpoolUuid);
    CHECK(platform::parse_label("FIL-001").kind == platform::LabelKind::SpoolId);
    CHECK(platform::parse_label("web+spoolman:s-42").kind == platform::LabelKind::SpoolmanSpool);
    CHECK(platform::parse_label("WEB+SPOOLMAN:F-7").kind == platform::LabelKind::SpoolmanFilament);
    CHECK(platform::parse_label("PAIR-7KQM-X4ZT").kind == platform::LabelKind::Pairing);
    CHECK(platform::parse_label("").kind == platform::LabelKind::Unknown);
}

TEST_CASE("scenario files parse, unknown commands are reported with the line") {
    auto s = parse_scenario("# comment\n\nscreen weigh\nshow-label FIL-001 x\nplace 963.4\n");
    REQUIRE(s.ok());
    REQUIRE(s->size() == 3);
    CHECK((*s)[1].rest == "FIL-001 x");
    CHECK((*s)[2].args == std::vector<std::string>{"963.4"});
    CHECK((*s)[2].line == 5);
    auto bad = parse_scenario("screen weigh\nfly away\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "line 2: unknown command 'fly'");
}

TEST_CASE("the example config in assets/config parses and round-trips") {
    auto c = load_config(BATCHIVO_SOURCE_DIR "/assets/config/config.toml");
    if (!c) INFO(c.error().message);
    REQUIRE(c.ok());
    CHECK(c->station_name == "Print room 1");
    CHECK(c->scale.driver == "mt-sics");
    CHECK(c->weigh.default_tare_g == Approx(200));
    auto again = parse_config(format_config(*c));
    REQUIRE(again.ok());
    CHECK(again->camera.driver == "v4l2");
    CHECK(again->display.blank_after_s == 300);
}

TEST_CASE("weigh: a scan not in the catalog is explained for the connected target's kind") {
    using platform::parse_label;
    // Spoolman is the target: its own label missing from the catalog is "not in the catalog yet", not foreign.
    auto p = explain_scan(parse_label("web+spoolman:s-42"), true, "spoolman");
    CHECK(p.problem == WeighProblem::NotInCatalog);
    CHECK_THAT(p.text, Catch::Contains("S-42"));
    CHECK_THAT(p.text, Catch::Contains("sync the catalog"));
    CHECK(p.text.find("another system") == std::string::npos);
    CHECK(explain_scan(parse_label("web+spoolman:s-42"), false, "spoolman").problem == WeighProblem::NotInCatalog);
    // A Batchivo label while Spoolman is the target is the foreign one.
    p = explain_scan(parse_label("https://batchivo.com/filaments/0190a1b2-0000-4000-8000-00000000002a/update"), true,
                     "spoolman");
    CHECK(p.problem == WeighProblem::ForeignLabel);
    CHECK_THAT(p.text, Catch::Contains("Spoolman label"));
    // Central and Batchivo targets: a Spoolman label is foreign; their own labels are "not in the catalog yet".
    for (const char* t : {"central", "batchivo"}) {
        CHECK(explain_scan(parse_label("web+spoolman:s-42"), true, t).problem == WeighProblem::ForeignLabel);
        p = explain_scan(parse_label("https://batchivo.com/filaments/0190a1b2-0000-4000-8000-00000000002a/update"),
                         true, t);
        CHECK(p.problem == WeighProblem::NotInCatalog);
    }
    CHECK_THAT(explain_scan(parse_label("FIL-999"), true, "batchivo").text, Catch::Contains("another tenant"));
    CHECK(explain_scan(parse_label("web+spoolman:f-7"), true, "spoolman").problem == WeighProblem::FilamentLabel);
}

TEST_CASE("setup server tab: kind chips, facts, the connect request, secrets kept out of the snapshot") {
    SetupFlow f;
    f.load(StationConfig{}, true, "Demo workshop");
    CHECK(f.view().target_kind == "central");
    REQUIRE(f.view().target_facts.size() == 4);
    CHECK_FALSE(f.connect_request(false));  // central connects by pairing
    CHECK_THAT(f.view().message, Catch::Contains("pairing"));
    f.set_target_kind("nonsense");
    CHECK(f.view().message_is_error);
    CHECK(f.view().target_kind == "central");

    // Batchivo: every fact is from the table; the audit trail and history are limits (amber).
    f.set_target_kind("batchivo");
    REQUIRE(f.view().target_facts.size() == 4);
    CHECK(f.view().target_facts[0].topic == "Exactly once");
    CHECK(f.view().target_facts[0].good);
    CHECK_FALSE(f.view().target_facts[1].good);
    CHECK_THAT(f.view().target_facts[1].text, Catch::Contains("no transaction rows"));
    CHECK_FALSE(f.view().target_facts[2].good);
    CHECK(f.view().target_facts[3].good);
    auto type = [&](SetupField field, const std::string& text) {
        f.begin_edit(field);  // opens with the current value (secrets: empty)
        while (!f.view().edit_buffer.empty()) f.backspace();
        for (char c : text) f.key(c);
        CHECK_FALSE(f.finish_edit());  // never a pairing payload, never a config change
    };
    CHECK_FALSE(f.connect_request(false));  // no address yet
    CHECK(f.view().message_is_error);
    type(SetupField::TargetUrl, "http://inventory.example.com");
    CHECK_FALSE(f.connect_request(false));  // plain http off the local network
    CHECK_THAT(f.view().message, Catch::Contains("local network"));
    type(SetupField::TargetUrl, "batchivo.example.com");
    CHECK_FALSE(f.connect_request(false));  // email and password missing
    type(SetupField::TargetEmail, "op@acme.test");
    type(SetupField::TargetPassword, "s3cret pw ");
    CHECK(f.view().target_password_set);
    type(SetupField::TargetTenant, "not-a-uuid");
    CHECK_FALSE(f.connect_request(false));
    CHECK_THAT(f.view().message, Catch::Contains("UUID"));
    type(SetupField::TargetTenant, "0190A1B2-0000-4000-8000-00000000002A");
    auto req = f.connect_request(true);
    REQUIRE(req);
    CHECK(req->kind == "batchivo");
    CHECK(req->url == "https://batchivo.example.com");  // no scheme: https
    CHECK(req->email == "op@acme.test");
    CHECK(req->password == "s3cret pw ");  // untrimmed
    CHECK(req->tenant_id == "0190a1b2-0000-4000-8000-00000000002a");
    CHECK(req->force);
    CHECK_FALSE(f.view().dirty);  // the server form is not config.toml
    // The password never stays in the snapshot, and reopening the field shows nothing.
    CHECK(f.view().edit_buffer.find("s3cret") == std::string::npos);
    f.begin_edit(SetupField::TargetPassword);
    CHECK(f.view().edit_buffer.empty());
    f.cancel_edit();

    // Refused for unconfirmed records: the view offers "discard and connect"; the password is used once.
    f.connect_started();
    CHECK(f.view().connecting);
    f.connect_finished(Error{"pending_records", "3 record(s) are not yet confirmed"}, 3);
    CHECK_FALSE(f.view().connecting);
    CHECK(f.view().connect_blocked_pending == 3);
    CHECK(f.view().message_is_error);
    CHECK_FALSE(f.view().target_password_set);
    CHECK_FALSE(f.connect_request(true));  // typed again before the next attempt
    type(SetupField::TargetPassword, "s3cret pw ");
    ConnectReport rep;
    rep.server = "Batchivo (Acme Prints)";
    rep.url = "https://batchivo.example.com";
    rep.tenant_id = "0190a1b2-0000-4000-8000-00000000002a";
    rep.tenant_name = "Acme Prints";
    rep.spools = 12;
    f.connect_finished(rep, 0);
    CHECK_FALSE(f.view().message_is_error);
    CHECK_THAT(f.view().message, Catch::Contains("Batchivo (Acme Prints)"));
    CHECK_THAT(f.view().message, Catch::Contains("12 spool(s)"));
    CHECK(f.view().connect_blocked_pending == 0);

    // Spoolman: http on the local network, an optional key (not shown), the tab opens on the kind in use.
    f.set_target_kind("spoolman");
    type(SetupField::TargetUrl, "192.168.1.20:7912");
    type(SetupField::TargetApiKey, "key-123");
    CHECK(f.view().target_api_key_set);
    req = f.connect_request(false);
    REQUIRE(req);
    CHECK(req->url == "http://192.168.1.20:7912");  // no scheme: http for Spoolman
    CHECK(req->api_key == "key-123");
    f.set_current_target("batchivo");
    CHECK(f.view().current_target == "batchivo");
    CHECK(f.view().target_kind == "batchivo");
    f.load(StationConfig{}, true, "x");  // re-entering the screen keeps the form
    CHECK(f.view().target_kind == "batchivo");
    CHECK(f.view().target_email == "op@acme.test");
}
