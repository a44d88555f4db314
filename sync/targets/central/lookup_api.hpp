// Read-only look-ups against batchivo-central (docs/API.md): a spool's recent transactions
// (GET /spools/{uuid}/transactions) and who this device is (GET /whoami). The bodies are read with the wire types of
// sync/protocol/lookup.hpp (strict). Stateless; the caller owns the client (CentralTarget keeps the credentials and
// builds it). Nothing throws.
#pragma once

#include <cstdint>
#include <string>

#include "sync/domain/result.hpp"
#include "sync/engine/target.hpp"
#include "sync/http/http_client.hpp"

namespace batchivo::sync {

// Reads a GET /spools/{uuid}/transactions body. Error "invalid_body" when it is not one.
Result<SpoolHistory> parse_spool_history(const std::string& body);

// One request over `http` with the device token. Errors: "not_found" (central does not know the spool), or a
// disposition code (failure() of retry_policy.hpp: "revoked", "retry", ...) with an operator-facing message.
Result<SpoolHistory> get_spool_history(HttpClient& http, const std::string& token, const std::string& spool_uuid,
                                       int limit, int64_t now_ms);

// GET /whoami with the device token: the device and tenant ids and slug as central knows them (no tenant name:
// the caller keeps the one from pairing).
Result<TargetIdentity> get_whoami(HttpClient& http, const std::string& token, int64_t now_ms);

}  // namespace batchivo::sync
