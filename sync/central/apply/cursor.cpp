#include "sync/central/apply/cursor.hpp"

#include <cstdio>

namespace batchivo::central {

std::optional<Cursor> parse_cursor(std::string_view s) {
    Cursor c;
    if (s.empty()) return c;
    long long a = -1, b = -1;
    char tail = 0;
    std::string str(s);
    if (std::sscanf(str.c_str(), "v1:%lld:%lld%c", &a, &b, &tail) != 2 || a < 0 || b < 0) return std::nullopt;
    if (format_cursor({a, b}) != str) return std::nullopt;
    c.tenant_seq = a;
    c.material_seq = b;
    return c;
}

std::string format_cursor(const Cursor& c) {
    return "v1:" + std::to_string(c.tenant_seq) + ":" + std::to_string(c.material_seq);
}

}  // namespace batchivo::central
