// What a scanned text refers to: the one place that trims and classifies a scan (camera, evdev scanner, typed
// burst, the CLI). Case-insensitive, surrounding whitespace ignored, never throws or crashes on any byte string.
// Depends only on sync/domain/text (the fuzzer builds the two sources alone).
//
//   https://<any host>/filaments/<uuid>[/update]   -> spool_uuid (lowercased uuid)
//   batchivo://spool/<uuid>, bare <uuid>           -> spool_uuid
//   web+spoolman:s-<n>, <base>/spool/show/<n>      -> spoolman_spool (n)
//   web+spoolman:f-<n>, <base>/filament/show/<n>   -> spoolman_filament (n): not a spool
//   batchivo-pair:... (up to 8 KiB: carries a CA)   -> pairing (the whole payload)
//   PAIR-XXXX-XXXX                                 -> pairing (the code, uppercased)
//   other printable text (FIL-001, qr_code_data)   -> spool_id (trimmed text; the catalog decides)
//   empty, control bytes, invalid UTF-8, > 256 bytes, malformed batchivo:// or web+spoolman: -> unknown
#pragma once

#include <string>
#include <string_view>

namespace batchivo::platform {

enum class LabelKind { SpoolUuid, SpoolId, SpoolmanSpool, SpoolmanFilament, Pairing, Unknown };
std::string_view to_string(LabelKind k);

struct LabelRef {
    LabelKind kind = LabelKind::Unknown;
    std::string raw;    // what was scanned, trimmed (also for unknown labels: for messages and exact matches)
    std::string value;  // uuid (lowercase), spool_id, Spoolman id, the pairing payload or code; for unknown
                        // labels empty, or the text of a malformed batchivo:// / web+spoolman: link
};

LabelRef parse_label(std::string_view text);

inline constexpr size_t kMaxLabelBytes = 256;
// A pairing QR carries the server's CA certificate (~700+ characters): its own, larger limit.
inline constexpr size_t kMaxPairingBytes = 8192;

}  // namespace batchivo::platform
