#include "sync/targets/central/credentials.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <openssl/x509.h>

namespace batchivo::sync {

std::string credentials_path(const std::string& data_dir) { return data_dir + "/credentials.json"; }

namespace {

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int b64_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

bool write_all(int fd, const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::write(fd, data.data() + off, data.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        off += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    size_t pad = 0;
    for (char c : text) {
        if (c == '=') {
            ++pad;
            continue;
        }
        if (c == '\n' || c == '\r' || c == ' ') continue;
        if (pad) return std::nullopt;  // data after padding
        int v = b64_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    if (bits >= 6) return std::nullopt;  // a dangling single character
    return out;
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                     static_cast<uint8_t>(bytes[i + 2]);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += kB64[v & 63];
    }
    if (i + 1 == bytes.size()) {
        uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string der_certificate_to_pem(std::string_view der) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!x) return {};
    X509_free(x);
    if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return {};  // trailing garbage
    const std::string b64 = base64_encode(der);
    std::string pem = "-----BEGIN CERTIFICATE-----\n";
    for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
    pem += "-----END CERTIFICATE-----\n";
    return pem;
}

std::optional<Credentials> load_credentials(const std::string& path, std::string& error) {
    error.clear();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return std::nullopt;
        error = path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    if (st.st_mode & 077) ::chmod(path.c_str(), 0600);
    std::ifstream in(path);
    if (!in) {
        error = path + ": cannot read";
        return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        auto j = nlohmann::json::parse(ss.str());
        Credentials c;
        c.server_url = j.at("server_url").get<std::string>();
        c.ca_pem = j.value("ca_pem", "");
        c.pin = j.value("pin", "");
        c.device_token = j.at("device_token").get<std::string>();
        c.device_id = j.value("device_id", "");
        c.tenant_id = j.value("tenant_id", "");
        c.tenant_slug = j.value("tenant_slug", "");
        c.tenant_name = j.value("tenant_name", "");
        c.station_name = j.value("station_name", "");
        c.paired_at = j.value("paired_at", "");
        if (c.server_url.empty() || c.device_token.empty()) {
            error = path + ": server_url or device_token missing";
            return std::nullopt;
        }
        return c;
    } catch (const std::exception& e) {
        error = path + ": malformed credentials (" + e.what() + "); pair the station again";
        return std::nullopt;
    }
}

bool save_credentials(const std::string& path, const Credentials& c, std::string& error) {
    nlohmann::json j{{"server_url", c.server_url},     {"ca_pem", c.ca_pem},           {"pin", c.pin},
                     {"device_token", c.device_token}, {"device_id", c.device_id},     {"tenant_id", c.tenant_id},
                     {"tenant_slug", c.tenant_slug},   {"tenant_name", c.tenant_name}, {"station_name", c.station_name},
                     {"paired_at", c.paired_at}};
    const std::string text = j.dump(2) + "\n";
    const std::string tmp = path + ".tmp";
    ::unlink(tmp.c_str());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = tmp + ": " + std::strerror(errno);
        return false;
    }
    const bool ok = write_all(fd, text) && ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!ok) {
        error = tmp + ": " + std::strerror(saved);
        ::unlink(tmp.c_str());
        return false;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        error = path + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return false;
    }
    const auto slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

}  // namespace batchivo::sync
