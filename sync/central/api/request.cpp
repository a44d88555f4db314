#include "sync/central/api/request.hpp"

#include <string_view>

namespace batchivo::central {

bool iequals_ascii(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string ServerRequest::get_header_value(const char* name) const {
    const std::string n(name);
    for (const auto& [k, v] : headers)
        if (iequals_ascii(k, n)) return v;
    return {};
}

void ServerResponse::set_header(const std::string& name, const std::string& value) {
    for (auto& [k, v] : headers) {
        if (iequals_ascii(k, name)) {
            v = value;
            return;
        }
    }
    headers.emplace_back(name, value);
}

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (plus_is_space && s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}
}  // namespace

void parse_target(const std::string& target, ServerRequest& req) {
    const size_t q = target.find('?');
    req.path = percent_decode(std::string_view(target).substr(0, q), false);
    req.params.clear();
    if (q == std::string::npos) return;
    std::string_view query = std::string_view(target).substr(q + 1);
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        if (!part.empty()) {
            const size_t eq = part.find('=');
            req.params.emplace(percent_decode(part.substr(0, eq), true),
                               eq == std::string_view::npos ? std::string() : percent_decode(part.substr(eq + 1), true));
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
}

}  // namespace batchivo::central
