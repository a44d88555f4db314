// Contract tests of the Batchivo target against an in-process fake Batchivo (backend API 0.2.0 on main,
// fake_batchivo.hpp) over real HTTP through libcurl, driven by the real engine: paging, tenants (X-Tenant-ID),
// labels, an absolute weighing with the station's tare, auth expiry (401 -> refresh -> retry; refresh refused ->
// "sign in again" while records keep queueing), an expired JWT refreshed before use, 429 without Retry-After, an
// answer lost after Batchivo applied the PUT (no double apply), a concurrent edit (detected, parked, shown), records
// for spools of another kind, and the `connect batchivo` / `status --json` commands.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake_batchivo.hpp"
#include "platform/labels/label_parser.hpp"
#include "station/core/catalog_index.hpp"
#include "station/core/sync_link.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/batchivo/apply_journal.hpp"
#include "sync/targets/batchivo/batchivo_map.hpp"
#include "sync/targets/batchivo/batchivo_target.hpp"
#include "sync/targets/connection.hpp"
#include "sync/targets/spoolman/spoolman_map.hpp"
#include "run_program.hpp"
#include "sync_test_util.hpp"
#include "target_rig.hpp"

using namespace batchivo;
using namespace batchivo::sync;
using batchivo::test::FakeBatchivo;
using batchivo::test::TempDir;

namespace {

struct Rig : test::TargetRig {
    FakeBatchivo server;
    std::string tenant, other_tenant;

    explicit Rig(bool connect = true) : TargetRig("batchivo") {
        tenant = server.add_tenant("Acme Prints");
        other_tenant = server.add_tenant("Other Co");
        server.add_user("op@acme.test", "pw-123456", {tenant, other_tenant});
        if (connect) sign_in("");
    }
    void sign_in(const std::string& tenant_id) {
        TargetConnection c;
        c.url = server.url();
        auto signed_in = batchivo_sign_in(c, "op@acme.test", "pw-123456", tenant_id);
        REQUIRE(signed_in);
        REQUIRE(save_connection(connection_path(dir.str()), *signed_in));
    }
    OutboxRecord use(const std::string& uuid, int grams, const std::string& label = "FIL") {
        return record_use(uuid, label, grams);
    }
    OutboxRecord weigh(const std::string& uuid, double gross, double tare) {
        return record_weighing(uuid, "FIL", gross, tare);
    }
    TargetConnection stored() {
        auto c = load_connection(connection_path(dir.str()));
        REQUIRE(c);
        REQUIRE(*c);
        return **c;
    }
};

}  // namespace

TEST_CASE("batchivo mapping: spool JSON, JWT exp, label, error detail", "[sync][batchivo]") {
    auto j = nlohmann::json::parse(R"({"id": "0190A1B2-0000-4000-8000-00000000002A", "tenant_id": "t", "spool_id": "FIL-042",
        "initial_weight": 1000.0, "current_weight": 612.6, "empty_spool_weight": 245.0, "is_active": false,
        "storage_location": "Rack 1", "supplier": "X", "purchase_price": 21.5, "qr_code_id": "QR-77",
        "purchase_date": "2026-02-03T00:00:00", "updated_at": "2026-03-01T10:00:00Z",
        "filament_type": {"brand": "Polymaker", "color": "Jet Black", "color_hex": "FF1A2B3C",
                          "material_type_code": "PETG", "material_type_name": "PETG", "finish": "matte"}})");
    auto s = batchivo_api::to_spool(j);
    REQUIRE(s);
    CHECK(s->id == "0190a1b2-0000-4000-8000-00000000002a");
    CHECK(s->tenant_id.empty());  // the engine fills in the connected tenant
    CHECK(s->spool_id == "FIL-042");
    CHECK(s->material_name == "PETG");
    CHECK(s->brand == "Polymaker");
    CHECK(s->color == "Jet Black");
    CHECK(s->color_hex == "#1A2B3C");  // AARRGGBB -> RRGGBB
    CHECK(s->initial_weight_g == 1000);
    CHECK(s->current_weight_g == 613);
    CHECK(s->empty_spool_weight_g == 245);
    CHECK_FALSE(s->is_active);
    CHECK(s->qr_code_data == "QR-77");
    CHECK(s->purchase_date == "2026-02-03");
    CHECK_FALSE(batchivo_api::to_spool(nlohmann::json::parse(R"({"id": 5, "spool_id": "x"})")));
    CHECK_FALSE(batchivo_api::to_spool(nlohmann::json::parse(R"({"id": "0190a1b2-0000-4000-8000-00000000002a"})")));

    // eyJleHAiOjE3MDAwMDAwMDB9 = {"exp":1700000000}
    CHECK(batchivo_api::jwt_expiry("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln") == 1700000000);
    CHECK_FALSE(batchivo_api::jwt_expiry("not-a-jwt"));
    CHECK_FALSE(batchivo_api::jwt_expiry("a.%%%.c"));
    CHECK(batchivo_api::spool_label("https://inv.example.com:8443/app", "u") == "https://inv.example.com:8443/filaments/u/update");
    CHECK(batchivo_api::error_detail(R"({"detail":"Spool not found"})", 404) == "Spool not found");
    CHECK(batchivo_api::error_detail(R"({"detail":[{"msg":"Input should be greater than or equal to 0"}]})", 422) ==
          "Input should be greater than or equal to 0");
    CHECK(batchivo_api::error_detail("<html>", 502) == "HTTP 502");
}

TEST_CASE("batchivo apply journal: durable lines, forget, torn last line ignored, reload", "[sync][batchivo]") {
    TempDir dir{"batchivo-journal"};
    const std::string path = dir.str() + "/j.jsonl";
    {
        batchivo_api::ApplyJournal j(path);
        REQUIRE(j.add({"r1", "s1", 500, "t0", 470}));
        REQUIRE(j.add({"r2", "s1", 470, "t1", 460}));
        REQUIRE(j.forget("r1"));
        CHECK_FALSE(j.find("r1"));
        CHECK(j.find("r2")->after_g == 460);
    }
    {
        std::ofstream torn(path, std::ios::app);
        torn << R"({"id":"r3","spool":"s1","bef)";  // power cut mid-append
    }
    batchivo_api::ApplyJournal again(path);
    CHECK_FALSE(again.find("r1"));
    CHECK_FALSE(again.find("r3"));
    REQUIRE(again.find("r2"));
    CHECK(again.find("r2")->before_g == 470);
    CHECK(again.find("r2")->before_updated_at == "t1");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // Two instances on one file (the connect command's trial target beside the kiosk's): each sees the other's.
    batchivo_api::ApplyJournal other(path);
    CHECK_FALSE(other.find("r4"));
    REQUIRE(again.add({"r4", "s2", 100, "t4", 90}));
    REQUIRE(other.find("r4"));
    CHECK(other.find("r4")->after_g == 90);
}

TEST_CASE("batchivo catalog: every page, only the connected tenant, deletions, labels, wrong-kind labels",
          "[sync][batchivo]") {
    Rig rig;
    for (int i = 0; i < 230; ++i) rig.server.add_spool(rig.tenant, 1000, 1000 - i);
    const std::string foreign = rig.server.add_spool(rig.other_tenant, 1000, 5);
    test::TestEngine engine(*rig.store, rig.options());
    CHECK(engine.target()->kind() == "batchivo");
    auto rep = engine.sync_once();
    INFO(rep.error);
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_spools == 230);
    CHECK(rig.server.list_calls >= 3);  // 100 + 100 + 30
    CHECK(rig.store->all_spools(true).size() == 230);
    CHECK_FALSE(rig.store->spool_by_uuid(foreign));
    // Every call carried the tenant Batchivo picked at sign-in (the oldest membership), recorded at connect.
    CHECK(rig.stored().tenant_id == rig.tenant);
    CHECK(rig.stored().tenant_name == "Acme Prints");
    CHECK_FALSE(rig.stored().tenant_chosen);
    {
        std::lock_guard lk(rig.server.mu);
        for (const auto& h : rig.server.tenant_headers) CHECK((h.empty() || h == rig.tenant));
        CHECK(rig.server.tenant_headers.back() == rig.tenant);
    }
    auto f7 = rig.store->spool_by_spool_id("FIL-007");
    REQUIRE(f7);
    CHECK(f7->current_weight_g == 994);
    CHECK(f7->brand == "Polymaker");
    CHECK(f7->material_name == "PLA");
    CHECK(f7->empty_spool_weight_g == 220);
    CHECK(engine.status().paired);
    CHECK(engine.status().target == "batchivo");

    // Batchivo's own labels resolve: the web label (any host), batchivo://, the bare UUID, FIL-007.
    for (const std::string& l : {"https://batchivo.com/filaments/" + f7->id + "/update",
                                 "HTTPS://inventory.local/filaments/" + f7->id + "/update", "batchivo://spool/" + f7->id,
                                 f7->id, std::string("fil-007"),
                                 batchivo_api::spool_label(rig.server.url(), f7->id)}) {
        INFO(l);
        auto sp = station::spool_for_label(*rig.store, platform::parse_label(l));
        REQUIRE(sp);
        CHECK(sp->spool_id == "FIL-007");
    }
    // A Spoolman label is not a Batchivo spool: nothing resolves (the weigh screen says so).
    CHECK_FALSE(station::spool_for_label(*rig.store, platform::parse_label("web+spoolman:s-7")));
    CHECK_FALSE(station::spool_for_label(*rig.store, platform::parse_label("web+spoolman:f-7")));

    // A spool deleted in Batchivo leaves the station's catalog at the next full pull.
    {
        std::lock_guard lk(rig.server.mu);
        rig.server.spools.erase(f7->id);
    }
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_deleted == 1);
    CHECK_FALSE(rig.store->spool_by_spool_id("FIL-007"));
}

TEST_CASE("batchivo --tenant: X-Tenant-ID picks the second membership, a foreign tenant is refused",
          "[sync][batchivo]") {
    Rig rig(false);
    rig.server.add_spool(rig.tenant, 1000, 900);
    const std::string other = rig.server.add_spool(rig.other_tenant, 1000, 800);
    rig.sign_in(rig.other_tenant);
    CHECK(rig.stored().tenant_chosen);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    REQUIRE(rig.store->all_spools(true).size() == 1);
    CHECK(rig.store->all_spools(true)[0].id == other);

    TargetConnection c;
    c.url = rig.server.url();
    const std::string stranger = rig.server.add_tenant("Stranger Ltd");
    auto r = batchivo_sign_in(c, "op@acme.test", "pw-123456", stranger);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "forbidden_tenant");
    r = batchivo_sign_in(c, "op@acme.test", "wrong", "");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "sign_in_failed");
    r = batchivo_sign_in(c, "op@acme.test", "pw-123456", "not-a-uuid");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "invalid_input");
}

TEST_CASE("batchivo weighing: current_weight = gross - the station's tare (absolute PUT)", "[sync][batchivo]") {
    Rig rig;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 900, 250);  // Batchivo's tare 250
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    rig.weigh(id, 950, 230);  // the operator saw tare 230
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 1);
    CHECK(rig.server.weight(id) == 720);
    CHECK(rig.store->spool_by_uuid(id)->current_weight_g == 720);
}

TEST_CASE("batchivo auth: 401 -> refresh once -> retried, refresh refused -> sign in again, records kept",
          "[sync][batchivo]") {
    Rig rig;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 800);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    const std::string old_refresh = rig.stored().refresh_token;

    rig.server.expire_access_tokens();  // the access token is refused although its exp is in the future
    rig.use(id, 30);
    auto rep = engine.sync_once();
    INFO(rep.error);
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 1);
    CHECK(rig.server.refreshes == 1);
    CHECK(rig.server.weight(id) == 770);
    // The rotated pair is stored (the old refresh token is spent), still owner-only.
    CHECK(rig.stored().refresh_token != old_refresh);
    struct stat st {};
    REQUIRE(::stat(connection_path(rig.dir.str()).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // Now the refresh is refused as well: "sign in again"; the record stays queued, nothing applied.
    rig.server.expire_access_tokens();
    rig.server.revoke_refresh_tokens();
    const auto rec = rig.use(id, 10);
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Revoked);
    CHECK(engine.status().revoked);
    CHECK_THAT(engine.status().last_error, Catch::Contains("sign in again"));
    CHECK(rig.store->counts().pending == 1);
    CHECK(rig.server.weight(id) == 770);
    const auto more = rig.use(id, 5);  // records keep queueing
    CHECK(rig.store->counts().pending == 2);

    // Signing in again (connect from another process rewrites target.json) resumes: both applied once.
    rig.sign_in("");
    engine.reload_credentials();
    rep = engine.sync_once();
    INFO(rep.error);
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 2);
    CHECK(rig.server.weight(id) == 755);
    CHECK_FALSE(engine.status().revoked);
    CHECK(rig.store->get_record(rec.id)->state == RecordState::Applied);
    CHECK(rig.store->get_record(more.id)->state == RecordState::Applied);
}

TEST_CASE("batchivo auth: an access token past its exp is refreshed before use (no 401 seen)", "[sync][batchivo]") {
    Rig rig(false);
    rig.server.token_lifetime_s = -10;  // the login hands out an already expired access token
    rig.sign_in("");
    rig.server.token_lifetime_s = 3600;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 800);
    const int unauthorized_before = rig.server.unauthorized;
    test::TestEngine engine(*rig.store, rig.options());
    auto rep = engine.sync_once();
    INFO(rep.error);
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rig.server.refreshes == 1);
    CHECK(rig.server.unauthorized == unauthorized_before);
    CHECK(rig.store->spool_by_uuid(id));
}

TEST_CASE("batchivo 429 without Retry-After: nothing applied, backoff, the same record later", "[sync][batchivo]") {
    Rig rig;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 1000);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    const auto rec = rig.use(id, 10);
    rig.server.too_many_next = 3;
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Retry);
    CHECK(rig.server.weight(id) == 1000);
    CHECK(rig.store->get_record(rec.id)->state != RecordState::Applied);
    // What the engine's backoff sees: retryable, no server delay (so its own exponential backoff), not applied.
    rig.server.too_many_next = 1;
    CallInfo info;
    auto pushed = engine.target()->push({*rig.store->get_record(rec.id)}, now_epoch_ms(), info, nullptr);
    REQUIRE_FALSE(pushed);
    CHECK(disposition_of(pushed.error()) == Disposition::Retry);
    CHECK_FALSE(info.retry_after_ms.has_value());
    CHECK(info.reachable);
    CHECK_FALSE(info.maybe_applied);
    rig.server.too_many_next = 0;
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 1);
    CHECK(rig.server.weight(id) == 990);
}

TEST_CASE("batchivo usage: an answer lost after Batchivo applied the PUT is not applied twice", "[sync][batchivo]") {
    Rig rig;
    rig.total_timeout_ms = 400;
    rig.server.stall_ms = 1200;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 800);
    const std::string other = rig.server.add_spool(rig.tenant, 1000, 1000);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    const auto rec = rig.use(id, 30);
    rig.use(other, 5);
    {
        std::lock_guard lk(rig.server.mu);
        rig.server.lose_next_answers = 1;
    }
    auto rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Retry);
    CHECK(rig.server.lost_answers == 1);
    CHECK(rig.server.weight(id) == 770);  // applied once, the station does not know yet
    CHECK(rig.store->get_record(rec.id)->state == RecordState::Sent);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the stalled handler finishes
    rep = engine.sync_once();
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.duplicates == 1);
    CHECK(rep.applied == 1);
    CHECK(rig.server.weight(id) == 770);  // not 740
    CHECK(rig.server.weight(other) == 995);
    CHECK(rig.store->get_record(rec.id)->state == RecordState::Applied);
    CHECK(rig.store->get_record(rec.id)->server_weight_g == 770);
    CHECK(rig.server.puts == 2);
}

TEST_CASE("batchivo: a PUT that never arrived is written again, once", "[sync][batchivo]") {
    Rig rig;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 800);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    const auto rec = rig.use(id, 30);
    // The journal says the station tried (e.g. power cut right after journaling, before the PUT left).
    batchivo_api::ApplyJournal j(rig.dir.str() + "/batchivo_journal.jsonl");
    std::string updated_at;
    {
        std::lock_guard lk(rig.server.mu);
        updated_at = rig.server.spools.at(id)["updated_at"].get<std::string>();
    }
    REQUIRE(j.add({rec.id, id, 800, updated_at, 770}));
    test::TestEngine fresh(*rig.store, rig.options());  // a restarted station reads the journal anew
    auto rep = fresh.sync_once();
    INFO(rep.error);
    CHECK(rep.outcome == Disposition::Success);
    CHECK(rep.applied == 1);
    CHECK(rig.server.weight(id) == 770);
    CHECK(rig.server.puts == 1);
}

TEST_CASE("batchivo concurrent edit: changed by someone else while an answer was lost -> parked, shown, Retry "
          "applies afresh",
          "[sync][batchivo]") {
    Rig rig;
    rig.total_timeout_ms = 400;
    rig.server.stall_ms = 1200;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 800);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);

    // Before the station reads: an edit made in Batchivo is kept (the usage applies to the weight read then).
    rig.use(id, 30);
    rig.server.edit(id, 700);
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    CHECK(rig.server.weight(id) == 670);

    // An answer lost, then someone sets the weight in Batchivo's web app before the resend.
    const auto rec = rig.use(id, 20);
    {
        std::lock_guard lk(rig.server.mu);
        rig.server.lose_next_answers = 1;
    }
    CHECK(engine.sync_once().outcome == Disposition::Retry);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    CHECK(rig.server.weight(id) == 650);
    rig.server.edit(id, 500);
    auto rep = engine.sync_once();
    CHECK(rep.rejected == 1);
    CHECK(rig.server.weight(id) == 500);  // not overwritten
    auto r = rig.store->get_record(rec.id);
    CHECK(r->state == RecordState::Rejected);
    CHECK_THAT(r->reason, Catch::Contains("changed in Batchivo by someone else"));
    CHECK_THAT(r->reason, Catch::Contains("now says 500 g"));
    // The operator decides: Retry applies the usage to Batchivo's current weight.
    REQUIRE(rig.store->retry(rec.id));
    rep = engine.sync_once();
    CHECK(rep.applied == 1);
    CHECK(rig.server.weight(id) == 480);
}

TEST_CASE("batchivo rejections: spool of another kind, another tenant's spool, a weight Batchivo refuses, no history",
          "[sync][batchivo]") {
    Rig rig;
    const std::string id = rig.server.add_spool(rig.tenant, 1000, 800);
    const std::string foreign_tenant = rig.server.add_spool(rig.other_tenant, 1000, 800);
    test::TestEngine engine(*rig.store, rig.options());
    REQUIRE(engine.sync_once().outcome == Disposition::Success);
    NewRecord spoolman_rec;  // recorded for a Spoolman spool (S-5): its UUID is not a Batchivo spool
    spoolman_rec.spool_uuid = spoolman::spool_uuid(5);
    spoolman_rec.spool_label = "S-5";
    spoolman_rec.quantity_grams = -5;
    const auto s = rig.store->record(spoolman_rec);
    NewRecord bad;  // not even a UUID
    bad.spool_uuid = "S-5";
    bad.spool_label = "S-5";
    bad.quantity_grams = -5;
    const auto b = rig.store->record(bad);
    const auto t = rig.use(foreign_tenant, 5);
    const auto w = rig.weigh(id, 100, 230);  // gross below the tare: a negative net -> clamped to 0, accepted
    auto rep = engine.sync_once();
    CHECK(rep.rejected == 3);
    CHECK(rep.applied == 1);
    CHECK_THAT(rig.store->get_record(s.id)->reason, Catch::Contains("does not exist in Batchivo for this tenant"));
    CHECK_THAT(rig.store->get_record(b.id)->reason, Catch::Contains("not a spool of the connected Batchivo"));
    CHECK_THAT(rig.store->get_record(t.id)->reason, Catch::Contains("does not exist in Batchivo for this tenant"));
    CHECK(rig.store->get_record(w.id)->state == RecordState::Applied);
    CHECK(rig.server.weight(id) == 0);
    CHECK(rig.server.weight(foreign_tenant) == 800);

    auto h = engine.target()->history(id, 10, nullptr);
    REQUIRE_FALSE(h);
    CHECK(h.error().code == "unsupported");
    CHECK_THAT(h.error().message, Catch::Contains("no transaction rows"));
    auto who = engine.target()->whoami(nullptr);
    REQUIRE(who);
    CHECK(who->kind == "batchivo");
    CHECK(who->tenant_name == "Acme Prints");
    CHECK(who->station_name == "op@acme.test");
}

TEST_CASE("connect_target (Setup screen and CLI): pending refusal, force discards, sign-in errors", "[sync][batchivo]") {
    Rig rig(false);
    rig.server.add_spool(rig.tenant, 1000, 900);
    auto setup = station::sync_setup(station::SyncConfig{}, rig.dir.str());
    station::ConnectRequest req;
    req.kind = "batchivo";
    req.url = rig.server.url() + "/";
    req.email = "op@acme.test";
    req.password = "wrong";
    auto r = station::connect_target(req, *rig.store, rig.dir.str(), setup);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "sign_in_failed");
    CHECK(stored_target_kind(rig.dir.str()) == "central");
    req.password = "pw-123456";
    req.url = "http://8.8.8.8:8000";
    r = station::connect_target(req, *rig.store, rig.dir.str(), setup);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "insecure_url");
    req.url = rig.server.url();
    rig.use(new_uuid_v4(), 5);  // a record for the previous target
    r = station::connect_target(req, *rig.store, rig.dir.str(), setup);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "pending_records");
    req.force = true;
    r = station::connect_target(req, *rig.store, rig.dir.str(), setup);
    INFO((r ? "" : r.error().message));
    REQUIRE(r);
    CHECK(r->discarded == 1);
    CHECK_THAT(r->warning, Catch::Contains("discarded"));
    CHECK(r->spools == 1);
    CHECK(r->plain_http);
    CHECK(r->tenant_id == rig.tenant);
    CHECK(r->tenant_name == "Acme Prints");
    CHECK(stored_target_kind(rig.dir.str()) == "batchivo");
    CHECK(rig.store->counts().pending == 0);
    // The password is not stored anywhere in the connection file.
    std::ifstream in(connection_path(rig.dir.str()));
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK(ss.str().find("pw-123456") == std::string::npos);
    CHECK(ss.str().find("access_token") != std::string::npos);
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

TEST_CASE("cli: connect batchivo signs in (password file or stdin), records the tenant, status --json",
          "[sync][batchivo]") {
    FakeBatchivo server;
    const std::string acme = server.add_tenant("Acme Prints");
    const std::string other = server.add_tenant("Other Co");
    server.add_user("op@acme.test", "pw-123456", {acme, other});
    server.add_spool(acme, 1000, 900);
    server.add_spool(acme, 1000, 700);
    server.add_spool(other, 1000, 600);
    TempDir dir{"batchivo-cli"};
    const std::string dd = "--data-dir " + dir.str() + " ";
    const std::string pwfile = dir.str() + "/pw.txt";
    std::ofstream(pwfile) << "pw-123456\n";
    int st = 0;
    auto out = run(dd + "connect batchivo --url " + server.url() + " --email op@acme.test --password-file " +
                       dir.str() + "/missing.txt",
                   st);
    CHECK(st != 0);
    out = run("--data-dir " + dir.str() + " connect batchivo --url http://8.8.8.8 --email a@b --password-file " + pwfile,
              st);
    CHECK(st != 0);
    CHECK_THAT(out, Catch::Contains("local network"));

    out = run(dd + "connect batchivo --url " + server.url() + " --email op@acme.test --password-file " + pwfile, st);
    INFO(out);
    REQUIRE(st == 0);
    CHECK_THAT(out, Catch::Contains("Acme Prints"));
    CHECK_THAT(out, Catch::Contains("oldest membership"));
    CHECK_THAT(out, Catch::Contains("not encrypted"));
    CHECK_THAT(out, Catch::Contains("2 spool(s)"));
    CHECK(out.find("pw-123456") == std::string::npos);
    struct stat sb {};
    REQUIRE(::stat(connection_path(dir.str()).c_str(), &sb) == 0);
    CHECK((sb.st_mode & 0777) == 0600);

    out = run(dd + "status --json", st);
    REQUIRE(st == 0);
    auto j = nlohmann::json::parse(out);
    CHECK(j["target"] == "batchivo");
    CHECK(j["url"] == server.url());
    CHECK(j["tenant"] == "Acme Prints");
    CHECK(j["tenant_id"] == acme);
    CHECK(j["tenant_chosen"] == false);
    CHECK(j["encrypted"] == false);
    CHECK(out.find("token") == std::string::npos);

    // A record, then another tenant: refused until --force; the password from stdin this time.
    out = run(dd + "record usage --spool FIL-001 --grams 12", st);
    INFO(out);
    CHECK(st == 0);
    out = run("--data-dir " + dir.str() + " sync --once", st);
    INFO(out);
    CHECK(server.weight(server.spools.begin()->first) == 888);
    out = run(dd + "record usage --spool FIL-002 --grams 1", st);
    out = run("--data-dir " + dir.str() + " connect batchivo --url " + server.url() +
                  " --email op@acme.test --password-file - --tenant " + other + " < " + pwfile,
              st);
    CHECK(st != 0);
    CHECK_THAT(out, Catch::Contains("--force"));
    out = run("--data-dir " + dir.str() + " connect batchivo --url " + server.url() +
                  " --email op@acme.test --password-file - --force --tenant " + other + " < " + pwfile,
              st);
    INFO(out);
    CHECK(st == 0);
    CHECK_THAT(out, Catch::Contains("WARNING"));
    CHECK_THAT(out, Catch::Contains("chosen with --tenant"));
    j = nlohmann::json::parse(run(dd + "status --json", st));
    CHECK(j["tenant_id"] == other);
    CHECK(j["tenant_chosen"] == true);
    CHECK(j["pending"] == 0);
}
#endif
