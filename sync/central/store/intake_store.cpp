// Checks shared by both stores' intake parts (intake_store.hpp).
#include <cmath>

#include "sync/central/store/store.hpp"
#include "sync/domain/text.hpp"
#include "sync/protocol/text_rules.hpp"

namespace batchivo::central {

namespace {
bool iso_date(const std::string& d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
    for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
        if (d[i] < '0' || d[i] > '9') return false;
    const int m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}
}  // namespace

bool open_purchases_due(bool has_more, const std::string& next_cursor, const std::string& since) {
    return !has_more && (since.empty() || next_cursor != since);
}

std::vector<wire::OpenPurchase> open_purchases_of(const std::vector<PurchaseSummary>& purchases) {
    std::vector<wire::OpenPurchase> out;
    out.reserve(purchases.size());
    for (const auto& p : purchases) out.push_back(p.purchase);
    return out;
}

void validate_new_purchase(const NewPurchase& p, const std::string& what) {
    const auto bad = [&](const std::string& why) { throw StoreError("invalid_input", what + ": " + why); };
    for (const std::string* t : {&p.po_number, &p.supplier, &p.notes})
        if (!wire::is_storable_text(*t)) bad("text must be valid UTF-8 without NUL characters");
    if (p.po_number.size() > 100) bad("PO number is longer than 100 characters");
    if (!p.order_date.empty() && !iso_date(p.order_date)) bad("order date '" + p.order_date + "' is not YYYY-MM-DD");
    if (p.status != "ordered" && p.status != "shipped") bad("status must be ordered or shipped (got '" + p.status + "')");
    for (const auto* c : {&p.shipping_cost, &p.tax})
        if (*c && (!std::isfinite(**c) || **c < 0)) bad("shipping cost and tax must be >= 0");
    if (p.items.empty()) bad("a purchase needs at least one item");
    int n = 0;
    for (const auto& i : p.items) {
        ++n;
        const std::string item = "item " + std::to_string(n) + ": ";
        if (trim(i.material).empty()) bad(item + "material is required");
        for (const std::string* t : {&i.material, &i.brand, &i.color})
            if (!wire::is_storable_text(*t) || t->size() > 100) bad(item + "text must be valid UTF-8, at most 100 bytes");
        if (i.quantity <= 0 || i.quantity > 10000) bad(item + "quantity must be between 1 and 10000 spools");
        if (i.weight_per_spool_g && (*i.weight_per_spool_g <= 0 || *i.weight_per_spool_g > 50000))
            bad(item + "weight per spool must be between 1 and 50000 g");
        if (!std::isfinite(i.unit_cost) || i.unit_cost < 0) bad(item + "unit cost must be >= 0");
    }
}

}  // namespace batchivo::central
