// CentralServer: the station API over HTTPS (cpp-httplib + OpenSSL), in-process so the CLI, the kiosk demo and the
// tests all run the same code. docs/API.md documents every endpoint; api/routes.cpp holds the handlers. It needs
// only the station API and auth parts of the store. Requests run on the server's worker threads; a StoreError or
// any other exception from the store becomes an error response there and never leaves the worker.
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
};

bool is_loopback_host(const std::string& host);

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

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace batchivo::central
