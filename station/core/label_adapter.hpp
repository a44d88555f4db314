// Thin adapter over platform::parse_label(): the kiosk only needs the kind of a scanned payload and its key.
#pragma once

#include <string>
#include <string_view>

namespace batchivo::station {

enum class LabelKind { SpoolUuid, SpoolId, SpoolmanSpool, SpoolmanFilament, Pairing, Unknown };
std::string_view to_string(LabelKind k);

struct ScannedLabel {
    LabelKind kind = LabelKind::Unknown;
    std::string raw;    // what was scanned, trimmed
    std::string value;  // uuid (lowercase), spool_id, Spoolman id, or the pairing payload
};

ScannedLabel classify_label(std::string_view payload);

}  // namespace batchivo::station
