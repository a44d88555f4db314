// A spool's history from central in the spool detail (merged with this station's unsynced records), and typed
// pairing. Against the in-process CentralServer on SQLite with real TLS (its own CA), as in the sync tests.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "station/core/screens/detail.hpp"
#include "station/core/screens/setup.hpp"
#include "station/core/station.hpp"
#include "sync/central/admin/cli.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/store/store.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/targets/central/credentials.hpp"
#include "sync/targets/central/lookup_api.hpp"
#include "sync/targets/make_target.hpp"
#include "sync/protocol/lookup.hpp"
#include "sync/domain/time.hpp"
#include "sync/protocol/wire.hpp"

using namespace batchivo;
using namespace batchivo::station;

namespace {

struct Dir {
    std::filesystem::path path;
    explicit Dir(const char* tag) {
        std::string t = std::string("/tmp/batchivo-") + tag + "-XXXXXX";
        path = mkdtemp(t.data());
    }
    ~Dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string str(const char* sub = nullptr) const { return sub ? (path / sub).string() : path.string(); }
};

// Central on SQLite, seeded with the demo tenant (catalog + history), serving verified TLS.
struct Central {
    Dir dir{"hist-central"};
    std::shared_ptr<central::Store> store;
    central::TlsFiles tls;
    std::unique_ptr<central::CentralServer> server;
    Tenant tenant;
    Central() {
        store = central::open_store("sqlite:" + dir.str("c.db"));
        store->migrate();
        tenant = central::seed_demo(*store);
        tls = central::ensure_tls(dir.str("tls"));
        server = std::make_unique<central::CentralServer>(store);
        central::ServerOptions so;
        so.cert_file = tls.cert_file;
        so.key_file = tls.key_file;
        so.threads = 2;
        std::string err;
        REQUIRE(server->start(so, &err));
    }
    std::string payload(bool with_ca) {
        wire::PairingPayload p;
        p.server_url = server->url();
        p.code = store->create_pairing_code(tenant.id, "test bench", 600).code;
        if (with_ca) {
            p.ca_der_base64url = central::cert_der_base64url(tls.ca_file);
            p.pin = central::spki_pin_of_cert_file(tls.cert_file);
        }
        return wire::format_pairing_payload(p);
    }
};

template <class P>
bool until(Station& st, P pred, int timeout_ms = 15000) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
        st.frame(steady_now_ms());
        if (pred(*st.snapshot())) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

OutboxRecord local(const std::string& id, int64_t at, int q, RecordState st) {
    OutboxRecord r;
    r.id = id;
    r.device_time_ms = at;
    r.quantity_grams = q;
    r.type = TransactionType::Usage;
    r.state = st;
    return r;
}

}  // namespace

TEST_CASE("spool history: central's transactions merged with local records, each once, rejected ones not counted") {
    sync::SpoolHistory h;
    sync::RemoteTransaction a;
    a.id = "aaaaaaaa-0000-7000-8000-000000000001";
    a.type = TransactionType::Purchase;
    a.quantity_grams = 1000;
    a.at_ms = 1000;
    sync::RemoteTransaction b;
    b.id = "aaaaaaaa-0000-7000-8000-000000000002";
    b.client_id = "BBBBBBBB-0000-7000-8000-000000000001";  // a record of this station, already applied
    b.quantity_grams = -100;
    b.at_ms = 2000;
    h.transactions = {b, a};
    std::vector<OutboxRecord> mine = {
        local("cccccccc-0000-7000-8000-000000000001", 4000, -30, RecordState::Rejected),
        local("cccccccc-0000-7000-8000-000000000002", 3000, -50, RecordState::Pending),
        local("bbbbbbbb-0000-7000-8000-000000000001", 1990, -100, RecordState::Applied),
    };
    auto rows = merge_history(mine, h);
    REQUIRE(rows.size() == 4);  // the applied local record is central's b, shown once
    CHECK(rows[0].at_ms == 4000);
    CHECK_FALSE(rows[0].counts);
    CHECK(rows[1].quantity_grams == -50);
    CHECK_FALSE(rows[1].on_server);
    CHECK(rows[2].on_server);
    CHECK(rows[2].quantity_grams == -100);
    CHECK(rows[3].type == TransactionType::Purchase);
    auto plot = history_plot(rows, 850, 5000);
    REQUIRE(plot.size() == 7);  // now + 2 points per counted row
    CHECK(plot.back().weight_g == 850);
    CHECK(plot.front().weight_g == 0);  // before the purchase
    CHECK(plot[2].weight_g == 1000);    // after the purchase, before the usage
    // Local only (no server answer): every local record, rejected one still listed.
    CHECK(merge_history(mine, std::nullopt).size() == 3);
}

TEST_CASE("lookup api: GET /spools/{uuid}/transactions with the device token, 404 and bad bodies are errors") {
    // The body as central writes it (sync/protocol/lookup.hpp).
    wire::SpoolHistoryResponse resp;
    resp.spool.spool.id = "0193a1b2-0000-7000-8000-00000000c002";
    resp.spool.spool.tenant_id = "0193a1b2-0000-7000-8000-00000000a001";
    resp.spool.spool.spool_id = "PLA-BLK-001";
    resp.spool.spool.brand = "Bambu Lab";
    resp.spool.spool.color = "Black";
    resp.spool.spool.material_type_id = "0193a1b2-0000-7000-8000-00000000b001";
    resp.spool.spool.material_name = "PLA";
    resp.spool.spool.initial_weight_g = 1000;
    resp.spool.spool.current_weight_g = 612;
    resp.spool.spool.created_at = "2026-11-01T08:00:00.000Z";
    resp.spool.spool.updated_at = "2026-11-25T12:00:00.120Z";
    resp.spool.stock = stock_info(resp.spool.spool);
    wire::HistoryTransaction a;
    a.tx.id = "aaaaaaaa-0000-7000-8000-000000000002";
    a.tx.spool_id = resp.spool.spool.id;
    a.tx.type = TransactionType::Usage;
    a.tx.quantity_grams = -104;
    a.tx.reference_type = "station";
    a.tx.created_at = "2026-11-25T12:00:00.120Z";
    a.client_id = "0193a1b2-1111-7000-8000-000000000002";
    a.device_id = "0193a1b2-0000-7000-8000-00000000d001";
    a.device_seq = 42;
    a.device_time = "2026-11-25T11:59:30.000Z";
    a.occurred_at = "2026-11-25T11:59:30.080Z";
    a.resulting_weight_g = 596;
    wire::HistoryTransaction b;
    b.tx.id = "aaaaaaaa-0000-7000-8000-000000000001";
    b.tx.spool_id = resp.spool.spool.id;
    b.tx.type = TransactionType::Purchase;
    b.tx.quantity_grams = 1000;
    b.tx.notes = "initial stock";
    b.tx.created_at = "2026-11-01T08:00:00.000Z";
    resp.transactions = {a, b};

    sync::ScriptedHttpClient http;
    http.push(sync::ScriptedHttpClient::status(200, nlohmann::json(resp).dump()));
    auto r = sync::get_spool_history(http, "tok", "0193a1b2-0000-7000-8000-00000000c002", 30, 0);
    REQUIRE(r.ok());
    auto reqs = http.requests();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].method == "GET");
    CHECK(reqs[0].target == "/api/station/v1/spools/0193a1b2-0000-7000-8000-00000000c002/transactions?limit=30");
    CHECK(reqs[0].bearer_token == "tok");
    CHECK(r->current_weight_g == 612);
    REQUIRE(r->transactions.size() == 2);
    CHECK(r->transactions[0].client_id == "0193a1b2-1111-7000-8000-000000000002");
    CHECK(r->transactions[0].at_ms == *parse_iso8601_ms("2026-11-25T11:59:30.080Z"));
    CHECK(r->transactions[0].resulting_weight_g == 596);
    CHECK(r->transactions[1].type == TransactionType::Purchase);
    CHECK(r->transactions[1].at_ms == *parse_iso8601_ms("2026-11-01T08:00:00.000Z"));  // created_at
    CHECK(r->transactions[1].notes == "initial stock");

    http.push(sync::ScriptedHttpClient::status(404, R"({"error":{"code":"not_found","message":"no spool"}})"));
    r = sync::get_spool_history(http, "tok", "u", 30, 0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "not_found");
    CHECK_THAT(r.error().message, Catch::Contains("does not know"));

    http.push(sync::ScriptedHttpClient::status(200, R"({"transactions":[{"id":"x","type":"melted"}]})"));
    r = sync::get_spool_history(http, "tok", "u", 30, 0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_body");
    CHECK_THAT(r.error().message, Catch::Contains("spool history"));

    http.push(sync::ScriptedHttpClient::transport(sync::TransportError::Tls, "pin mismatch"));
    r = sync::get_spool_history(http, "tok", "u", 30, 0);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("TLS"));
}

TEST_CASE("station: a spool's detail shows central's history (fetched off the UI thread) merged with local records, "
          "offline it shows the local records and says so") {
    Central c;
    Dir d("hist-station");
    {
        StationStore store(d.str("station.db"));
        REQUIRE(pair_with_payload(c.payload(true), d.str(), &store, "bench").ok());
    }
    StationOptions o;
    o.data_dir = d.str();
    std::atomic<int> fetches{0};
    std::atomic<bool> on_ui_thread{false};
    const auto ui_thread = std::this_thread::get_id();
    // The station's own kind of target (credentials from pairing, the real libcurl client, verified TLS).
    sync::TargetOptions to;
    to.data_dir = d.str();
    auto target = sync::make_target(to);
    o.history_fetcher = [&](const std::string& uuid, const std::atomic<bool>* abort) {
        ++fetches;
        if (std::this_thread::get_id() == ui_thread) on_ui_thread = true;
        return target->history(uuid, 50, abort);
    };
    Station st(o);
    std::string err;
    REQUIRE(st.start([] {}).ok());
    REQUIRE(until(st, [](const StationSnapshot& s) { return s.stock.catalog_size > 0 && s.sync.paired; }));

    // A spool the demo central has used (history: purchase + usages).
    std::optional<Spool> sp;
    for (const auto& s : st.store().all_spools())
        if (s.current_weight_g < s.initial_weight_g && s.current_weight_g > 100) {
            sp = s;
            break;
        }
    REQUIRE(sp);
    // A usage logged here, then synced: it must show once.
    st.apply(Intent{IntentKind::LogUsageForCard, sp->id});
    for (char ch : std::string("7")) st.apply(Intent{IntentKind::KeypadKey, std::string(1, ch)});
    st.apply(Intent{IntentKind::KeypadSubmit});
    REQUIRE(until(st, [&](const StationSnapshot&) { return !st.saving(); }));  // written in the store task
    const std::string rec_id = st.last_record_id();
    REQUIRE_FALSE(rec_id.empty());
    REQUIRE(until(st, [&](const StationSnapshot&) {
        auto r = st.store().get_record(rec_id);
        return r && r->state == RecordState::Applied;
    }));

    st.apply(Intent{IntentKind::OpenSpool, sp->id});
    st.frame(steady_now_ms());
    CHECK(st.snapshot()->screen == Screen::SpoolDetail);
    REQUIRE(until(st, [](const StationSnapshot& s) { return s.detail.source == HistorySource::Server; }));
    CHECK_FALSE(on_ui_thread);
    auto s = st.snapshot();
    int purchases = 0, usages = 0, mine = 0;
    for (const auto& r : s->detail.rows) {
        CHECK(r.on_server);
        if (r.type == TransactionType::Purchase) ++purchases;
        if (r.type == TransactionType::Usage) ++usages;
        if (r.quantity_grams == -7) ++mine;
    }
    CHECK(purchases == 1);
    CHECK(usages >= 2);  // the demo's print jobs + ours
    CHECK(mine == 1);    // synced: shown once, as central's
    REQUIRE(s->detail.plot.size() >= 5);
    CHECK(s->detail.plot.back().weight_g == s->detail.card->spool.current_weight_g);
    CHECK(s->detail.plot.front().weight_g == 0);  // before the purchase

    // Offline: a new local record is shown, and the screen says central's history is unavailable.
    c.server->stop();
    st.apply(Intent{IntentKind::LogUsageForCard, sp->id});
    st.apply(Intent{IntentKind::KeypadKey, "5"});
    st.apply(Intent{IntentKind::KeypadSubmit});
    REQUIRE(until(st, [&](const StationSnapshot&) { return !st.saving(); }));
    st.apply(Intent{IntentKind::OpenSpool, sp->id});
    REQUIRE(until(st, [](const StationSnapshot& x) { return x.detail.source == HistorySource::Unavailable; }));
    s = st.snapshot();
    CHECK_THAT(s->detail.history_note, Catch::Contains("unavailable") || Catch::Contains("out of date"));
    bool queued = false;
    for (const auto& r : s->detail.rows)
        if (!r.on_server && r.quantity_grams == -5) queued = true;
    CHECK(queued);
    CHECK(fetches >= 2);
    st.stop();
}

TEST_CASE("typed pairing: server address + PAIR code become a payload without CA (system trust store)") {
    auto p = typed_pairing_payload(" central.example.com:8443/ ", "pair-7kq3-m9xd");
    REQUIRE(p.ok());
    auto parsed = wire::parse_pairing_payload(*p);
    REQUIRE(parsed);
    CHECK(parsed->server_url == "https://central.example.com:8443");
    CHECK(parsed->code == "PAIR-7KQ3-M9XD");
    CHECK(parsed->ca_der_base64url.empty());
    CHECK(parsed->pin.empty());
    CHECK(typed_pairing_payload("https://a.example", "PAIR-7KQ3-M9XD").ok());
    auto refused = [](const std::string& url, const std::string& code) {
        auto r = typed_pairing_payload(url, code);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid_pairing_input");
        return r.error().message;
    };
    CHECK_THAT(refused("", "PAIR-7KQ3-M9XD"), Catch::Contains("server address"));
    CHECK_THAT(refused("http://central.example.com", "PAIR-7KQ3-M9XD"), Catch::Contains("https://"));
    CHECK(typed_pairing_payload("http://127.0.0.1:8080", "PAIR-7KQ3-M9XD").ok());  // this machine only
    CHECK_THAT(refused("https://a.example", "7KQ3M9XD"), Catch::Contains("PAIR-XXXX-XXXX"));
    refused("https://a.example", "batchivo-pair:v1?garbage");
    // A whole payload typed (or pasted by a wedge scanner) is used as is.
    wire::PairingPayload whole{"https://b.example", "PAIR-7KQ3-M9XD", "", ""};
    auto as_is = typed_pairing_payload("", wire::format_pairing_payload(whole));
    REQUIRE(as_is.ok());
    CHECK(*as_is == wire::format_pairing_payload(whole));

    // The Setup flow: the address field, then the code field yields the payload; a bad code explains itself.
    SetupFlow f;
    f.load(StationConfig{}, false, "");
    f.begin_edit(SetupField::ServerUrl);
    CHECK(f.view().edit_buffer == "https://");
    for (char ch : std::string("central.example.com")) f.key(ch);
    CHECK_FALSE(f.finish_edit());
    CHECK(f.view().pair_url == "https://central.example.com");
    f.begin_edit(SetupField::PairCode);
    for (char ch : std::string("PAIR-12")) f.key(ch);
    CHECK_FALSE(f.finish_edit());
    CHECK(f.view().message_is_error);
    f.begin_edit(SetupField::PairCode);
    for (char ch : std::string("PAIR-7KQ3-M9XD")) f.key(ch);
    auto payload = f.finish_edit();
    REQUIRE(payload);
    CHECK(wire::parse_pairing_payload(*payload)->server_url == "https://central.example.com");
}

TEST_CASE("typed pairing on the Setup screen: a server whose certificate the system does not trust is refused, "
          "and the same code pairs from the QR payload with its CA") {
    Central c;
    Dir d("typed-pair");
    StationOptions o;
    o.data_dir = d.str();
    Station st(o);
    std::string err;
    REQUIRE(st.start([] {}).ok());
    st.navigate(Screen::Setup);
    auto parsed = wire::parse_pairing_payload(c.payload(false));
    REQUIRE(parsed);
    st.apply(Intent{IntentKind::SetupEdit, {}, 0, int(SetupField::ServerUrl)});
    st.apply(Intent{IntentKind::SetupBackspace});  // the field starts with "https://"; type the whole address
    for (int i = 0; i < 10; ++i) st.apply(Intent{IntentKind::SetupBackspace});
    st.apply(Intent{IntentKind::SetupKey, parsed->server_url});
    st.apply(Intent{IntentKind::SetupEditDone});
    st.apply(Intent{IntentKind::SetupEdit, {}, 0, int(SetupField::PairCode)});
    st.apply(Intent{IntentKind::SetupKey, parsed->code});
    st.apply(Intent{IntentKind::SetupEditDone});
    st.frame(steady_now_ms());
    CHECK(st.snapshot()->setup.pairing);  // on the pairing thread; the UI keeps drawing
    REQUIRE(until(st, [](const StationSnapshot& s) { return !s.setup.pairing; }));
    auto s = st.snapshot();
    CHECK(s->setup.message_is_error);
    CHECK_THAT(s->setup.message, Catch::Contains("TLS") || Catch::Contains("certificate"));
    CHECK_FALSE(s->sync.paired);
    CHECK_FALSE(std::filesystem::exists(d.str("credentials.json")));
    // The QR payload carries the CA and pin: scanned on Setup, it pairs.
    const std::string qr = c.payload(true);
    REQUIRE(qr.size() > 256);  // longer than any spool label: the CA certificate is in it
    CHECK(platform::parse_label(qr).kind == platform::LabelKind::Pairing);
    st.scanned(qr);
    st.frame(steady_now_ms());
    CHECK(st.snapshot()->screen == Screen::Setup);
    bool paired = until(st, [](const StationSnapshot& x) { return !x.setup.pairing && x.sync.paired; });
    INFO(st.snapshot()->setup.message);
    REQUIRE(paired);
    CHECK_FALSE(st.snapshot()->setup.message_is_error);
    st.stop();
}
