#include "sync/central/api/server.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>

#include "sync/central/api/server_impl.hpp"
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
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
// Percent-decoding as the HTTP library does it ('+' is a space in query components, not in the path).
std::string decode_query_part(std::string_view s, bool plus_is_space = true) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (plus_is_space && s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}
}  // namespace

ApiResponse CentralServer::handle(const ApiRequest& in) {
    httplib::Request req;
    httplib::Response res;
    req.method = in.method;
    const size_t q = in.target.find('?');
    req.path = decode_query_part(std::string_view(in.target).substr(0, q), false);
    if (q != std::string::npos) {
        std::string_view query = std::string_view(in.target).substr(q + 1);
        while (!query.empty()) {
            const size_t amp = query.find('&');
            const std::string_view part = query.substr(0, amp);
            if (!part.empty()) {
                const size_t eq = part.find('=');
                req.params.emplace(decode_query_part(part.substr(0, eq)),
                                   eq == std::string_view::npos ? std::string() : decode_query_part(part.substr(eq + 1)));
            }
            if (amp == std::string_view::npos) break;
            query.remove_prefix(amp + 1);
        }
    }
    for (const auto& [k, v] : in.headers) req.headers.emplace(k, v);
    req.body = in.body;
    req.remote_addr = in.remote_addr;
    if (req.body.size() > wire::kMaxBodyBytes)
        send_error(res, 413, "payload_too_large", "request body exceeds 1 MiB");
    else
        impl_->dispatch(req, res);
    ApiResponse out;
    out.status = res.status;
    out.body = res.body;
    for (const auto& [k, v] : res.headers) out.headers.emplace_back(k, v);
    return out;
}

CentralServer::~CentralServer() { stop(); }

bool CentralServer::start(const ServerOptions& o, std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        return false;
    };
    if (impl_->svr) return fail("already started");
    // A client that disconnects mid-response makes OpenSSL write to a closed socket; with the default SIGPIPE
    // disposition that would kill the whole process (the kiosk, in demo mode). Ignore it unless someone chose a
    // handler already.
    struct sigaction old {};
    if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
    impl_->configure(o);
    if (o.plain_http) {
        if (!is_loopback_host(o.host)) return fail("plain HTTP is only allowed on a loopback address, not " + o.host);
        impl_->svr = std::make_unique<httplib::Server>();
    } else {
        if (o.cert_file.empty() || o.key_file.empty()) return fail("TLS needs a certificate and a key");
        auto s = std::make_unique<httplib::SSLServer>(o.cert_file.c_str(), o.key_file.c_str());
        if (!s->is_valid()) return fail("cannot load TLS certificate " + o.cert_file + " / key " + o.key_file);
        impl_->svr = std::move(s);
    }
    const int threads = std::max(1, o.threads);
    impl_->svr->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    impl_->install(*impl_->svr);
    const std::string host = o.host == "localhost" ? "127.0.0.1" : o.host;
    int port = o.port;
    if (port == 0) {
        port = impl_->svr->bind_to_any_port(host);
        if (port <= 0) {
            impl_->svr.reset();
            return fail("cannot bind " + host);
        }
    } else if (!impl_->svr->bind_to_port(host, port)) {
        impl_->svr.reset();
        return fail("cannot bind " + host + ":" + std::to_string(port));
    }
    impl_->port = port;
    impl_->thread = std::thread([this] { impl_->svr->listen_after_bind(); });
    for (int i = 0; i < 500 && !impl_->svr->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return true;
}

int CentralServer::port() const { return impl_->port; }

std::string CentralServer::url() const {
    std::string host = impl_->opts.host;
    if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
    return std::string(impl_->opts.plain_http ? "http://" : "https://") + host + ":" + std::to_string(impl_->port);
}

bool CentralServer::running() const { return impl_->svr && impl_->svr->is_running(); }

void CentralServer::stop() {
    if (!impl_ || !impl_->svr) return;
    impl_->svr->stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->svr.reset();
}

}  // namespace batchivo::central
