// bench_server_core: does a crowd of slow or idle clients slow down real requests? (issue #9; docs/CENTRAL.md
// "Server core"). Measures, in the same run:
//   quiet:  p50/p99 of GET /health on a new TLS connection each time, and of an authenticated GET /catalog on a
//           keep-alive connection;
//   loaded: the same while 200 idle TCP connections (connect, send nothing; re-opened when the server closes them)
//           and 16 trickling TLS connections (one header byte per second; re-opened likewise) are held open from
//           other client addresses;
// and prints loaded/quiet ratios. Target: every answer < 1 s, loaded p99 <= 2x quiet p99.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sync/central/api/server.hpp"
#include "sync/central/api/tls.hpp"
#include "sync/central/store/store.hpp"
#include "sync/protocol/api.hpp"

using namespace batchivo;
using namespace batchivo::central;
using Clock = std::chrono::steady_clock;

namespace {

int connect_from(int port, const std::string& source) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &src.sin_addr);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool peer_closed(int fd) {
    char c;
    const ssize_t n = ::recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

size_t sink(char*, size_t s, size_t n, void*) { return s * n; }

struct Stats {
    double p50_ms = 0, p99_ms = 0, max_ms = 0;
    int failures = 0;
};

Stats measure(const std::string& url, const std::string& ca, const std::string& token, bool reuse, int n) {
    std::vector<double> ms;
    Stats st;
    CURL* shared = reuse ? curl_easy_init() : nullptr;
    curl_slist* h = token.empty() ? nullptr : curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
    for (int i = 0; i < n; ++i) {
        CURL* c = reuse ? shared : curl_easy_init();
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        if (h) curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        const auto t0 = Clock::now();
        long status = 0;
        if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (status != 200) ++st.failures;
        if (!reuse) curl_easy_cleanup(c);
    }
    if (shared) curl_easy_cleanup(shared);
    curl_slist_free_all(h);
    std::sort(ms.begin(), ms.end());
    st.p50_ms = ms[ms.size() / 2];
    st.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    st.max_ms = ms.back();
    return st;
}

// Holds `idle` silent TCP connections and `trickle` TLS connections dripping a header, re-opening what the server
// closes (header deadline), from source addresses 127.0.0.2..9.
class Load {
public:
    Load(int port, int idle, int trickle) : port_(port) {
        for (int i = 0; i < idle; ++i) idle_.push_back(connect_from(port_, src(i)));
        tls_ctx_ = SSL_CTX_new(TLS_client_method());
        for (int i = 0; i < trickle; ++i) trickle_.push_back(open_tls(i));
        thread_ = std::thread([this] { loop(); });
    }
    ~Load() {
        stop_ = true;
        thread_.join();
        for (int fd : idle_) ::close(fd);
        for (auto& t : trickle_) close_tls(t);
        SSL_CTX_free(tls_ctx_);
    }
    int reopened() const { return reopened_; }

private:
    struct Tls {
        int fd = -1;
        SSL* ssl = nullptr;
    };
    static std::string src(int i) { return "127.0.0." + std::to_string(2 + i % 8); }
    Tls open_tls(int i) {
        Tls t;
        t.fd = connect_from(port_, src(i));
        if (t.fd < 0) return t;
        t.ssl = SSL_new(tls_ctx_);
        SSL_set_fd(t.ssl, t.fd);
        if (SSL_connect(t.ssl) != 1) return t;
        const std::string line = "GET " + std::string(wire::kApiPrefix) + "/health HTTP/1.1\r\n";
        SSL_write(t.ssl, line.data(), static_cast<int>(line.size()));
        return t;
    }
    static void close_tls(Tls& t) {
        if (t.ssl) SSL_free(t.ssl);
        if (t.fd >= 0) ::close(t.fd);
        t = Tls{};
    }
    void loop() {
        int tick = 0;
        while (!stop_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            for (size_t i = 0; i < idle_.size(); ++i) {
                if (idle_[i] >= 0 && !peer_closed(idle_[i])) continue;
                if (idle_[i] >= 0) ::close(idle_[i]);
                idle_[i] = connect_from(port_, src(static_cast<int>(i)));
                ++reopened_;
            }
            if (++tick % 10 != 0) continue;  // one byte per second
            for (size_t i = 0; i < trickle_.size(); ++i) {
                Tls& t = trickle_[i];
                if (!t.ssl || peer_closed(t.fd) || SSL_write(t.ssl, "X", 1) <= 0) {
                    close_tls(t);
                    t = open_tls(static_cast<int>(i));
                    ++reopened_;
                }
            }
        }
    }
    int port_;
    SSL_CTX* tls_ctx_ = nullptr;
    std::vector<int> idle_;
    std::vector<Tls> trickle_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> reopened_{0};
};

}  // namespace

int main() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const std::string dir = std::filesystem::temp_directory_path() / ("bench-server-core-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::shared_ptr<Store> store = open_store("sqlite:" + dir + "/central.db");
    store->migrate();
    const Tenant t = store->create_tenant("bench", "Bench farm");
    std::vector<Spool> spools;
    for (int i = 0; i < 200; ++i) {
        Spool s;
        s.spool_id = "FIL-" + std::to_string(i + 1);
        s.material_name = i % 2 ? "PLA" : "PETG";
        s.initial_weight_g = 1000;
        s.current_weight_g = 200 + i;
        spools.push_back(s);
    }
    store->import_spools(t.id, spools);
    const std::string token = store->redeem_pairing(store->create_pairing_code(t.id, "Bay", 600).code, "bench").token;
    const TlsFiles tls = ensure_tls(dir + "/tls");
    CentralServer server(store);
    ServerOptions o;
    o.cert_file = tls.cert_file;
    o.key_file = tls.key_file;
    o.rate_per_s = 0;
    o.access_log = false;
    std::string err;
    if (!server.start(o, &err)) {
        std::fprintf(stderr, "cannot start: %s\n", err.c_str());
        return 1;
    }
    const std::string P = wire::kApiPrefix;
    const std::string health = server.url() + P + "/health", catalog = server.url() + P + "/catalog";
    const int n = 200;
    measure(health, tls.ca_file, "", false, 20);  // warm-up
    const Stats qh = measure(health, tls.ca_file, "", false, n);
    const Stats qc = measure(catalog, tls.ca_file, token, true, n);
    Stats lh, lc;
    int reopened = 0;
    {
        Load load(server.port(), 200, 16);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        lh = measure(health, tls.ca_file, "", false, n);
        lc = measure(catalog, tls.ca_file, token, true, n);
        reopened = load.reopened();
    }
    server.stop();
    std::filesystem::remove_all(dir);
    auto row = [](const char* what, const Stats& s) {
        std::printf("  %-44s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  failures %d\n", what, s.p50_ms, s.p99_ms, s.max_ms,
                    s.failures);
    };
    std::printf("central server core, %d requests each (SQLite, TLS, 200-spool catalog)\n", n);
    row("quiet  GET /health (new TLS connection)", qh);
    row("quiet  GET /catalog (token, keep-alive)", qc);
    row("loaded GET /health (200 idle + 16 trickling)", lh);
    row("loaded GET /catalog (200 idle + 16 trickling)", lc);
    std::printf("  load connections re-opened after the server closed them (deadlines): %d\n", reopened);
    const double rh = lh.p99_ms / qh.p99_ms, rc = lc.p99_ms / qc.p99_ms;
    const bool ok = lh.max_ms < 1000 && lc.max_ms < 1000 && lh.failures + lc.failures + qh.failures + qc.failures == 0;
    std::printf("  ratio loaded/quiet p99: /health %.2fx  /catalog %.2fx  (target <= 2x); every answer < 1 s: %s\n", rh,
                rc, ok ? "yes" : "NO");
    curl_global_cleanup();
    return ok ? 0 : 1;
}
