#include "sync/protocol/catalog.hpp"

#include <limits>

#include "sync/domain/uuid.hpp"
#include "sync/protocol/json_helpers.hpp"
#include "sync/protocol/products.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

json spool_to_json(const Spool& s, const StockInfo& stock) {
    json j{{"id", s.id},
           {"spool_id", s.spool_id},
           {"material_type_id", str_or_null(s.material_type_id)},
           {"material_type", str_or_null(s.material_name)},
           {"brand", str_or_null(s.brand)},
           {"color", str_or_null(s.color)},
           {"color_hex", str_or_null(s.color_hex)},
           {"finish_type", str_or_null(s.finish_type)},
           {"purchase_date", str_or_null(s.purchase_date)},
           {"purchase_cost", opt_or_null(s.purchase_cost)},
           {"supplier", str_or_null(s.supplier)},
           {"supplier_id", str_or_null(s.supplier_id)},
           {"initial_weight_g", s.initial_weight_g},
           {"current_weight_g", s.current_weight_g},
           {"empty_spool_weight_g", opt_or_null(s.empty_spool_weight_g)},
           {"lead_time_days", opt_or_null(s.lead_time_days)},
           {"storage_location", str_or_null(s.storage_location)},
           {"notes", str_or_null(s.notes)},
           {"qr_code_data", str_or_null(s.qr_code_data)},
           {"is_active", s.is_active},
           {"created_at", str_or_null(s.created_at)},
           {"updated_at", str_or_null(s.updated_at)},
           {"used_weight_g", stock.used_weight_g},
           {"remaining_percent", stock.remaining_percent},
           {"stock_status", std::string(to_string(stock.status))}};
    if (!s.tenant_id.empty()) j["tenant_id"] = s.tenant_id;
    return j;
}

Spool spool_from_json(const json& j) {
    require_object(j, "spool");
    Spool s;
    s.id = req_str(j, "id");
    if (!is_uuid(s.id)) bad("spool: 'id' must be a UUID");
    s.tenant_id = opt_str(j, "tenant_id");
    s.spool_id = req_str(j, "spool_id");
    s.material_type_id = opt_str(j, "material_type_id");
    s.material_name = opt_str(j, "material_type");
    s.brand = opt_str(j, "brand");
    s.color = opt_str(j, "color");
    s.color_hex = opt_str(j, "color_hex");
    s.finish_type = opt_str(j, "finish_type");
    s.purchase_date = opt_str(j, "purchase_date");
    s.purchase_cost = opt_num(j, "purchase_cost");
    s.supplier = opt_str(j, "supplier");
    s.supplier_id = opt_str(j, "supplier_id");
    s.initial_weight_g = static_cast<int>(req_int(j, "initial_weight_g", 0, std::numeric_limits<int>::max()));
    s.current_weight_g = static_cast<int>(req_int(j, "current_weight_g", 0, std::numeric_limits<int>::max()));
    s.empty_spool_weight_g = opt_int(j, "empty_spool_weight_g");
    s.lead_time_days = opt_int(j, "lead_time_days");
    s.storage_location = opt_str(j, "storage_location");
    s.notes = opt_str(j, "notes");
    s.qr_code_data = opt_str(j, "qr_code_data");
    s.is_active = opt_bool(j, "is_active", true);
    s.created_at = opt_str(j, "created_at");
    s.updated_at = opt_str(j, "updated_at");
    return s;
}

namespace {

StockInfo stock_from_json(const json& j, const Spool& s) {
    StockInfo st = stock_info(s);
    if (j.contains("stock_status") && !j["stock_status"].is_null()) {
        if (!j["stock_status"].is_string() || !stock_status_from_string(j["stock_status"].get<std::string>(), st.status))
            bad("spool: invalid 'stock_status'");
    }
    if (auto v = opt_num(j, "remaining_percent")) st.remaining_percent = *v;
    if (auto v = opt_int(j, "used_weight_g")) st.used_weight_g = *v;
    return st;
}

}  // namespace

json material_to_json(const MaterialType& m) {
    json props = json::object();
    if (!m.properties_json.empty()) {
        props = json::parse(m.properties_json, nullptr, false);
        if (props.is_discarded()) props = json::object();
    }
    return json{{"id", m.id}, {"name", m.name}, {"properties", props}};
}

MaterialType material_from_json(const json& j) {
    require_object(j, "material type");
    MaterialType m;
    m.id = req_str(j, "id");
    if (!is_uuid(m.id)) bad("material type: 'id' must be a UUID");
    m.name = req_str(j, "name");
    auto it = j.find("properties");
    if (it == j.end() || it->is_null()) m.properties_json = "{}";
    else if (it->is_object()) m.properties_json = it->dump();
    else bad("material type: 'properties' must be an object");
    return m;
}

json reorder_to_json(const ReorderSetting& r) {
    return json{{"id", r.id},
                {"material_type_id", str_or_null(r.material_type_id)},
                {"material_type", str_or_null(r.material_name)},
                {"color", str_or_null(r.color)},
                {"brand", str_or_null(r.brand)},
                {"avg_daily_usage_grams", opt_or_null(r.avg_daily_usage_grams)},
                {"lead_time_days", r.lead_time_days},
                {"safety_stock_days", r.safety_stock_days},
                {"reorder_point_grams", opt_or_null(r.reorder_point_grams)},
                {"reorder_quantity_grams", opt_or_null(r.reorder_quantity_grams)},
                {"last_calculated_at", str_or_null(r.last_calculated_at)},
                {"updated_at", str_or_null(r.updated_at)}};
}

ReorderSetting reorder_from_json(const json& j) {
    require_object(j, "reorder setting");
    ReorderSetting r;
    r.id = req_str(j, "id");
    if (!is_uuid(r.id)) bad("reorder setting: 'id' must be a UUID");
    r.tenant_id = opt_str(j, "tenant_id");
    r.material_type_id = opt_str(j, "material_type_id");
    r.material_name = opt_str(j, "material_type");
    r.color = opt_str(j, "color");
    r.brand = opt_str(j, "brand");
    r.avg_daily_usage_grams = opt_int(j, "avg_daily_usage_grams");
    r.lead_time_days = static_cast<int>(req_int(j, "lead_time_days", 0, 3650));
    auto ss = opt_int(j, "safety_stock_days");
    r.safety_stock_days = ss ? *ss : 7;
    r.reorder_point_grams = opt_int(j, "reorder_point_grams");
    r.reorder_quantity_grams = opt_int(j, "reorder_quantity_grams");
    r.last_calculated_at = opt_str(j, "last_calculated_at");
    r.updated_at = opt_str(j, "updated_at");
    return r;
}

void to_json(json& j, const CatalogSpool& v) { j = spool_to_json(v.spool, v.stock); }
void from_json(const json& j, CatalogSpool& v) {
    v.spool = spool_from_json(j);
    v.stock = stock_from_json(j, v.spool);
}

// --- catalog delta -------------------------------------------------------------------------------------------

void to_json(json& j, const CatalogDelta& v) {
    json spools = json::array();
    for (const auto& cs : v.spools) spools.push_back(cs);
    json mats = json::array();
    for (const auto& m : v.material_types) mats.push_back(material_to_json(m));
    json rs = json::array();
    for (const auto& r : v.reorder_settings) rs.push_back(reorder_to_json(r));
    j = json{{"spools", spools},
             {"material_types", mats},
             {"reorder_settings", rs},
             {"deleted_spools", v.deleted_spools},
             {"deleted_reorder_settings", v.deleted_reorder_settings},
             {"next_cursor", v.next_cursor},
             {"has_more", v.has_more},
             {"server_time", v.server_time}};
    if (v.open_purchases) j["open_purchases"] = *v.open_purchases;
    if (v.products) j["products"] = products_to_json(*v.products);
}

void from_json(const json& j, CatalogDelta& v) {
    require_object(j, "catalog delta");
    v = CatalogDelta{};
    for (const auto& e : req_array(j, "spools")) v.spools.push_back(e.get<CatalogSpool>());
    for (const auto& e : req_array(j, "material_types")) v.material_types.push_back(material_from_json(e));
    for (const auto& e : req_array(j, "reorder_settings")) v.reorder_settings.push_back(reorder_from_json(e));
    v.deleted_spools = str_array(j, "deleted_spools");
    v.deleted_reorder_settings = str_array(j, "deleted_reorder_settings");
    for (const auto& id : v.deleted_spools)
        if (!is_uuid(id)) bad("deleted_spools must contain UUIDs");
    v.next_cursor = req_str(j, "next_cursor");
    v.has_more = opt_bool(j, "has_more", false);
    v.server_time = opt_str(j, "server_time");
    if (auto op = j.find("open_purchases"); op != j.end() && !op->is_null())
        v.open_purchases = op->get<std::vector<OpenPurchase>>();
    if (j.contains("products") && !j["products"].is_null()) v.products = products_from_json(j["products"]);
}

}  // namespace batchivo::wire
