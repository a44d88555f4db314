// Central's HTTP server core (api/transport/, issue #9): slow or idle clients cannot starve it, every phase has a
// deadline, the per-address cap, keep-alive, body limits, TLS reload without dropping connections, the access log
// (never a token) and GET /metrics (parsed). Timeouts here are hang guards, never speed assertions.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "central_test_util.hpp"
#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"

using namespace batchivo;
using namespace batchivo::central;
using ct::PgBackend;
using ct::SqliteBackend;
using nlohmann::json;

namespace {

const std::string P = wire::kApiPrefix;

// A TCP connection to 127.0.0.1:port from `source` (any 127.x address works on Linux loopback); reads give up
// after `guard_s` seconds (a hang guard).
int tcp_connect(int port, const char* source = "127.0.0.1", int guard_s = 15) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &src.sin_addr);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) == 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    timeval tv{guard_s, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

void send_all(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
        const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<size_t>(n);
    }
}

// True when the server closed the connection (EOF or reset) before the guard ran out; skips any bytes it sends.
bool closed_by_server(int fd) {
    char buf[4096];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0) return true;
        if (n < 0) return errno == ECONNRESET || errno == EPIPE;
        // data: keep reading until the close
    }
}

struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

// Reads one HTTP/1.1 response with a Content-Length from fd (plain).
RawResponse read_response(int fd, std::string& pending) {
    RawResponse r;
    char buf[4096];
    size_t hdr_end;
    while ((hdr_end = pending.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return r;
        pending.append(buf, static_cast<size_t>(n));
    }
    std::istringstream head(pending.substr(0, hdr_end));
    std::string line;
    std::getline(head, line);
    if (line.size() > 12) r.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string k = line.substr(0, colon);
        for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[k] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    const size_t len = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    pending.erase(0, hdr_end + 4);
    while (pending.size() < len) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return r;
        pending.append(buf, static_cast<size_t>(n));
    }
    r.body = pending.substr(0, len);
    pending.erase(0, len);
    return r;
}

std::string get_request(const std::string& path, const std::string& extra = "") {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

// A TLS client connection (OpenSSL, blocking) that keeps its socket; verification is not the point here.
struct TlsConn {
    SSL_CTX* ctx = nullptr;
    SSL* ssl = nullptr;
    int fd = -1;
    explicit TlsConn(int port, const char* source = "127.0.0.1") {
        ctx = SSL_CTX_new(TLS_client_method());
        fd = tcp_connect(port, source);
        ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        REQUIRE(SSL_connect(ssl) == 1);
    }
    ~TlsConn() {
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        ::close(fd);
    }
    TlsConn(const TlsConn&) = delete;
    TlsConn& operator=(const TlsConn&) = delete;
    bool write(const std::string& s) { return SSL_write(ssl, s.data(), static_cast<int>(s.size())) > 0; }
    // The server certificate's subject common name + serial, to tell two certificates apart.
    std::string peer_serial() const {
        X509* c = SSL_get1_peer_certificate(ssl);
        REQUIRE(c != nullptr);
        BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(c), nullptr);
        char* hex = BN_bn2hex(bn);
        std::string out = hex;
        OPENSSL_free(hex);
        BN_free(bn);
        X509_free(c);
        return out;
    }
    RawResponse request(const std::string& req) {
        REQUIRE(write(req));
        std::string all;
        char buf[4096];
        RawResponse r;
        for (;;) {
            const int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0) return r;
            all.append(buf, static_cast<size_t>(n));
            const auto he = all.find("\r\n\r\n");
            if (he == std::string::npos) continue;
            const std::regex cl("[Cc]ontent-[Ll]ength: *([0-9]+)");
            std::smatch m;
            const std::string head = all.substr(0, he);
            const size_t len = std::regex_search(head, m, cl) ? std::stoul(m[1]) : 0;
            if (all.size() < he + 4 + len) continue;
            r.status = std::stoi(all.substr(9, 3));
            r.body = all.substr(he + 4, len);
            return r;
        }
    }
};

std::string cert_serial(const std::string& pem_file) {
    FILE* f = std::fopen(pem_file.c_str(), "rb");
    REQUIRE(f != nullptr);
    X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    REQUIRE(c != nullptr);
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(c), nullptr);
    char* hex = BN_bn2hex(bn);
    std::string out = hex;
    OPENSSL_free(hex);
    BN_free(bn);
    X509_free(c);
    return out;
}

size_t write_cb(char* p, size_t s, size_t n, void* ud) {
    static_cast<std::string*>(ud)->append(p, s * n);
    return s * n;
}

// GET with libcurl, 10 s hang guard; status 0 when it did not complete.
long curl_get(const std::string& url, const std::string& ca, const std::string& token, std::string* body = nullptr) {
    CURL* c = curl_easy_init();
    std::string b;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!ca.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_slist* h = nullptr;
    if (!token.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + token).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (body) *body = b;
    return status;
}

// A metrics sample line: name{labels} value.
struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// Parses Prometheus text format strictly enough to catch format mistakes: every line is a # HELP/# TYPE comment
// or a sample; every sample's family has a TYPE; label values are quoted.
std::vector<Sample> parse_metrics(const std::string& text) {
    std::vector<Sample> out;
    std::map<std::string, std::string> types;
    std::istringstream in(text);
    std::string line;
    const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
    const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
    const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|\+Inf|NaN))");
    const std::regex label(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\",?)");
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, type)) {
            types[m[1]] = m[2];
            continue;
        }
        if (std::regex_match(line, m, help)) continue;
        INFO("metrics line: " << line);
        REQUIRE(std::regex_match(line, m, sample));
        Sample s;
        s.name = m[1];
        s.value = m[4] == "+Inf" ? INFINITY : std::stod(m[4]);
        std::string labels = m[3];
        for (std::sregex_iterator it(labels.begin(), labels.end(), label), end; it != end; ++it)
            s.labels[(*it)[1]] = (*it)[2];
        std::string family = s.name;
        for (const char* suffix : {"_bucket", "_sum", "_count"})
            if (!types.count(family) && family.size() > strlen(suffix) &&
                family.compare(family.size() - strlen(suffix), strlen(suffix), suffix) == 0)
                family = family.substr(0, family.size() - strlen(suffix));
        REQUIRE(types.count(family) == 1);
        out.push_back(s);
    }
    return out;
}

double metric(const std::vector<Sample>& v, const std::string& name, const std::map<std::string, std::string>& labels) {
    for (const auto& s : v) {
        if (s.name != name) continue;
        bool ok = true;
        for (const auto& [k, val] : labels)
            if (!s.labels.count(k) || s.labels.at(k) != val) ok = false;
        if (ok) return s.value;
    }
    return -1;
}

int64_t open_connections(CentralServer& s) {
    return static_cast<int64_t>(metric(parse_metrics(s.metrics_text()), "batchivo_open_connections", {}));
}

// Waits (hang guard 10 s) until the server counts at least n open connections.
bool wait_open(CentralServer& s, int64_t n) {
    for (int i = 0; i < 1000; ++i) {
        if (open_connections(s) >= n) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

struct Live {
    ct::Backend b;
    std::unique_ptr<CentralServer> server;
    TlsFiles tls;
    std::string token, device_id, tenant_id, spool_id;
};

Live start_live(ct::Backend b, ServerOptions o, bool tls = true) {
    Live l;
    l.b = std::move(b);
    const auto fx = ct::make_tenant(*l.b.admin, "core", 2);
    l.tenant_id = fx.tenant.id;
    l.spool_id = fx.spools[0].id;
    l.device_id = ct::pair_device(*l.b.admin, *l.b.app, fx.tenant.id, &l.token).device_id;
    l.server = std::make_unique<CentralServer>(l.b.app);
    o.rate_per_s = 0;
    o.pair_rate_per_s = 0;
    if (tls) {
        l.tls = ensure_tls(ct::temp_dir("tls"));
        o.cert_file = l.tls.cert_file;
        o.key_file = l.tls.key_file;
    } else {
        o.plain_http = true;
    }
    std::string err;
    if (!l.server->start(o, &err)) throw std::runtime_error(err);
    return l;
}

}  // namespace

TEMPLATE_TEST_CASE("50 idle and 8 trickling TLS connections do not starve /health or a token request", "[core]",
                   SqliteBackend, PgBackend) {
    ServerOptions o;
    o.metrics_port = 0;
    Live l = start_live(TestType::make(), o);
    const int port = l.server->port();
    std::vector<int> idle;
    for (int i = 0; i < 50; ++i) idle.push_back(tcp_connect(port));
    std::vector<std::unique_ptr<TlsConn>> trickle;
    for (int i = 0; i < 8; ++i) {
        trickle.push_back(std::make_unique<TlsConn>(port));
        REQUIRE(trickle.back()->write("GET " + P + "/health HTTP/1.1\r\n"));
    }
    std::atomic<bool> stop{false};
    std::thread dripper([&] {  // one header byte per second on each trickling connection
        const std::string header = "Host: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
        for (size_t i = 0; i < header.size() && !stop; ++i) {
            for (auto& t : trickle) t->write(std::string(1, header[i]));
            for (int k = 0; k < 10 && !stop; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    REQUIRE(wait_open(*l.server, 58));
    const std::string base = l.server->url();
    CHECK(curl_get(base + P + "/health", l.tls.ca_file, "") == 200);
    std::string body;
    CHECK(curl_get(base + P + "/whoami", l.tls.ca_file, l.token, &body) == 200);
    CHECK(json::parse(body).at("device_id") == l.device_id);
    // The metrics listener answers too, over plain HTTP on its own port.
    std::string text;
    CHECK(curl_get(l.server->metrics_url(), "", "", &text) == 200);
    CHECK(metric(parse_metrics(text), "batchivo_open_connections", {}) >= 58);
    stop = true;
    dripper.join();
    for (int fd : idle) ::close(fd);
}

TEST_CASE("a connection that never finishes its header is closed after the header deadline", "[core]") {
    ServerOptions o;
    o.header_timeout_ms = 800;
    Live l = start_live(SqliteBackend::make(), o, false);
    const int port = l.server->port();
    SECTION("silent after connecting") {
        const int fd = tcp_connect(port);
        CHECK(closed_by_server(fd));
        ::close(fd);
    }
    SECTION("a header that keeps trickling (the deadline is for the whole header, not per byte)") {
        const int fd = tcp_connect(port);
        send_all(fd, "GET " + P + "/health HTTP/1.1\r\n");
        std::atomic<bool> stop{false};
        std::thread drip([&] {
            for (int i = 0; i < 100 && !stop; ++i) {
                send_all(fd, "X");
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        CHECK(closed_by_server(fd));
        stop = true;
        drip.join();
        ::close(fd);
    }
    SECTION("TLS: a handshake that never starts") {
        Live t = start_live(SqliteBackend::make(), o, true);
        const int fd = tcp_connect(t.server->port());
        CHECK(closed_by_server(fd));
        ::close(fd);
    }
    SECTION("a body that stops arriving is closed after the body deadline") {
        ServerOptions ob;
        ob.body_grace_ms = 500;
        ob.body_min_bytes_per_s = 1 << 20;
        Live b = start_live(SqliteBackend::make(), ob, false);
        const int fd = tcp_connect(b.server->port());
        send_all(fd, "POST " + P + "/pair HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"code\":");
        CHECK(closed_by_server(fd));
        ::close(fd);
    }
    // Normal service continues.
    CHECK(curl_get(l.server->url() + P + "/health", "", "") == 200);
}

TEST_CASE("connections beyond the per-address cap are closed and other addresses are served", "[core]") {
    ServerOptions o;
    o.max_connections_per_address = 3;
    Live l = start_live(SqliteBackend::make(), o, false);
    const int port = l.server->port();
    std::vector<int> held;
    for (int i = 0; i < 3; ++i) held.push_back(tcp_connect(port, "127.0.0.1"));
    REQUIRE(wait_open(*l.server, 3));
    const int over = tcp_connect(port, "127.0.0.1");
    CHECK(closed_by_server(over));
    ::close(over);
    // Another client address still gets answers.
    const int other = tcp_connect(port, "127.0.0.2");
    send_all(other, get_request(P + "/health"));
    std::string pending;
    CHECK(read_response(other, pending).status == 200);
    ::close(other);
    // Closing one of the held connections frees a slot for that address.
    ::close(held.back());
    held.pop_back();
    for (int i = 0; i < 1000 && open_connections(*l.server) > 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const int again = tcp_connect(port, "127.0.0.1");
    send_all(again, get_request(P + "/health"));
    pending.clear();
    CHECK(read_response(again, pending).status == 200);
    ::close(again);
    for (int fd : held) ::close(fd);
    CHECK(metric(parse_metrics(l.server->metrics_text()), "batchivo_rejected_connections_total", {}) >= 1);
}

TEST_CASE("keep-alive: several requests on one connection, closed after the idle timeout", "[core]") {
    ServerOptions o;
    o.idle_timeout_ms = 600;
    Live l = start_live(SqliteBackend::make(), o, false);
    const int fd = tcp_connect(l.server->port());
    std::string pending;
    for (int i = 0; i < 3; ++i) {
        send_all(fd, get_request(P + "/whoami", "Authorization: Bearer " + l.token + "\r\n"));
        const RawResponse r = read_response(fd, pending);
        CHECK(r.status == 200);
        CHECK(r.header("connection") != "close");
        CHECK(!r.header("x-request-id").empty());
    }
    // Two requests written at once (pipelined) are both answered, in order.
    send_all(fd, get_request(P + "/health") + get_request(P + "/nope"));
    CHECK(read_response(fd, pending).status == 200);
    CHECK(read_response(fd, pending).status == 404);
    CHECK(closed_by_server(fd));  // idle timeout
    ::close(fd);
    // Connection: close is honoured.
    const int fd2 = tcp_connect(l.server->port());
    send_all(fd2, get_request(P + "/health", "Connection: close\r\n"));
    pending.clear();
    const RawResponse r = read_response(fd2, pending);
    CHECK(r.status == 200);
    CHECK(r.header("connection") == "close");
    CHECK(closed_by_server(fd2));
    ::close(fd2);
}

TEST_CASE("bodies over 1 MiB answer 413 without being read and malformed HTTP answers 400 or 414", "[core]") {
    Live l = start_live(SqliteBackend::make(), ServerOptions{}, false);
    std::string pending;
    {
        const int fd = tcp_connect(l.server->port());
        send_all(fd, "POST " + P + "/transactions HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n"
                     "Expect: 100-continue\r\n\r\n");
        const RawResponse r = read_response(fd, pending);
        CHECK(r.status == 413);
        CHECK(json::parse(r.body)["error"]["code"] == "payload_too_large");
        ::close(fd);
    }
    {
        const int fd = tcp_connect(l.server->port());
        send_all(fd, "GARBAGE\r\n\r\n");
        pending.clear();
        const RawResponse r = read_response(fd, pending);
        CHECK(r.status == 400);
        CHECK(json::parse(r.body)["error"]["code"] == "invalid_request");
        ::close(fd);
    }
    {
        const int fd = tcp_connect(l.server->port());
        send_all(fd, get_request(P + "/health?x=" + std::string(20000, 'a')));
        pending.clear();
        const RawResponse r = read_response(fd, pending);
        CHECK(r.status == 414);
        ::close(fd);
    }
    {  // Expect: 100-continue with an acceptable body: 100 first, then the answer.
        const int fd = tcp_connect(l.server->port());
        send_all(fd, "POST " + P + "/pair HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
        pending.clear();
        CHECK(read_response(fd, pending).status == 100);
        send_all(fd, "{}");
        const RawResponse r = read_response(fd, pending);
        CHECK(r.status == 400);
        ::close(fd);
    }
}

TEST_CASE("reloading the TLS certificate: new handshakes use it and open connections keep working", "[core]") {
    const std::string dir = ct::temp_dir("reload");
    const TlsFiles a = ensure_tls(dir + "/a");
    const TlsFiles b = ensure_tls(dir + "/b");
    namespace fs = std::filesystem;
    const std::string cert = dir + "/server.pem", key = dir + "/server.key";
    fs::copy_file(a.cert_file, cert);
    fs::copy_file(a.key_file, key);
    auto back = SqliteBackend::make();
    CentralServer server(back.app);
    ServerOptions o;
    o.cert_file = cert;
    o.key_file = key;
    std::string err;
    REQUIRE(server.start(o, &err));
    TlsConn before(server.port());
    CHECK(before.peer_serial() == cert_serial(a.cert_file));
    CHECK(before.request(get_request(P + "/health")).status == 200);

    fs::copy_file(b.cert_file, cert, fs::copy_options::overwrite_existing);
    fs::copy_file(b.key_file, key, fs::copy_options::overwrite_existing);
    REQUIRE(server.reload_tls(&err));
    TlsConn after(server.port());
    CHECK(after.peer_serial() == cert_serial(b.cert_file));
    CHECK(after.request(get_request(P + "/health")).status == 200);
    CHECK(before.request(get_request(P + "/health")).status == 200);  // the open connection was not dropped

    // A broken file keeps the current certificate and says why.
    { std::ofstream(cert, std::ios::trunc) << "not a certificate\n"; }
    err.clear();
    CHECK_FALSE(server.reload_tls(&err));
    CHECK(err.find(cert) != std::string::npos);
    // A key that does not belong to the certificate is refused too.
    fs::copy_file(b.cert_file, cert, fs::copy_options::overwrite_existing);
    fs::copy_file(a.key_file, key, fs::copy_options::overwrite_existing);
    CHECK_FALSE(server.reload_tls(&err));
    CHECK(err.find(key) != std::string::npos);  // "cannot load TLS key ...: key values mismatch"
    TlsConn still(server.port());
    CHECK(still.peer_serial() == cert_serial(b.cert_file));
    CHECK(still.request(get_request(P + "/health")).status == 200);
}

TEMPLATE_TEST_CASE("access log: one logfmt line per request with route and status and tenant and device but never a token",
                   "[core]", SqliteBackend, PgBackend) {
    Live l = start_live(TestType::make(), ServerOptions{}, false);
    const std::string log = ct::temp_dir("accesslog") + "/stderr.log";
    std::fflush(stderr);
    const int saved = ::dup(2);
    const int lf = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(lf >= 0);
    ::dup2(lf, 2);
    const std::string base = l.server->url();
    const long s1 = curl_get(base + P + "/spools/" + l.spool_id + "/transactions", "", l.token);
    const long s2 = curl_get(base + P + "/whoami", "", "not-a-real-token-SECRET123");
    const long s3 = curl_get(base + P + "/spools/" + l.spool_id + "/transactions?x=" + l.token, "", "");
    // A body with a marker goes through handle() (same path) and must not be logged either.
    const ApiResponse h = l.server->handle(ApiRequest{"POST", P + "/pair", {{"X-Request-Id", "req-42"}},
                                                      "{\"code\":\"BODYMARKER\",\"device_name\":\"x\"}"});
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    ::close(lf);
    CHECK(s1 == 200);
    CHECK(s2 == 401);
    CHECK(s3 == 401);
    CHECK(h.status == 401);
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    INFO(text);
    CHECK(text.find(l.token) == std::string::npos);
    CHECK(text.find("SECRET123") == std::string::npos);
    CHECK(text.find("BODYMARKER") == std::string::npos);
    std::vector<std::string> access;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (line.find("msg=request") != std::string::npos) access.push_back(line);
    REQUIRE(access.size() == 4);
    const std::regex shape(R"(time=\d{4}-\d\d-\d\dT[0-9:.]+Z msg=request remote=\S+ method=[A-Z]+ route=\S+ status=\d{3} duration_ms=[0-9.]+( tenant=\S+ device=\S+)? request_id=[A-Za-z0-9._-]+)");
    for (const auto& a : access) CHECK(std::regex_match(a, shape));
    CHECK(access[0].find("route=" + P + "/spools/{id}/transactions status=200") != std::string::npos);
    CHECK(access[0].find("tenant=" + l.tenant_id + " device=" + l.device_id) != std::string::npos);
    CHECK(access[1].find("route=" + P + "/whoami status=401") != std::string::npos);
    CHECK(access[1].find("tenant=") == std::string::npos);
    CHECK(access[3].find("method=POST route=" + P + "/pair status=401") != std::string::npos);
    CHECK(access[3].find("request_id=req-42") != std::string::npos);
}

TEMPLATE_TEST_CASE("GET /metrics: Prometheus text with requests and latency histogram and batch outcomes and connections",
                   "[core]", SqliteBackend, PgBackend) {
    ServerOptions o;
    o.metrics_port = 0;
    o.access_log = false;
    Live l = start_live(TestType::make(), o, false);
    const std::string base = l.server->url();
    for (int i = 0; i < 3; ++i) CHECK(curl_get(base + P + "/health", "", "") == 200);
    CHECK(curl_get(base + P + "/nowhere/" + l.spool_id, "", "") == 404);
    // One batch: an applied item, the same item again (duplicate), an unknown spool (rejected).
    wire::TxBatch batch;
    batch.items.push_back(ct::usage(l.spool_id, 10, 1));
    batch.items.push_back(batch.items[0]);
    batch.items.push_back(ct::usage("0193a1b2-0000-7000-8000-0000000fffff", 5, 2));
    ct::Client c;
    c.base = base;
    c.token = l.token;
    const auto r = c.post(P + "/transactions", json(batch).dump());
    REQUIRE(r.status == 200);

    std::string text;
    REQUIRE(curl_get(l.server->metrics_url(), "", "", &text) == 200);
    const auto m = parse_metrics(text);
    CHECK(metric(m, "batchivo_http_requests_total", {{"route", P + "/health"}, {"status", "200"}}) == 3);
    CHECK(metric(m, "batchivo_http_requests_total", {{"route", "unmatched"}, {"status", "404"}}) == 1);
    CHECK(metric(m, "batchivo_http_requests_total", {{"route", P + "/transactions"}, {"status", "200"}}) == 1);
    const auto batch_results = json::parse(r.body).get<wire::TxBatchResponse>().results;
    int applied = 0, duplicate = 0, rejected = 0;
    for (const auto& x : batch_results)
        (x.status == "applied" ? applied : x.status == "duplicate" ? duplicate : rejected)++;
    CHECK(applied + duplicate + rejected == 3);
    CHECK(rejected >= 1);
    CHECK(metric(m, "batchivo_batch_items_total", {{"outcome", "applied"}}) == applied);
    CHECK(metric(m, "batchivo_batch_items_total", {{"outcome", "duplicate"}}) == duplicate);
    CHECK(metric(m, "batchivo_batch_items_total", {{"outcome", "rejected"}}) == rejected);
    // Histogram: cumulative buckets, +Inf == _count == requests of that route.
    double prev = 0;
    int buckets = 0;
    for (const auto& s : m) {
        if (s.name != "batchivo_http_request_duration_seconds_bucket" || s.labels.at("route") != P + "/health") continue;
        CHECK(s.value >= prev);
        prev = s.value;
        ++buckets;
    }
    CHECK(buckets == 13);
    CHECK(metric(m, "batchivo_http_request_duration_seconds_bucket", {{"route", P + "/health"}, {"le", "+Inf"}}) == 3);
    CHECK(metric(m, "batchivo_http_request_duration_seconds_count", {{"route", P + "/health"}}) == 3);
    CHECK(metric(m, "batchivo_http_request_duration_seconds_sum", {{"route", P + "/health"}}) >= 0);
    CHECK(metric(m, "batchivo_open_connections", {}) >= 0);
    if (l.b.name == "postgresql") {
        CHECK(metric(m, "batchivo_db_pool_connections", {{"state", "max"}}) >= 1);
        CHECK(metric(m, "batchivo_db_pool_connections", {{"state", "in_use"}}) >= 0);
    }
    // Only GET /metrics lives there.
    CHECK(curl_get("http://127.0.0.1:" + std::to_string(l.server->metrics_port()) + "/other", "", "") == 404);
}

TEST_CASE("batchivo-central serve: SIGHUP reloads the certificate files without dropping open connections", "[core]") {
    namespace fs = std::filesystem;
    const std::string dir = ct::temp_dir("sighup");
    const std::string exe = BATCHIVO_CENTRAL_EXE;
    REQUIRE(std::system((exe + " --data-dir " + dir + " migrate > /dev/null").c_str()) == 0);
    const std::string err_file = dir + "/stderr.txt";
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 2);
        ::execl(exe.c_str(), exe.c_str(), "--data-dir", dir.c_str(), "serve", "--listen", "127.0.0.1:0",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    auto log_has = [&](const std::string& what) {  // waits up to 10 s (hang guard)
        for (int i = 0; i < 1000; ++i) {
            std::ifstream in(err_file);
            std::stringstream ss;
            ss << in.rdbuf();
            if (ss.str().find(what) != std::string::npos) return ss.str();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::string();
    };
    const std::string started = log_has("serving sqlite on https://127.0.0.1:");
    REQUIRE(!started.empty());
    const int port = std::stoi(started.substr(started.find("https://127.0.0.1:") + 18));
    const std::string cert = dir + "/tls/server.pem", key = dir + "/tls/server.key";
    const std::string old_serial = cert_serial(cert);
    TlsConn before(port);
    CHECK(before.peer_serial() == old_serial);
    CHECK(before.request(get_request(P + "/health")).status == 200);
    const TlsFiles other = ensure_tls(dir + "/other");
    fs::copy_file(other.cert_file, cert, fs::copy_options::overwrite_existing);
    fs::copy_file(other.key_file, key, fs::copy_options::overwrite_existing);
    ::kill(pid, SIGHUP);
    CHECK(!log_has("SIGHUP: TLS certificate reloaded").empty());
    TlsConn after(port);
    CHECK(after.peer_serial() == cert_serial(other.cert_file));
    CHECK(after.peer_serial() != old_serial);
    CHECK(before.request(get_request(P + "/health")).status == 200);  // not dropped
    { std::ofstream(cert, std::ios::trunc) << "broken\n"; }
    ::kill(pid, SIGHUP);
    CHECK(!log_has("SIGHUP: kept the current TLS certificate").empty());
    TlsConn still(port);
    CHECK(still.peer_serial() == cert_serial(other.cert_file));
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
