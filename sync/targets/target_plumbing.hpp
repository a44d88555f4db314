// What every sync target shares, whatever the server kind: the stored settings it talks with (a file in the data
// dir -- credentials.json for central, target.json for Spoolman and Batchivo -- re-read when it changed on disk, see
// file_stamp.hpp) and its HTTP clients: one reused connection for the engine (push and catalog), rebuilt when the
// settings were re-read or the engine's abort flag changed, and a short-lived one per look-up (history, whoami)
// with the look-up timeout. Each target keeps only what differs: how its file is read, its base URL and trust
// (Endpoint), and the calls themselves.
//
// Threads: the settings are guarded by an internal mutex and handed out as copies; engine_client() must be called
// with engine_mutex() held (the engine's calls are serialised by it); lookup_client() may run on any thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "sync/domain/result.hpp"
#include "sync/engine/retry_policy.hpp"
#include "sync/http/http_client.hpp"
#include "sync/targets/file_stamp.hpp"

namespace batchivo::sync {

struct TargetTimeouts {
    int connect_ms = 5'000;
    int total_ms = 30'000;   // the engine's calls (batches, catalog pages)
    int lookup_ms = 8'000;   // history and whoami (the operator is waiting)
};

// Base URL, trust and transport switches (timeouts and abort flag are filled in) for `timeouts.total`/`lookup`.
CurlOptions transport_options(CurlOptions endpoint, int connect_ms, int total_ms, const std::atomic<bool>* abort);

template <class Conn>
class TargetPlumbing {
public:
    // Reads the settings file: nullopt = not connected (no file, or a file for another kind of target); `problem`
    // says why when a file is there but unusable.
    using Loader = std::function<std::optional<Conn>(const std::string& path, std::string& problem)>;
    // Base URL, trust and transport switches for `c`.
    using Endpoint = std::function<CurlOptions(const Conn& c)>;

    TargetPlumbing(std::string path, TargetTimeouts timeouts, HttpClientFactory factory, Loader load,
                   Endpoint endpoint)
        : timeouts_(timeouts),
          factory_(std::move(factory)),
          load_(std::move(load)),
          endpoint_(std::move(endpoint)),
          watch_(std::move(path)) {}

    const std::string& path() const { return watch_.path(); }
    const TargetTimeouts& timeouts() const { return timeouts_; }

    // Re-reads the file when forced, never read, or changed on disk; true when it was re-read.
    bool refresh(bool force) {
        std::lock_guard lk(mu_);
        if (!watch_.due(force)) return false;
        problem_.clear();
        conn_ = load_(watch_.path(), problem_);
        ++generation_;
        return true;
    }

    std::optional<Conn> connection() const {
        std::lock_guard lk(mu_);
        return conn_;
    }

    // Calls f(const std::optional<Conn>&, const std::string& problem) under the lock (for identity()).
    template <class F>
    auto inspect(F&& f) const {
        std::lock_guard lk(mu_);
        return f(conn_, problem_);
    }

    // The target writes its own file (token rotation): save(path, c), and on success `c` is current and the write
    // does not count as a change on disk (the engine's connection is kept).
    template <class Save>
    Result<> store(const Conn& c, Save&& save) {
        std::lock_guard lk(mu_);
        if (auto s = save(watch_.path(), c); !s) return s;
        watch_.remember();
        conn_ = c;
        return {};
    }

    std::mutex& engine_mutex() { return engine_mu_; }

    // The engine's connection for `c` (hold engine_mutex()). `renewed` (optional) is set to true when the settings
    // were re-read since the previous connection was made (state tied to the old settings must be dropped).
    Result<HttpClient*> engine_client(const Conn& c, const std::atomic<bool>* abort, bool* renewed = nullptr) {
        uint64_t gen;
        {
            std::lock_guard lk(mu_);
            gen = generation_;
        }
        if (renewed) *renewed = false;
        if (!engine_http_ || engine_generation_ != gen || engine_abort_ != abort) {
            engine_http_.reset();
            try {
                engine_http_ = make_http_client(
                    transport_options(endpoint_(c), timeouts_.connect_ms, timeouts_.total_ms, abort), factory_);
            } catch (const std::exception& e) {
                // An unusable address (e.g. plain http:// off the local network) does not heal by retrying.
                return failure(Disposition::NotPaired, e.what());
            }
            if (renewed) *renewed = engine_generation_ != gen;
            engine_generation_ = gen;
            engine_abort_ = abort;
        }
        return engine_http_.get();
    }

    // A connection of its own for one look-up, with the look-up timeout.
    Result<std::unique_ptr<HttpClient>> lookup_client(const Conn& c, const std::atomic<bool>* abort) const {
        try {
            return make_http_client(transport_options(endpoint_(c), timeouts_.connect_ms, timeouts_.lookup_ms, abort),
                                    factory_);
        } catch (const std::exception& e) {
            return failure(Disposition::NotPaired, e.what());
        }
    }

private:
    const TargetTimeouts timeouts_;
    const HttpClientFactory factory_;
    const Loader load_;
    const Endpoint endpoint_;

    mutable std::mutex mu_;  // the settings and their file stamp
    std::optional<Conn> conn_;
    std::string problem_;
    FileWatch watch_;
    uint64_t generation_ = 0;

    std::mutex engine_mu_;  // the engine's connection
    std::unique_ptr<HttpClient> engine_http_;
    uint64_t engine_generation_ = 0;
    const std::atomic<bool>* engine_abort_ = nullptr;
};

}  // namespace batchivo::sync
