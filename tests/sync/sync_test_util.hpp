// Shared helpers for the sync suites: temp dirs, credentials, an engine wired to a handler.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "sync/engine/sync_engine.hpp"
#include "sync/http/http_client.hpp"
#include "sync/targets/central/credentials.hpp"
#include "sync/targets/make_target.hpp"

namespace batchivo::test {

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const char* tag = "sync") {
        std::string t = std::string("/tmp/batchivo-") + tag + "-XXXXXX";
        path = mkdtemp(t.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string str() const { return path.string(); }
    std::string db() const { return (path / "station.db").string(); }
    std::string creds() const { return (path / "credentials.json").string(); }
};

inline sync::Credentials test_credentials(const std::string& token = "tok-1") {
    sync::Credentials c;
    c.server_url = "https://central.test:8443";
    c.device_token = token;
    c.device_id = "33333333-3333-4333-8333-333333333333";
    c.tenant_id = "11111111-1111-4111-8111-111111111111";
    c.tenant_slug = "acme";
    c.tenant_name = "Acme";
    return c;
}

// An HttpClient that forwards to a function (the handler may block, e.g. to simulate a stall).
class FnClient : public sync::HttpClient {
public:
    using Fn = std::function<sync::HttpResponse(const sync::HttpRequest&, const std::atomic<bool>* abort)>;
    FnClient(Fn f, const std::atomic<bool>* abort) : f_(std::move(f)), abort_(abort) {}
    sync::HttpResponse perform(const sync::HttpRequest& r) override { return f_(r, abort_); }

private:
    Fn f_;
    const std::atomic<bool>* abort_;
};

// Engine options plus the target's (transport, credentials), as a test sets them up.
struct EngineOptions : sync::SyncEngineOptions {
    sync::TargetOptions target;
};

inline EngineOptions engine_options(const TempDir& dir, FnClient::Fn fn) {
    EngineOptions o;
    o.target.data_dir = dir.str();
    o.batch_size = 10;
    o.interval_ms = 60'000;
    o.watch_network = false;
    o.backoff = {5, 40};  // fast backoff for tests
    o.target.client_factory = [fn](const sync::CurlOptions& co) {
        return std::make_unique<FnClient>(fn, co.abort_flag);
    };
    return o;
}

// An engine over the target that make_target() picks for `o.target` (central, with the test's transport).
class TestEngine : public sync::SyncEngine {
public:
    TestEngine(StationStore& store, const EngineOptions& o) : SyncEngine(store, sync::make_target(o.target), o) {}
};

}  // namespace batchivo::test
