// The HTTP transport every sync target shares: one interface, the libcurl implementation (verified TLS against the
// paired server's CA plus the public-key pin, or the system store; connect and total timeouts; abortable) and a
// scripted fake for tests. Errors are values: perform() never throws for network or TLS problems. A client is used
// by one caller at a time (CurlHttpClient serialises perform() with a mutex); it knows nothing of any server's API.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace batchivo::sync {

enum class TransportError {
    None,      // a response arrived (any status)
    Network,   // DNS, refused, reset, TLS handshake cut short, malformed response, ...
    Timeout,   // connect or total timeout
    Tls,       // the server's certificate failed verification, or its key does not match the pin
    Aborted,   // aborted by the abort flag (shutdown)
};
std::string_view to_string(TransportError e);

struct HttpRequest {
    std::string method = "GET";  // GET | POST | PUT | PATCH | DELETE
    std::string target;          // path and query, appended to the base URL, e.g. "/api/station/v1/catalog?since="
    std::string body;            // JSON for POST/PUT/PATCH
    std::string bearer_token;    // empty = no Authorization header
    std::vector<std::pair<std::string, std::string>> headers{};  // extra request headers (e.g. X-Tenant-ID)
};

struct HttpResponse {
    TransportError error = TransportError::None;
    std::string error_message;  // transport error text (curl's)
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual HttpResponse perform(const HttpRequest& req) = 0;
};

struct TlsTrust {
    // PEM of the CA that signed the server's certificate (from pairing). Empty = the system's trust store (a
    // publicly trusted certificate); verification is never turned off either way.
    std::string ca_pem;
    std::string pin;  // "sha256//<base64>" public-key pin from pairing; empty = none
};

struct CurlOptions {
    std::string base_url;  // https://host:port (no trailing slash needed)
    TlsTrust trust;
    int connect_timeout_ms = 5000;
    int total_timeout_ms = 30000;
    // Set to true (e.g. on shutdown) to abort a transfer in progress; checked by libcurl's progress callback.
    const std::atomic<bool>* abort_flag = nullptr;
    std::string user_agent = "batchivo-station/0.1";
    // Plain http:// also for an address on the local network (is_local_network_url), not only loopback: a
    // Spoolman on the LAN (the operator sees it as "not encrypted"). Off for batchivo-central.
    bool allow_plain_http_local = false;
};

// libcurl over one reused easy handle (connection reuse); perform() is serialised by a mutex. Plain http:// is
// allowed only for loopback hosts (tests and the local demo); any other http:// URL is refused.
class CurlHttpClient : public HttpClient {
public:
    explicit CurlHttpClient(CurlOptions opts);
    ~CurlHttpClient() override;
    HttpResponse perform(const HttpRequest& req) override;
    const CurlOptions& options() const { return opts_; }

private:
    CurlOptions opts_;
    void* curl_ = nullptr;  // CURL*
    std::mutex mu_;
};

// Builds the transport for `opts` (tests substitute it; default: a CurlHttpClient). Throws on a refused URL.
using HttpClientFactory = std::function<std::unique_ptr<HttpClient>(const CurlOptions&)>;
std::unique_ptr<HttpClient> make_http_client(const CurlOptions& opts, const HttpClientFactory& factory = {});

// True for http(s) URLs whose host is 127.0.0.0/8, ::1 or localhost.
bool is_loopback_url(const std::string& url);
// True for http(s) URLs whose host is on the local network: loopback, RFC 1918 (10/8, 172.16/12, 192.168/16),
// link-local (169.254/16, fe80::/10), IPv6 unique-local (fc00::/7), or a multicast-DNS name (*.local).
bool is_local_network_url(const std::string& url);

// A scripted client for tests: responses are queued or produced by a handler; every request is recorded.
class ScriptedHttpClient : public HttpClient {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    void push(HttpResponse r);                 // answered in FIFO order before the handler is consulted
    void set_handler(Handler h);               // used when the queue is empty
    HttpResponse perform(const HttpRequest& req) override;
    std::vector<HttpRequest> requests();       // a copy of everything performed so far
    size_t request_count();

    static HttpResponse status(int code, std::string body = "{}", std::map<std::string, std::string> headers = {});
    static HttpResponse transport(TransportError e, std::string message = "scripted");

private:
    std::mutex mu_;
    std::deque<HttpResponse> queue_;
    Handler handler_;
    std::vector<HttpRequest> seen_;
};

}  // namespace batchivo::sync
