#include "sync/protocol/products.hpp"

#include <cmath>
#include <limits>

#include "sync/domain/uuid.hpp"
#include "sync/protocol/json_helpers.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

json product_to_json(const Product& p) {
    json mats = json::array();
    for (const auto& m : p.materials)
        mats.push_back(json{{"spool_uuid", m.spool_uuid},
                            {"spool_id", str_or_null(m.spool_label)},
                            {"grams_per_unit", m.grams_per_unit},
                            {"slot", str_or_null(m.slot)}});
    json comps = json::array();
    for (const auto& c : p.components)
        comps.push_back(json{{"name", c.name}, {"quantity", c.quantity}, {"unit_cost", c.unit_cost}});
    return json{{"id", p.id},
                {"sku", p.sku},
                {"name", p.name},
                {"description", str_or_null(p.description)},
                {"category", str_or_null(p.category)},
                {"labor_hours", p.labor_hours},
                {"labor_rate", opt_or_null(p.labor_rate)},
                {"include_overhead", p.include_overhead},
                {"overhead_rate", opt_or_null(p.overhead_rate)},
                {"is_active", p.is_active},
                {"updated_at", str_or_null(p.updated_at)},
                {"materials", mats},
                {"components", comps}};
}

Product product_from_json(const json& j) {
    require_object(j, "product");
    Product p;
    p.id = req_str(j, "id");
    if (!is_uuid(p.id)) bad("product: 'id' must be a UUID");
    p.sku = req_str(j, "sku");
    if (p.sku.empty()) bad("product: 'sku' must not be empty");
    p.name = req_str(j, "name");
    p.description = opt_str(j, "description");
    p.category = opt_str(j, "category");
    p.labor_hours = opt_num(j, "labor_hours").value_or(0);
    p.labor_rate = opt_num(j, "labor_rate");
    p.include_overhead = opt_bool(j, "include_overhead", false);
    p.overhead_rate = opt_num(j, "overhead_rate");
    p.is_active = opt_bool(j, "is_active", true);
    p.updated_at = opt_str(j, "updated_at");
    for (const auto& m : req_array(j, "materials")) {
        require_object(m, "product material");
        ProductMaterial pm;
        pm.spool_uuid = req_str(m, "spool_uuid");
        if (!is_uuid(pm.spool_uuid)) bad("product material: 'spool_uuid' must be a UUID");
        pm.spool_label = opt_str(m, "spool_id");
        pm.grams_per_unit = static_cast<int>(req_int(m, "grams_per_unit", 0, std::numeric_limits<int>::max()));
        pm.slot = opt_str(m, "slot");
        p.materials.push_back(std::move(pm));
    }
    if (j.contains("components") && !j["components"].is_null()) {
        for (const auto& c : req_array(j, "components")) {
            require_object(c, "product component");
            ProductComponent pc;
            pc.name = req_str(c, "name");
            pc.quantity = static_cast<int>(req_int(c, "quantity", 1, std::numeric_limits<int>::max()));
            pc.unit_cost = req_num(c, "unit_cost");
            if (pc.unit_cost < 0) bad("product component: 'unit_cost' must be >= 0");
            p.components.push_back(std::move(pc));
        }
    }
    return p;
}

json products_to_json(const std::vector<Product>& ps) {
    json a = json::array();
    for (const auto& p : ps) a.push_back(product_to_json(p));
    return a;
}

std::vector<Product> products_from_json(const json& arr) {
    if (!arr.is_array()) bad("'products' must be an array");
    std::vector<Product> out;
    for (const auto& e : arr) out.push_back(product_from_json(e));
    return out;
}

json availability_to_json(const ProductAvailability& a, const std::optional<int>& count) {
    json lines = json::array();
    for (const auto& l : a.lines)
        lines.push_back(json{{"spool_id", str_or_null(l.spool_label)},
                             {"spool_uuid", l.spool_uuid},
                             {"slot", str_or_null(l.slot)},
                             {"via", str_or_null(l.via)},
                             {"grams_per_unit", l.grams_per_unit},
                             {"spool_found", l.spool_found},
                             {"spool_active", l.spool_active},
                             {"linked_remaining_g", l.linked_remaining_g},
                             {"available_g", l.available_g},
                             {"equivalent_spools", l.equivalent_spools},
                             {"shared_grams_per_unit", l.pool_grams_per_unit},
                             {"max_units", opt_or_null(l.max_units)},
                             {"limiting", l.limiting}});
    json j{{"sku", a.sku},
           {"name", a.name},
           {"max_units", opt_or_null(a.max_units)},
           {"cost_per_unit", std::round(a.cost_per_unit * 100.0) / 100.0},
           {"lines", lines},
           {"problems", a.problems}};
    j["count"] = opt_or_null(count);
    j["enough"] = count ? json(a.enough_for(*count)) : json(nullptr);
    return j;
}

}  // namespace batchivo::wire
