#include "platform/labels/label_parser.hpp"

#include <cstdint>

#include "sync/domain/text.hpp"

namespace batchivo::platform {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!is_hex(s[i])) {
            return false;
        }
    }
    return true;
}

// Valid UTF-8 without control characters (tabs and spaces inside are fine).
bool printable_utf8(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 && c != '\t') return false;
            if (c == 0x7f) return false;
            ++i;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > s.size()) return false;
        for (size_t k = 1; k < len; ++k) {
            const unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
            return false;
        i += len;
    }
    return true;
}

// Positive decimal id without sign, at most 12 digits; leading zeros dropped.
bool parse_id(std::string_view s, std::string& out) {
    if (s.empty() || s.size() > 12) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    size_t z = 0;
    while (z + 1 < s.size() && s[z] == '0') ++z;
    out.assign(s.substr(z));
    return out != "0";
}

// The path of a URL without query and fragment, or nullopt when `s` is not scheme://host/...
bool url_path(std::string_view s, std::string_view& path) {
    size_t sep = s.find("://");
    if (sep == std::string_view::npos || sep == 0) return false;
    for (size_t i = 0; i < sep; ++i) {
        char c = lower(s[i]);
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '-' || c == '.')) return false;
    }
    std::string_view rest = s.substr(sep + 3);
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return false;  // no path or no host
    path = rest.substr(slash);
    size_t q = path.find_first_of("?#");
    if (q != std::string_view::npos) path = path.substr(0, q);
    while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
    return true;
}

// Splits a path into its last `n` segments (fewer when the path is shorter).
bool last_segments(std::string_view path, size_t n, std::string_view* out) {
    for (size_t k = n; k-- > 0;) {
        size_t slash = path.rfind('/');
        if (slash == std::string_view::npos) return false;
        out[k] = path.substr(slash + 1);
        path = path.substr(0, slash);
    }
    return true;
}

bool pairing_code(std::string_view s, std::string& out) {
    // PAIR-XXXX-XXXX, X from the alphabet without 0/O/1/I/L
    if (s.size() != 14 || !istarts_with(s, "PAIR-") || s[9] != '-') return false;
    out = "PAIR-";
    for (size_t i = 5; i < 14; ++i) {
        if (i == 9) {
            out += '-';
            continue;
        }
        char c = upper(s[i]);
        const bool digit_ok = c >= '2' && c <= '9';
        const bool letter_ok = c >= 'A' && c <= 'Z' && c != 'O' && c != 'I' && c != 'L';
        if (!digit_ok && !letter_ok) return false;
        out += c;
    }
    return true;
}

}  // namespace

std::string_view to_string(LabelKind k) {
    switch (k) {
        case LabelKind::SpoolUuid: return "spool_uuid";
        case LabelKind::SpoolId: return "spool_id";
        case LabelKind::SpoolmanSpool: return "spoolman_spool";
        case LabelKind::SpoolmanFilament: return "spoolman_filament";
        case LabelKind::Pairing: return "pairing";
        case LabelKind::Unknown: return "unknown";
    }
    return "unknown";
}

LabelRef parse_label(std::string_view text) {
    const std::string_view s = trim(text);
    LabelRef out;
    out.raw = std::string(s);
    auto make = [&out](LabelKind k, std::string v) {
        out.kind = k;
        out.value = std::move(v);
        return std::move(out);
    };
    if (s.size() <= kMaxPairingBytes && istarts_with(s, "batchivo-pair:")) return make(LabelKind::Pairing, out.raw);
    if (s.empty() || s.size() > kMaxLabelBytes || !printable_utf8(s)) return make(LabelKind::Unknown, "");

    std::string code;
    if (pairing_code(s, code)) return make(LabelKind::Pairing, code);

    if (is_uuid(s)) return make(LabelKind::SpoolUuid, to_lower(s));

    if (istarts_with(s, "batchivo://")) {
        std::string_view rest = s.substr(11);
        while (rest.size() > 1 && rest.back() == '/') rest.remove_suffix(1);
        if (istarts_with(rest, "spool/") && is_uuid(rest.substr(6))) return make(LabelKind::SpoolUuid, to_lower(rest.substr(6)));
        return make(LabelKind::Unknown, out.raw);
    }

    if (istarts_with(s, "web+spoolman:")) {
        std::string_view rest = s.substr(13);
        std::string id;
        if (rest.size() > 2 && rest[1] == '-' && parse_id(rest.substr(2), id)) {
            if (lower(rest[0]) == 's') return make(LabelKind::SpoolmanSpool, id);
            if (lower(rest[0]) == 'f') return make(LabelKind::SpoolmanFilament, id);
        }
        return make(LabelKind::Unknown, out.raw);
    }

    std::string_view path;
    if (url_path(s, path)) {
        std::string_view seg[3];
        std::string id;
        // Batchivo web label: .../filaments/<uuid>/update or .../filaments/<uuid>
        if (last_segments(path, 3, seg) && iequals(seg[0], "filaments") && is_uuid(seg[1]) && iequals(seg[2], "update"))
            return make(LabelKind::SpoolUuid, to_lower(seg[1]));
        if (last_segments(path, 2, seg) && iequals(seg[0], "filaments") && is_uuid(seg[1]))
            return make(LabelKind::SpoolUuid, to_lower(seg[1]));
        // Spoolman: <base>/spool/show/<n>, <base>/filament/show/<n>
        if (last_segments(path, 3, seg) && iequals(seg[1], "show") && parse_id(seg[2], id)) {
            if (iequals(seg[0], "spool")) return make(LabelKind::SpoolmanSpool, id);
            if (iequals(seg[0], "filament")) return make(LabelKind::SpoolmanFilament, id);
        }
    }
    // FIL-001, PLA-RED-001 or any qr_code_data: the catalog decides.
    return make(LabelKind::SpoolId, std::string(s));
}

}  // namespace batchivo::platform
