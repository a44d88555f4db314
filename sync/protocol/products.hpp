// Products on the wire: a product with its BOM lines (product_materials) and components, as carried by
// GET /catalog's "products" (the tenant's full active list, sent whenever the catalog changed; see docs/API.md) and
// by `batchivo-central product list --json`. Also the answer of `batchivo-station product check --json`.
// from_json is strict and throws std::invalid_argument naming the field.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "sync/domain/product.hpp"

namespace batchivo::wire {

nlohmann::json product_to_json(const Product& p);
Product product_from_json(const nlohmann::json& j);
nlohmann::json products_to_json(const std::vector<Product>& ps);
std::vector<Product> products_from_json(const nlohmann::json& arr);

// {"sku", "name", "max_units", "enough" (only with a count), "cost_per_unit", "lines": [...], "problems": [...]}
nlohmann::json availability_to_json(const ProductAvailability& a, const std::optional<int>& count);

}  // namespace batchivo::wire
