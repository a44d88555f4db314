// `batchivo-station product check` end to end: the demo tenant's products on an in-process central (SQLite, real
// TLS), the station binary pairs, syncs once (the catalog carries the products into the station's cache) and
// answers offline afterwards: max units, enough for --count, cost per unit, one line per BOM line.
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "sync/central/admin/cli.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/central/store/store.hpp"
#include "sync/protocol/pairing.hpp"
#include "sync/store/station_store.hpp"

using namespace batchivo;
using nlohmann::json;

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

struct Run {
    int status = -1;
    std::string out;
};

std::string q(const std::string& s) {
    std::string r = "'";
    for (char c : s) r += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return r + "'";
}

Run station(const std::string& dir, const std::string& args, bool with_stderr = false) {
    Run r;
    const std::string cmd = std::string(BATCHIVO_STATION_BIN) + " --data-dir " + q(dir) + " " + args +
                            (with_stderr ? " 2>&1" : " 2>/dev/null");
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

}  // namespace

TEST_CASE("product check: synced from central, answered offline from the cache") {
    Dir cdir("prod-central");
    std::shared_ptr<central::Store> store = central::open_store("sqlite:" + cdir.str("c.db"));
    store->migrate();
    const Tenant tenant = central::seed_demo(*store);
    const auto tls = central::ensure_tls(cdir.str("tls"));
    auto server = std::make_unique<central::CentralServer>(store);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    so.threads = 2;
    std::string err;
    REQUIRE(server->start(so, &err));
    wire::PairingPayload pp;
    pp.server_url = server->url();
    pp.code = store->create_pairing_code(tenant.id, "bench", 600).code;
    pp.ca_der_base64url = central::cert_der_base64url(tls.ca_file);
    pp.pin = central::spki_pin_of_cert_file(tls.cert_file);

    Dir sdir("prod-station");
    const std::string dir = sdir.str();
    // Before any sync: a clear message, exit 1.
    auto r = station(dir, "product check BOX-001", true);
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Catch::Contains("No product 'BOX-001'"));

    r = station(dir, "pair " + q(wire::format_pairing_payload(pp)), true);
    INFO(r.out);
    REQUIRE(r.status == 0);
    r = station(dir, "sync --once", true);
    INFO(r.out);
    REQUIRE(r.status == 0);
    server->stop();  // offline from here on

    r = station(dir, "product check box-001 --count 5 --json");
    INFO(r.out);
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["sku"] == "BOX-001");
    // PLA-BLK-001 (812 g) and PLA-BLK-002 (1000 g) are both Bambu Lab black PLA: 60 + 40 g per unit share 1812 g.
    CHECK(j["max_units"] == 18);
    CHECK(j["count"] == 5);
    CHECK(j["enough"] == true);
    // 100 g of 24.99 / 1000 g spools = 2.50, 4 magnets at 0.15 = 0.60, 0.2 h at 18 = 3.60
    CHECK(j["cost_per_unit"].get<double>() == Approx(6.70));
    REQUIRE(j["lines"].size() == 2);
    CHECK(j["lines"][0]["spool_id"] == "PLA-BLK-001");
    CHECK(j["lines"][0]["slot"] == "body");
    CHECK(j["lines"][0]["grams_per_unit"] == 60);
    CHECK(j["lines"][0]["available_g"] == 1812);
    CHECK(j["lines"][0]["max_units"] == 18);
    CHECK(j["lines"][1]["spool_id"] == "PLA-BLK-002");
    CHECK(j["lines"][1]["available_g"] == 1812);

    r = station(dir, "product check BOX-001 --count 19 --json");
    CHECK(json::parse(r.out)["enough"] == false);
    r = station(dir, "product check BOX-001 --json");
    CHECK(json::parse(r.out)["enough"].is_null());

    // A sub-assembly: RC-CAR-001 needs 4 WHEEL-TPU (12 g of TPU-BLK-001, 450 g) -> 48 g per car -> 9.
    r = station(dir, "product check RC-CAR-001 --json");
    j = json::parse(r.out);
    CHECK(j["max_units"] == 6);  // ABS-BLK-001: 880 g / 140 g
    bool tyre = false;
    for (const auto& l : j["lines"])
        if (l["via"] == "WHEEL-TPU") {
            tyre = true;
            CHECK(l["grams_per_unit"] == 48);
            CHECK(l["max_units"] == 9);
        }
    CHECK(tyre);

    // Text form and an unknown SKU.
    r = station(dir, "product check DRAGON-001 --count 2");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("can print 4"));  // PLA-SLK-001: 505 g / 120 g
    CHECK(station(dir, "product check NOPE --json").status == 1);
}
