#include "sync/targets/connection.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sync/http/http_client.hpp"

namespace batchivo::sync {

std::string connection_path(const std::string& data_dir) { return data_dir + "/target.json"; }

Result<std::optional<TargetConnection>> load_connection(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT) return std::optional<TargetConnection>();
        return Error{"io", path + ": " + std::strerror(errno)};
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077)) ::chmod(path.c_str(), 0600);
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        const auto j = nlohmann::json::parse(ss.str());
        TargetConnection c;
        c.kind = j.at("kind").get<std::string>();
        c.url = j.at("url").get<std::string>();
        c.api_key = j.value("api_key", "");
        c.ca_pem = j.value("ca_pem", "");
        c.connected_at = j.value("connected_at", "");
        c.email = j.value("email", "");
        c.tenant_id = j.value("tenant_id", "");
        c.tenant_name = j.value("tenant_name", "");
        c.tenant_chosen = j.value("tenant_chosen", false);
        c.access_token = j.value("access_token", "");
        c.refresh_token = j.value("refresh_token", "");
        if (c.kind.empty() || c.url.empty()) return Error{"invalid_input", path + ": kind and url are required"};
        return std::optional<TargetConnection>(std::move(c));
    } catch (const std::exception& e) {
        return Error{"invalid_input", path + ": not a connection file (" + e.what() + ")"};
    }
}

Result<> save_connection(const std::string& path, const TargetConnection& c) {
    nlohmann::json j{{"kind", c.kind}, {"url", c.url}, {"connected_at", c.connected_at}};
    if (!c.api_key.empty()) j["api_key"] = c.api_key;
    if (!c.ca_pem.empty()) j["ca_pem"] = c.ca_pem;
    if (c.kind == "batchivo") {
        j["email"] = c.email;
        j["tenant_id"] = c.tenant_id;
        j["tenant_name"] = c.tenant_name;
        j["tenant_chosen"] = c.tenant_chosen;
        j["access_token"] = c.access_token;
        j["refresh_token"] = c.refresh_token;
    }
    const std::string text = j.dump(2) + "\n";
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"io", tmp + ": " + std::strerror(errno)};
    size_t off = 0;
    bool ok = true;
    while (ok && off < text.size()) {
        const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) off += static_cast<size_t>(n);
    }
    ok = ok && ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(tmp.c_str());
        return Error{"io", path + ": " + why};
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

Result<> remove_connection(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Error{"io", path + ": " + std::strerror(errno)};
    return {};
}

CurlOptions connection_endpoint(const TargetConnection& c) {
    CurlOptions co;
    co.base_url = c.url;
    co.trust.ca_pem = c.ca_pem;
    co.allow_plain_http_local = true;
    return co;
}

std::optional<TargetConnection> load_connection_of_kind(const std::string& path, const std::string& kind,
                                                        std::string& problem) {
    auto c = load_connection(path);
    if (!c) {
        problem = c.error().message;
        return std::nullopt;
    }
    if (*c && (*c)->kind == kind) return **c;
    return std::nullopt;
}

bool is_plain_http(const std::string& url) { return url.rfind("http://", 0) == 0; }

Result<> check_target_url(const std::string& url) {
    if (url.rfind("https://", 0) == 0 && url.size() > 8) return {};
    if (is_plain_http(url)) {
        if (is_local_network_url(url)) return {};
        return Error{"insecure_url",
                     "plain http:// is allowed only for an address on the local network (10/8, 172.16/12, "
                     "192.168/16, loopback, link-local, *.local): use https:// for " + url};
    }
    return Error{"invalid_input", "not an http(s) URL: " + url};
}

}  // namespace batchivo::sync
