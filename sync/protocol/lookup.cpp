#include "sync/protocol/lookup.hpp"

#include <limits>

#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/protocol/json_helpers.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

namespace {

constexpr int64_t kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kIntMin = std::numeric_limits<int>::min();

std::string req_time(const json& j, const char* key) {
    std::string s = req_str(j, key);
    if (!parse_iso8601_ms(s)) bad(std::string("field '") + key + "' is not an ISO-8601 timestamp");
    return s;
}

std::string opt_time(const json& j, const char* key) {
    std::string s = opt_str(j, key);
    if (!s.empty() && !parse_iso8601_ms(s)) bad(std::string("field '") + key + "' is not an ISO-8601 timestamp");
    return s;
}

std::string req_uuid(const json& j, const char* key) {
    std::string s = req_str(j, key);
    if (!is_uuid(s)) bad(std::string("field '") + key + "' must be a UUID");
    return s;
}

}  // namespace

void to_json(json& j, const WhoAmIResponse& v) {
    j = json{{"device_id", v.device_id},
             {"device_name", v.device_name},
             {"tenant_id", v.tenant_id},
             {"tenant_slug", v.tenant_slug},
             {"server_time", v.server_time}};
}
void from_json(const json& j, WhoAmIResponse& v) {
    require_object(j, "whoami");
    v.device_id = req_uuid(j, "device_id");
    v.device_name = req_str(j, "device_name");
    v.tenant_id = req_uuid(j, "tenant_id");
    v.tenant_slug = req_str(j, "tenant_slug");
    v.server_time = req_time(j, "server_time");
}

void to_json(json& j, const SpoolsPageResponse& v) {
    json arr = json::array();
    for (const auto& s : v.spools) arr.push_back(s);
    j = json{{"spools", arr}, {"total", v.total}, {"limit", v.limit}, {"offset", v.offset}};
}
void from_json(const json& j, SpoolsPageResponse& v) {
    require_object(j, "spools page");
    v = SpoolsPageResponse{};
    for (const auto& e : req_array(j, "spools")) v.spools.push_back(e.get<CatalogSpool>());
    v.total = static_cast<int>(req_int(j, "total", 0, kIntMax));
    v.limit = static_cast<int>(req_int(j, "limit", 0, kIntMax));
    v.offset = static_cast<int>(req_int(j, "offset", 0, kIntMax));
    if (static_cast<int64_t>(v.spools.size()) > v.total) bad("spools page: more spools than 'total'");
}

void to_json(json& j, const HistoryTransaction& r) {
    j = json{{"id", r.tx.id},
             {"spool_uuid", r.tx.spool_id},
             {"type", std::string(to_string(r.tx.type))},
             {"quantity_grams", r.tx.quantity_grams},
             {"reference_type", str_or_null(r.tx.reference_type)},
             {"notes", str_or_null(r.tx.notes)},
             {"created_at", r.tx.created_at},
             {"client_id", str_or_null(r.client_id)},
             {"device_id", str_or_null(r.device_id)},
             {"device_seq", opt_or_null(r.device_seq)},
             {"device_time", str_or_null(r.device_time)},
             {"occurred_at", str_or_null(r.occurred_at)},
             {"measurement", opt_or_null(r.measurement)},
             {"weight_applied", r.weight_applied},
             {"resulting_weight_g", opt_or_null(r.resulting_weight_g)}};
}
void from_json(const json& j, HistoryTransaction& r) {
    require_object(j, "history transaction");
    r = HistoryTransaction{};
    r.tx.id = req_uuid(j, "id");
    r.tx.spool_id = req_uuid(j, "spool_uuid");
    const std::string type = req_str(j, "type");
    const auto t = transaction_type_from_string(type);
    if (!t) bad("history transaction: unknown type '" + type + "'");
    r.tx.type = *t;
    r.tx.quantity_grams = static_cast<int>(req_int(j, "quantity_grams", kIntMin, kIntMax));
    r.tx.reference_type = opt_str(j, "reference_type");
    r.tx.notes = opt_str(j, "notes");
    r.tx.created_at = req_time(j, "created_at");
    r.client_id = opt_str(j, "client_id");
    r.device_id = opt_str(j, "device_id");
    if (auto it = j.find("device_seq"); it != j.end() && !it->is_null())
        r.device_seq = req_int(j, "device_seq", 1, std::numeric_limits<int64_t>::max());
    r.device_time = opt_time(j, "device_time");
    r.occurred_at = opt_time(j, "occurred_at");
    if (auto it = j.find("measurement"); it != j.end() && !it->is_null()) r.measurement = it->get<WireMeasurement>();
    r.weight_applied = req_bool(j, "weight_applied");
    r.resulting_weight_g = opt_int(j, "resulting_weight_g");
}

void to_json(json& j, const SpoolHistoryResponse& v) {
    json arr = json::array();
    for (const auto& t : v.transactions) arr.push_back(t);
    j = json{{"spool", v.spool}, {"transactions", arr}};
}
void from_json(const json& j, SpoolHistoryResponse& v) {
    require_object(j, "spool history");
    v = SpoolHistoryResponse{};
    auto sp = j.find("spool");
    if (sp == j.end()) bad("missing field 'spool'");
    v.spool = sp->get<CatalogSpool>();
    for (const auto& e : req_array(j, "transactions")) {
        v.transactions.push_back(e.get<HistoryTransaction>());
        if (normalize_uuid(v.transactions.back().tx.spool_id) != normalize_uuid(v.spool.spool.id))
            bad("spool history: a transaction belongs to another spool");
    }
}

void to_json(json& j, const ReorderResponse& v) {
    json arr = json::array();
    for (const auto& l : v.lines) arr.push_back(l);
    j = json{{"lines", arr}};
}
void from_json(const json& j, ReorderResponse& v) {
    require_object(j, "reorder report");
    v.lines.clear();
    for (const auto& e : req_array(j, "lines")) v.lines.push_back(e.get<ReorderLine>());
}

}  // namespace batchivo::wire

namespace batchivo {

void to_json(nlohmann::json& j, const ReorderLine& l) {
    j = nlohmann::json{{"setting", wire::reorder_to_json(l.setting)},
                       {"stock_g", l.stock_g},
                       {"spool_count", l.spool_count},
                       {"reorder_point_g", l.reorder_point_g},
                       {"needs_reorder", l.needs_reorder}};
}
void from_json(const nlohmann::json& j, ReorderLine& l) {
    using namespace wire::detail;
    require_object(j, "reorder line");
    auto s = j.find("setting");
    if (s == j.end()) bad("missing field 'setting'");
    l.setting = wire::reorder_from_json(*s);
    l.stock_g = static_cast<int>(req_int(j, "stock_g", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    l.spool_count = static_cast<int>(req_int(j, "spool_count", 0, std::numeric_limits<int>::max()));
    l.reorder_point_g =
        static_cast<int>(req_int(j, "reorder_point_g", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    l.needs_reorder = req_bool(j, "needs_reorder");
}

}  // namespace batchivo
