// UUIDs: generation (v7: time-ordered, random tail from the OS), validation and normalisation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace batchivo {

// A new random UUIDv7 in canonical lowercase form. Thread-safe. Uses getrandom(2) for the 74 random bits.
std::string new_uuid_v7();
// A new random UUIDv4.
std::string new_uuid_v4();

// True for the canonical 8-4-4-4-12 hex form (any case).
bool is_uuid(std::string_view s);
// Lowercased copy of a valid UUID; empty string when `s` is not one.
std::string normalize_uuid(std::string_view s);

}  // namespace batchivo
