// Small text helpers shared by every module (ASCII case folding, trimming, percent-encoding).
#pragma once

#include <string>
#include <string_view>

namespace batchivo {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);  // ASCII case-insensitive
// RFC 3986 percent-encoding: everything but the unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX (upper-case hex).
std::string percent_encode(std::string_view s);

}  // namespace batchivo
