#include "sync/protocol/json_helpers.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace batchivo::wire::detail {

using nlohmann::json;

void bad(const std::string& what) { throw std::invalid_argument(what); }

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

bool req_bool(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) bad(std::string("missing field '") + key + "'");
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

}  // namespace batchivo::wire::detail
