#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "platform/labels/label_parser.hpp"

using namespace batchivo::platform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    LabelRef r = parse_label(text);
    FUZZ_ASSERT(!to_string(r.kind).empty());
    FUZZ_ASSERT(r.value.size() <= (r.kind == LabelKind::Pairing ? kMaxPairingBytes : kMaxLabelBytes));
    FUZZ_ASSERT(r.raw.size() <= text.size());
    if (r.kind != LabelKind::Unknown) FUZZ_ASSERT(!r.value.empty());
    if (r.kind == LabelKind::SpoolUuid) FUZZ_ASSERT(r.value.size() == 36);
    // parsing is stable: the value of a recognised label parses to the same kind again (except payloads whose
    // meaning depends on their prefix)
    if (r.kind == LabelKind::SpoolUuid || r.kind == LabelKind::SpoolId || r.kind == LabelKind::Pairing) {
        LabelRef again = parse_label(r.value);
        FUZZ_ASSERT(again.kind == r.kind);
        FUZZ_ASSERT(again.value == r.value);
    }
    return 0;
}
