// The station API end to end over HTTPS with libcurl (TLS verified against the generated CA and pinned), on both
// stores; plus the JSON examples of docs/API.md checked against the parsers and a live server.
#include "batchivo_source_dir.hpp"
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "central_test_util.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;
using namespace batchivo::central;
using ct::PgBackend;
using ct::SqliteBackend;
using nlohmann::json;

namespace {

const std::string P = wire::kApiPrefix;

json parse_json(const std::string& s) { return json::parse(s); }
template <class T>
T parse_as(const std::string& s) {
    return json::parse(s).get<T>();
}

struct Live {
    ct::Backend b;
    std::unique_ptr<CentralServer> server;
    ct::Client client;  // no token yet
    TlsFiles tls;
};

Live start_live(ct::Backend b, double rate = 0, double burst = 0) {
    Live l;
    l.b = std::move(b);
    l.tls = ensure_tls(ct::temp_dir("tls"));
    l.server = std::make_unique<CentralServer>(l.b.app);
    ServerOptions o;
    o.cert_file = l.tls.cert_file;
    o.key_file = l.tls.key_file;
    o.rate_per_s = rate;
    o.burst = burst;
    o.pair_rate_per_s = 0;
    std::string err;
    if (!l.server->start(o, &err)) throw std::runtime_error(err);
    l.client.base = l.server->url();
    l.client.ca_file = l.tls.ca_file;
    l.client.pin = spki_pin_of_cert_file(l.tls.cert_file);
    return l;
}

ct::Client paired(const Live& l, const std::string& tenant_id, std::string* device_id = nullptr) {
    const auto pc = l.b.admin->create_pairing_code(tenant_id, "Bay 1", 600);
    auto r = l.client.post(P + "/pair", json{{"code", pc.code}, {"device_name", "curl"}}.dump());
    if (r.status != 200) throw std::runtime_error("pair failed: " + r.body);
    const auto pr = parse_as<wire::PairResponse>(r.body);
    if (device_id) *device_id = pr.device_id;
    ct::Client c = l.client;
    c.token = pr.token;
    return c;
}

std::string error_code(const ct::HttpResponse& r) {
    try {
        return parse_as<wire::ApiError>(r.body).code;
    } catch (...) {
        return "<not an ApiError: " + r.body.substr(0, 80) + ">";
    }
}

std::string batch_json(const std::vector<wire::TxItem>& items) { return json(wire::TxBatch{items}).dump(); }

}  // namespace

TEMPLATE_TEST_CASE("HTTPS end to end: pair, catalog, transactions, lookups", "[api]", SqliteBackend, PgBackend) {
    auto l = start_live(TestType::make());
    auto f = ct::make_tenant(*l.b.admin, "acme", 3);
    ReorderSetting rs;
    rs.material_name = "PLA";
    rs.lead_time_days = 5;
    rs.reorder_point_grams = 5000;
    l.b.admin->set_reorder(f.tenant.id, rs);
    std::string device_id;
    auto c = paired(l, f.tenant.id, &device_id);

    auto who = c.get(P + "/whoami");
    REQUIRE(who.status == 200);
    CHECK(parse_json(who.body)["tenant_slug"] == "acme");
    CHECK(parse_json(who.body)["device_id"] == device_id);

    auto cat = c.get(P + "/catalog");
    REQUIRE(cat.status == 200);
    const auto d = parse_as<wire::CatalogDelta>(cat.body);
    CHECK(d.spools.size() == 3);
    CHECK(d.reorder_settings.size() == 1);
    CHECK(d.material_types.size() == 10);
    auto cat2 = c.get(P + "/catalog?since=" + d.next_cursor + "&limit=10");
    REQUIRE(cat2.status == 200);
    CHECK(parse_json(cat2.body)["spools"].empty());

    auto u = ct::usage(f.spools[0].id, 100, 1);
    auto w = ct::weighing(f.spools[1].id, 700, 200, 2);
    auto tx = c.post(P + "/transactions", batch_json({u, w}));
    REQUIRE(tx.status == 200);
    auto res = parse_as<wire::TxBatchResponse>(tx.body);
    REQUIRE(res.results.size() == 2);
    CHECK(res.results[0].status == "applied");
    CHECK(res.results[0].spool_weight_g == 700);
    CHECK(res.results[1].spool_weight_g == 500);
    // replay over the wire
    res = parse_as<wire::TxBatchResponse>(c.post(P + "/transactions", batch_json({u, w})).body);
    CHECK(res.results[0].status == "duplicate");
    CHECK(res.results[1].status == "duplicate");
    CHECK(res.results[1].spool_weight_g == 500);
    u.quantity_grams = -99;
    res = parse_as<wire::TxBatchResponse>(c.post(P + "/transactions", batch_json({u})).body);
    CHECK(res.results[0].code == "conflict");

    auto delta = parse_as<wire::CatalogDelta>(c.get(P + "/catalog?since=" + d.next_cursor).body);
    CHECK(delta.spools.size() == 2);

    auto hist = c.get(P + "/spools/" + f.spools[1].id + "/transactions");
    REQUIRE(hist.status == 200);
    const auto hj = parse_json(hist.body);
    CHECK(hj["spool"]["current_weight_g"] == 500);
    REQUIRE(hj["transactions"].size() == 1);
    CHECK(hj["transactions"][0]["measurement"]["net_g"] == 500.0);
    CHECK(hj["transactions"][0]["device_id"] == device_id);

    auto list = parse_json(c.get(P + "/spools?material=PLA&limit=10").body);
    CHECK(list["total"] == 2);
    CHECK(parse_json(c.get(P + "/spools?q=fil-2").body)["total"] == 1);
    CHECK(parse_json(c.get(P + "/spools?low_stock=true").body)["total"] == 2);  // the PLA setting needs a reorder
    auto re = parse_json(c.get(P + "/reorder").body);
    REQUIRE(re["lines"].size() == 1);
    CHECK(re["lines"][0]["needs_reorder"] == true);
    CHECK(re["lines"][0]["stock_g"] == 700 + 800);
}

TEMPLATE_TEST_CASE("HTTPS errors: validation, 401, revocation, 404, 413", "[api]", SqliteBackend, PgBackend) {
    auto l = start_live(TestType::make());
    auto f = ct::make_tenant(*l.b.admin, "acme", 1);
    auto g = ct::make_tenant(*l.b.admin, "rival", 1);
    std::string device_id;
    auto c = paired(l, f.tenant.id, &device_id);

    auto r = l.client.get(P + "/catalog");
    CHECK(r.status == 401);
    CHECK(error_code(r) == "unauthorized");
    auto bad = c;
    bad.token = "bvt_wrong";
    CHECK(bad.get(P + "/catalog").status == 401);
    r = l.client.post(P + "/pair", R"({"code":"PAIR-2345-6789"})");
    CHECK(r.status == 401);
    CHECK(error_code(r) == "invalid_pairing_code");
    r = l.client.post(P + "/pair", R"({"code":"PAIR-2345-6789","tenant":"rival"})");
    CHECK(r.status == 400);
    CHECK(error_code(r) == "invalid_request");

    CHECK(c.post(P + "/transactions", "{not json").status == 400);
    CHECK(error_code(c.post(P + "/transactions", R"({"items":[{"client_id":1}]})")) == "invalid_request");
    CHECK(c.post(P + "/transactions", R"({"items":{}})").status == 400);
    CHECK(error_code(c.get(P + "/catalog?since=bogus")) == "invalid_cursor");
    CHECK(c.get(P + "/catalog?limit=0").status == 400);
    CHECK(c.get(P + "/catalog?limit=abc").status == 400);
    CHECK(c.get(P + "/spools?status=fine").status == 400);
    CHECK(c.get(P + "/spools?low_stock=maybe").status == 400);
    CHECK(c.get(P + "/spools/not-a-uuid/transactions").status == 400);
    r = c.get(P + "/spools/" + g.spools[0].id + "/transactions");  // another tenant's spool
    CHECK(r.status == 404);
    CHECK(error_code(r) == "not_found");
    CHECK(c.get(P + "/nope").status == 404);

    std::vector<wire::TxItem> many;
    for (int i = 0; i < wire::kMaxBatchItems + 1; ++i) many.push_back(ct::usage(f.spools[0].id, 1, i + 1));
    r = c.post(P + "/transactions", batch_json(many));
    CHECK(r.status == 413);
    CHECK(error_code(r) == "batch_too_large");
    many.pop_back();
    r = c.post(P + "/transactions", batch_json(many));  // exactly 500 is fine
    CHECK(r.status == 200);
    std::string huge = R"({"items":[],"pad":")" + std::string(wire::kMaxBodyBytes, 'x') + "\"}";
    r = c.post(P + "/transactions", huge);
    CHECK(r.status == 413);
    CHECK(error_code(r) == "payload_too_large");

    // revocation takes effect immediately
    REQUIRE(l.b.admin->revoke_device(f.tenant.id, device_id));
    r = c.get(P + "/catalog");
    CHECK(r.status == 401);
    CHECK(error_code(r) == "unauthorized");
}

TEST_CASE("a flooding device gets 429 with Retry-After, others are unaffected", "[api]") {
    auto l = start_live(SqliteBackend::make(), 1.0, 3.0);
    auto f = ct::make_tenant(*l.b.admin, "acme", 1);
    auto c1 = paired(l, f.tenant.id), c2 = paired(l, f.tenant.id);
    int ok = 0;
    ct::HttpResponse limited;
    for (int i = 0; i < 6; ++i) {
        auto r = c1.get(P + "/whoami");
        if (r.status == 200) ++ok;
        else limited = r;
    }
    CHECK(ok >= 3);
    CHECK(ok <= 4);
    CHECK(limited.status == 429);
    CHECK(error_code(limited) == "rate_limited");
    CHECK_FALSE(limited.retry_after.empty());
    CHECK(std::stoi(limited.retry_after) >= 1);
    CHECK(c2.get(P + "/whoami").status == 200);
    // guessing tokens from one address is throttled too
    auto guesser = l.client;
    guesser.token = "bvt_guess";
    int unauthorized = 0, throttled = 0;
    for (int i = 0; i < 40; ++i) {
        const auto r = guesser.get(P + "/whoami");
        unauthorized += r.status == 401;
        throttled += r.status == 429;
    }
    CHECK(unauthorized >= 30);
    CHECK(unauthorized < 40);
    CHECK(throttled > 0);
}

TEMPLATE_TEST_CASE("50 concurrent identical batches over HTTPS write one row", "[api]", SqliteBackend, PgBackend) {
    auto l = start_live(TestType::make());
    auto f = ct::make_tenant(*l.b.admin, "acme", 1);
    auto c = paired(l, f.tenant.id);
    const std::string body = batch_json({ct::usage(f.spools[0].id, 25, 1)});
    std::atomic<int> applied{0}, duplicate{0}, failed{0};
    std::vector<std::thread> th;
    for (int i = 0; i < 50; ++i)
        th.emplace_back([&] {
            auto r = c.post(P + "/transactions", body);
            if (r.status != 200) {
                ++failed;
                return;
            }
            const std::string s = parse_json(r.body)["results"][0]["status"];
            if (s == "applied") ++applied;
            else if (s == "duplicate") ++duplicate;
            else ++failed;
        });
    for (auto& t : th) t.join();
    CHECK(failed == 0);
    CHECK(applied == 1);
    CHECK(duplicate == 49);
    CHECK(l.b.app->get_spool(f.tenant.id, f.spools[0].id)->current_weight_g == 775);
    CHECK(l.b.app->spool_transactions(f.tenant.id, f.spools[0].id, 100).size() == 1);
}

TEST_CASE("TLS is verified: without the CA or with a wrong pin the client refuses", "[api]") {
    auto l = start_live(SqliteBackend::make());
    auto c = l.client;
    CHECK(c.get(P + "/health").status == 200);
    c.ca_file.clear();
    c.pin.clear();
    CHECK(c.get(P + "/health").curl == CURLE_PEER_FAILED_VERIFICATION);
    c = l.client;
    c.pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    CHECK(c.get(P + "/health").curl == CURLE_SSL_PINNEDPUBKEYNOTMATCH);
    // plain HTTP is refused off loopback
    CentralServer plain(l.b.app);
    ServerOptions o;
    o.plain_http = true;
    o.host = "0.0.0.0";
    std::string err;
    CHECK_FALSE(plain.start(o, &err));
    CHECK_THAT(err, Catch::Contains("loopback"));
}

TEMPLATE_TEST_CASE("docs/API.md examples parse and match the live server", "[api]", SqliteBackend, PgBackend) {
    std::ifstream in(std::string(BATCHIVO_SOURCE_DIR) + "/docs/API.md");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string doc = ss.str();
    std::map<std::string, json> ex;
    const std::regex re(R"(<!-- example: (\w+) -->\s*```json\n([\s\S]*?)```)");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), re); it != std::sregex_iterator(); ++it) {
        INFO((*it)[1].str());
        ex[(*it)[1].str()] = json::parse((*it)[2].str());
    }
    for (const char* k : {"ApiError", "Health", "PairRequest", "PairResponse", "Whoami", "CatalogDelta", "TxBatch",
                          "TxBatchResponse", "SpoolList", "SpoolTransactions", "Reorder"})
        REQUIRE(ex.count(k) == 1);
    CHECK_NOTHROW(ex["ApiError"].get<wire::ApiError>());
    CHECK_NOTHROW(ex["PairRequest"].get<wire::PairRequest>());
    CHECK_NOTHROW(ex["PairResponse"].get<wire::PairResponse>());
    const auto delta = ex["CatalogDelta"].get<wire::CatalogDelta>();
    REQUIRE(delta.spools.size() == 1);
    CHECK(delta.spools[0].stock.status == stock_info(delta.spools[0].spool).status);
    CHECK(delta.spools[0].stock.remaining_percent == Approx(stock_info(delta.spools[0].spool).remaining_percent));
    const auto batch = ex["TxBatch"].get<wire::TxBatch>();
    const auto expected = ex["TxBatchResponse"].get<wire::TxBatchResponse>();
    for (const auto& t : ex["SpoolTransactions"]["transactions"]) CHECK_NOTHROW(t["measurement"].get<wire::WireMeasurement>());
    for (const auto& l : ex["Reorder"]["lines"]) CHECK_NOTHROW(wire::reorder_from_json(l["setting"]));

    // live: the spools the example names exist with the example's weights; the response must match
    auto l = start_live(TestType::make());
    auto f = ct::make_tenant(*l.b.admin, "acme", 0);
    for (auto [id, sid, cur] : {std::tuple{"0193a1b2-0000-7000-8000-00000000c001", "PLA-BLK-001", 812},
                                std::tuple{"0193a1b2-0000-7000-8000-00000000c002", "PETG-BLK-001", 700}}) {
        Spool s;
        s.id = id;
        s.spool_id = sid;
        s.initial_weight_g = 1000;
        s.current_weight_g = cur;
        l.b.admin->upsert_spool(f.tenant.id, s);
    }
    auto c = paired(l, f.tenant.id);
    auto r = c.post(P + "/transactions", ex["TxBatch"].dump());
    REQUIRE(r.status == 200);
    const auto got = parse_as<wire::TxBatchResponse>(r.body);
    REQUIRE(got.results.size() == expected.results.size());
    REQUIRE(got.results.size() == batch.items.size());
    for (size_t i = 0; i < got.results.size(); ++i) {
        CHECK(got.results[i].client_id == expected.results[i].client_id);
        CHECK(got.results[i].status == expected.results[i].status);
        CHECK(got.results[i].code == expected.results[i].code);
        CHECK(got.results[i].reason == expected.results[i].reason);
        CHECK(got.results[i].spool_weight_g == expected.results[i].spool_weight_g);
    }
    auto badtok = l.client;
    badtok.token = "bvt_revoked-or-unknown";
    auto e = badtok.get(P + "/catalog");
    CHECK(parse_json(e.body) == ex["ApiError"]);
    auto h = parse_json(l.client.get(P + "/health").body);
    CHECK(h["status"] == ex["Health"]["status"]);
    auto who = parse_json(c.get(P + "/whoami").body);
    for (auto it = ex["Whoami"].begin(); it != ex["Whoami"].end(); ++it) CHECK(who.contains(it.key()));
    auto hist = parse_json(c.get(P + "/spools/0193a1b2-0000-7000-8000-00000000c002/transactions").body);
    REQUIRE(hist["transactions"].size() == 1);
    for (auto it = ex["SpoolTransactions"]["transactions"][0].begin(); it != ex["SpoolTransactions"]["transactions"][0].end(); ++it)
        CHECK(hist["transactions"][0].contains(it.key()));
    CHECK(hist["transactions"][0]["quantity_grams"] == ex["SpoolTransactions"]["transactions"][0]["quantity_grams"]);
    CHECK(hist["transactions"][0]["resulting_weight_g"] == 596);
    auto cat = parse_json(c.get(P + "/catalog").body);
    for (auto it = ex["CatalogDelta"].begin(); it != ex["CatalogDelta"].end(); ++it) CHECK(cat.contains(it.key()));
    for (auto it = ex["CatalogDelta"]["spools"][0].begin(); it != ex["CatalogDelta"]["spools"][0].end(); ++it)
        CHECK(cat["spools"][0].contains(it.key()));
    auto list = parse_json(c.get(P + "/spools").body);
    for (auto it = ex["SpoolList"].begin(); it != ex["SpoolList"].end(); ++it) CHECK(list.contains(it.key()));
}
