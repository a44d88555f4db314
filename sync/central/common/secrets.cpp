#include "sync/central/common/secrets.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace batchivo::central {

std::string sha256_hex(std::string_view data) {
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : md) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

std::string random_bytes(size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

std::string base64url(std::string_view bytes) {
    std::string s = base64(bytes);
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return s;
}

std::string new_device_token() { return "bvt_" + base64url(random_bytes(32)); }

std::string new_pairing_code() {
    static constexpr std::string_view alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols
    std::string code = "PAIR-";
    int produced = 0;
    while (produced < 8) {
        const std::string r = random_bytes(16);
        for (unsigned char c : r) {
            if (c >= 248) continue;  // 248 = 8 * 31: reject to keep the distribution uniform
            code += alphabet[c % 31];
            if (++produced == 4) code += '-';
            if (produced == 8) break;
        }
    }
    return code;
}

std::string normalize_pairing_code(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        out += c;
    }
    return out;
}

}  // namespace batchivo::central
