#include "station/core/label_adapter.hpp"

#include <cctype>

#include "sync/domain/text.hpp"
#include "sync/domain/uuid.hpp"

namespace batchivo::station {

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

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

ScannedLabel classify_label(std::string_view payload) {
    ScannedLabel out;
    std::string_view t = trim(payload);
    out.raw = std::string(t);
    const std::string low = to_lower(t);
    if (is_uuid(t)) {
        out.kind = LabelKind::SpoolUuid;
        out.value = normalize_uuid(t);
        return out;
    }
    if (starts_with(low, "batchivo://spool/")) {
        std::string_view id = std::string_view(low).substr(17);
        if (is_uuid(id)) {
            out.kind = LabelKind::SpoolUuid;
            out.value = std::string(id);
            return out;
        }
    }
    if (starts_with(low, "batchivo://pair") || starts_with(low, "batchivo-pair:") ||
        (starts_with(low, "{") && low.find("\"pairing") != std::string::npos)) {
        out.kind = LabelKind::Pairing;
        out.value = out.raw;
        return out;
    }
    if (starts_with(low, "http://") || starts_with(low, "https://")) {
        auto f = low.find("/filaments/");
        if (f != std::string::npos) {
            std::string_view rest = std::string_view(low).substr(f + 11);
            if (rest.size() >= 36 && is_uuid(rest.substr(0, 36)) &&
                (rest.size() == 36 || rest.substr(36) == "/update" || rest.substr(36) == "/update/")) {
                out.kind = LabelKind::SpoolUuid;
                out.value = std::string(rest.substr(0, 36));
                return out;
            }
        }
        auto s = low.find("/spool/show/");
        if (s != std::string::npos) {
            std::string_view id = std::string_view(low).substr(s + 12);
            while (!id.empty() && id.back() == '/') id.remove_suffix(1);
            if (all_digits(id)) {
                out.kind = LabelKind::SpoolmanSpool;
                out.value = std::string(id);
                return out;
            }
        }
        return out;
    }
    if (starts_with(low, "web+spoolman:s-") && all_digits(std::string_view(low).substr(15))) {
        out.kind = LabelKind::SpoolmanSpool;
        out.value = low.substr(15);
        return out;
    }
    if (starts_with(low, "web+spoolman:f-") && all_digits(std::string_view(low).substr(15))) {
        out.kind = LabelKind::SpoolmanFilament;
        out.value = low.substr(15);
        return out;
    }
    // A user-facing spool_id such as FIL-001 or PLA-RED-001: letters, digits and dashes, at least one of each.
    bool alnum_dash = !t.empty() && t.size() <= 64;
    bool has_alpha = false, has_digit = false;
    for (char c : t) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalpha(u)) has_alpha = true;
        else if (std::isdigit(u)) has_digit = true;
        else if (c != '-' && c != '_') alnum_dash = false;
    }
    if (alnum_dash && has_alpha && has_digit) {
        out.kind = LabelKind::SpoolId;
        out.value = out.raw;
    }
    return out;
}

}  // namespace batchivo::station
