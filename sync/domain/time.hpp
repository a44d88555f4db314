// UTC timestamps as ISO-8601 text ("2026-11-25T12:00:00.123Z") and epoch conversions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace batchivo {

int64_t now_epoch_ms();
std::string iso8601_utc_ms(int64_t epoch_ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM]" and "YYYY-MM-DD HH:MM:SS"; nullopt otherwise.
std::optional<int64_t> parse_iso8601_ms(std::string_view s);

}  // namespace batchivo
