// Small text helpers shared by the domain (ASCII case folding, trimming).
#pragma once

#include <string>
#include <string_view>

namespace batchivo {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

}  // namespace batchivo
