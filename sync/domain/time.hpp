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
// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31); negative before 1970.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace batchivo
