// The lookup responses (whoami, spools page, spool history, reorder): round trips, byte-for-byte the JSON the
// server wrote by hand before these types existed (so existing clients keep parsing it), strict parsing, and
// parse<T>() / parse_pairing_payload() as Result values.
#include <catch2/catch.hpp>

#include "sync/protocol/wire.hpp"

using namespace batchivo;
using namespace batchivo::wire;
using nlohmann::json;

namespace {

const char* kSpool = "0190f1a2-0000-7000-8000-000000000001";
const char* kDevice = "0190f1a2-0000-7000-8000-0000000000d1";
const char* kTenant = "0190f1a2-0000-7000-8000-0000000000e1";

CatalogSpool sample_spool() {
    CatalogSpool cs;
    cs.spool.id = kSpool;
    cs.spool.spool_id = "FIL-001";
    cs.spool.material_name = "PLA";
    cs.spool.initial_weight_g = 1000;
    cs.spool.current_weight_g = 640;
    cs.stock = stock_info(cs.spool);
    return cs;
}

HistoryTransaction weighing() {
    HistoryTransaction t;
    t.tx.id = "0190f1a2-0000-7000-8000-0000000000a1";
    t.tx.spool_id = kSpool;
    t.tx.type = TransactionType::Usage;
    t.tx.quantity_grams = -60;
    t.tx.created_at = "2026-11-25T12:00:01.000Z";
    t.client_id = "0190f1a2-0000-7000-8000-0000000000c1";
    t.device_id = kDevice;
    t.device_seq = 4;
    t.device_time = "2026-11-25T11:59:58.000Z";
    t.occurred_at = "2026-11-25T12:00:00.500Z";
    t.measurement = WireMeasurement{830.5, 190.5, "spool", 640};
    t.resulting_weight_g = 640;
    return t;
}

HistoryTransaction seeded() {  // a row from the admin side: no station columns
    HistoryTransaction t;
    t.tx.id = "0190f1a2-0000-7000-8000-0000000000a2";
    t.tx.spool_id = kSpool;
    t.tx.type = TransactionType::Purchase;
    t.tx.quantity_grams = 1000;
    t.tx.notes = "initial stock";
    t.tx.created_at = "2026-11-01T08:00:00.000Z";
    return t;
}

// What server.cpp built by hand for one history row before HistoryTransaction existed.
json legacy_history_row(const HistoryTransaction& r) {
    return json{{"id", r.tx.id},
                {"spool_uuid", r.tx.spool_id},
                {"type", std::string(to_string(r.tx.type))},
                {"quantity_grams", r.tx.quantity_grams},
                {"reference_type", r.tx.reference_type.empty() ? json(nullptr) : json(r.tx.reference_type)},
                {"notes", r.tx.notes.empty() ? json(nullptr) : json(r.tx.notes)},
                {"created_at", r.tx.created_at},
                {"client_id", r.client_id.empty() ? json(nullptr) : json(r.client_id)},
                {"device_id", r.device_id.empty() ? json(nullptr) : json(r.device_id)},
                {"device_seq", r.device_seq ? json(*r.device_seq) : json(nullptr)},
                {"device_time", r.device_time.empty() ? json(nullptr) : json(r.device_time)},
                {"occurred_at", r.occurred_at.empty() ? json(nullptr) : json(r.occurred_at)},
                {"measurement", r.measurement ? json(*r.measurement) : json(nullptr)},
                {"weight_applied", r.weight_applied},
                {"resulting_weight_g", r.resulting_weight_g ? json(*r.resulting_weight_g) : json(nullptr)}};
}

}  // namespace

TEST_CASE("whoami: same bytes as before, round-trips, strict", "[wire][lookup]") {
    const WhoAmIResponse w{kDevice, "Bay 1", kTenant, "acme", "2026-11-25T12:00:00.000Z"};
    const json legacy{{"device_id", kDevice}, {"device_name", "Bay 1"}, {"tenant_id", kTenant},
                      {"tenant_slug", "acme"}, {"server_time", "2026-11-25T12:00:00.000Z"}};
    CHECK(json(w).dump() == legacy.dump());
    const auto back = json(w).get<WhoAmIResponse>();
    CHECK(back.device_name == "Bay 1");
    CHECK(back.tenant_slug == "acme");

    json bad = legacy;
    bad.erase("tenant_slug");
    CHECK_THROWS(bad.get<WhoAmIResponse>());
    bad = legacy;
    bad["device_id"] = "not-a-uuid";
    CHECK_THROWS(bad.get<WhoAmIResponse>());
    bad = legacy;
    bad["server_time"] = "yesterday";
    CHECK_THROWS(bad.get<WhoAmIResponse>());
    CHECK_THROWS(json::array().get<WhoAmIResponse>());
}

TEST_CASE("spools page: same bytes as before, round-trips, strict", "[wire][lookup]") {
    SpoolsPageResponse page{{sample_spool()}, 7, 1, 3};
    json arr = json::array();
    arr.push_back(spool_to_json(page.spools[0].spool, page.spools[0].stock));
    const json legacy{{"spools", arr}, {"total", 7}, {"limit", 1}, {"offset", 3}};
    CHECK(json(page).dump() == legacy.dump());
    const auto back = json(page).get<SpoolsPageResponse>();
    REQUIRE(back.spools.size() == 1);
    CHECK(back.spools[0].spool.spool_id == "FIL-001");
    CHECK(back.spools[0].stock.status == page.spools[0].stock.status);
    CHECK(back.total == 7);
    CHECK(back.offset == 3);

    json bad = legacy;
    bad["total"] = -1;
    CHECK_THROWS(bad.get<SpoolsPageResponse>());
    bad = legacy;
    bad["total"] = 0;  // fewer matches than spools on the page
    CHECK_THROWS(bad.get<SpoolsPageResponse>());
    bad = legacy;
    bad["spools"] = json::object();
    CHECK_THROWS(bad.get<SpoolsPageResponse>());
    bad = legacy;
    bad["spools"][0]["initial_weight_g"] = "1000";
    CHECK_THROWS(bad.get<SpoolsPageResponse>());
}

TEST_CASE("spool history: same bytes as before, round-trips, strict", "[wire][lookup]") {
    SpoolHistoryResponse h;
    h.spool = sample_spool();
    h.transactions = {weighing(), seeded()};
    json arr = json::array();
    for (const auto& t : h.transactions) arr.push_back(legacy_history_row(t));
    const json legacy{{"spool", spool_to_json(h.spool.spool, stock_info(h.spool.spool))}, {"transactions", arr}};
    CHECK(json(h).dump() == legacy.dump());
    // Optional station columns travel as null, as the client parser expects.
    CHECK(legacy["transactions"][1]["client_id"].is_null());
    CHECK(legacy["transactions"][1]["measurement"].is_null());

    const auto back = json(h).get<SpoolHistoryResponse>();
    CHECK(back.spool.spool.current_weight_g == 640);
    REQUIRE(back.transactions.size() == 2);
    const auto& w = back.transactions[0];
    CHECK(w.tx.id == weighing().tx.id);
    CHECK(w.tx.type == TransactionType::Usage);
    CHECK(w.tx.quantity_grams == -60);
    CHECK(w.device_seq == 4);
    CHECK(w.occurred_at == "2026-11-25T12:00:00.500Z");
    REQUIRE(w.measurement);
    CHECK(w.measurement->tare_source == "spool");
    CHECK(w.resulting_weight_g == 640);
    CHECK(w.weight_applied);
    const auto& s = back.transactions[1];
    CHECK(s.tx.notes == "initial stock");
    CHECK(s.client_id.empty());
    CHECK_FALSE(s.device_seq);
    CHECK_FALSE(s.measurement);
    CHECK_FALSE(s.resulting_weight_g);

    auto broken = [&](auto&& change) {
        json j = legacy;
        change(j["transactions"][0]);
        return wire::parse<SpoolHistoryResponse>(j.dump());
    };
    CHECK_FALSE(broken([](json& t) { t["type"] = "theft"; }));
    CHECK_FALSE(broken([](json& t) { t["quantity_grams"] = 1.5; }));
    CHECK_FALSE(broken([](json& t) { t["created_at"] = nullptr; }));
    CHECK_FALSE(broken([](json& t) { t["occurred_at"] = "soon"; }));
    CHECK_FALSE(broken([](json& t) { t["weight_applied"] = "yes"; }));
    CHECK_FALSE(broken([](json& t) { t["device_seq"] = 0; }));
    CHECK_FALSE(broken([](json& t) { t["spool_uuid"] = "0190f1a2-0000-7000-8000-0000000000ff"; }));
    CHECK_FALSE(broken([](json& t) { t["measurement"] = json{{"gross_g", 1}}; }));
    CHECK(broken([](json& t) { t.erase("resulting_weight_g"); }));  // optional fields may be absent
    const auto no_spool = wire::parse<SpoolHistoryResponse>(R"({"transactions": []})", "spool history");
    REQUIRE_FALSE(no_spool);
    CHECK(no_spool.error().code == "invalid_body");
    CHECK_THAT(no_spool.error().message, Catch::StartsWith("spool history: "));
    CHECK_FALSE(wire::parse<SpoolHistoryResponse>("not json"));
}

TEST_CASE("reorder report: same bytes as before, round-trips, strict", "[wire][lookup]") {
    ReorderLine l;
    l.setting.id = "0190f1a2-0000-7000-8000-00000000000b";
    l.setting.material_name = "PETG";
    l.setting.lead_time_days = 5;
    l.stock_g = 900;
    l.spool_count = 2;
    l.reorder_point_g = 1500;
    l.needs_reorder = true;
    const ReorderResponse r{{l}};
    const json legacy{{"lines", json::array({json{{"setting", reorder_to_json(l.setting)},
                                                  {"stock_g", 900},
                                                  {"spool_count", 2},
                                                  {"reorder_point_g", 1500},
                                                  {"needs_reorder", true}}})}};
    CHECK(json(r).dump() == legacy.dump());
    const auto back = json(r).get<ReorderResponse>();
    REQUIRE(back.lines.size() == 1);
    CHECK(back.lines[0].setting.material_name == "PETG");
    CHECK(back.lines[0].reorder_point_g == 1500);
    CHECK(back.lines[0].needs_reorder);

    json bad = legacy;
    bad["lines"][0].erase("needs_reorder");
    CHECK_THROWS(bad.get<ReorderResponse>());
    bad = legacy;
    bad["lines"][0]["spool_count"] = -1;
    CHECK_THROWS(bad.get<ReorderResponse>());
    bad = legacy;
    bad["lines"][0]["setting"]["id"] = "x";
    CHECK_THROWS(bad.get<ReorderResponse>());
    CHECK_THROWS(json::parse(R"({"lines": {}})").get<ReorderResponse>());
}

TEST_CASE("parse_pairing_payload says why a payload is refused", "[wire][pairing]") {
    const auto ok = parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFGH");
    REQUIRE(ok);
    CHECK(ok->server_url == "https://a");
    const auto bad_code = parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFG0");
    REQUIRE_FALSE(bad_code);
    CHECK(bad_code.error().code == "invalid_pairing_payload");
    CHECK_THAT(bad_code.error().message, Catch::Contains("PAIR-XXXX-XXXX"));
    CHECK_THAT(parse_pairing_payload("batchivo-pair:v1?url=ftp%3A%2F%2Fa&code=PAIR-ABCD-EFGH").error().message,
               Catch::Contains("http"));
    CHECK_THAT(parse_pairing_payload("hello").error().message, Catch::Contains("batchivo-pair:v1"));
}
