// CentralServer: the station API over HTTPS (Boost.Beast/Asio + OpenSSL, api/transport/), in-process so the CLI,
// the kiosk demo and the tests all run the same code. docs/API.md documents every endpoint; api/routes.cpp holds
// the handlers. It needs only the station API and auth parts of the store. Sockets are served asynchronously on
// io_threads; a complete request runs on one of `threads` workers; a StoreError or any other exception from the
// store becomes an error response there and never leaves the worker. Every request writes one access-log line
// (logfmt, stderr) and is counted for GET /metrics, served on its own plain-HTTP listener when metrics_port >= 0.
// docs/CENTRAL.md "Server core" describes the timeouts and caps.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sync/central/store/store.hpp"

namespace batchivo::central {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                 // 0 = pick a free port (see port())
    bool plain_http = false;      // refused unless host is a loopback address
    std::string cert_file;        // TLS certificate chain (PEM), required unless plain_http
    std::string key_file;         // TLS private key (PEM)
    int threads = 8;              // worker threads (keep <= the store's connection pool)
    double rate_per_s = 20;       // per-device token bucket refill; <= 0 disables rate limiting
    double burst = 60;            // per-device bucket size
    double pair_rate_per_s = 0.5; // POST /pair attempts per client address
    double pair_burst = 10;
    double auth_fail_rate_per_s = 2;  // requests with a bad token, per client address (token guessing)
    double auth_fail_burst = 30;
    // Socket transport (api/transport/http_transport.hpp): slow or idle clients cannot hold a worker.
    int io_threads = 2;                   // threads doing all socket work (accept, TLS, reading, writing)
    int header_timeout_ms = 10000;        // TLS handshake + complete request header
    int idle_timeout_ms = 15000;          // idle keep-alive connection
    int body_grace_ms = 10000;            // body deadline = grace + Content-Length / body_min_bytes_per_s
    int body_min_bytes_per_s = 4096;
    int max_connections = 900;            // open client connections in total (beyond: closed at accept)
    int max_connections_per_address = 64; // open connections from one client address (beyond: closed at accept)
    bool access_log = true;               // one logfmt line per request on stderr (never a token or a body)
    std::string metrics_host = "127.0.0.1";
    int metrics_port = -1;                // GET /metrics over plain HTTP: -1 off, 0 any free port
};

bool is_loopback_host(const std::string& host);

// Test hook for the service watchdog's hang test (BATCHIVO_TEST_HANG_AFTER_MS): while set, every request that reaches
// a handler blocks before it is handled, in every CentralServer of the process, as if the database were wedged.
// Never set in production code paths.
void set_requests_wedged_for_test(bool wedged);

// One request and its answer as plain values: the seam that runs the station API without sockets (the fuzzer,
// tests). CentralServer's workers go through exactly the same dispatch.
struct ApiRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path plus optional "?query", percent-encoded as on the wire
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string remote_addr = "127.0.0.1";
};
struct ApiResponse {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

class CentralServer {
public:
    CentralServer(std::shared_ptr<StationApiStore> api, std::shared_ptr<AuthStore> auth);
    explicit CentralServer(const std::shared_ptr<Store>& store) : CentralServer(store, store) {}
    ~CentralServer();
    CentralServer(const CentralServer&) = delete;
    CentralServer& operator=(const CentralServer&) = delete;

    // Binds and starts serving on a background thread; returns false (with a reason) when it cannot.
    // Sets SIGPIPE to SIG_IGN if it still has the default disposition (a vanished client must not kill the process).
    bool start(const ServerOptions& opts, std::string* error = nullptr);
    // Sets the options that matter without sockets (rate limits); start() calls it. Not while serving.
    void configure(const ServerOptions& opts);
    // Handles one request in-process (no socket, no TLS): what a worker does after reading the request. Bodies over
    // 1 MiB answer 413 payload_too_large like the server. Thread-safe like the workers.
    ApiResponse handle(const ApiRequest& req);
    int port() const;
    std::string url() const;  // https://HOST:PORT (http:// for plain HTTP)
    bool running() const;
    void stop();
    // Loads the TLS certificate and key files again (SIGHUP): new handshakes use them, open connections keep the
    // old ones. A file that cannot be loaded keeps the current certificate; false with the reason.
    bool reload_tls(std::string* error = nullptr);
    int metrics_port() const;         // -1 without a metrics listener
    std::string metrics_url() const;  // http://HOST:PORT/metrics, "" without a metrics listener
    // GET /metrics's body now (Prometheus text format 0.0.4).
    std::string metrics_text() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace batchivo::central
