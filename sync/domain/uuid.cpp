#include "sync/domain/uuid.hpp"

#include <sys/random.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "sync/domain/text.hpp"

namespace batchivo {

static void random_bytes(unsigned char* p, size_t n) {
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) throw std::runtime_error("getrandom failed");
        p += got;
        n -= static_cast<size_t>(got);
    }
}

static std::string format(const unsigned char b[16]) {
    char s[37];
    std::snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return s;
}

std::string new_uuid_v7() {
    unsigned char b[16];
    random_bytes(b, sizeof b);
    const uint64_t ms = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F));
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));
    return format(b);
}

std::string new_uuid_v4() {
    unsigned char b[16];
    random_bytes(b, sizeof b);
    b[6] = static_cast<unsigned char>(0x40 | (b[6] & 0x0F));
    b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));
    return format(b);
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (size_t i = 0; i < 36; ++i) {
        const char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

std::string normalize_uuid(std::string_view s) { return is_uuid(s) ? to_lower(s) : std::string(); }

}  // namespace batchivo
