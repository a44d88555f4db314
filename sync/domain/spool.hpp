// Spool domain types: the seed schema's tenant, spool, material type, inventory transaction and reorder
// setting, as plain values. No I/O here; everything in sync/domain is pure and unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace batchivo {

struct Tenant {
    std::string id;  // UUID
    std::string name;
    std::string slug;
    bool is_active = true;
};

struct MaterialType {
    std::string id;    // UUID
    std::string name;  // PLA, PETG, ...
    std::string properties_json = "{}";
};

// One filament spool (seed table `spools`, plus `empty_spool_weight_g`, the tare the real product added).
// Weights are whole grams of filament (net), as in the seed.
struct Spool {
    std::string id;         // UUID
    std::string tenant_id;  // UUID
    std::string spool_id;   // user-facing, e.g. FIL-001; unique per tenant
    std::string material_type_id;  // may be empty
    std::string material_name;     // denormalised for display/search; may be empty
    std::string brand;
    std::string color;
    std::string color_hex;  // "#RRGGBB" when known (station addition for swatches); may be empty
    std::string finish_type;
    std::string purchase_date;  // ISO date or empty
    std::optional<double> purchase_cost;
    std::string supplier;
    std::string supplier_id;
    int initial_weight_g = 0;
    int current_weight_g = 0;
    std::optional<int> empty_spool_weight_g;
    std::optional<int> lead_time_days;
    std::string storage_location;
    std::string notes;
    std::string qr_code_data;
    bool is_active = true;
    std::string created_at;
    std::string updated_at;
};

enum class TransactionType { Purchase, Usage, Adjustment, Return, Disposal };

std::string_view to_string(TransactionType t);
std::optional<TransactionType> transaction_type_from_string(std::string_view s);

// Seed table `inventory_transactions`. quantity_grams is positive for additions, negative for usage.
struct InventoryTransaction {
    std::string id;
    std::string tenant_id;
    std::string spool_id;  // spool UUID
    TransactionType type = TransactionType::Usage;
    int quantity_grams = 0;
    std::string reference_type;
    std::string reference_id;
    std::string user_id;
    std::string notes;
    std::string created_at;  // ISO-8601 UTC
};

// Seed table `reorder_settings`: keyed by (material type, color, brand); empty strings mean "any"/NULL.
struct ReorderSetting {
    std::string id;
    std::string tenant_id;
    std::string material_type_id;
    std::string material_name;  // denormalised for display
    std::string color;
    std::string brand;
    std::optional<int> avg_daily_usage_grams;
    int lead_time_days = 0;
    int safety_stock_days = 7;
    std::optional<int> reorder_point_grams;
    std::optional<int> reorder_quantity_grams;
    std::string last_calculated_at;
    std::string updated_at;
};

}  // namespace batchivo
