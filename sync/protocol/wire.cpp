#include "sync/protocol/wire.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "sync/domain/text.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::wire {

using nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(what); }

const json& require_object(const json& j, const char* what) {
    if (!j.is_object()) bad(std::string(what) + ": expected a JSON object");
    return j;
}

// Rejects keys the schema does not know (strict request validation).
void only_keys(const json& j, std::initializer_list<const char*> keys, const char* what) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* k : keys) {
            if (it.key() == k) {
                known = true;
                break;
            }
        }
        if (!known) bad(std::string(what) + ": unknown field '" + it.key() + "'");
    }
}

std::string req_str(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) bad(std::string("missing field '") + key + "'");
    if (!it->is_string()) bad(std::string("field '") + key + "' must be a string");
    return it->get<std::string>();
}

// Optional text: absent or null -> "".
std::string opt_str(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    if (!it->is_string()) bad(std::string("field '") + key + "' must be a string or null");
    return it->get<std::string>();
}

int64_t req_int(const json& j, const char* key, int64_t lo, int64_t hi) {
    auto it = j.find(key);
    if (it == j.end()) bad(std::string("missing field '") + key + "'");
    if (!it->is_number_integer()) bad(std::string("field '") + key + "' must be an integer");
    int64_t v = 0;
    if (it->is_number_unsigned()) {
        const uint64_t u = it->get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) bad(std::string("field '") + key + "' out of range");
        v = static_cast<int64_t>(u);
    } else {
        v = it->get<int64_t>();
    }
    if (v < lo || v > hi) bad(std::string("field '") + key + "' out of range");
    return v;
}

std::optional<int> opt_int(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return static_cast<int>(req_int(j, key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

double req_num(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) bad(std::string("missing field '") + key + "'");
    if (!it->is_number()) bad(std::string("field '") + key + "' must be a number");
    const double v = it->get<double>();
    if (!std::isfinite(v)) bad(std::string("field '") + key + "' must be finite");
    return v;
}

std::optional<double> opt_num(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return req_num(j, key);
}

bool opt_bool(const json& j, const char* key, bool dflt) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return dflt;
    if (!it->is_boolean()) bad(std::string("field '") + key + "' must be a boolean");
    return it->get<bool>();
}

const json& req_array(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) bad(std::string("missing field '") + key + "'");
    if (!it->is_array()) bad(std::string("field '") + key + "' must be an array");
    return *it;
}

json str_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

template <class T>
json opt_or_null(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

std::vector<std::string> str_array(const json& j, const char* key) {
    std::vector<std::string> out;
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) bad(std::string("field '") + key + "' must be an array");
    for (const auto& e : *it) {
        if (!e.is_string()) bad(std::string("field '") + key + "' must contain strings");
        out.push_back(e.get<std::string>());
    }
    return out;
}

// --- percent-encoding / base64url helpers for the pairing payload ------------------------------------------
bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

std::string pct_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (unreserved(c)) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> pct_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0) return std::nullopt;
            out += static_cast<char>(h * 16 + l);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool valid_base64url(std::string_view s) {
    for (char c : s) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '='))
            return false;
    }
    return true;
}

bool valid_pin(std::string_view s) {
    if (s.rfind("sha256//", 0) != 0) return false;
    std::string_view b = s.substr(8);
    if (b.size() != 44) return false;  // base64 of 32 bytes
    for (char c : b) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
              c == '='))
            return false;
    }
    return true;
}

constexpr std::string_view kPairPrefix = "batchivo-pair:v1?";
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

}  // namespace

// --- pairing -------------------------------------------------------------------------------------------------

std::string format_pairing_payload(const PairingPayload& p) {
    std::string out(kPairPrefix);
    out += "url=" + pct_encode(p.server_url);
    out += "&code=" + pct_encode(p.code);
    if (!p.ca_der_base64url.empty()) out += "&ca=" + pct_encode(p.ca_der_base64url);
    if (!p.pin.empty()) out += "&pin=" + pct_encode(p.pin);
    return out;
}

std::optional<PairingPayload> parse_pairing_payload(std::string_view text) {
    text = trim(text);
    if (text.size() < kPairPrefix.size() || !iequals(text.substr(0, kPairPrefix.size()), kPairPrefix)) return std::nullopt;
    std::string_view rest = text.substr(kPairPrefix.size());
    std::map<std::string, std::string> kv;
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        std::string_view part = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (part.empty()) continue;
        const size_t eq = part.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        auto key = pct_decode(part.substr(0, eq));
        auto val = pct_decode(part.substr(eq + 1));
        if (!key || !val) return std::nullopt;
        if (kv.count(*key)) return std::nullopt;  // duplicated parameter: ambiguous, refuse
        kv[*key] = *val;
    }
    PairingPayload p;
    if (!kv.count("url") || !kv.count("code")) return std::nullopt;
    p.server_url = kv["url"];
    p.code = kv["code"];
    if (kv.count("ca")) p.ca_der_base64url = kv["ca"];
    if (kv.count("pin")) p.pin = kv["pin"];
    const std::string lower_url = to_lower(p.server_url);
    const bool https = lower_url.rfind("https://", 0) == 0, http = lower_url.rfind("http://", 0) == 0;
    if (!https && !http) return std::nullopt;
    if (p.server_url.size() <= (https ? 8u : 7u)) return std::nullopt;
    for (char c : p.server_url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
    }
    if (!looks_like_pairing_code(p.code)) return std::nullopt;
    if (!p.ca_der_base64url.empty() && !valid_base64url(p.ca_der_base64url)) return std::nullopt;
    if (!p.pin.empty() && !valid_pin(p.pin)) return std::nullopt;
    return p;
}

bool looks_like_pairing_code(std::string_view text) {
    // PAIR-XXXX-XXXX
    if (text.size() != 14) return false;
    if (!iequals(text.substr(0, 5), "PAIR-") || text[9] != '-') return false;
    for (size_t i = 5; i < 14; ++i) {
        if (i == 9) continue;
        char c = text[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (kCodeAlphabet.find(c) == std::string_view::npos) return false;
    }
    return true;
}

// --- pairing JSON --------------------------------------------------------------------------------------------

void to_json(json& j, const PairRequest& v) {
    j = json{{"code", v.code}};
    if (!v.device_name.empty()) j["device_name"] = v.device_name;
}
void from_json(const json& j, PairRequest& v) {
    require_object(j, "pair request");
    only_keys(j, {"code", "device_name"}, "pair request");
    v.code = req_str(j, "code");
    v.device_name = opt_str(j, "device_name");
    if (v.code.empty()) bad("field 'code' must not be empty");
    if (v.code.size() > 64) bad("field 'code' is too long");
    if (v.device_name.size() > 100) bad("field 'device_name' is too long (max 100)");
}

void to_json(json& j, const PairResponse& v) {
    j = json{{"device_id", v.device_id},     {"token", v.token},           {"tenant_id", v.tenant_id},
             {"tenant_slug", v.tenant_slug}, {"tenant_name", v.tenant_name}, {"station_name", v.station_name}};
}
void from_json(const json& j, PairResponse& v) {
    require_object(j, "pair response");
    v.device_id = req_str(j, "device_id");
    v.token = req_str(j, "token");
    v.tenant_id = req_str(j, "tenant_id");
    v.tenant_slug = req_str(j, "tenant_slug");
    v.tenant_name = opt_str(j, "tenant_name");
    v.station_name = opt_str(j, "station_name");
    if (!is_uuid(v.device_id)) bad("field 'device_id' must be a UUID");
    if (!is_uuid(v.tenant_id)) bad("field 'tenant_id' must be a UUID");
    if (v.token.empty()) bad("field 'token' must not be empty");
}

// --- spools, materials, reorder settings -------------------------------------------------------------------

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

static StockInfo stock_from_json(const json& j, const Spool& s) {
    StockInfo st = stock_info(s);
    if (j.contains("stock_status") && !j["stock_status"].is_null()) {
        if (!j["stock_status"].is_string() || !stock_status_from_string(j["stock_status"].get<std::string>(), st.status))
            bad("spool: invalid 'stock_status'");
    }
    if (auto v = opt_num(j, "remaining_percent")) st.remaining_percent = *v;
    if (auto v = opt_int(j, "used_weight_g")) st.used_weight_g = *v;
    return st;
}

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

// --- catalog delta -------------------------------------------------------------------------------------------

void to_json(json& j, const CatalogDelta& v) {
    json spools = json::array();
    for (const auto& cs : v.spools) spools.push_back(spool_to_json(cs.spool, cs.stock));
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
}

void from_json(const json& j, CatalogDelta& v) {
    require_object(j, "catalog delta");
    v = CatalogDelta{};
    for (const auto& e : req_array(j, "spools")) {
        CatalogSpool cs;
        cs.spool = spool_from_json(e);
        cs.stock = stock_from_json(e, cs.spool);
        v.spools.push_back(std::move(cs));
    }
    for (const auto& e : req_array(j, "material_types")) v.material_types.push_back(material_from_json(e));
    for (const auto& e : req_array(j, "reorder_settings")) v.reorder_settings.push_back(reorder_from_json(e));
    v.deleted_spools = str_array(j, "deleted_spools");
    v.deleted_reorder_settings = str_array(j, "deleted_reorder_settings");
    for (const auto& id : v.deleted_spools)
        if (!is_uuid(id)) bad("deleted_spools must contain UUIDs");
    v.next_cursor = req_str(j, "next_cursor");
    v.has_more = opt_bool(j, "has_more", false);
    v.server_time = opt_str(j, "server_time");
}

// --- transactions --------------------------------------------------------------------------------------------

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
}
void from_json(const json& j, TxItem& v) {
    require_object(j, "transaction item");
    only_keys(j, {"client_id", "device_seq", "device_time", "spool_uuid", "type", "quantity_grams", "measurement", "notes"},
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

void to_json(json& j, const ApiError& v) { j = json{{"error", {{"code", v.code}, {"message", v.message}}}}; }
void from_json(const json& j, ApiError& v) {
    require_object(j, "error response");
    auto it = j.find("error");
    if (it == j.end() || !it->is_object()) bad("error response: missing 'error' object");
    v.code = req_str(*it, "code");
    v.message = opt_str(*it, "message");
    if (v.code.empty()) bad("error response: empty 'code'");
}

// --- item validation -----------------------------------------------------------------------------------------

std::string validate_item(const TxItem& item) {
    if (!is_uuid(item.client_id)) return "client_id must be a UUID";
    if (item.device_seq < 1) return "device_seq must be >= 1";
    if (item.device_time.empty() || !parse_iso8601_ms(item.device_time)) return "device_time must be an ISO-8601 timestamp";
    if (!is_uuid(item.spool_uuid)) return "spool_uuid must be a UUID";
    auto type = transaction_type_from_string(item.type);
    if (!type) return "type must be one of usage, adjustment, purchase, return, disposal";
    const int q = item.quantity_grams;
    if (q < -static_cast<int>(kMaxGrossGrams) || q > static_cast<int>(kMaxGrossGrams))
        return "quantity_grams is outside +/-" + std::to_string(static_cast<int>(kMaxGrossGrams));
    if (item.notes.size() > 2000) return "notes are too long (max 2000 bytes)";
    if (item.measurement) {
        const auto& m = *item.measurement;
        if (!std::isfinite(m.gross_g) || !std::isfinite(m.tare_g) || !std::isfinite(m.net_g))
            return "measurement values must be finite";
        if (m.gross_g < 0 || m.gross_g > kMaxGrossGrams) return "measurement gross_g is out of range";
        if (m.tare_g < 0 || m.tare_g > kMaxTareGrams) return "measurement tare_g is out of range";
        if (m.net_g < 0) return "measurement net_g is negative";
        if (std::fabs(m.gross_g - m.tare_g - m.net_g) > 0.5) return "measurement net_g must equal gross_g - tare_g";
        if (!tare_source_from_string(m.tare_source)) return "measurement tare_source must be spool, catalog, station_default or manual";
        if (*type != TransactionType::Usage && *type != TransactionType::Adjustment)
            return "a weighing must be of type usage or adjustment";
        return {};
    }
    switch (*type) {
        case TransactionType::Usage:
        case TransactionType::Disposal:
            if (q >= 0) return std::string(to_string(*type)) + " needs a negative quantity_grams";
            break;
        case TransactionType::Purchase:
        case TransactionType::Return:
            if (q <= 0) return std::string(to_string(*type)) + " needs a positive quantity_grams";
            break;
        case TransactionType::Adjustment:
            if (q == 0) return "adjustment needs a non-zero quantity_grams";
            break;
    }
    return {};
}

}  // namespace batchivo::wire
