// Hashing, random secrets and their encodings for central: SHA-256 (tokens and pairing codes are stored hashed),
// OpenSSL's RNG, base64/base64url, device tokens and pairing codes. Thread-safe (no shared state). random_bytes
// throws std::runtime_error when the RNG fails.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace batchivo::central {

std::string sha256_hex(std::string_view data);
std::string random_bytes(size_t n);
std::string base64url(std::string_view bytes);
std::string base64(std::string_view bytes);
std::string new_device_token();   // "bvt_" + 43 base64url chars (256 bits)
std::string new_pairing_code();   // PAIR-XXXX-XXXX
// Canonical form used for hashing: uppercase.
std::string normalize_pairing_code(std::string_view code);

}  // namespace batchivo::central
