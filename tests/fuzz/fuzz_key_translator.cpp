#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "platform/scanner/keymap.hpp"

using namespace batchivo::platform;

// Every 3 bytes are one key event: code (2 bytes), value (0 release, 1 press, 2 repeat, anything else).
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    KeyTranslator t;
    for (size_t i = 0; i + 3 <= size && i < 3 * 256; i += 3) {  // up to 256 events an input
        int code = data[i] | (data[i + 1] << 8);
        int value = data[i + 2] % 4;
        auto out = t.feed(code, value);
        if (out) {
            FUZZ_ASSERT(!out->empty());
            for (char c : *out) FUZZ_ASSERT(c >= 0x20 && c < 0x7f);
        }
        FUZZ_ASSERT(t.pending().size() <= 4096);
    }
    return 0;
}
