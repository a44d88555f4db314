#include <catch2/catch.hpp>

#include "sync/protocol/wire.hpp"

using namespace batchivo;
using namespace batchivo::wire;
using nlohmann::json;

namespace {
TxItem sample_item() {
    TxItem i;
    i.client_id = "0190f1a2-3b4c-7d5e-8f60-718293a4b5c6";
    i.device_seq = 3;
    i.device_time = "2026-11-25T12:00:00.000Z";
    i.spool_uuid = "0190f1a2-0000-7000-8000-000000000001";
    i.type = "usage";
    i.quantity_grams = -42;
    return i;
}
}  // namespace

TEST_CASE("pairing payload round-trips with percent-encoding", "[wire]") {
    PairingPayload p{"https://central.example:8443/base/path?x=1&y", "PAIR-ABCD-EFGH", "MIIB-_x", ""};
    p.pin = "sha256//" + std::string(43, 'A') + "=";
    const std::string text = format_pairing_payload(p);
    CHECK(text.rfind("batchivo-pair:v1?url=https%3A%2F%2Fcentral.example%3A8443%2Fbase%2Fpath%3Fx%3D1%26y&code=PAIR-ABCD-EFGH", 0) == 0);
    auto back = parse_pairing_payload(text);
    REQUIRE(back);
    CHECK(back->server_url == p.server_url);
    CHECK(back->code == p.code);
    CHECK(back->ca_der_base64url == p.ca_der_base64url);
    CHECK(back->pin == p.pin);
}

TEST_CASE("pairing payload parser rejects malformed input", "[wire]") {
    CHECK_FALSE(parse_pairing_payload(""));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v2?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFGH"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?code=PAIR-ABCD-EFGH"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=ftp%3A%2F%2Fa&code=PAIR-ABCD-EFGH"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFG0"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFGH&code=PAIR-ABCD-EFGJ"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa%2&code=PAIR-ABCD-EFGH"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFGH&pin=md5//x"));
    CHECK_FALSE(parse_pairing_payload("batchivo-pair:v1?url=https%3A%2F%2Fa&code=PAIR-ABCD-EFGH&ca=a%2Bb"));
    CHECK(parse_pairing_payload("  batchivo-pair:v1?url=http%3A%2F%2F127.0.0.1%3A1&code=pair-abcd-efgh&extra=1\n"));
}

TEST_CASE("pairing codes use the unambiguous alphabet", "[wire]") {
    CHECK(looks_like_pairing_code("PAIR-ABCD-EFGH"));
    CHECK(looks_like_pairing_code("pair-2345-6789"));
    CHECK_FALSE(looks_like_pairing_code("PAIR-ABCD-EFG"));
    CHECK_FALSE(looks_like_pairing_code("PAIR-ABCD-EFGO"));
    CHECK_FALSE(looks_like_pairing_code("PAIR-ABCD-EFG1"));
    CHECK_FALSE(looks_like_pairing_code("PAIR-ABCDxEFGH"));
    CHECK_FALSE(looks_like_pairing_code("XAIR-ABCD-EFGH"));
}

TEST_CASE("transaction batch JSON round-trips and is strict", "[wire]") {
    TxBatch b;
    b.items.push_back(sample_item());
    TxItem w = sample_item();
    w.client_id = "0190f1a2-3b4c-7d5e-8f60-718293a4b5c7";
    w.device_seq = 4;
    w.measurement = WireMeasurement{812.4, 230, "catalog", 582.4};
    w.notes = "after print";
    b.items.push_back(w);
    const json j = b;
    const TxBatch back = j.get<TxBatch>();
    REQUIRE(back.items.size() == 2);
    CHECK(back.items[0].quantity_grams == -42);
    CHECK_FALSE(back.items[0].measurement);
    REQUIRE(back.items[1].measurement);
    CHECK(back.items[1].measurement->net_g == Approx(582.4));
    CHECK(back.items[1].notes == "after print");

    json bad = j;
    bad["items"][0]["extra"] = 1;
    CHECK_THROWS(bad.get<TxBatch>());
    bad = j;
    bad["items"][0]["quantity_grams"] = "12";
    CHECK_THROWS(bad.get<TxBatch>());
    bad = j;
    bad["items"][0]["quantity_grams"] = 1.5;
    CHECK_THROWS(bad.get<TxBatch>());
    bad = j;
    bad["items"][0].erase("client_id");
    CHECK_THROWS(bad.get<TxBatch>());
    bad = j;
    bad["items"] = json::object();
    CHECK_THROWS(bad.get<TxBatch>());
    CHECK_THROWS(json::array().get<TxBatch>());
    bad = j;
    bad["items"][1]["measurement"]["gross_g"] = nullptr;
    CHECK_THROWS(bad.get<TxBatch>());

    // sent_at: optional (older stations omit it), an ISO-8601 string when present
    CHECK_FALSE(back.sent_at);
    CHECK_FALSE(j.contains("sent_at"));
    TxBatch timed = b;
    timed.sent_at = "2026-11-25T12:00:00.000Z";
    const json jt = timed;
    CHECK(jt["sent_at"] == "2026-11-25T12:00:00.000Z");
    CHECK(jt.get<TxBatch>().sent_at == timed.sent_at);
    bad = jt;
    bad["sent_at"] = nullptr;
    CHECK_FALSE(bad.get<TxBatch>().sent_at);
    bad["sent_at"] = 1764072000000;
    CHECK_THROWS(bad.get<TxBatch>());
    bad["sent_at"] = "yesterday";
    CHECK_THROWS(bad.get<TxBatch>());
    bad["sent_at"] = "";
    CHECK_THROWS(bad.get<TxBatch>());
}

TEST_CASE("validate_item checks shape and signs", "[wire]") {
    CHECK(validate_item(sample_item()));
    auto i = sample_item();
    i.client_id = "nope";
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("client_id"));
    i = sample_item();
    i.device_seq = 0;
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("device_seq"));
    i = sample_item();
    i.device_time = "yesterday";
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("device_time"));
    i = sample_item();
    i.type = "theft";
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("type"));
    i = sample_item();
    i.quantity_grams = 5;
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("negative"));
    i = sample_item();
    i.type = "purchase";
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("positive"));
    i.quantity_grams = 1000;
    CHECK(validate_item(i));
    i = sample_item();
    i.quantity_grams = -60000;
    CHECK_FALSE(validate_item(i));
    i = sample_item();
    i.measurement = WireMeasurement{800, 200, "spool", 600};
    CHECK(validate_item(i));
    i.measurement->net_g = 500;
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("gross_g - tare_g"));
    i.measurement = WireMeasurement{100, 200, "spool", -100};
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("negative"));
    i.measurement = WireMeasurement{800, 200, "guess", 600};
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("tare_source"));
    i.measurement = WireMeasurement{800, 200, "spool", 600};
    i.type = "purchase";
    i.quantity_grams = 10;
    CHECK_THAT(validate_item(i).error().message, Catch::Contains("weighing"));
}

TEST_CASE("catalog delta, pairing, results and errors round-trip", "[wire]") {
    CatalogDelta d;
    CatalogSpool cs;
    cs.spool.id = "0190f1a2-0000-7000-8000-000000000001";
    cs.spool.spool_id = "FIL-001";
    cs.spool.brand = "Prusament";
    cs.spool.color_hex = "#FF0000";
    cs.spool.initial_weight_g = 1000;
    cs.spool.current_weight_g = 100;
    cs.spool.empty_spool_weight_g = 190;
    cs.stock = stock_info(cs.spool);
    d.spools.push_back(cs);
    d.material_types.push_back({"0190f1a2-0000-7000-8000-00000000000a", "PLA", "{\"bed_temp\":60}"});
    ReorderSetting r;
    r.id = "0190f1a2-0000-7000-8000-00000000000b";
    r.lead_time_days = 5;
    r.reorder_point_grams = 1500;
    d.reorder_settings.push_back(r);
    d.deleted_spools.push_back("0190f1a2-0000-7000-8000-00000000000c");
    d.next_cursor = "v1:7:1";
    d.has_more = true;
    const json j = d;
    CHECK(j["spools"][0]["stock_status"] == "critical");
    CHECK(j["spools"][0]["brand"] == "Prusament");
    CHECK(j["spools"][0]["material_type"].is_null());
    const auto back = j.get<CatalogDelta>();
    REQUIRE(back.spools.size() == 1);
    CHECK(back.spools[0].spool.empty_spool_weight_g == 190);
    CHECK(back.spools[0].stock.status == StockStatus::Critical);
    CHECK(back.material_types[0].name == "PLA");
    CHECK(json::parse(back.material_types[0].properties_json)["bed_temp"] == 60);
    CHECK(back.reorder_settings[0].reorder_point_grams == 1500);
    CHECK(back.deleted_spools.size() == 1);
    CHECK(back.has_more);
    CHECK(back.next_cursor == "v1:7:1");

    PairResponse pr{"0190f1a2-0000-7000-8000-000000000001", "tok", "0190f1a2-0000-7000-8000-000000000002", "acme",
                    "Acme", "Bay 1"};
    CHECK(json(pr).get<PairResponse>().station_name == "Bay 1");
    CHECK_THROWS(json::parse(R"({"code": 5})").get<PairRequest>());
    CHECK_THROWS(json::parse(R"({"code": "PAIR-ABCD-EFGH", "x": 1})").get<PairRequest>());
    CHECK(json::parse(R"({"code": "PAIR-ABCD-EFGH"})").get<PairRequest>().device_name.empty());

    TxBatchResponse resp;
    resp.results.push_back({"c1", "applied", "", "", 812, "t1", ""});
    resp.results.push_back({"c2", "rejected", "unknown_spool", "no such spool", std::nullopt, "", ""});
    const auto rb = json(resp).get<TxBatchResponse>();
    CHECK(rb.results[0].spool_weight_g == 812);
    CHECK(rb.results[1].code == "unknown_spool");
    CHECK_THROWS(json::parse(R"({"results":[{"client_id":"x","status":"rejected"}]})").get<TxBatchResponse>());

    const json e = ApiError{"unauthorized", "bad token"};
    CHECK(e.dump() == R"({"error":{"code":"unauthorized","message":"bad token"}})");
    CHECK(e.get<ApiError>().code == "unauthorized");
    CHECK_THROWS(json::parse(R"({"code":"x"})").get<ApiError>());
}
