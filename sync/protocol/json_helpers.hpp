// Strict JSON field readers and writers shared by the wire protocol's topic files (pairing, catalog, batch,
// lookup). Internal to sync/protocol. Every reader throws std::invalid_argument naming the field on a missing or
// mistyped value; optional readers treat an absent key and null alike.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace batchivo::wire::detail {

[[noreturn]] void bad(const std::string& what);
const nlohmann::json& require_object(const nlohmann::json& j, const char* what);
// Rejects keys the schema does not know (strict request validation).
void only_keys(const nlohmann::json& j, std::initializer_list<const char*> keys, const char* what);
std::string req_str(const nlohmann::json& j, const char* key);
std::string opt_str(const nlohmann::json& j, const char* key);  // absent or null -> ""
int64_t req_int(const nlohmann::json& j, const char* key, int64_t lo, int64_t hi);
std::optional<int> opt_int(const nlohmann::json& j, const char* key);
double req_num(const nlohmann::json& j, const char* key);  // finite
std::optional<double> opt_num(const nlohmann::json& j, const char* key);
bool opt_bool(const nlohmann::json& j, const char* key, bool dflt);
bool req_bool(const nlohmann::json& j, const char* key);
const nlohmann::json& req_array(const nlohmann::json& j, const char* key);
std::vector<std::string> str_array(const nlohmann::json& j, const char* key);  // absent or null -> {}

nlohmann::json str_or_null(const std::string& s);  // "" -> null
template <class T>
nlohmann::json opt_or_null(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace batchivo::wire::detail
