#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "platform/scale/hid_report.hpp"

using namespace batchivo::platform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto r = parse_hid_report(data, size);
    if (r) {
        FUZZ_ASSERT(size == 6);
        FUZZ_ASSERT(data[0] == 0x03 || data[0] == 0x04);
        if (r->grams) FUZZ_ASSERT(std::isfinite(*r->grams));
        if (r->status == ScaleStatus::Fault || r->status == ScaleStatus::Overload) FUZZ_ASSERT(!r->grams);
        if (r->status == ScaleStatus::Stable || r->status == ScaleStatus::InMotion) FUZZ_ASSERT(r->grams && *r->grams >= 0);
        if (r->status == ScaleStatus::UnderZero) FUZZ_ASSERT(r->grams && *r->grams <= 0);
    }
    std::string hex = hex_bytes(data, size < 64 ? size : 64);
    FUZZ_ASSERT(hex.size() == (size == 0 ? 0 : (size < 64 ? size : 64) * 3 - 1));
    return 0;
}
