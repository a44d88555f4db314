// Thin adapter over the platform's label parser: the kiosk only needs the kind of a scanned payload and its key.
// While platform/labels/label_parser.hpp is not in the tree this file carries an equivalent parser for the label
// payloads in the field reference (Batchivo URL / batchivo:// / bare UUID, spool_id, Spoolman spool and filament,
// pairing payloads), so integration is one change here.
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
