#include "sync/http/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace batchivo::sync {

std::string_view to_string(TransportError e) {
    switch (e) {
        case TransportError::None: return "none";
        case TransportError::Network: return "network";
        case TransportError::Timeout: return "timeout";
        case TransportError::Tls: return "tls";
        case TransportError::Aborted: return "aborted";
    }
    return "network";
}

namespace {

std::once_flag g_curl_init;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

size_t write_cb(char* ptr, size_t size, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(ptr, size * n);
    return size * n;
}

size_t header_cb(char* ptr, size_t size, size_t n, void* ud) {
    auto* h = static_cast<std::map<std::string, std::string>*>(ud);
    std::string line(ptr, size * n);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {
        h->clear();  // a new response (e.g. after 100 Continue): keep only the final one's headers
    } else if (auto colon = line.find(':'); colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        size_t b = v.find_first_not_of(" \t");
        v = b == std::string::npos ? "" : v.substr(b);
        (*h)[lower(line.substr(0, colon))] = v;
    }
    return size * n;
}

int progress_cb(void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* flag = static_cast<const std::atomic<bool>*>(ud);
    return flag && flag->load(std::memory_order_relaxed) ? 1 : 0;
}

TransportError map_curl_error(CURLcode rc) {
    switch (rc) {
        case CURLE_OPERATION_TIMEDOUT: return TransportError::Timeout;
        case CURLE_ABORTED_BY_CALLBACK: return TransportError::Aborted;
        case CURLE_PEER_FAILED_VERIFICATION:  // 60: certificate not trusted by the paired CA / wrong host name
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:  // 90: the server's key is not the pinned one
        case CURLE_SSL_CACERT_BADFILE:        // 77: the stored CA cannot be loaded
        case CURLE_SSL_ISSUER_ERROR:          // 83
        case CURLE_SSL_INVALIDCERTSTATUS:     // 91
        case CURLE_SSL_CERTPROBLEM:           // 58
            return TransportError::Tls;
        default: return TransportError::Network;
    }
}

}  // namespace

std::unique_ptr<HttpClient> make_http_client(const CurlOptions& opts, const HttpClientFactory& factory) {
    return factory ? factory(opts) : std::make_unique<CurlHttpClient>(opts);
}

namespace {
std::string url_host(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return {};
    std::string rest = lower(url.substr(scheme_end + 3));
    auto slash = rest.find_first_of("/?#");
    std::string hostport = rest.substr(0, slash);
    if (auto at = hostport.rfind('@'); at != std::string::npos) hostport = hostport.substr(at + 1);
    if (!hostport.empty() && hostport[0] == '[') return hostport.substr(1, hostport.find(']') - 1);
    return hostport.substr(0, hostport.find(':'));
}
}  // namespace

bool is_local_network_url(const std::string& url) {
    if (is_loopback_url(url)) return true;
    const std::string host = url_host(url);
    if (host.empty()) return false;
    if (host.size() > 6 && host.compare(host.size() - 6, 6, ".local") == 0) return true;
    unsigned a = 0, b = 0, c = 0, d = 0;
    char tail = 0;
    if (std::sscanf(host.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a < 256 && b < 256 && c < 256 &&
        d < 256)
        return a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || (a == 169 && b == 254);
    if (host.find(':') != std::string::npos) {  // IPv6 literal
        return host.rfind("fe8", 0) == 0 || host.rfind("fe9", 0) == 0 || host.rfind("fea", 0) == 0 ||
               host.rfind("feb", 0) == 0 || host.rfind("fc", 0) == 0 || host.rfind("fd", 0) == 0;
    }
    return false;
}

bool is_loopback_url(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return false;
    std::string rest = lower(url.substr(scheme_end + 3));
    auto slash = rest.find('/');
    std::string hostport = rest.substr(0, slash);
    if (auto at = hostport.rfind('@'); at != std::string::npos) hostport = hostport.substr(at + 1);
    std::string host;
    if (!hostport.empty() && hostport[0] == '[') {
        host = hostport.substr(1, hostport.find(']') - 1);
    } else {
        host = hostport.substr(0, hostport.find(':'));
    }
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

CurlHttpClient::CurlHttpClient(CurlOptions opts) : opts_(std::move(opts)) {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    while (!opts_.base_url.empty() && opts_.base_url.back() == '/') opts_.base_url.pop_back();
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("libcurl: cannot create a handle");
}

CurlHttpClient::~CurlHttpClient() {
    if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResponse CurlHttpClient::perform(const HttpRequest& req) {
    std::lock_guard lk(mu_);
    HttpResponse out;
    const std::string url = opts_.base_url + req.target;
    const bool https = url.rfind("https://", 0) == 0;
    const bool plain_ok = url.rfind("http://", 0) == 0 &&
                          (is_loopback_url(url) || (opts_.allow_plain_http_local && is_local_network_url(url)));
    if (!https && !plain_ok) {
        out.error = TransportError::Tls;
        out.error_message = "refusing a non-HTTPS URL outside loopback: " + opts_.base_url;
        return out;
    }
    if (opts_.abort_flag && opts_.abort_flag->load()) {
        out.error = TransportError::Aborted;
        out.error_message = "aborted before start";
        return out;
    }
    CURL* c = static_cast<CURL*>(curl_);
    curl_easy_reset(c);  // keeps the connection cache; clears options from the previous request
    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opts_.connect_timeout_ms));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opts_.total_timeout_ms));
    curl_easy_setopt(c, CURLOPT_USERAGENT, opts_.user_agent.c_str());
    // gzip only: brotli at the server's default quality costs far more CPU than it saves on a LAN.
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    // TLS: always verified. With a paired CA, trust exactly that CA (not the system store); the pin applies on top.
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_blob blob{};
    if (!opts_.trust.ca_pem.empty()) {
        blob.data = const_cast<char*>(opts_.trust.ca_pem.data());
        blob.len = opts_.trust.ca_pem.size();
        blob.flags = CURL_BLOB_COPY;
        curl_easy_setopt(c, CURLOPT_CAINFO, nullptr);
        curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
        curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (!opts_.trust.pin.empty()) curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, opts_.trust.pin.c_str());
    // Abort on shutdown.
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, opts_.abort_flag);
    // Body and headers.
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out.headers);
    curl_slist* hdrs = nullptr;
    hdrs = curl_slist_append(hdrs, "Accept: application/json");
    hdrs = curl_slist_append(hdrs, "Expect:");
    std::string auth;
    if (!req.bearer_token.empty()) {
        auth = "Authorization: Bearer " + req.bearer_token;
        hdrs = curl_slist_append(hdrs, auth.c_str());
    }
    std::vector<std::string> extra;
    extra.reserve(req.headers.size());
    for (const auto& [name, value] : req.headers) {
        extra.push_back(name + ": " + value);
        hdrs = curl_slist_append(hdrs, extra.back().c_str());
    }
    if (req.method == "POST") {
        hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    } else if (req.method == "GET") {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
        if (!req.body.empty()) {
            hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        }
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(hdrs);
    if (rc != CURLE_OK) {
        out.error = map_curl_error(rc);
        out.error_message = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(" (") + errbuf + ")" : "");
        out.status = 0;
        out.body.clear();
        out.headers.clear();
        return out;
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    return out;
}

void ScriptedHttpClient::push(HttpResponse r) {
    std::lock_guard lk(mu_);
    queue_.push_back(std::move(r));
}

void ScriptedHttpClient::set_handler(Handler h) {
    std::lock_guard lk(mu_);
    handler_ = std::move(h);
}

HttpResponse ScriptedHttpClient::perform(const HttpRequest& req) {
    Handler h;
    {
        std::lock_guard lk(mu_);
        seen_.push_back(req);
        if (!queue_.empty()) {
            auto r = std::move(queue_.front());
            queue_.pop_front();
            return r;
        }
        h = handler_;
    }
    if (h) return h(req);
    return transport(TransportError::Network, "scripted client: no response queued");
}

std::vector<HttpRequest> ScriptedHttpClient::requests() {
    std::lock_guard lk(mu_);
    return seen_;
}

size_t ScriptedHttpClient::request_count() {
    std::lock_guard lk(mu_);
    return seen_.size();
}

HttpResponse ScriptedHttpClient::status(int code, std::string body, std::map<std::string, std::string> headers) {
    HttpResponse r;
    r.status = code;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

HttpResponse ScriptedHttpClient::transport(TransportError e, std::string message) {
    HttpResponse r;
    r.error = e;
    r.error_message = std::move(message);
    return r;
}

}  // namespace batchivo::sync
