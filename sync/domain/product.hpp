// Products and their bill of materials (the seed's products, product_materials, product_components), and the two
// questions the station answers about them, as pure functions shared by central and the station:
//   product_cost()          the seed's calculate_product_cost() (PostgreSQL) computed the same way everywhere;
//   product_availability()  "how many units can we print from the filament in stock?".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sync/domain/spool.hpp"

namespace batchivo {

// One product_materials row: grams of one spool's filament per unit (print + supports + purge).
struct ProductMaterial {
    std::string spool_uuid;   // spools.id
    std::string spool_label;  // the spool's spool_id (e.g. FIL-001) for display; may be empty
    int grams_per_unit = 0;   // weight_grams (> 0 in the schema)
    std::string slot;         // material_slot: primary, secondary, accent, support, purge, ... (may be empty)
};

// One product_components row (a non-filament part, or another product by its SKU: a sub-assembly).
struct ProductComponent {
    std::string name;  // component_name; when it equals another product's SKU that product's BOM is drawn on
    int quantity = 1;
    double unit_cost = 0;
};

struct Product {
    std::string id;  // UUID
    std::string tenant_id;
    std::string sku;
    std::string name;
    std::string description;
    std::string category;
    double labor_hours = 0;
    std::optional<double> labor_rate;
    bool include_overhead = false;
    std::optional<double> overhead_rate;
    bool is_active = true;
    std::string updated_at;
    std::vector<ProductMaterial> materials;
    std::vector<ProductComponent> components;
};

// calculate_product_cost(): materials (grams / spool initial weight x spool purchase cost, spools missing from
// `spools` or without a cost add nothing), components (quantity x unit cost), labour (hours x rate) and, when
// include_overhead, overhead (hours x overhead rate); each part and the total rounded to cents like DECIMAL(10,2).
double product_cost(const Product& p, const std::vector<Spool>& spools);

// The SKU lookup is case-insensitive; nullptr when absent.
const Product* find_product(const std::vector<Product>& products, const std::string& sku);

// One line of the availability answer: a BOM line (or a line of a sub-assembly, scaled by its quantity).
struct AvailabilityLine {
    std::string spool_uuid;
    std::string spool_label;    // the linked spool's spool_id ("" when the spool is unknown)
    std::string slot;
    std::string via;            // SKU of the sub-assembly this line comes from ("" for the product's own lines)
    int grams_per_unit = 0;     // for one unit of the product asked about
    bool spool_found = false;   // the linked spool is in the catalog
    bool spool_active = false;
    int linked_remaining_g = 0; // the linked spool's current weight (0 when unknown or inactive)
    int available_g = 0;        // linked spool (when active) + active equivalents (same material, brand, color)
    std::vector<std::string> equivalent_spools;  // spool_ids of the active spools counted in available_g
    int pool_grams_per_unit = 0;  // all lines of this product drawing on the same stock, summed
    std::optional<int> max_units; // available_g / pool_grams_per_unit; nullopt when the line needs no filament
    bool limiting = false;        // this line's stock is what caps max_units
};

struct ProductAvailability {
    std::string sku;
    std::string name;
    std::optional<int> max_units;  // nullopt: no filament needed at all (no lines, or all 0 g)
    double cost_per_unit = 0;
    std::vector<AvailabilityLine> lines;
    std::vector<std::string> problems;  // operator-readable: missing spools, inactive spools, sub-assembly loops
    bool enough_for(int count) const { return !max_units || *max_units >= count; }
};

// Lines that draw on the same stock (the same equivalence group: material, brand and color, case-insensitive) are
// summed before dividing, so two lines on the same black PLA share it. An inactive linked spool contributes nothing
// but its active equivalents still count; an unknown spool has no stock (0 units). A component whose name is
// another product's SKU draws that product's lines x quantity (recursively; a loop is reported and not followed).
// Other components do not limit (their stock is not tracked) but count in the cost.
ProductAvailability product_availability(const Product& p, const std::vector<Spool>& spools,
                                         const std::vector<Product>& all_products = {});

}  // namespace batchivo
