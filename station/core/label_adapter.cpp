#include "station/core/label_adapter.hpp"

#include "platform/labels/label_parser.hpp"
#include "sync/domain/text.hpp"

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

ScannedLabel classify_label(std::string_view payload) {
    ScannedLabel out;
    out.raw = std::string(trim(payload));
    // A pairing QR carries the server's CA certificate (~700+ characters): longer than the platform parser's
    // label limit (kMaxLabelBytes), so it is recognised here first. It is validated when pairing.
    if (out.raw.size() <= 8192 && to_lower(out.raw.substr(0, 14)) == "batchivo-pair:") {
        out.kind = LabelKind::Pairing;
        out.value = out.raw;
        return out;
    }
    auto ref = platform::parse_label(payload);
    out.value = ref.value;
    switch (ref.kind) {
        case platform::LabelKind::SpoolUuid: out.kind = LabelKind::SpoolUuid; break;
        case platform::LabelKind::SpoolId: out.kind = LabelKind::SpoolId; break;
        case platform::LabelKind::SpoolmanSpool: out.kind = LabelKind::SpoolmanSpool; break;
        case platform::LabelKind::SpoolmanFilament: out.kind = LabelKind::SpoolmanFilament; break;
        case platform::LabelKind::Pairing: out.kind = LabelKind::Pairing; break;
        case platform::LabelKind::Unknown: out.kind = LabelKind::Unknown; break;
    }
    return out;
}

}  // namespace batchivo::station
