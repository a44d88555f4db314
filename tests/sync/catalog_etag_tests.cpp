// The station's catalog pull sends the server's ETag back (If-None-Match) against the real central (in-process,
// SQLite, HTTPS): an unchanged catalog is one 304 and leaves the station's catalog as it was; a later change still
// arrives; a pull from the start never sends a tag.
#include <catch2/catch.hpp>

#include <mutex>

#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/central/store/store.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/http/http_client.hpp"
#include "sync/store/station_store.hpp"
#include "sync/targets/central/pairing.hpp"
#include "sync/targets/central/station_api.hpp"
#include "sync_test_util.hpp"

using namespace batchivo;
using namespace batchivo::sync;
using batchivo::test::TempDir;

namespace {

// What the station sent and got for each catalog request.
struct CatalogCall {
    std::string since;
    std::string if_none_match;
    int status = 0;
    std::string etag;
};

struct Recorder {
    std::mutex mu;
    std::vector<CatalogCall> calls;
    std::vector<CatalogCall> take() {
        std::lock_guard lk(mu);
        return std::exchange(calls, {});
    }
};

class RecordingClient : public HttpClient {
public:
    RecordingClient(std::unique_ptr<HttpClient> inner, Recorder* rec) : inner_(std::move(inner)), rec_(rec) {}
    HttpResponse perform(const HttpRequest& r) override {
        HttpResponse resp = inner_->perform(r);
        if (r.target.rfind(api_path("/catalog"), 0) == 0) {
            CatalogCall c;
            const size_t s = r.target.find("since=");
            c.since = r.target.substr(s + 6, r.target.find('&', s) - s - 6);
            for (const auto& [k, v] : r.headers)
                if (k == "If-None-Match") c.if_none_match = v;
            c.status = resp.status;
            c.etag = resp.header("etag");
            std::lock_guard lk(rec_->mu);
            rec_->calls.push_back(c);
        }
        return resp;
    }

private:
    std::unique_ptr<HttpClient> inner_;
    Recorder* rec_;
};

}  // namespace

TEST_CASE("catalog pull sends If-None-Match: 304 keeps the catalog, a later change still arrives",
          "[sync][catalog][etag]") {
    TempDir dir("etag");
    std::shared_ptr<central::Store> cs = central::open_store("sqlite:" + (dir.path / "c.db").string());
    cs->migrate();
    const auto tls = central::ensure_tls((dir.path / "tls").string());
    central::CentralServer server(cs);
    central::ServerOptions so;
    so.cert_file = tls.cert_file;
    so.key_file = tls.key_file;
    so.access_log = false;
    std::string err;
    REQUIRE(server.start(so, &err));
    const auto t = cs->create_tenant("etag", "ETag Farm");
    std::vector<Spool> spools;
    for (int i = 0; i < 3; ++i) {
        Spool sp;
        sp.spool_id = "ET-" + std::to_string(i);
        sp.material_name = "PLA";
        sp.initial_weight_g = 1000;
        sp.current_weight_g = 900 - i;
        spools.push_back(cs->upsert_spool(t.id, sp));
    }

    TempDir sdir("etag-station");
    StationStore store(sdir.db());
    const auto code = cs->create_pairing_code(t.id, "etag", 600);
    const wire::PairingPayload p{server.url(), code.code, central::cert_der_base64url(tls.ca_file),
                                 central::spki_pin_of_cert_file(tls.cert_file)};
    PairOptions po;
    po.store = &store;
    REQUIRE(pair_station(wire::format_pairing_payload(p), sdir.str(), po).ok);

    Recorder rec;
    test::EngineOptions o;
    o.target.data_dir = sdir.str();
    o.watch_network = false;
    o.target.client_factory = [&rec](const CurlOptions& co) -> std::unique_ptr<HttpClient> {
        return std::make_unique<RecordingClient>(std::make_unique<CurlHttpClient>(co), &rec);
    };
    test::TestEngine engine(store, o);

    // 1. From the start: everything, no tag sent.
    auto rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_spools == 3);
    CHECK_FALSE(rep.catalog_not_modified);
    auto calls = rec.take();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].since.empty());
    CHECK(calls[0].if_none_match.empty());
    CHECK(calls[0].status == 200);
    const std::string cursor = store.meta("catalog_cursor").value_or("");
    REQUIRE_FALSE(cursor.empty());

    // 2. At the new cursor the station has no tag for it yet: a 200 empty delta, whose tag it keeps.
    rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_spools == 0);
    calls = rec.take();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].if_none_match.empty());
    CHECK(calls[0].status == 200);
    REQUIRE_FALSE(calls[0].etag.empty());
    const std::string tag = calls[0].etag;
    CHECK(store.meta("catalog_etag") == cursor + '\t' + tag);

    // 3. Nothing changed: the tag goes back, the answer is a 304 and the catalog stays exactly as it was.
    const auto before = store.all_spools(true);
    store.set_meta("catalog_as_of", "2000-01-01T00:00:00.000Z");
    rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_pulled);
    CHECK(rep.catalog_not_modified);
    CHECK(rep.catalog_spools == 0);
    calls = rec.take();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].since == percent_encode(cursor));
    CHECK(calls[0].if_none_match == tag);
    CHECK(calls[0].status == 304);
    CHECK(calls[0].etag == tag);
    CHECK(store.meta("catalog_cursor") == cursor);
    const auto after = store.all_spools(true);
    REQUIRE(after.size() == before.size());
    for (size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].id == before[i].id);
        CHECK(after[i].current_weight_g == before[i].current_weight_g);
    }
    // The 304 still confirms the catalog is current: "as of" the answer's Date (second precision).
    const auto as_of = parse_iso8601_ms(store.meta("catalog_as_of").value_or(""));
    REQUIRE(as_of);
    CHECK(*as_of > parse_iso8601_ms("2026-01-01T00:00:00.000Z").value());
    CHECK(engine.status().catalog_as_of_ms == as_of);

    // 4. A change on the server: the same tag no longer matches, the change arrives with a 200.
    Spool changed = spools[1];
    changed.current_weight_g = 123;
    cs->upsert_spool(t.id, changed);
    rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK_FALSE(rep.catalog_not_modified);
    CHECK(rep.catalog_spools == 1);
    calls = rec.take();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].if_none_match == tag);
    CHECK(calls[0].status == 200);
    CHECK(calls[0].etag != tag);
    CHECK(store.spool_by_uuid(spools[1].id)->current_weight_g == 123);
    CHECK(store.meta("catalog_cursor") != cursor);

    // 5. Then: one 200 at the new cursor (its tag kept), and 304s again.
    rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK_FALSE(rep.catalog_not_modified);
    rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK(rep.catalog_not_modified);
    calls = rec.take();
    REQUIRE(calls.size() == 2);
    CHECK(calls[0].status == 200);
    CHECK(calls[1].status == 304);
    CHECK(calls[1].if_none_match == calls[0].etag);

    // 6. A pull from the start (the cache cleared) never sends a tag, even one stored for the empty cursor.
    store.set_meta("catalog_etag", std::string("\t") + calls[0].etag);
    store.set_meta("catalog_cursor", "");
    rep = engine.sync_once();
    REQUIRE(rep.outcome == Disposition::Success);
    CHECK_FALSE(rep.catalog_not_modified);
    CHECK(rep.catalog_spools == 3);
    calls = rec.take();
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].if_none_match.empty());
    CHECK(calls[0].status == 200);
    server.stop();
}
