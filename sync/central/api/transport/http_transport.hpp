// The socket side of batchivo-central: an HTTP/1.1 (optionally TLS) listener on Boost.Beast/Asio that slow or idle
// clients cannot starve. Accepting, the TLS handshake, reading headers and bodies and writing responses are all
// asynchronous on a small io_context (1-2 threads); only a complete request reaches the handler, which runs on a
// bounded worker pool (the store may block there without stalling any socket). Every phase has a deadline:
//   - TLS handshake + the whole request header: header_timeout_ms from accept (or from the first byte of a
//     keep-alive request), however the bytes trickle in;
//   - the body: body_grace_ms + Content-Length / body_min_bytes_per_s (a minimum average rate);
//   - an idle keep-alive connection: idle_timeout_ms waiting for the next request's first byte (no worker held);
//   - writing the response: write_timeout_ms.
// Connections beyond max_connections_per_address from one client address, or beyond max_connections in total, are
// closed at accept (reset). Bodies over max_body_bytes answer 413 (without being read); malformed HTTP 400; a
// request line or header block over max_header_bytes 414. The handler sees those as ServerRequest::transport_status
// so the caller formats, logs and counts them like any other answer. No ImGui, no store: just bytes <-> values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sync/central/api/request.hpp"

namespace batchivo::central::transport {

struct TransportOptions {
    std::string host = "127.0.0.1";
    int port = 0;                    // 0 = pick a free port (see HttpTransport::port())
    bool tls = false;                // TLS with cert_file/key_file (PEM), else plain HTTP
    std::string cert_file, key_file;
    int io_threads = 2;              // threads running the io_context (all socket work)
    int worker_threads = 8;          // handler pool; 0 = run the handler on the I/O thread (cheap handlers only)
    int header_timeout_ms = 10000;   // TLS handshake + complete request header
    int idle_timeout_ms = 15000;     // keep-alive: waiting for the next request
    int body_grace_ms = 10000;       // body deadline = grace + length / min rate
    int body_min_bytes_per_s = 4096;
    int write_timeout_ms = 30000;
    int max_connections = 900;       // open connections in total
    int max_connections_per_address = 64;
    std::size_t max_body_bytes = 1 << 20;
    std::size_t max_header_bytes = 16 * 1024;
};

// Fills the response for a complete request (or one with transport_status set). Must not throw; runs on a worker
// thread (or the I/O thread when worker_threads is 0, and always for transport_status answers).
using Handler = std::function<void(ServerRequest&, ServerResponse&)>;

class HttpTransport {
public:
    HttpTransport(TransportOptions opts, Handler handler);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    // Loads the TLS certificate (when tls), binds, listens and starts the I/O threads and the worker pool; false
    // with a reason when it cannot. Once only.
    bool start(std::string* error = nullptr);
    int port() const;
    bool running() const;
    // Closes the listener and every connection, waits for running handlers. Idempotent.
    void stop();
    // Loads cert_file/key_file again: handshakes from now on use the new certificate, open connections keep theirs.
    // When the files cannot be loaded (or the key does not match), keeps the current certificate and says why.
    bool reload_tls(std::string* error = nullptr);

    int64_t open_connections() const;
    uint64_t rejected_connections() const;  // closed at accept by a connection cap

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace batchivo::central::transport
