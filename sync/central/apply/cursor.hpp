// Catalog cursors: "v1:<tenant change seq>:<material change seq>". Both stores number catalog changes per tenant
// (and globally for material types); GET /catalog?since= hands the cursor back. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace batchivo::central {

struct Cursor {
    int64_t tenant_seq = 0;
    int64_t material_seq = 0;
};
std::optional<Cursor> parse_cursor(std::string_view s);  // "" -> {0,0}; nullopt when malformed
std::string format_cursor(const Cursor& c);

}  // namespace batchivo::central
