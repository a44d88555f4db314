// Text and time rules every value the server accepts must satisfy, so that both stores (SQLite and PostgreSQL) can
// hold and compute with it (docs/API.md "Text and times"). Shared by the server's request checks and validate_item.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace batchivo::wire {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no
// truncated sequences.
bool is_valid_utf8(std::string_view s);
// Offset of the first byte that does not start a valid UTF-8 sequence; npos when `s` is valid.
size_t first_invalid_utf8(std::string_view s);
// Valid UTF-8 without any NUL character: what a text column on both stores can hold.
bool is_storable_text(std::string_view s);
// `s` with every byte that is not part of valid UTF-8 replaced by '?' (for messages and logs).
std::string sanitize_utf8(std::string_view s);

// The accepted range for device_time and sent_at: [1970-01-01T00:00:00.000Z, 2200-01-01T00:00:00.000Z).
// 1970 stays valid (a Raspberry Pi without a real-time clock boots at the epoch until NTP answers).
inline constexpr int64_t kMinWireTimeMs = 0;
inline constexpr int64_t kMaxWireTimeMs = 7258118400000;  // 2200-01-01T00:00:00Z
inline constexpr bool wire_time_in_range(int64_t ms) { return ms >= kMinWireTimeMs && ms < kMaxWireTimeMs; }

}  // namespace batchivo::wire
