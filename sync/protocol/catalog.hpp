// The catalog on the wire: spools (with stock status), material types and reorder settings as JSON objects, and
// the GET /catalog delta. Shared by catalog and lookup responses. from_json is strict and throws on a malformed
// body (see api.hpp's parse<T>() for a Result).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/domain/product.hpp"
#include "sync/domain/spool.hpp"
#include "sync/domain/stock.hpp"
#include "sync/protocol/intake.hpp"

namespace batchivo::wire {

// GET /catalog?since=<cursor>&limit=<n>: everything changed after the cursor (empty = from the start).
struct CatalogSpool {
    Spool spool;
    StockInfo stock;  // as spool_inventory_status computes it
};
struct CatalogDelta {
    std::vector<CatalogSpool> spools;
    std::vector<MaterialType> material_types;
    std::vector<ReorderSetting> reorder_settings;
    std::vector<std::string> deleted_spools;            // UUIDs removed (or moved out of this tenant)
    std::vector<std::string> deleted_reorder_settings;  // ids
    std::string next_cursor;                            // pass back as since=
    bool has_more = false;
    std::string server_time;                            // ISO-8601, for "catalog as of"
    // The tenant's open purchases, complete (replace the cached list); absent when unchanged since the cursor.
    std::optional<std::vector<OpenPurchase>> open_purchases = std::nullopt;
    std::optional<std::vector<Product>> products;       // present: the full active product list (replaces the cache)
};

void to_json(nlohmann::json& j, const CatalogSpool& v);    // spool_to_json(v.spool, v.stock)
void from_json(const nlohmann::json& j, CatalogSpool& v);  // stock fields absent -> computed from the spool
void to_json(nlohmann::json& j, const CatalogDelta& v);
void from_json(const nlohmann::json& j, CatalogDelta& v);

// Spool and friends as JSON objects.
nlohmann::json spool_to_json(const Spool& s, const StockInfo& stock);
Spool spool_from_json(const nlohmann::json& j);
nlohmann::json material_to_json(const MaterialType& m);
MaterialType material_from_json(const nlohmann::json& j);
nlohmann::json reorder_to_json(const ReorderSetting& r);
ReorderSetting reorder_from_json(const nlohmann::json& j);

}  // namespace batchivo::wire
