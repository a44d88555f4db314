// Intake on the wire: a new spool carried by a transaction item (TxItem::new_spool) and the open purchases the
// catalog carries (CatalogDelta::open_purchases). from_json is strict and throws on a malformed body.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sync/domain/intake.hpp"

namespace batchivo::wire {

// One line of an open purchase, with how many of its spools are already in.
struct OpenPurchaseItem {
    std::string id;  // purchase_items.id: what a new spool names as purchase_item_id
    std::string material;
    std::string brand;
    std::string color;
    int quantity = 0;  // spools ordered
    int received = 0;  // spools created for this line so far
    std::optional<int> weight_per_spool_g;
    std::optional<double> unit_cost;
};
// A purchase that is not received or cancelled yet.
struct OpenPurchase {
    std::string id;
    std::string po_number;
    std::string supplier;    // the supplier's name, or empty
    std::string order_date;  // ISO date
    std::string status;      // ordered | shipped
    std::vector<OpenPurchaseItem> items;
};

void to_json(nlohmann::json& j, const OpenPurchaseItem& v);
void from_json(const nlohmann::json& j, OpenPurchaseItem& v);
void to_json(nlohmann::json& j, const OpenPurchase& v);
void from_json(const nlohmann::json& j, OpenPurchase& v);

// The purchases' lines with their purchase's header, in order (what the station caches).
std::vector<PurchaseLine> purchase_lines_of(const std::vector<OpenPurchase>& purchases);

nlohmann::json new_spool_to_json(const NewSpool& s);
NewSpool new_spool_from_json(const nlohmann::json& j);  // strict
// validate_new_spool plus the wire's text rules (valid UTF-8 without NUL).
Result<> validate_new_spool_wire(const NewSpool& s);

}  // namespace batchivo::wire
