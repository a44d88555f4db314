#include "sync/protocol/batch.hpp"

#include <cmath>
#include <limits>

#include "sync/domain/spool.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/domain/weighing.hpp"
#include "sync/protocol/json_helpers.hpp"
#include "sync/protocol/text_rules.hpp"

namespace batchivo::wire {

using nlohmann::json;
using namespace detail;

void to_json(json& j, const WireMeasurement& v) {
    j = json{{"gross_g", v.gross_g}, {"tare_g", v.tare_g}, {"tare_source", v.tare_source}, {"net_g", v.net_g}};
}
void from_json(const json& j, WireMeasurement& v) {
    require_object(j, "measurement");
    only_keys(j, {"gross_g", "tare_g", "tare_source", "net_g"}, "measurement");
    v.gross_g = req_num(j, "gross_g");
    v.tare_g = req_num(j, "tare_g");
    v.tare_source = req_str(j, "tare_source");
    v.net_g = req_num(j, "net_g");
}

void to_json(json& j, const TxItem& v) {
    j = json{{"client_id", v.client_id},   {"device_seq", v.device_seq},         {"device_time", v.device_time},
             {"spool_uuid", v.spool_uuid}, {"type", v.type}, {"quantity_grams", v.quantity_grams}};
    if (v.measurement) j["measurement"] = *v.measurement;
    if (!v.notes.empty()) j["notes"] = v.notes;
    if (v.new_spool) j["new_spool"] = new_spool_to_json(*v.new_spool);
}
void from_json(const json& j, TxItem& v) {
    require_object(j, "transaction item");
    only_keys(j, {"client_id", "device_seq", "device_time", "spool_uuid", "type", "quantity_grams", "measurement", "notes",
               "new_spool"},
              "transaction item");
    v = TxItem{};
    v.client_id = req_str(j, "client_id");
    v.device_seq = req_int(j, "device_seq", std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
    v.device_time = req_str(j, "device_time");
    v.spool_uuid = req_str(j, "spool_uuid");
    v.type = req_str(j, "type");
    v.quantity_grams =
        static_cast<int>(req_int(j, "quantity_grams", std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    auto it = j.find("measurement");
    if (it != j.end() && !it->is_null()) v.measurement = it->get<WireMeasurement>();
    v.notes = opt_str(j, "notes");
    if (auto ns = j.find("new_spool"); ns != j.end() && !ns->is_null()) v.new_spool = new_spool_from_json(*ns);
}

void to_json(json& j, const TxBatch& v) {
    json items = json::array();
    for (const auto& i : v.items) items.push_back(i);
    j = json{{"items", items}};
    if (v.sent_at) j["sent_at"] = *v.sent_at;
}
void from_json(const json& j, TxBatch& v) {
    require_object(j, "transaction batch");
    only_keys(j, {"items", "sent_at"}, "transaction batch");
    v.items.clear();
    v.sent_at.reset();
    if (auto it = j.find("sent_at"); it != j.end() && !it->is_null()) {
        if (!it->is_string()) bad("transaction batch: field 'sent_at' must be an ISO-8601 string");
        const std::string s = it->get<std::string>();
        if (!parse_iso8601_ms(s)) bad("transaction batch: field 'sent_at' is not an ISO-8601 timestamp");
        v.sent_at = s;
    }
    const auto& arr = req_array(j, "items");
    v.items.reserve(arr.size());
    for (const auto& e : arr) v.items.push_back(e.get<TxItem>());
}

void to_json(json& j, const TxResult& v) {
    j = json{{"client_id", v.client_id}, {"status", v.status}};
    if (!v.code.empty()) j["code"] = v.code;
    if (!v.reason.empty()) j["reason"] = v.reason;
    if (v.spool_weight_g) j["spool_weight_g"] = *v.spool_weight_g;
    if (!v.transaction_id.empty()) j["transaction_id"] = v.transaction_id;
    if (!v.spool_id.empty()) j["spool_id"] = v.spool_id;
}
void from_json(const json& j, TxResult& v) {
    require_object(j, "transaction result");
    v = TxResult{};
    v.client_id = req_str(j, "client_id");
    v.status = req_str(j, "status");
    if (v.status != "applied" && v.status != "duplicate" && v.status != "rejected")
        bad("transaction result: unknown status '" + v.status + "'");
    v.code = opt_str(j, "code");
    v.reason = opt_str(j, "reason");
    v.spool_weight_g = opt_int(j, "spool_weight_g");
    v.transaction_id = opt_str(j, "transaction_id");
    v.spool_id = opt_str(j, "spool_id");
    if (v.status == "rejected" && v.code.empty()) bad("transaction result: a rejected item needs a 'code'");
}

void to_json(json& j, const TxBatchResponse& v) {
    json arr = json::array();
    for (const auto& r : v.results) arr.push_back(r);
    j = json{{"results", arr}};
}
void from_json(const json& j, TxBatchResponse& v) {
    require_object(j, "transaction batch response");
    v.results.clear();
    for (const auto& e : req_array(j, "results")) v.results.push_back(e.get<TxResult>());
}

// --- item validation -----------------------------------------------------------------------------------------

Result<> validate_item(const TxItem& item) {
    const auto invalid = [](std::string why) { return Error{"invalid_item", std::move(why)}; };
    if (!is_uuid(item.client_id)) return invalid("client_id must be a UUID");
    if (item.device_seq < 1) return invalid("device_seq must be >= 1");
    const auto device_ms = item.device_time.empty() ? std::nullopt : parse_iso8601_ms(item.device_time);
    if (!device_ms) return invalid("device_time must be an ISO-8601 timestamp");
    if (!wire_time_in_range(*device_ms))
        return invalid("device_time must be from 1970-01-01T00:00:00.000Z up to (not including) 2200-01-01T00:00:00.000Z");
    if (!is_uuid(item.spool_uuid)) return invalid("spool_uuid must be a UUID");
    auto type = transaction_type_from_string(item.type);
    if (!type) return invalid("type must be one of usage, adjustment, purchase, return, disposal");
    const int q = item.quantity_grams;
    if (q < -static_cast<int>(kMaxGrossGrams) || q > static_cast<int>(kMaxGrossGrams))
        return invalid("quantity_grams is outside +/-" + std::to_string(static_cast<int>(kMaxGrossGrams)));
    if (item.notes.size() > 2000) return invalid("notes are too long (max 2000 bytes)");
    if (!is_storable_text(item.notes)) return invalid("notes must be valid UTF-8 without NUL characters");
    if (item.new_spool) {
        if (auto ns = validate_new_spool_wire(*item.new_spool); !ns) return ns;
        if (*type != TransactionType::Purchase) return invalid("a new spool must come as type purchase");
        if (item.measurement) return invalid("a new spool carries no measurement (its initial weight is the quantity)");
        if (q != item.new_spool->initial_weight_g)
            return invalid("a new spool's quantity_grams must equal its initial_weight_g");
        return {};
    }
    if (item.measurement) {
        const auto& m = *item.measurement;
        if (!std::isfinite(m.gross_g) || !std::isfinite(m.tare_g) || !std::isfinite(m.net_g))
            return invalid("measurement values must be finite");
        if (m.gross_g < 0 || m.gross_g > kMaxGrossGrams) return invalid("measurement gross_g is out of range");
        if (m.tare_g < 0 || m.tare_g > kMaxTareGrams) return invalid("measurement tare_g is out of range");
        if (m.net_g < 0) return invalid("measurement net_g is negative");
        if (std::fabs(m.gross_g - m.tare_g - m.net_g) > 0.5) return invalid("measurement net_g must equal gross_g - tare_g");
        if (!tare_source_from_string(m.tare_source)) return invalid("measurement tare_source must be spool, catalog, station_default or manual");
        if (*type != TransactionType::Usage && *type != TransactionType::Adjustment)
            return invalid("a weighing must be of type usage or adjustment");
        return {};
    }
    switch (*type) {
        case TransactionType::Usage:
        case TransactionType::Disposal:
            if (q >= 0) return invalid(std::string(to_string(*type)) + " needs a negative quantity_grams");
            break;
        case TransactionType::Purchase:
        case TransactionType::Return:
            if (q <= 0) return invalid(std::string(to_string(*type)) + " needs a positive quantity_grams");
            break;
        case TransactionType::Adjustment:
            if (q == 0) return invalid("adjustment needs a non-zero quantity_grams");
            break;
    }
    return {};
}

}  // namespace batchivo::wire
