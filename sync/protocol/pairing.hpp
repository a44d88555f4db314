// Pairing on the wire: the QR payload a station scans, and the POST /pair request and response bodies.
// The pairing QR carries: batchivo-pair:v1?url=<pct-encoded server URL>&code=<code>[&ca=<base64url DER CA cert>]
//                                         [&pin=<sha256//base64 of the server key's SPKI>]
// A pairing code looks like PAIR-XXXX-XXXX (alphabet without 0/O/1/I/L). Pure functions; from_json throws on a
// malformed body (see api.hpp's parse<T>() for a Result).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sync/domain/result.hpp"

namespace batchivo::wire {

struct PairingPayload {
    std::string server_url;
    std::string code;
    std::string ca_der_base64url;  // empty when the server uses a publicly trusted certificate
    std::string pin;               // "sha256//..." or empty
};
std::string format_pairing_payload(const PairingPayload& p);
// The payload, or Error{"invalid_pairing_payload", why} (not a v1 payload, missing url/code, not http(s), bad code,
// CA or pin, duplicated parameter). Surrounding whitespace is ignored; unknown parameters are.
Result<PairingPayload> parse_pairing_payload(std::string_view text);
bool looks_like_pairing_code(std::string_view text);  // PAIR-XXXX-XXXX, case-insensitive

struct PairRequest {            // POST /pair (no auth)
    std::string code;
    std::string device_name;    // optional, what the station calls itself
};
struct PairResponse {
    std::string device_id;
    std::string token;          // bearer token; shown once, stored hashed on the server
    std::string tenant_id;
    std::string tenant_slug;
    std::string tenant_name;
    std::string station_name;   // the name the admin gave when creating the code
};

void to_json(nlohmann::json& j, const PairRequest& v);
void from_json(const nlohmann::json& j, PairRequest& v);
void to_json(nlohmann::json& j, const PairResponse& v);
void from_json(const nlohmann::json& j, PairResponse& v);

}  // namespace batchivo::wire
