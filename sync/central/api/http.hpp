// Request/response helpers for the HTTP layer (cpp-httplib): JSON bodies, the {"error": {...}} body with its
// status, and strict query parameters as Result values. No state; safe from any worker thread.
#pragma once

#include <httplib.h>

#include <string>

#include <nlohmann/json.hpp>

#include "sync/domain/result.hpp"

namespace batchivo::central {

void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message);
// The HTTP status for a StoreError / Error code: not_found 404, invalid_pairing_code/unauthorized 401,
// forbidden 403, anything else 400.
int status_for(const std::string& code);

// Query parameter `name` as an integer in [lo, hi]; `dflt` when absent. Error{"invalid_request", ...} when it is
// not a plain non-negative integer or out of range.
Result<int> query_int(const httplib::Request& req, const char* name, int lo, int hi, int dflt);
// Query parameter `name`: true/1, false/0/empty; false when absent. Error{"invalid_request", ...} otherwise.
Result<bool> query_bool(const httplib::Request& req, const char* name);

}  // namespace batchivo::central
