#include "sync/central/api/server.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "sync/central/api/server_impl.hpp"
#include "sync/domain/time.hpp"
#include "sync/protocol/api.hpp"

namespace batchivo::central {

bool is_loopback_host(const std::string& h) {
    return h == "127.0.0.1" || h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

CentralServer::CentralServer(std::shared_ptr<StationApiStore> api, std::shared_ptr<AuthStore> auth)
    : impl_(std::make_unique<Impl>()) {
    impl_->api = std::move(api);
    impl_->auth_store = std::move(auth);
    impl_->configure(ServerOptions{});
    impl_->routes();
}

void CentralServer::Impl::configure(const ServerOptions& o) {
    opts = o;
    device_limiter = std::make_unique<RateLimiter>(o.rate_per_s, o.burst);
    pair_limiter = std::make_unique<RateLimiter>(o.pair_rate_per_s, o.pair_burst);
    auth_fail_limiter = std::make_unique<RateLimiter>(o.auth_fail_rate_per_s, o.auth_fail_burst);
}

void CentralServer::configure(const ServerOptions& o) { impl_->configure(o); }

namespace {

bool valid_request_id(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

std::string new_request_id() {
    static std::atomic<uint64_t> counter{0};
    static const uint64_t salt = [] {
        std::random_device rd;
        return (static_cast<uint64_t>(rd()) << 32) ^ rd();
    }();
    uint64_t x = salt + 0x9E3779B97F4A7C15ULL * (++counter);  // splitmix64: unique per process, unpredictable
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    x ^= x >> 31;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
    return buf;
}

// logfmt value: bare when it is a plain token, else quoted with \" and \\ escaped (control bytes dropped).
void logfmt(std::string& out, const char* key, const std::string& v) {
    out += ' ';
    out += key;
    out += '=';
    bool bare = !v.empty();
    for (char c : v)
        if (c <= ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) >= 0x7f) bare = false;
    if (bare) {
        out += v;
        return;
    }
    out += '"';
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
        out += c;
    }
    out += '"';
}

// The method as logged: an HTTP token of at most 16 letters, else "?" (it is the client's text).
std::string safe_method(const std::string& m) {
    if (m.empty() || m.size() > 16) return "?";
    for (char c : m)
        if (!std::isalpha(static_cast<unsigned char>(c))) return "?";
    return m;
}

}  // namespace

namespace {
std::atomic<bool> g_wedged{false};
}  // namespace

void set_requests_wedged_for_test(bool wedged) { g_wedged = wedged; }

void CentralServer::Impl::serve(ServerRequest& req, ServerResponse& res) {
    while (g_wedged.load()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto t0 = std::chrono::steady_clock::now();
    const std::string incoming = req.get_header_value("X-Request-Id");
    req.note.request_id = valid_request_id(incoming) ? incoming : new_request_id();
    if (req.transport_status == 413 || (req.transport_status == 0 && req.body.size() > wire::kMaxBodyBytes))
        send_error(res, 413, "payload_too_large", "request body exceeds 1 MiB");
    else if (req.transport_status == 414)
        send_error(res, 414, "uri_too_long", "request line or header too long (over 16 KiB)");
    else if (req.transport_status != 0)
        send_error(res, 400, "invalid_request", "malformed HTTP request");
    else
        dispatch(req, res);
    if (req.note.route.empty()) req.note.route = "unmatched";
    res.set_header("X-Request-Id", req.note.request_id);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics.observe(req.note.route, res.status, secs);
    if (!opts.access_log) return;
    std::string line;
    line.reserve(256);
    line += "time=" + iso8601_utc_ms(now_epoch_ms());
    logfmt(line, "msg", "request");
    logfmt(line, "remote", req.remote_addr);
    logfmt(line, "method", safe_method(req.method));
    logfmt(line, "route", req.note.route);
    logfmt(line, "status", std::to_string(res.status));
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", secs * 1000.0);
    logfmt(line, "duration_ms", ms);
    if (!req.note.tenant_id.empty()) logfmt(line, "tenant", req.note.tenant_id);
    if (!req.note.device_id.empty()) logfmt(line, "device", req.note.device_id);
    logfmt(line, "request_id", req.note.request_id);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);  // one write per line: lines from workers never interleave
}

std::string CentralServer::Impl::render_metrics() const {
    Metrics::Gauges g;
    g.open_connections = transport ? transport->open_connections() : 0;
    g.rejected_connections = transport ? transport->rejected_connections() : 0;
    if (api) g.pool = api->pool_use();
    return metrics.render(g);
}

void CentralServer::Impl::serve_metrics(ServerRequest& req, ServerResponse& res) {
    if (req.transport_status != 0) {
        res.status = req.transport_status;
        res.set_content("bad request\n", "text/plain");
    } else if (req.path != "/metrics") {
        res.status = 404;
        res.set_content("not found: only GET /metrics here\n", "text/plain");
    } else if (req.method != "GET") {
        res.status = 405;
        res.set_header("Allow", "GET");
        res.set_content("method not allowed\n", "text/plain");
    } else {
        res.status = 200;
        res.set_content(render_metrics(), "text/plain; version=0.0.4; charset=utf-8");
    }
}

ApiResponse CentralServer::handle(const ApiRequest& in) {
    ServerRequest req;
    ServerResponse res;
    req.method = in.method;
    parse_target(in.target, req);
    req.headers = in.headers;
    req.body = in.body;
    req.remote_addr = in.remote_addr;
    impl_->serve(req, res);
    ApiResponse out;
    out.status = res.status;
    out.body = std::move(res.body);
    out.headers = std::move(res.headers);
    return out;
}

CentralServer::~CentralServer() { stop(); }

bool CentralServer::start(const ServerOptions& o, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        impl_->transport.reset();
        impl_->metrics_transport.reset();
        return false;
    };
    if (impl_->transport) return fail("already started");
    // A client that disconnects mid-response makes OpenSSL write to a closed socket; with the default SIGPIPE
    // disposition that would kill the whole process (the kiosk, in demo mode). Ignore it unless someone chose a
    // handler already.
    struct sigaction old {};
    if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
    impl_->configure(o);
    transport::TransportOptions t;
    t.host = o.host;
    t.port = o.port;
    if (o.plain_http) {
        if (!is_loopback_host(o.host)) return fail("plain HTTP is only allowed on a loopback address, not " + o.host);
    } else {
        if (o.cert_file.empty() || o.key_file.empty()) return fail("TLS needs a certificate and a key");
        t.tls = true;
        t.cert_file = o.cert_file;
        t.key_file = o.key_file;
    }
    t.io_threads = std::max(1, o.io_threads);
    t.worker_threads = std::max(1, o.threads);
    t.header_timeout_ms = o.header_timeout_ms;
    t.idle_timeout_ms = o.idle_timeout_ms;
    t.body_grace_ms = o.body_grace_ms;
    t.body_min_bytes_per_s = o.body_min_bytes_per_s;
    t.max_connections = o.max_connections;
    t.max_connections_per_address = o.max_connections_per_address;
    t.max_body_bytes = wire::kMaxBodyBytes;
    Impl* impl = impl_.get();
    impl_->transport = std::make_unique<transport::HttpTransport>(
        t, [impl](ServerRequest& req, ServerResponse& res) { impl->serve(req, res); });
    std::string err;
    if (!impl_->transport->start(&err)) return fail(err);
    impl_->port = impl_->transport->port();
    if (o.metrics_port >= 0) {
        transport::TransportOptions m;
        m.host = o.metrics_host;
        m.port = o.metrics_port;
        m.io_threads = 1;
        m.worker_threads = 0;  // rendering counters is cheap: on the I/O thread, independent of busy workers
        m.max_connections = 64;
        m.max_connections_per_address = 16;
        m.max_body_bytes = 4096;
        impl_->metrics_transport = std::make_unique<transport::HttpTransport>(
            m, [impl](ServerRequest& req, ServerResponse& res) { impl->serve_metrics(req, res); });
        if (!impl_->metrics_transport->start(&err)) {
            impl_->transport->stop();
            return fail("metrics listener: " + err);
        }
    }
    return true;
}

int CentralServer::port() const { return impl_->port; }

namespace {
std::string bracket(std::string host) {
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return host;
}
}  // namespace

std::string CentralServer::url() const {
    return std::string(impl_->opts.plain_http ? "http://" : "https://") + bracket(impl_->opts.host) + ":" +
           std::to_string(impl_->port);
}

int CentralServer::metrics_port() const { return impl_->metrics_transport ? impl_->metrics_transport->port() : -1; }

std::string CentralServer::metrics_url() const {
    if (!impl_->metrics_transport) return {};
    return "http://" + bracket(impl_->opts.metrics_host) + ":" + std::to_string(metrics_port()) + "/metrics";
}

std::string CentralServer::metrics_text() const { return impl_->render_metrics(); }

bool CentralServer::running() const { return impl_->transport && impl_->transport->running(); }

bool CentralServer::reload_tls(std::string* error) {
    if (!impl_->transport) {
        if (error) *error = "not serving";
        return false;
    }
    return impl_->transport->reload_tls(error);
}

void CentralServer::stop() {
    if (!impl_) return;
    if (impl_->metrics_transport) impl_->metrics_transport->stop();
    if (impl_->transport) impl_->transport->stop();
    impl_->metrics_transport.reset();
    impl_->transport.reset();
}

}  // namespace batchivo::central
