// GET /catalog's ETag, 304 and body cache (api/catalog_cache) against both stores: the version read, answers equal
// to the store's own catalog, no stale body or 304 after a change, If-None-Match parsing.
#include <catch2/catch.hpp>

#include "central_test_util.hpp"
#include "sync/central/api/catalog_cache.hpp"
#include "sync/domain/time.hpp"

using namespace batchivo;
using namespace batchivo::central;
using ct::PgBackend;
using ct::SqliteBackend;
using nlohmann::json;

namespace {
// A body without its server_time, to compare answers made at different moments.
json timeless(const std::string& body) {
    json j = json::parse(body);
    CHECK(j.at("server_time").get<std::string>().size() == 24);
    j.erase("server_time");
    return j;
}
json timeless(const wire::CatalogDelta& d) { return timeless(json(d).dump()); }
wire::CatalogDelta delta_of(const std::string& body) { return json::parse(body).get<wire::CatalogDelta>(); }
}  // namespace

TEST_CASE("If-None-Match lists are matched by weak comparison, * matches", "[catalog_cache]") {
    const std::string tag = "\"c1-abc\"";
    CHECK(etag_matches("\"c1-abc\"", tag));
    CHECK(etag_matches("W/\"c1-abc\"", tag));
    CHECK(etag_matches("\"x\", \"c1-abc\"", tag));
    CHECK(etag_matches(" \"x\" ,\tW/\"c1-abc\" ", tag));
    CHECK(etag_matches("*", tag));
    CHECK_FALSE(etag_matches("", tag));
    CHECK_FALSE(etag_matches("c1-abc", tag));  // unquoted is not the tag
    CHECK_FALSE(etag_matches("\"c1-abcd\"", tag));
    CHECK_FALSE(etag_matches("W/", tag));
    CHECK_FALSE(etag_matches(",,,", tag));
    // Tags differ by tenant, cursor, limit and version.
    const Cursor a{1, 2}, b{1, 3};
    const std::string e = catalog_etag("t1", a, 500, b);
    CHECK(e.front() == '"');
    CHECK(e.back() == '"');
    CHECK(e != catalog_etag("t2", a, 500, b));
    CHECK(e != catalog_etag("t1", b, 500, b));
    CHECK(e != catalog_etag("t1", a, 499, b));
    CHECK(e != catalog_etag("t1", a, 500, a));
    CHECK(e == catalog_etag("t1", a, 500, b));
}

TEMPLATE_TEST_CASE("catalog version, 304, empty deltas and cached bodies follow every change", "[catalog_cache]",
                   SqliteBackend, PgBackend) {
    auto b = TestType::make();
    auto f = ct::make_tenant(*b.admin, "acme", 3);
    auto other = ct::make_tenant(*b.admin, "other", 2);
    const auto dev = ct::pair_device(*b.admin, *b.app, f.tenant.id);
    StationApiStore& store = *b.app;
    CatalogVersionSource& versions = dynamic_cast<CatalogVersionSource&>(*b.app);

    // The version is where a complete catalog read ends.
    const auto full = store.catalog(f.tenant.id, "", 1000);
    CHECK(format_cursor(versions.catalog_version(f.tenant.id)) == full.next_cursor);
    CHECK(versions.catalog_version(f.tenant.id).tenant_seq > 0);

    CatalogCache cache;
    // First full read: built by the store, same content.
    auto a1 = cache.answer(store, &versions, f.tenant.id, "", 1000, "");
    CHECK(a1.status == 200);
    CHECK(timeless(a1.body) == timeless(full));
    // Second: from the cache, same ETag, fresh server_time.
    auto a2 = cache.answer(store, &versions, f.tenant.id, "", 1000, "");
    CHECK(a2.etag == a1.etag);
    CHECK(timeless(a2.body) == timeless(a1.body));
    CHECK(cache.stats().hits == 1);
    // The other tenant never gets this body, nor a 304 with this tenant's tag.
    auto o1 = cache.answer(store, &versions, other.tenant.id, "", 1000, a1.etag);
    CHECK(o1.status == 200);
    CHECK(timeless(o1.body) == timeless(store.catalog(other.tenant.id, "", 1000)));
    CHECK(json::parse(o1.body)["spools"].size() == 2);
    // If-None-Match with the current tag: 304, no body.
    auto nm = cache.answer(store, &versions, f.tenant.id, "", 1000, "\"nope\", " + a1.etag);
    CHECK(nm.status == 304);
    CHECK(nm.body.empty());
    CHECK(nm.etag == a1.etag);

    // The empty delta at the current cursor: what the store answers, without reading it.
    auto e1 = cache.answer(store, &versions, f.tenant.id, full.next_cursor, 500, "");
    CHECK(e1.status == 200);
    CHECK(timeless(e1.body) == timeless(store.catalog(f.tenant.id, full.next_cursor, 500)));
    CHECK(cache.stats().empty == 1);
    CHECK(cache.answer(store, &versions, f.tenant.id, full.next_cursor, 500, e1.etag).status == 304);

    // A batch changes a weight: no 304 with the old tags, no stale cached body, a delta with the spool.
    const auto res = store.apply_batch(dev, wire::TxBatch{{ct::usage(f.spools[1].id, 25, 1)}});
    REQUIRE(res.results.at(0).status == "applied");
    CHECK(format_cursor(versions.catalog_version(f.tenant.id)) != full.next_cursor);
    auto a3 = cache.answer(store, &versions, f.tenant.id, "", 1000, a1.etag);
    CHECK(a3.status == 200);
    CHECK(a3.etag != a1.etag);
    CHECK(timeless(a3.body) == timeless(store.catalog(f.tenant.id, "", 1000)));
    bool seen = false;
    for (const auto& s : delta_of(a3.body).spools)
        if (s.spool.id == f.spools[1].id) {
            seen = true;
            CHECK(s.spool.current_weight_g == 800 - 25);
        }
    CHECK(seen);
    auto e2 = cache.answer(store, &versions, f.tenant.id, full.next_cursor, 500, e1.etag);
    CHECK(e2.status == 200);
    const auto d2 = delta_of(e2.body);
    REQUIRE(d2.spools.size() == 1);
    CHECK(d2.spools[0].spool.id == f.spools[1].id);
    CHECK(timeless(e2.body) == timeless(store.catalog(f.tenant.id, full.next_cursor, 500)));
    // The other tenant's version did not move.
    CHECK(cache.answer(store, &versions, other.tenant.id, "", 1000, o1.etag).status == 304);

    // Pages (has_more) are cached per limit and keep paging right.
    auto p1 = cache.answer(store, &versions, f.tenant.id, "", 1, "");
    const auto pd = delta_of(p1.body);
    CHECK(pd.has_more);
    CHECK(pd.spools.size() + pd.reorder_settings.size() == 1);
    CHECK(timeless(cache.answer(store, &versions, f.tenant.id, "", 1, "").body) == timeless(p1.body));

    // A malformed cursor is the store's error.
    CHECK_THROWS_AS(cache.answer(store, &versions, f.tenant.id, "v9:garbage", 500, ""), StoreError);
    // Without a version source: the store's catalog, no tag.
    auto plain = cache.answer(store, nullptr, f.tenant.id, "", 1000, a3.etag);
    CHECK(plain.status == 200);
    CHECK(plain.etag.empty());
    CHECK(timeless(plain.body) == timeless(store.catalog(f.tenant.id, "", 1000)));
}

TEST_CASE("the body cache stays within its byte budget", "[catalog_cache]") {
    auto b = SqliteBackend::make();
    auto f = ct::make_tenant(*b.admin, "acme", 20);
    CatalogCache cache(64 * 1024);
    for (int limit = 1; limit <= 40; ++limit) {
        auto a = cache.answer(*b.app, dynamic_cast<CatalogVersionSource*>(b.app.get()), f.tenant.id, "", limit, "");
        CHECK(a.status == 200);
        CHECK(cache.stats().bytes <= 64u * 1024);
    }
    CHECK(cache.stats().entries < 40);
    CHECK(cache.stats().entries > 0);
}
