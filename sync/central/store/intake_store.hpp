// Central's intake store: suppliers and purchases (the admin CLI) and the open purchases the catalog carries. New
// spools themselves arrive through the batch endpoint (TxItem::new_spool; apply/batch_plan asks the store's spool
// creator). Every method is scoped to the tenant the caller passes; failures throw StoreError.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/intake.hpp"

namespace batchivo::central {

struct Supplier {
    std::string id;
    std::string name;  // unique per tenant
    std::string contact_name;
    std::string email;
    std::string phone;
    std::string website;
    std::optional<int> average_lead_time_days;
    std::string notes;
    bool is_active = true;
};

struct NewPurchaseItem {
    std::string material;  // a material type name
    std::string brand;
    std::string color;
    int quantity = 1;      // spools
    std::optional<int> weight_per_spool_g;
    double unit_cost = 0;
};
struct NewPurchase {
    std::string po_number;  // unique per tenant (may be empty)
    std::string supplier;   // a supplier's name or id in this tenant, or empty
    std::string order_date; // YYYY-MM-DD; empty = today (UTC)
    std::string status = "ordered";  // ordered | shipped
    std::optional<double> shipping_cost;
    std::optional<double> tax;
    std::string notes;
    std::vector<NewPurchaseItem> items;  // at least one
};

// A purchase with its lines and how many spools of each line are in (spools created for it).
struct PurchaseSummary {
    wire::OpenPurchase purchase;  // id, po_number, supplier, order_date, status, items (with received counts)
    std::string received_date;    // set when every line is in
    double total_cost = 0;
    int spools_ordered = 0;
    int spools_received = 0;
};

class IntakeStore {
public:
    virtual ~IntakeStore() = default;
    // Throws StoreError("invalid_input") for an empty or duplicate name.
    virtual Supplier add_supplier(const std::string& tenant_id, const Supplier& s) = 0;
    virtual std::vector<Supplier> list_suppliers(const std::string& tenant_id) = 0;
    // Adds purchases with their lines in ONE database transaction (all or nothing). Unknown material or supplier,
    // a duplicate PO number, a line without quantity: StoreError("invalid_input") naming it. The open purchases
    // in the catalog change (the tenant's catalog cursor moves).
    virtual std::vector<PurchaseSummary> add_purchases(const std::string& tenant_id,
                                                       const std::vector<NewPurchase>& purchases) = 0;
    // Newest first; open_only: status ordered or shipped.
    virtual std::vector<PurchaseSummary> list_purchases(const std::string& tenant_id, bool open_only) = 0;
};

// The catalog carries the open purchases on its last page when anything changed since the cursor (or on a pull
// from the start); purchases and new spools move the tenant's catalog cursor.
bool open_purchases_due(bool has_more, const std::string& next_cursor, const std::string& since);
std::vector<wire::OpenPurchase> open_purchases_of(const std::vector<PurchaseSummary>& purchases);

// Checks a purchase before any store sees it (quantity > 0, unit cost >= 0, status, date shape); StoreError
// ("invalid_input") naming the problem. `what` prefixes the message (e.g. "line 3").
void validate_new_purchase(const NewPurchase& p, const std::string& what);

}  // namespace batchivo::central
