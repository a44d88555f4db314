// Central's products (the seed's products, product_materials, product_components) and spool-label bookkeeping,
// as two small interfaces that Store also implements (store/sqlite/sqlite_product_store.cpp,
// store/pg/pg_product_store.cpp). Tenant-scoped like every store method; failures throw StoreError.
#pragma once

#include <string>
#include <vector>

#include "sync/domain/product.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::central {

class ProductStore {
public:
    virtual ~ProductStore() = default;
    // The tenant's products ordered by SKU, each with its BOM lines (spool_label = the spool's spool_id) and
    // components. Inactive products only when asked.
    virtual std::vector<Product> products(const std::string& tenant_id, bool include_inactive = false) = 0;
    // Saves products in ONE transaction (all or nothing). A material names its spool by spool_uuid or, when that
    // is empty, by spool_label (the spool_id, case-insensitive), in this tenant. A SKU that exists is refused
    // (StoreError "conflict") unless `replace`, which replaces the product's fields, materials and components.
    // Errors: "invalid_input" (validate_products), "not_found" (unknown spool), "conflict". Bumps the tenant's
    // catalog change counter so stations pull the product list again. Returns the saved products.
    virtual std::vector<Product> save_products(const std::string& tenant_id, const std::vector<Product>& ps,
                                               bool replace) = 0;
    // Adds one component row to the product with this SKU ("not_found" when there is none).
    virtual Product add_component(const std::string& tenant_id, const std::string& sku, const ProductComponent& c) = 0;
};

// Which spools still need a label. A spool counts as labelled once its qr_code_data is set: printing a label
// stores the label's payload there (and a spool imported with a code already carries a label).
class LabelStore {
public:
    virtual ~LabelStore() = default;
    // Active spools whose qr_code_data is empty, ordered by spool_id.
    virtual std::vector<Spool> unlabeled_spools(const std::string& tenant_id) = 0;
    // Sets qr_code_data of each spool (uuid -> payload) where it is still empty, in one transaction; returns how
    // many were marked.
    virtual int mark_labeled(const std::string& tenant_id,
                             const std::vector<std::pair<std::string, std::string>>& uuid_payloads) = 0;
};

// Throws StoreError("invalid_input") for: empty SKU or name, a SKU twice, grams <= 0, the same spool + slot twice
// in one product, component quantity <= 0 or cost < 0, negative labour hours or rates. The message names the SKU.
void validate_products(const std::vector<Product>& ps);

// n fresh UUIDv7 in ascending order: BOM lines and components get them in input order, and both stores list them
// ORDER BY id, so a product's lines come back in the order they were given.
std::vector<std::string> ordered_ids(size_t n);
// A fresh UUIDv7 that sorts after `last` (a component added later lists after the ones before it, even within the
// same millisecond).
std::string id_after(const std::string& last);

}  // namespace batchivo::central
