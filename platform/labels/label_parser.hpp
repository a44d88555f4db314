// What a scanned text refers to. Case-insensitive, surrounding whitespace ignored, never throws or crashes on
// any byte string. Self-contained (no project dependencies) so the fuzzer builds it alone.
//
//   https://<any host>/filaments/<uuid>[/update]   -> spool_uuid (lowercased uuid)
//   batchivo://spool/<uuid>, bare <uuid>           -> spool_uuid
//   web+spoolman:s-<n>, <base>/spool/show/<n>      -> spoolman_spool (n)
//   web+spoolman:f-<n>, <base>/filament/show/<n>   -> spoolman_filament (n): not a spool
//   batchivo-pair:...                              -> pairing (the whole payload)
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
    std::string value;
};

LabelRef parse_label(std::string_view text);

inline constexpr size_t kMaxLabelBytes = 256;

}  // namespace batchivo::platform
