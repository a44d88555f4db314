// GET /catalog without redundant work: an ETag per (tenant, since, limit, catalog version) with If-None-Match ->
// 304, an empty delta answered from the version alone, and a bounded per-process cache of serialized bodies keyed
// by (tenant, since, limit) and validated against the version. The version (CatalogVersionSource) is
// read from the database on every request, so several server processes on one database never serve a stale body
// or a wrong 304: a cache entry or an ETag is only ever used for the exact version it was built at. No HTTP types:
// the route passes plain strings and sends the answer (docs/API.md "Catalog").
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "sync/central/apply/cursor.hpp"
#include "sync/central/store/catalog_version.hpp"
#include "sync/central/store/store.hpp"

namespace batchivo::central {

// The entity tag of the catalog response for (tenant, since, limit) at catalog `version`: a quoted strong tag.
std::string catalog_etag(const std::string& tenant_id, const Cursor& since, int limit, const Cursor& version);

// Does an If-None-Match header value name `etag`? A comma-separated list of entity tags (weak comparison:
// a W/ prefix is ignored) or "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

struct CatalogAnswer {
    int status = 200;   // 200 with body, or 304 with an empty body
    std::string body;   // JSON (wire::CatalogDelta)
    std::string etag;   // for the ETag header, on both (empty without a version source)
};

class CatalogCache {
public:
    explicit CatalogCache(size_t max_bytes = 32u << 20) : max_bytes_(max_bytes) {}

    // The answer to GET /catalog?since=&limit= for the tenant. Throws StoreError("invalid_cursor") for a
    // malformed cursor, like StationApiStore::catalog. Without a version source (a store that has none) every
    // answer is the store's catalog, without ETag.
    CatalogAnswer answer(StationApiStore& store, CatalogVersionSource* versions, const std::string& tenant_id,
                         const std::string& since, int limit, std::string_view if_none_match);

    struct Stats {
        long long not_modified = 0, empty = 0, hits = 0, misses = 0;
        size_t entries = 0, bytes = 0;
    };
    Stats stats() const;

private:
    using Key = std::tuple<std::string, int64_t, int64_t, int>;  // tenant, since (both seqs), limit
    struct Entry {
        Cursor version;
        std::string head, tail;  // the body split around the server_time value
        std::list<Key>::iterator order;
    };
    void put(const Key& k, const Cursor& version, std::string head, std::string tail);

    size_t max_bytes_;
    mutable std::mutex mu_;
    std::map<Key, Entry> entries_;
    std::list<Key> order_;  // least recently used first
    size_t bytes_ = 0;
    Stats stats_;
};

}  // namespace batchivo::central
