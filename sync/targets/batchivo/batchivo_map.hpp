// Pure mapping between a stock Batchivo server (backend API 0.2.0, FastAPI) and the station's domain: spool JSON ->
// Spool, the JWT's `exp`, the canonical label. No I/O; unit-tested in tests/sync/batchivo_tests.cpp.
//
// Batchivo spools have UUID ids, so the station's spool id is Batchivo's own (no mapping scheme); spool_id is the
// user-facing FIL-001; weights are float grams and `current_weight` is net filament.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "sync/domain/result.hpp"
#include "sync/domain/spool.hpp"

namespace batchivo::sync::batchivo_api {

// One element of GET /api/v1/spools ("spools" array) or GET /api/v1/spools/{uuid}. Error on a malformed element.
// tenant_id is left empty (the engine fills in the connected tenant; X-Tenant-ID scoped the answer).
Result<Spool> to_spool(const nlohmann::json& j);

// The `exp` claim (epoch seconds) of a JWT, without verifying it (the station cannot: HS256 with the server's key).
std::optional<int64_t> jwt_expiry(const std::string& token);

// `https://<host>/filaments/<uuid>/update` for a connection's base URL (the label Batchivo's web app prints).
std::string spool_label(const std::string& base_url, const std::string& uuid);

// The message in a FastAPI error body: {"detail": "..."} or the first entry of a 422 list; else "HTTP <status>".
std::string error_detail(const std::string& body, int status);

}  // namespace batchivo::sync::batchivo_api
