// The station API's constants, its error body, and parse<T>(): the Result-returning entry point for reading any
// wire body. Shared by the station's sync client and batchivo-central (docs/API.md documents every endpoint).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sync/domain/result.hpp"

namespace batchivo::wire {

inline constexpr const char* kApiPrefix = "/api/station/v1";
inline constexpr int kMaxBatchItems = 500;            // POST /transactions: more -> 413
inline constexpr size_t kMaxBodyBytes = 1024 * 1024;  // any request body: more -> 413
inline constexpr int kMaxCatalogPage = 1000;

// Every non-2xx response: {"error": {"code": "...", "message": "..."}}
struct ApiError {
    std::string code;
    std::string message;
};
void to_json(nlohmann::json& j, const ApiError& v);
void from_json(const nlohmann::json& j, ApiError& v);

// Parses a JSON body into T with T's strict from_json. Never throws: a body that is not JSON or does not match the
// schema becomes Error{"invalid_body", "<what>: <why>"}.
template <class T>
Result<T> parse(std::string_view body, const char* what = "response") {
    try {
        return nlohmann::json::parse(body).get<T>();
    } catch (const std::exception& e) {
        return Error{"invalid_body", std::string(what) + ": " + e.what()};
    }
}

}  // namespace batchivo::wire
