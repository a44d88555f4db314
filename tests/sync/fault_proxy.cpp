#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>

namespace batchivo::test {

const char* to_string(Fault f) {
    switch (f) {
        case Fault::Pass: return "pass";
        case Fault::Drop: return "drop";
        case Fault::ApplyDrop: return "apply_drop";
        case Fault::Stall: return "stall";
        case Fault::Http503: return "http503";
        case Fault::Http429: return "http429";
        default: return "?";
    }
}

FaultProxy::FaultProxy(int upstream_port, std::string cert_file, std::string key_file, uint64_t seed)
    : upstream_port_(upstream_port), cert_file_(std::move(cert_file)), key_file_(std::move(key_file)), rng_(seed) {}

FaultProxy::~FaultProxy() {
    stop();
    if (ssl_ctx_) SSL_CTX_free(static_cast<SSL_CTX*>(ssl_ctx_));
}

bool FaultProxy::start(std::string* error) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, cert_file_.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key_file_.c_str(), SSL_FILETYPE_PEM) != 1) {
        if (error) *error = "proxy: cannot load the certificate/key";
        if (ctx) SSL_CTX_free(ctx);
        return false;
    }
    ssl_ctx_ = ctx;
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 128) != 0) {
        if (error) *error = std::string("proxy: bind/listen: ") + std::strerror(errno);
        return false;
    }
    socklen_t len = sizeof a;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
    return true;
}

void FaultProxy::stop() {
    if (stop_.exchange(true)) return;
    if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
    if (acceptor_.joinable()) acceptor_.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    std::vector<std::thread> conns;
    {
        std::lock_guard lk(mu_);
        conns.swap(conns_);
    }
    for (auto& t : conns) t.join();
}

void FaultProxy::set_fault_rates(std::map<Fault, double> rates) {
    std::lock_guard lk(mu_);
    rates_ = std::move(rates);
    // Every enabled fault happens at least once, early, whatever the dice say; then they are random.
    forced_.clear();
    for (auto& [f, p] : rates_)
        if (p > 0) forced_.push_back(f);
    std::shuffle(forced_.begin(), forced_.end(), rng_);
}

Fault FaultProxy::pick() {
    std::lock_guard lk(mu_);
    if (!forced_.empty()) {
        Fault f = forced_.back();
        forced_.pop_back();
        return f;
    }
    double x = std::uniform_real_distribution<double>(0, 1)(rng_);
    for (auto& [f, p] : rates_) {
        if (x < p) return f;
        x -= p;
    }
    return Fault::Pass;
}

void FaultProxy::accept_loop() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        ++connections_;
        const Fault mode = pick();
        ++counts_[static_cast<int>(mode)];
        std::lock_guard lk(mu_);
        conns_.emplace_back([this, c, mode] { serve(c, mode); });
    }
}

namespace {

int connect_upstream(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool send_all(int fd, const char* p, size_t n) {
    while (n) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

// Watches the client's TLS records: an application-data record (type 23) bigger than a Finished message is an
// HTTP request.
struct RecordScanner {
    std::string buf;
    bool saw_request = false;
    void feed(const char* p, size_t n) {
        if (saw_request) return;
        buf.append(p, n);
        while (buf.size() >= 5) {
            const unsigned type = static_cast<unsigned char>(buf[0]);
            const size_t len = (static_cast<unsigned char>(buf[3]) << 8) | static_cast<unsigned char>(buf[4]);
            if (type == 23 && len > 120) {
                saw_request = true;
                buf.clear();
                return;
            }
            if (buf.size() < 5 + len) return;
            buf.erase(0, 5 + len);
        }
    }
};

}  // namespace

void FaultProxy::serve(int client, Fault mode) {
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (mode == Fault::Http503 || mode == Fault::Http429) {
        answer_http(client, mode);
        ::close(client);
        return;
    }
    if (mode == Fault::Drop) {
        pollfd p{client, POLLIN, 0};
        ::poll(&p, 1, 1000);  // let the ClientHello arrive, then hang up without forwarding anything
        char tmp[4096];
        (void)::recv(client, tmp, sizeof tmp, MSG_DONTWAIT);
        ::close(client);
        return;
    }
    int up = connect_upstream(upstream_port_);
    if (up < 0) {
        ::close(client);
        return;
    }
    pump(client, up, mode);
    ::close(up);
    ::close(client);
}

void FaultProxy::pump(int client, int up, Fault mode) {
    RecordScanner scan;
    bool holding = false;  // stall: swallow everything central says after the request
    char buf[16384];
    // A healthy connection does not live forever either (NAT and load-balancer idle timeouts): once its lifetime
    // is over it is closed at the next idle moment, so new connections (and new faults) keep coming.
    int64_t lifetime_ms;
    {
        std::lock_guard lk(mu_);
        lifetime_ms = 150 + static_cast<int64_t>(rng_() % 450);
    }
    const auto born = std::chrono::steady_clock::now();
    while (!stop_) {
        pollfd p[2] = {{client, POLLIN, 0}, {up, POLLIN, 0}};
        int rc = ::poll(p, 2, 30);
        if (rc < 0) return;
        if (rc == 0) {
            const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - born);
            if (mode == Fault::Pass && age.count() > lifetime_ms) return;
            continue;
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0) return;
            if (mode != Fault::Pass) scan.feed(buf, static_cast<size_t>(n));
            if (!send_all(up, buf, static_cast<size_t>(n))) return;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::recv(up, buf, sizeof buf, 0);
            if (n <= 0) return;
            if (scan.saw_request && mode == Fault::ApplyDrop) {
                // Central has applied the request and is answering: the answer is lost.
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                ::shutdown(client, SHUT_RDWR);
                return;
            }
            if (scan.saw_request && mode == Fault::Stall) holding = true;
            if (!holding && !send_all(client, buf, static_cast<size_t>(n))) return;
        }
    }
}

void FaultProxy::answer_http(int client, Fault mode) {
    SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ssl_ctx_));
    SSL_set_fd(ssl, client);
    timeval tv{2, 0};
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (SSL_accept(ssl) == 1) {
        // Read the request head and its body (Content-Length), then answer.
        std::string req;
        char buf[8192];
        size_t need = std::string::npos;
        while (true) {
            int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0) break;
            req.append(buf, static_cast<size_t>(n));
            auto head_end = req.find("\r\n\r\n");
            if (head_end == std::string::npos) continue;
            if (need == std::string::npos) {
                size_t cl = 0;
                std::string lower = req.substr(0, head_end);
                for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                auto p = lower.find("content-length:");
                if (p != std::string::npos) cl = std::stoul(lower.substr(p + 15));
                need = head_end + 4 + cl;
            }
            if (req.size() >= need) break;
        }
        std::string retry_after;
        if (mode == Fault::Http503) {
            retry_after = std::to_string(retry_after_s_.load());
        } else {
            const time_t t = ::time(nullptr) + retry_after_s_.load();
            tm g{};
            ::gmtime_r(&t, &g);
            char d[64];
            std::strftime(d, sizeof d, "%a, %d %b %Y %H:%M:%S GMT", &g);
            retry_after = d;
        }
        const std::string body = mode == Fault::Http503
                                     ? R"({"error":{"code":"unavailable","message":"injected 503"}})"
                                     : R"({"error":{"code":"rate_limited","message":"injected 429"}})";
        const std::string resp = std::string(mode == Fault::Http503 ? "HTTP/1.1 503 Service Unavailable\r\n"
                                                                     : "HTTP/1.1 429 Too Many Requests\r\n") +
                                 "Retry-After: " + retry_after + "\r\nContent-Type: application/json\r\n" +
                                 "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                 body;
        SSL_write(ssl, resp.data(), static_cast<int>(resp.size()));
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
}

}  // namespace batchivo::test
