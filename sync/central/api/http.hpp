// Request/response helpers for the HTTP layer (api/request.hpp values): JSON bodies, the {"error": {...}} body with its
// status, and strict query parameters as Result values. No state; safe from any worker thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sync/central/api/errors.hpp"
#include "sync/central/api/request.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::central {

// Never throws: text that is not valid UTF-8 is replaced (U+FFFD) while serialising.
void send_json(ServerResponse& res, int status, const nlohmann::json& body);
// (status, code) must be registered in api/errors.hpp; an unregistered pair is logged and sent as 500 internal
// (a server bug, which the error-docs test and the fuzzer catch).
void send_error(ServerResponse& res, int status, const std::string& code, const std::string& message);
// One line on stderr for a rejected request: method, path, client address, status, code, message (sanitised to
// valid UTF-8; never a header, so never a token).
void log_rejected(const ServerRequest& req, int status, const std::string& code, const std::string& message);
// Turns log_rejected on or off for the whole process (on by default; the fuzzer turns it off).
void set_rejection_log(bool on);
// send_error + log_rejected.
void reject_request(const ServerRequest& req, ServerResponse& res, int status, const std::string& code,
                    const std::string& message);
// Checks what a handler will read as text: the path, every query parameter (name and value) and the body must be
// valid UTF-8, and query parameters must not contain NUL. Error{"invalid_encoding", ...} naming the first offender.
Result<> check_request_text(const ServerRequest& req);

// Query parameter `name` as an integer in [lo, hi]; `dflt` when absent. Error{"invalid_request", ...} when it is
// not a plain non-negative integer or out of range.
Result<int> query_int(const ServerRequest& req, const char* name, int lo, int hi, int dflt);
// Query parameter `name`: true/1, false/0/empty; false when absent. Error{"invalid_request", ...} otherwise.
Result<bool> query_bool(const ServerRequest& req, const char* name);

}  // namespace batchivo::central
