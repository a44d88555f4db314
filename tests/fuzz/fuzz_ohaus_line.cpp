#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"
#include "platform/scale/serial_parsers.hpp"

using namespace batchivo::platform;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view line(reinterpret_cast<const char*>(data), size);
    ParsedLine p = parse_ohaus_line(line);
    if (p.kind != ParsedLine::Kind::Reading) FUZZ_ASSERT(!p.grams);
    if (p.grams) {
        FUZZ_ASSERT(std::isfinite(*p.grams));
        if (p.status == ScaleStatus::UnderZero) FUZZ_ASSERT(*p.grams < 0);
        if (p.status == ScaleStatus::Stable || p.status == ScaleStatus::InMotion || p.status == ScaleStatus::AtZero)
            FUZZ_ASSERT(*p.grams >= 0);
    }
    if (p.status == ScaleStatus::Overload) FUZZ_ASSERT(!p.grams);
    return 0;
}
