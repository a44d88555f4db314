#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <fstream>

#include "sync/targets/central/credentials.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/http/http_client.hpp"
#include "sync_test_util.hpp"

using namespace batchivo::sync;
using batchivo::test::TempDir;

TEST_CASE("credentials are written atomically with owner-only permissions and read back", "[sync][credentials]") {
    TempDir dir;
    auto c = batchivo::test::test_credentials("secret-token");
    c.ca_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    c.pin = "sha256//abc=";
    std::string err;
    REQUIRE(save_credentials(dir.creds(), c, err));
    struct stat st {};
    REQUIRE(::stat(dir.creds().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(std::filesystem::exists(dir.creds() + ".tmp"));
    auto back = load_credentials(dir.creds(), err);
    REQUIRE(back);
    CHECK(back->device_token == "secret-token");
    CHECK(back->ca_pem == c.ca_pem);
    CHECK(back->pin == c.pin);
    CHECK(back->tenant_slug == "acme");
    // A file someone loosened is tightened on load.
    ::chmod(dir.creds().c_str(), 0644);
    REQUIRE(load_credentials(dir.creds(), err));
    REQUIRE(::stat(dir.creds().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("missing and malformed credentials are told apart", "[sync][credentials]") {
    TempDir dir;
    std::string err;
    CHECK_FALSE(load_credentials(dir.creds(), err));
    CHECK(err.empty());  // not paired
    std::ofstream(dir.creds()) << "{not json";
    CHECK_FALSE(load_credentials(dir.creds(), err));
    CHECK_THAT(err, Catch::Contains("pair the station again"));
}

TEST_CASE("base64 codecs and DER to PEM", "[sync][credentials]") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_decode("Zm9vYg") == "foob");
    CHECK(base64_decode("Zm9vYg==") == "foob");
    CHECK(base64_decode("-_-_") == base64_decode("+/+/"));
    CHECK_FALSE(base64_decode("Zm9v!"));
    CHECK_FALSE(base64_decode("Z"));
    CHECK(der_certificate_to_pem("not a certificate").empty());
}

TEST_CASE("pairing refuses bad payloads before any network access", "[sync][pairing]") {
    TempDir dir;
    int calls = 0;
    PairOptions o;
    o.client_factory = [&](const CurlOptions&) -> std::unique_ptr<HttpClient> {
        ++calls;
        return std::make_unique<ScriptedHttpClient>();
    };
    auto r = pair_station("PAIR-ABCD-EFGH", dir.str(), o);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("only a pairing code"));
    r = pair_station("hello", dir.str(), o);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("Not a Batchivo pairing code"));
    r = pair_station("batchivo-pair:v1?url=http%3A%2F%2Fcentral.example.com&code=PAIR-ABCD-EFGH", dir.str(), o);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("not an HTTPS address"));
    r = pair_station("batchivo-pair:v1?url=https%3A%2F%2Fcentral.example.com&code=PAIR-ABCD-EFGH&ca=AAAA", dir.str(), o);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("certificate is damaged"));
    CHECK(calls == 0);
    CHECK_FALSE(std::filesystem::exists(dir.creds()));
}

TEST_CASE("pairing stores nothing when the server fails verification or refuses the code", "[sync][pairing]") {
    TempDir dir;
    PairOptions o;
    HttpResponse next = ScriptedHttpClient::transport(TransportError::Tls, "pin mismatch");
    o.client_factory = [&](const CurlOptions& co) -> std::unique_ptr<HttpClient> {
        CHECK(co.base_url == "https://central.example.com");
        auto c = std::make_unique<ScriptedHttpClient>();
        c->push(next);
        return c;
    };
    const char* payload = "batchivo-pair:v1?url=https%3A%2F%2Fcentral.example.com&code=PAIR-ABCD-EFGH";
    auto r = pair_station(payload, dir.str(), o);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("did not prove"));
    next = ScriptedHttpClient::status(400, R"({"error":{"code":"invalid_code","message":"code expired"}})");
    r = pair_station(payload, dir.str(), o);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains("code expired"));
    CHECK_FALSE(std::filesystem::exists(dir.creds()));
    // Success stores the credentials and the tenant.
    next = ScriptedHttpClient::status(200, R"({"device_id":"33333333-3333-4333-8333-333333333333","token":"t0k",
        "tenant_id":"11111111-1111-4111-8111-111111111111","tenant_slug":"acme","tenant_name":"Acme",
        "station_name":"Bay 1"})");
    r = pair_station(payload, dir.str(), o);
    REQUIRE(r.ok);
    std::string err;
    auto c = load_credentials(dir.creds(), err);
    REQUIRE(c);
    CHECK(c->device_token == "t0k");
    CHECK(c->station_name == "Bay 1");
    CHECK(c->server_url == "https://central.example.com");
}
