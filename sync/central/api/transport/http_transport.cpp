#include "sync/central/api/transport/http_transport.hpp"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace batchivo::central::transport {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Ms = std::chrono::milliseconds;

namespace {

std::shared_ptr<ssl::context> load_tls(const std::string& cert, const std::string& key, std::string* error) {
    auto fail = [&](const std::string& m) -> std::shared_ptr<ssl::context> {
        if (error) *error = m;
        return nullptr;
    };
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(cert, ec);
    if (ec) return fail("cannot load TLS certificate " + cert + ": " + ec.message());
    ctx->use_private_key_file(key, ssl::context::pem, ec);
    if (ec) return fail("cannot load TLS key " + key + ": " + ec.message());
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        return fail("TLS key " + key + " does not match certificate " + cert);
    return ctx;
}

bool is_http_error(const beast::error_code& ec) {
    return &ec.category() == &beast::http::make_error_code(http::error::bad_target).category();
}

const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

struct HttpTransport::Impl {
    // State shared with sessions; declared before the io_context so it outlives every session destroyed with it.
    TransportOptions o;
    Handler handler;
    mutable std::mutex mu;  // tls, per_addr
    std::shared_ptr<ssl::context> tls;
    std::unordered_map<std::string, int> per_addr;
    std::atomic<int64_t> open{0};
    std::atomic<uint64_t> rejected{0};
    std::atomic<bool> running{false};
    bool started = false;
    int port = 0;

    std::unique_ptr<net::io_context> ioc;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::unique_ptr<net::steady_timer> retry;
    std::unique_ptr<net::thread_pool> workers;
    std::vector<std::thread> io;

    std::shared_ptr<ssl::context> current_tls() const {
        std::lock_guard lk(mu);
        return tls;
    }
    void release(const std::string& addr) {
        std::lock_guard lk(mu);
        auto it = per_addr.find(addr);
        if (it != per_addr.end() && --it->second <= 0) per_addr.erase(it);
        --open;
    }
    void do_accept();
    void admit(tcp::socket s);
    bool start(std::string* error);
    void stop();
};

namespace {

// One client connection, plain (beast::tcp_stream) or TLS (beast::ssl_stream<beast::tcp_stream>). All of its
// work runs on its strand; only the handler runs elsewhere (the worker pool), while no socket operation is pending.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

public:
    template <class... Args>
    Session(HttpTransport::Impl& t, std::string addr, std::shared_ptr<ssl::context> ctx, Args&&... args)
        : t_(t), addr_(std::move(addr)), ctx_(std::move(ctx)), stream_(std::forward<Args>(args)...) {}
    ~Session() { t_.release(addr_); }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void run() {
        net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->begin(); });
    }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
    Ms header_deadline() const { return Ms(t_.o.header_timeout_ms); }

    void begin() {
        lowest().expires_after(header_deadline());  // one deadline for the handshake and the whole header
        if constexpr (kTls) {
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (ec) return self->close();
                self->read_header();
            });
        } else {
            read_header();
        }
    }

    // Keep-alive: wait (idle timeout, no worker) for the next request's first byte, then the header deadline.
    void wait_next() {
        if (buf_.size() > 0) {
            lowest().expires_after(header_deadline());
            return read_header();
        }
        lowest().expires_after(Ms(t_.o.idle_timeout_ms));
        stream_.async_read_some(buf_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, size_t n) {
            if (ec) return self->close();
            self->buf_.commit(n);
            self->lowest().expires_after(self->header_deadline());
            self->read_header();
        });
    }

    void read_header() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(t_.o.max_header_bytes));
        parser_->body_limit(static_cast<std::uint64_t>(t_.o.max_body_bytes));
        http::async_read_header(stream_, buf_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->on_header(ec);
        });
    }

    void on_header(beast::error_code ec) {
        if (ec == http::error::header_limit) return fail_request(414);
        if (ec == http::error::body_limit) return fail_request(413);  // Content-Length over the limit
        if (ec == http::error::end_of_stream || ec == http::error::partial_message) return close();
        if (ec && is_http_error(ec)) return fail_request(400);
        if (ec) return close();  // timeout, reset, TLS error
        const auto len = parser_->content_length();
        if (len && *len > t_.o.max_body_bytes) return fail_request(413);
        const uint64_t expect = len ? *len : t_.o.max_body_bytes;
        const uint64_t rate = static_cast<uint64_t>(std::max(1, t_.o.body_min_bytes_per_s));
        lowest().expires_after(Ms(t_.o.body_grace_ms) + Ms(expect * 1000 / rate));
        if (beast::iequals(parser_->get()[http::field::expect], "100-continue") && !parser_->is_done()) {
            net::async_write(stream_, net::buffer(kContinue), [self = this->shared_from_this()](beast::error_code e, size_t) {
                if (e) return self->close();
                self->read_body();
            });
            return;
        }
        read_body();
    }

    void read_body() {
        if (parser_->is_done()) return on_body({});
        http::async_read(stream_, buf_, *parser_, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            self->on_body(ec);
        });
    }

    void on_body(beast::error_code ec) {
        if (ec == http::error::body_limit) return fail_request(413);
        if (ec) return close();
        auto& m = parser_->get();
        ServerRequest req;
        fill_head(req);
        req.body = std::move(m.body());
        keep_alive_ = m.keep_alive();
        version_ = m.version();
        lowest().expires_never();  // nothing pending while the handler runs
        if (!t_.workers) return write(run_handler(req));
        net::post(*t_.workers, [self = this->shared_from_this(), req = std::move(req)]() mutable {
            ServerResponse res = self->run_handler(req);
            net::post(self->stream_.get_executor(),
                      [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
        });
    }

    void fill_head(ServerRequest& req) {
        auto& m = parser_->get();
        req.method = std::string(m.method_string());
        parse_target(std::string(m.target()), req);
        for (const auto& f : m) req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        req.remote_addr = addr_;
    }

    // The transport decided the answer (400/413/414): the handler formats it; the connection closes after it.
    void fail_request(int status) {
        ServerRequest req;
        if (parser_ && parser_->is_header_done()) fill_head(req);
        req.remote_addr = addr_;
        req.transport_status = status;
        keep_alive_ = false;
        version_ = 11;
        write(run_handler(req));
    }

    ServerResponse run_handler(ServerRequest& req) {
        ServerResponse res;
        try {
            t_.handler(req, res);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "batchivo-central: handler threw: %s\n", e.what());
            res = ServerResponse{};
        } catch (...) {
            res = ServerResponse{};
        }
        return res;
    }

    void write(ServerResponse&& in) {
        if (in.status < 100 || in.status > 999) return close();  // the handler failed: nothing sensible to send
        res_.emplace();
        auto& r = *res_;
        r.version(version_);
        r.result(static_cast<unsigned>(in.status));
        for (auto& [k, v] : in.headers) r.set(k, v);
        r.body() = std::move(in.body);
        r.keep_alive(keep_alive_ && t_.running.load());
        r.prepare_payload();
        lowest().expires_after(Ms(t_.o.write_timeout_ms));
        http::async_write(stream_, r, [self = this->shared_from_this()](beast::error_code ec, size_t) {
            if (ec) return self->close();
            const bool again = self->res_->keep_alive();
            self->res_.reset();
            if (!again) return self->finish();
            self->wait_next();
        });
    }

    // Ends a connection after a response that said "Connection: close": TLS close_notify, or half-close and drain
    // what the client still sends (so it reads our answer instead of a reset), both for at most 2 s.
    void finish() {
        lowest().expires_after(Ms(2000));
        if constexpr (kTls) {
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close(); });
        } else {
            beast::error_code ec;
            lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
            drain();
        }
    }
    void drain() {
        buf_.consume(buf_.size());
        stream_.async_read_some(buf_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, size_t n) {
            if (ec) return self->close();
            self->buf_.commit(n);
            self->drain();
        });
    }

    void close() {
        beast::error_code ec;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest().close();
    }

    HttpTransport::Impl& t_;
    std::string addr_;
    std::shared_ptr<ssl::context> ctx_;  // keeps the certificate this connection was accepted with alive
    Stream stream_;
    beast::flat_buffer buf_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> res_;
    bool keep_alive_ = false;
    unsigned version_ = 11;
};

}  // namespace

void HttpTransport::Impl::do_accept() {
    acceptor->async_accept(net::make_strand(*ioc), [this](beast::error_code ec, tcp::socket s) {
        if (!acceptor->is_open() || ec == net::error::operation_aborted) return;
        if (ec) {  // e.g. out of file descriptors: try again shortly instead of spinning
            retry->expires_after(Ms(50));
            retry->async_wait([this](beast::error_code e) {
                if (!e) do_accept();
            });
            return;
        }
        admit(std::move(s));
        do_accept();
    });
}

void HttpTransport::Impl::admit(tcp::socket s) {
    beast::error_code ec;
    const auto ep = s.remote_endpoint(ec);
    if (ec) return;
    std::string addr = ep.address().to_string();
    {
        std::lock_guard lk(mu);
        auto it = per_addr.find(addr);
        const int n = it == per_addr.end() ? 0 : it->second;
        if (open.load() >= o.max_connections || n >= o.max_connections_per_address) {
            ++rejected;
            s.set_option(tcp::socket::linger(true, 0), ec);  // reset: no TIME_WAIT, the client learns at once
            s.close(ec);
            return;
        }
        ++per_addr[addr];
        ++open;
    }
    s.set_option(tcp::no_delay(true), ec);
    if (o.tls) {
        auto ctx = current_tls();
        std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(addr), ctx, std::move(s), *ctx)
            ->run();
    } else {
        std::make_shared<Session<beast::tcp_stream>>(*this, std::move(addr), nullptr, std::move(s))->run();
    }
}

bool HttpTransport::Impl::start(std::string* error) {
    auto fail = [&](const std::string& m) {
        if (error) *error = m;
        acceptor.reset();
        retry.reset();
        ioc.reset();
        return false;
    };
    if (started) return fail("already started");
    if (o.tls) {
        auto ctx = load_tls(o.cert_file, o.key_file, error);
        if (!ctx) return false;
        std::lock_guard lk(mu);
        tls = std::move(ctx);
    }
    const int io_threads = std::max(1, o.io_threads);
    ioc = std::make_unique<net::io_context>(io_threads);
    acceptor = std::make_unique<tcp::acceptor>(*ioc);
    retry = std::make_unique<net::steady_timer>(*ioc);
    const std::string host = o.host == "localhost" ? "127.0.0.1" : o.host;
    beast::error_code ec;
    tcp::resolver resolver(*ioc);
    const auto eps = resolver.resolve(host, std::to_string(o.port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || eps.empty()) return fail("cannot bind " + host + ": " + (ec ? ec.message() : "no address"));
    const tcp::endpoint ep = eps.begin()->endpoint();
    acceptor->open(ep.protocol(), ec);
    if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor->bind(ep, ec);
    if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
    if (ec) return fail("cannot bind " + host + ":" + std::to_string(o.port) + ": " + ec.message());
    port = acceptor->local_endpoint().port();
    if (o.worker_threads > 0) workers = std::make_unique<net::thread_pool>(static_cast<size_t>(o.worker_threads));
    started = true;
    running = true;
    do_accept();
    for (int i = 0; i < io_threads; ++i) {
        io.emplace_back([this] {
            for (;;) {
                try {
                    ioc->run();
                    return;
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "batchivo-central: I/O thread: %s\n", e.what());
                }
            }
        });
    }
    return true;
}

void HttpTransport::Impl::stop() {
    if (!started) return;
    started = false;
    running = false;
    ioc->stop();
    for (auto& th : io) th.join();
    io.clear();
    beast::error_code ec;
    acceptor->close(ec);
    if (workers) workers->join();  // running handlers finish; their answers are dropped with the io_context
    workers.reset();
    retry.reset();
    acceptor.reset();
    ioc.reset();  // destroys every pending operation, hence every session (closing its socket)
}

HttpTransport::HttpTransport(TransportOptions opts, Handler handler) : impl_(std::make_unique<Impl>()) {
    impl_->o = std::move(opts);
    impl_->handler = std::move(handler);
}

HttpTransport::~HttpTransport() { stop(); }

bool HttpTransport::start(std::string* error) { return impl_->start(error); }
int HttpTransport::port() const { return impl_->port; }
bool HttpTransport::running() const { return impl_->running.load(); }
void HttpTransport::stop() { impl_->stop(); }
int64_t HttpTransport::open_connections() const { return impl_->open.load(); }
uint64_t HttpTransport::rejected_connections() const { return impl_->rejected.load(); }

bool HttpTransport::reload_tls(std::string* error) {
    if (!impl_->o.tls) {
        if (error) *error = "not serving TLS";
        return false;
    }
    auto ctx = load_tls(impl_->o.cert_file, impl_->o.key_file, error);
    if (!ctx) return false;
    std::lock_guard lk(impl_->mu);
    impl_->tls = std::move(ctx);
    return true;
}

}  // namespace batchivo::central::transport
