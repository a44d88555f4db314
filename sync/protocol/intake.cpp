#include "sync/protocol/intake.hpp"

#include <limits>

#include "sync/protocol/json_helpers.hpp"
#include "sync/protocol/text_rules.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

void to_json(json& j, const OpenPurchaseItem& v) {
    j = json{{"id", v.id},           {"material", v.material}, {"brand", v.brand},
             {"color", v.color},     {"quantity", v.quantity}, {"received", v.received},
             {"weight_per_spool_g", opt_or_null(v.weight_per_spool_g)}, {"unit_cost", opt_or_null(v.unit_cost)}};
}
void from_json(const json& j, OpenPurchaseItem& v) {
    require_object(j, "purchase item");
    v = OpenPurchaseItem{};
    v.id = req_str(j, "id");
    v.material = opt_str(j, "material");
    v.brand = opt_str(j, "brand");
    v.color = opt_str(j, "color");
    v.quantity = static_cast<int>(req_int(j, "quantity", 0, std::numeric_limits<int>::max()));
    v.received = static_cast<int>(req_int(j, "received", 0, std::numeric_limits<int>::max()));
    v.weight_per_spool_g = opt_int(j, "weight_per_spool_g");
    v.unit_cost = opt_num(j, "unit_cost");
}
void to_json(json& j, const OpenPurchase& v) {
    json items = json::array();
    for (const auto& i : v.items) items.push_back(i);
    j = json{{"id", v.id},         {"po_number", v.po_number}, {"supplier", v.supplier},
             {"order_date", v.order_date}, {"status", v.status}, {"items", items}};
}
void from_json(const json& j, OpenPurchase& v) {
    require_object(j, "purchase");
    v = OpenPurchase{};
    v.id = req_str(j, "id");
    v.po_number = opt_str(j, "po_number");
    v.supplier = opt_str(j, "supplier");
    v.order_date = opt_str(j, "order_date");
    v.status = req_str(j, "status");
    for (const auto& e : req_array(j, "items")) v.items.push_back(e.get<OpenPurchaseItem>());
}

std::vector<PurchaseLine> purchase_lines_of(const std::vector<OpenPurchase>& purchases) {
    std::vector<PurchaseLine> out;
    for (const auto& p : purchases)
        for (const auto& i : p.items) {
            PurchaseLine l;
            l.id = i.id;
            l.purchase_id = p.id;
            l.po_number = p.po_number;
            l.supplier = p.supplier;
            l.order_date = p.order_date;
            l.status = p.status;
            l.material = i.material;
            l.brand = i.brand;
            l.color = i.color;
            l.quantity = i.quantity;
            l.received = i.received;
            l.weight_per_spool_g = i.weight_per_spool_g;
            l.unit_cost = i.unit_cost;
            out.push_back(std::move(l));
        }
    return out;
}

json new_spool_to_json(const NewSpool& s) {
    json j{{"material", s.material}, {"initial_weight_g", s.initial_weight_g}};
    if (!s.spool_id.empty()) j["spool_id"] = s.spool_id;
    if (!s.brand.empty()) j["brand"] = s.brand;
    if (!s.color.empty()) j["color"] = s.color;
    if (!s.color_hex.empty()) j["color_hex"] = s.color_hex;
    if (s.empty_spool_weight_g) j["empty_spool_weight_g"] = *s.empty_spool_weight_g;
    if (!s.storage_location.empty()) j["storage_location"] = s.storage_location;
    if (!s.purchase_item_id.empty()) j["purchase_item_id"] = s.purchase_item_id;
    if (!s.qr_code_data.empty()) j["qr_code_data"] = s.qr_code_data;
    return j;
}

NewSpool new_spool_from_json(const json& j) {
    require_object(j, "new_spool");
    only_keys(j, {"spool_id", "material", "brand", "color", "color_hex", "initial_weight_g", "empty_spool_weight_g",
                  "storage_location", "purchase_item_id", "qr_code_data"},
              "new_spool");
    NewSpool s;
    s.spool_id = opt_str(j, "spool_id");
    s.material = req_str(j, "material");
    s.brand = opt_str(j, "brand");
    s.color = opt_str(j, "color");
    s.color_hex = opt_str(j, "color_hex");
    s.initial_weight_g = static_cast<int>(req_int(j, "initial_weight_g", std::numeric_limits<int>::min(),
                                                  std::numeric_limits<int>::max()));
    s.empty_spool_weight_g = opt_int(j, "empty_spool_weight_g");
    s.storage_location = opt_str(j, "storage_location");
    s.purchase_item_id = opt_str(j, "purchase_item_id");
    s.qr_code_data = opt_str(j, "qr_code_data");
    return s;
}

Result<> validate_new_spool_wire(const NewSpool& s) {
    for (const std::string* f : {&s.spool_id, &s.material, &s.brand, &s.color, &s.storage_location, &s.qr_code_data})
        if (!is_storable_text(*f)) return Error{"invalid_item", "new spool: text must be valid UTF-8 without NUL characters"};
    return validate_new_spool(s);
}

}  // namespace batchivo::wire
