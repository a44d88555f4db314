// The contract suite: the same requests against a live server on SQLite and on PostgreSQL 15 (the throwaway
// cluster), asserting the expected answer AND that both stores answer identically (HTTP status, error code,
// per-item status and code). Poison input first (invalid UTF-8, NUL in text, extreme times), then normal cases.
#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

#include "central_test_util.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

using namespace batchivo;
using namespace batchivo::central;
using nlohmann::json;

namespace {

const std::string P = wire::kApiPrefix;

struct Side {
    ct::Backend b;
    std::unique_ptr<CentralServer> server;
    ct::Client anon;   // no token
    ct::Client dev;    // a paired device
    ct::Fixture f;
    std::string name;
};

std::unique_ptr<Side> make_side(ct::Backend b) {
    auto s = std::make_unique<Side>();
    s->name = b.name;
    s->b = std::move(b);
    const TlsFiles tls = ensure_tls(ct::temp_dir("contract-tls"));
    s->server = std::make_unique<CentralServer>(s->b.app);
    ServerOptions o;
    o.cert_file = tls.cert_file;
    o.key_file = tls.key_file;
    o.rate_per_s = 0;
    o.pair_rate_per_s = 0;
    o.auth_fail_rate_per_s = 0;
    std::string err;
    if (!s->server->start(o, &err)) throw std::runtime_error(err);
    s->anon.base = s->server->url();
    s->anon.ca_file = tls.ca_file;
    s->anon.pin = spki_pin_of_cert_file(tls.cert_file);
    s->f = ct::make_tenant(*s->b.admin, "contract", 3);
    const auto pc = s->b.admin->create_pairing_code(s->f.tenant.id, "Bay", 600);
    const auto r = s->anon.post(P + "/pair", json{{"code", pc.code}, {"device_name", "contract"}}.dump());
    if (r.status != 200) throw std::runtime_error("pair failed: " + r.body);
    s->dev = s->anon;
    s->dev.token = json::parse(r.body).at("token").get<std::string>();
    return s;
}

// What must be identical on both stores.
struct Outcome {
    long status = 0;
    std::string code;                // error code of a non-2xx answer
    std::vector<std::string> items;  // POST /transactions 200: "status/code" per item
    std::string describe() const {
        std::ostringstream o;
        o << status << " " << code;
        for (const auto& i : items) o << " [" << i << "]";
        return o.str();
    }
    bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(const ct::HttpResponse& r) {
    Outcome o;
    o.status = r.status;
    json j;
    try {
        j = json::parse(r.body);
    } catch (...) {
        o.code = "<not JSON: " + r.body.substr(0, 60) + ">";
        return o;
    }
    if (r.status != 200) {
        try {
            o.code = j.at("error").at("code").get<std::string>();
        } catch (...) {
            o.code = "<not an ApiError>";
        }
    } else if (j.is_object() && j.contains("results")) {
        for (const auto& it : j["results"])
            o.items.push_back(it.value("status", "?") + "/" + it.value("code", ""));
    }
    return o;
}

// One item as JSON, on spool `spool`, with fields overridden by `extra`.
json item(const std::string& client_id, const std::string& spool, int64_t seq, const json& extra = json::object()) {
    json j = {{"client_id", client_id}, {"device_seq", seq}, {"device_time", iso8601_utc_ms(now_epoch_ms())},
              {"spool_uuid", spool}, {"type", "usage"}, {"quantity_grams", -1}};
    for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
    return j;
}

struct Case {
    std::string name;
    // Sends the request on one side (spools differ per store) and returns the response.
    std::function<ct::HttpResponse(Side&)> send;
    Outcome expect;
};

Outcome err(long status, const std::string& code) { return Outcome{status, code, {}}; }
Outcome items(std::vector<std::string> v) { return Outcome{200, "", std::move(v)}; }

ct::HttpResponse post_tx(Side& s, const json& batch) { return s.dev.post(P + "/transactions", batch.dump()); }

std::vector<Case> contract_cases() {
    std::vector<Case> cs;
    const std::vector<std::pair<std::string, std::string>> bad_utf8 = {
        {"\\xff in a value", "{\"items\":\"\xff\"}"},
        {"overlong '/'", "{\"code\":\"\xc0\xaf\"}"},
        {"overlong NUL", "{\"code\":\"\xe0\x80\x80\"}"},
        {"UTF-8 encoded lone surrogate", "{\"code\":\"\xed\xa0\x80\"}"},
        {"truncated sequence", "{\"code\":\"\xe2\x82\"}"},
        {"truncated at end of body", "{\"code\":\"x\"}\xf0\x9f"},
        {"binary body", std::string("\x00\x01\xfe\xff\x80\x81", 6)},
        {"\\xff key", "{\"\xff\":1}"},
        {"above U+10FFFF", "{\"code\":\"\xf4\x90\x80\x80\"}"},
    };
    for (const auto& [what, body] : bad_utf8) {
        cs.push_back({"POST /pair, " + what, [body = body](Side& s) { return s.anon.post(P + "/pair", body); },
                      err(400, "invalid_encoding")});
        cs.push_back({"POST /transactions (valid token), " + what,
                      [body = body](Side& s) { return s.dev.post(P + "/transactions", body); },
                      err(400, "invalid_encoding")});
    }
    cs.push_back({"POST /pair, escaped lone surrogate", [](Side& s) { return s.anon.post(P + "/pair", R"({"code":"\ud800"})"); },
                  err(400, "invalid_request")});
    cs.push_back({"POST /pair, NUL in device_name",
                  [](Side& s) { return s.anon.post(P + "/pair", R"({"code":"PAIR-AAAA-BBBB","device_name":"a\u0000b"})"); },
                  err(400, "invalid_request")});
    cs.push_back({"POST /pair, unknown code", [](Side& s) { return s.anon.post(P + "/pair", R"({"code":"PAIR-AAAA-BBBB"})"); },
                  err(401, "invalid_pairing_code")});
    cs.push_back({"GET /spools?q=%FF", [](Side& s) { return s.dev.get(P + "/spools?q=%FF"); }, err(400, "invalid_encoding")});
    cs.push_back({"GET /spools?q=%00", [](Side& s) { return s.dev.get(P + "/spools?q=a%00b"); }, err(400, "invalid_encoding")});
    cs.push_back({"GET /catalog?since=%C0%AF", [](Side& s) { return s.dev.get(P + "/catalog?since=%C0%AF"); },
                  err(400, "invalid_encoding")});
    cs.push_back({"GET /spools?material=%ED%A0%80", [](Side& s) { return s.dev.get(P + "/spools?material=%ED%A0%80"); },
                  err(400, "invalid_encoding")});

    // Per-item poison: each becomes that item's rejection, the good item next to it applies.
    const std::string now = iso8601_utc_ms(now_epoch_ms());
    struct ItemCase {
        std::string name;
        json extra;
        std::optional<std::string> sent_at;
        std::string expect;
        std::string expect_good = "applied/";  // the valid item next to it (sent_at applies to the whole batch)
    };
    const std::vector<ItemCase> item_cases = {
        {"NUL in notes", {{"notes", std::string("nul\0byte", 8)}}, now, "rejected/invalid_item"},
        {"device_time year 0000", {{"device_time", "0000-06-01T00:00:00.000Z"}}, now, "rejected/invalid_item"},
        {"device_time 0001 with sent_at 9999", {{"device_time", "0001-01-01T00:00:00.000Z"}},
         "9999-12-31T23:59:59.999Z", "rejected/invalid_item", "rejected/invalid_item"},
        {"sent_at 9999", json::object(), "9999-12-31T23:59:59.999Z", "rejected/invalid_item", "rejected/invalid_item"},
        {"sent_at year 0000", json::object(), "0000-06-01T00:00:00.000Z", "rejected/invalid_item", "rejected/invalid_item"},
        {"device_time 9999 without sent_at", {{"device_time", "9999-12-31T23:59:59.999Z"}}, std::nullopt,
         "rejected/invalid_item"},
        {"device_time 1969", {{"device_time", "1969-12-31T23:59:59.999Z"}}, now, "rejected/invalid_item"},
        {"device_time 2200", {{"device_time", "2200-01-01T00:00:00.000Z"}}, now, "rejected/invalid_item"},
        {"Pi without RTC: device_time and sent_at in 1970", {{"device_time", "1970-01-01T00:01:00.000Z"}},
         "1970-01-01T00:02:00.000Z", "applied/"},
        {"device_time 1970 with sent_at now (clamped to 1970)", {{"device_time", "1970-01-01T00:00:00.000Z"}}, now,
         "applied/"},
        {"device_time 2199 with sent_at 1970 (clamped to now)", {{"device_time", "2199-12-31T23:59:59.999Z"}},
         "1970-01-01T00:00:00.000Z", "applied/"},
        {"notes with valid multi-byte text", {{"notes", "caf\xc3\xa9 \xf0\x9f\x8e\x89"}}, now, "applied/"},
        {"spool_uuid not a UUID", {{"spool_uuid", "nope"}}, now, "rejected/invalid_item"},
        {"client_id not a UUID", {{"client_id", "x\xc3\xa9"}}, now, "rejected/invalid_item"},
        {"type with NUL", {{"type", std::string("usage\0", 6)}}, now, "rejected/invalid_item"},
    };
    int64_t seq = 100;
    for (const auto& ic : item_cases) {
        const std::string bad_id = new_uuid_v7(), good_id = new_uuid_v7();
        const int64_t s1 = seq++, s2 = seq++;
        cs.push_back({"item: " + ic.name,
                      [=](Side& s) {
                          json b = {{"items", json::array({item(bad_id, s.f.spools[0].id, s1, ic.extra),
                                                           item(good_id, s.f.spools[1].id, s2)})}};
                          if (ic.sent_at) b["sent_at"] = *ic.sent_at;
                          return post_tx(s, b);
                      },
                      items({ic.expect, ic.expect_good})});
    }

    // Normal cases (fixed device times: a replay must have the same content).
    const json at = {{"device_time", now}};
    const std::string a = new_uuid_v7(), b = new_uuid_v7();
    cs.push_back({"normal: usage and weighing",
                  [=](Side& s) {
                      return post_tx(s, {{"sent_at", now},
                                         {"items", json::array({item(a, s.f.spools[2].id, 1, at),
                                                                item(b, s.f.spools[2].id, 2,
                                                                     {{"device_time", now}, {"measurement", {{"gross_g", 700.0}, {"tare_g", 200.0},
                                                                                       {"tare_source", "catalog"}, {"net_g", 500.0}}}})})}});
                  },
                  items({"applied/", "applied/"})});
    cs.push_back({"normal: replay is duplicate, changed content is conflict",
                  [=](Side& s) {
                      return post_tx(s, {{"items", json::array({item(a, s.f.spools[2].id, 1, at),
                                                                item(b, s.f.spools[2].id, 2, {{"device_time", now}, {"quantity_grams", -7}})})}});
                  },
                  items({"duplicate/", "rejected/conflict"})});
    const std::string c = new_uuid_v7(), d = new_uuid_v7();
    cs.push_back({"normal: unknown spool and weight constraint",
                  [=](Side& s) {
                      return post_tx(s, {{"items", json::array({item(c, "0193a1b2-0000-7000-8000-00000000c0ff", 3),
                                                                item(d, s.f.spools[2].id, 4, {{"quantity_grams", -5000}})})}});
                  },
                  items({"rejected/unknown_spool", "rejected/weight_constraint"})});
    cs.push_back({"normal: malformed batch", [](Side& s) { return s.dev.post(P + "/transactions", R"({"items":5})"); },
                  err(400, "invalid_request")});
    cs.push_back({"normal: unparsable sent_at", [](Side& s) { return s.dev.post(P + "/transactions", R"({"items":[],"sent_at":"x"})"); },
                  err(400, "invalid_request")});
    cs.push_back({"normal: no token", [](Side& s) { return s.anon.get(P + "/whoami"); }, err(401, "unauthorized")});
    cs.push_back({"normal: unknown endpoint", [](Side& s) { return s.dev.get(P + "/nope"); }, err(404, "not_found")});
    cs.push_back({"normal: search", [](Side& s) { return s.dev.get(P + "/spools?q=FIL"); }, Outcome{200, "", {}}});
    cs.push_back({"normal: bad limit", [](Side& s) { return s.dev.get(P + "/spools?limit=abc"); }, err(400, "invalid_request")});
    cs.push_back({"normal: bad cursor", [](Side& s) { return s.dev.get(P + "/catalog?since=v9:x"); }, err(400, "invalid_cursor")});
    cs.push_back({"normal: status=x", [](Side& s) { return s.dev.get(P + "/spools?status=x"); }, err(400, "invalid_request")});
    cs.push_back({"normal: status=low", [](Side& s) { return s.dev.get(P + "/spools?status=low"); }, Outcome{200, "", {}}});
    cs.push_back({"normal: spool history of a non-UUID", [](Side& s) { return s.dev.get(P + "/spools/xyz/transactions"); },
                  err(400, "invalid_request")});
    cs.push_back({"normal: spool history of an unknown spool",
                  [](Side& s) { return s.dev.get(P + "/spools/0193a1b2-0000-7000-8000-00000000c0ff/transactions"); },
                  err(404, "not_found")});
    cs.push_back({"normal: request line too long", [](Side& s) { return s.dev.get(P + "/spools?q=" + std::string(20000, 'a')); },
                  err(414, "uri_too_long")});
    // Intake: "spool created" items (TxItem::new_spool).
    const auto new_spool = [now](const std::string& cid, const std::string& spool, int64_t seq, const json& ns) {
        json n = {{"material", "PLA"}, {"brand", "Bambu Lab"}, {"color", "Black"}, {"initial_weight_g", 1000}};
        for (auto it = ns.begin(); it != ns.end(); ++it) n[it.key()] = it.value();
        return json{{"client_id", cid}, {"device_seq", seq}, {"device_time", now}, {"spool_uuid", spool},
                    {"type", "purchase"}, {"quantity_grams", n.value("initial_weight_g", 1000)}, {"new_spool", n}};
    };
    const std::string n1 = new_uuid_v7(), n1_spool = new_uuid_v7(), n2 = new_uuid_v7(), n3 = new_uuid_v7(),
                      n4 = new_uuid_v7(), n5 = new_uuid_v7(), n6 = new_uuid_v7();
    cs.push_back({"intake: a new spool and its usage apply",
                  [=](Side& s) {
                      return post_tx(s, {{"items", json::array({new_spool(n1, n1_spool, 500, json::object()),
                                                                item(n2, n1_spool, 501, at)})}});
                  },
                  items({"applied/", "applied/"})});
    cs.push_back({"intake: replay is duplicate",
                  [=](Side& s) { return post_tx(s, {{"items", json::array({new_spool(n1, n1_spool, 500, json::object())})}}); },
                  items({"duplicate/"})});
    cs.push_back({"intake: unknown material, unknown purchase line, existing spool UUID, wrong type",
                  [=](Side& s) {
                      json wrong_type = new_spool(n6, new_uuid_v7(), 505, json::object());
                      wrong_type["type"] = "adjustment";
                      return post_tx(s, {{"items", json::array({new_spool(n3, new_uuid_v7(), 502, {{"material", "Unobtainium"}}),
                                                                new_spool(n4, new_uuid_v7(), 503,
                                                                          {{"purchase_item_id", new_uuid_v7()}}),
                                                                new_spool(n5, s.f.spools[0].id, 504, json::object()),
                                                                wrong_type})}});
                  },
                  items({"rejected/unknown_material", "rejected/unknown_purchase_item", "rejected/conflict",
                         "rejected/invalid_item"})});
    // A typed spool_id another spool has: applied under a fresh id, said so (both stores), also on a replay.
    const std::string n7 = new_uuid_v7(), n7_spool = new_uuid_v7(), n8 = new_uuid_v7();
    cs.push_back({"intake: a typed spool_id already taken is reassigned",
                  [=](Side& s) {
                      return post_tx(s, {{"items", json::array({new_spool(n7, n7_spool, 507,
                                                                          {{"spool_id", s.f.spools.at(0).spool_id}})})}});
                  },
                  items({"applied/spool_id_reassigned"})});
    cs.push_back({"intake: replay of a reassigned one",
                  [=](Side& s) {
                      return post_tx(s, {{"items", json::array({new_spool(n7, n7_spool, 507,
                                                                          {{"spool_id", s.f.spools.at(0).spool_id}})})}});
                  },
                  items({"duplicate/spool_id_reassigned"})});
    cs.push_back({"intake: a label printed at the station (qr_code_data)",
                  [=](Side& s) {
                      const std::string sp = new_uuid_v7();
                      return post_tx(s, {{"items", json::array({new_spool(n8, sp, 508, {{"qr_code_data", "batchivo://spool/" + sp}})})}});
                  },
                  items({"applied/"})});
    cs.push_back({"intake: unknown key in new_spool",
                  [=](Side& s) {
                      return post_tx(s, {{"items", json::array({new_spool(new_uuid_v7(), new_uuid_v7(), 506, {{"colour", "x"}})})}});
                  },
                  err(400, "invalid_request")});
    cs.push_back({"normal: body over 1 MiB", [](Side& s) { return s.dev.post(P + "/transactions", std::string(1100000, ' ')); },
                  err(413, "payload_too_large")});
    return cs;
}

}  // namespace

TEST_CASE("contract: SQLite and PostgreSQL answer every case identically", "[contract][pg]") {
    auto lite = make_side(ct::SqliteBackend::make());
    auto pg = make_side(ct::PgBackend::make());
    for (const auto& c : contract_cases()) {
        INFO(c.name);
        const Outcome ol = outcome_of(c.send(*lite)), op = outcome_of(c.send(*pg));
        INFO("sqlite:     " << ol.describe());
        INFO("postgresql: " << op.describe());
        CHECK(ol.status < 500);
        CHECK(op.status < 500);
        CHECK(ol == c.expect);
        CHECK(op == ol);
    }
}
