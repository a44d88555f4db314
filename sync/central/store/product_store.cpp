#include "sync/central/store/product_store.hpp"

#include <algorithm>
#include <set>

#include "sync/central/store/store.hpp"
#include "sync/domain/text.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::central {

void validate_products(const std::vector<Product>& ps) {
    std::set<std::string> skus;
    for (const auto& p : ps) {
        const std::string sku = std::string(trim(p.sku));
        if (sku.empty()) throw StoreError("invalid_input", "a product needs a SKU");
        if (sku.size() > 100) throw StoreError("invalid_input", "SKU " + sku + " is longer than 100 characters");
        if (trim(p.name).empty()) throw StoreError("invalid_input", "product " + sku + " needs a name");
        if (p.name.size() > 255) throw StoreError("invalid_input", "the name of " + sku + " is longer than 255 characters");
        if (!skus.insert(to_lower(sku)).second) throw StoreError("invalid_input", "SKU " + sku + " appears twice");
        if (p.labor_hours < 0 || p.labor_rate.value_or(0) < 0 || p.overhead_rate.value_or(0) < 0)
            throw StoreError("invalid_input", "product " + sku + ": labour hours and rates must not be negative");
        std::set<std::string> lines;
        for (const auto& m : p.materials) {
            const std::string who = m.spool_label.empty() ? m.spool_uuid : m.spool_label;
            if (who.empty()) throw StoreError("invalid_input", "product " + sku + ": a material line names no spool");
            if (m.grams_per_unit <= 0)
                throw StoreError("invalid_input", "product " + sku + ": grams for spool " + who + " must be > 0");
            if (m.slot.size() > 50)
                throw StoreError("invalid_input", "product " + sku + ": slot '" + m.slot + "' is longer than 50 characters");
            if (!lines.insert(to_lower(who) + "\x1f" + to_lower(m.slot)).second)
                throw StoreError("invalid_input", "product " + sku + ": spool " + who +
                                                      (m.slot.empty() ? "" : " in slot " + m.slot) + " is listed twice");
        }
        for (const auto& c : p.components) {
            if (trim(c.name).empty()) throw StoreError("invalid_input", "product " + sku + ": a component needs a name");
            if (c.quantity <= 0)
                throw StoreError("invalid_input", "product " + sku + ": quantity of " + c.name + " must be > 0");
            if (c.unit_cost < 0)
                throw StoreError("invalid_input", "product " + sku + ": unit cost of " + c.name + " must be >= 0");
        }
    }
}

std::vector<std::string> ordered_ids(size_t n) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < n; ++i) ids.push_back(new_uuid_v7());
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string id_after(const std::string& last) {
    for (;;) {
        std::string id = new_uuid_v7();
        if (id > to_lower(last)) return id;  // at worst until the clock's next millisecond
    }
}

}  // namespace batchivo::central
