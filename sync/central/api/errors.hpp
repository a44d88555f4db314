// The registry of every error the station API can answer: each {"error": {...}} response the server sends has a
// (status, code) pair from kApiErrors (send_error() enforces it; anything else becomes a logged 500 internal).
// docs/API.md documents each pair; tests/central/error_docs_tests.cpp checks that, and that every literal error
// in the server's source is registered. No dependencies, so tests can include it alone.
#pragma once

#include <string_view>

namespace batchivo::central {

struct ApiErrorSpec {
    int status;
    const char* code;
};

inline constexpr ApiErrorSpec kApiErrors[] = {
    {400, "invalid_request"},      // malformed JSON / HTTP, wrong types, unknown fields, bad query parameters
    {400, "invalid_encoding"},     // body, path or query parameter is not valid UTF-8 (or NUL in a query)
    {400, "invalid_cursor"},       // GET /catalog `since` not issued by this server
    {401, "unauthorized"},         // missing, unknown or revoked device token
    {401, "invalid_pairing_code"}, // POST /pair: unknown, used or expired code
    {404, "not_found"},            // unknown endpoint, spool not in the tenant
    {413, "batch_too_large"},      // more than 500 items
    {413, "payload_too_large"},    // body over 1 MiB
    {414, "uri_too_long"},         // request line + headers over 16 KiB
    {429, "rate_limited"},         // token bucket exceeded; Retry-After
    {500, "internal"},             // a real server fault (database down, a bug); details only in the log
};

constexpr bool is_registered_error(int status, std::string_view code) {
    for (const auto& e : kApiErrors)
        if (e.status == status && code == e.code) return true;
    return false;
}

// The API error for a StoreError code raised while serving a request: invalid_input -> 400 invalid_request,
// invalid_cursor -> 400, not_found -> 404, invalid_pairing_code / unauthorized -> 401; any other code is a server
// fault -> 500 internal.
constexpr ApiErrorSpec api_error_for_store_code(std::string_view code) {
    if (code == "invalid_input" || code == "invalid_request") return {400, "invalid_request"};
    for (const auto& e : kApiErrors)
        if (code == e.code && e.status < 500) return e;
    return {500, "internal"};
}

}  // namespace batchivo::central
