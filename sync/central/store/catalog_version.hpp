// The tenant's catalog version, for GET /catalog's ETag and body cache (api/catalog_cache.hpp). A narrow interface
// of its own, implemented by both stores (PgStore, SqliteStore) next to StationApiStore.
#pragma once

#include <string>

#include "sync/central/apply/cursor.hpp"

namespace batchivo::central {

class CatalogVersionSource {
public:
    virtual ~CatalogVersionSource() = default;
    // The cursor a complete catalog read would end at now (the tenant's change counter and the material change
    // counter). One cheap read; every catalog change of the tenant raises it.
    virtual Cursor catalog_version(const std::string& tenant_id) = 0;
};

}  // namespace batchivo::central
