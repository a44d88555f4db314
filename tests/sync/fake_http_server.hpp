// What the in-process fakes of other servers share (fake_spoolman.hpp, fake_batchivo.hpp): a cpp-httplib server on
// 127.0.0.1 (plain HTTP, any free port), served on its own thread. The fake registers its routes on `svr_`, then
// calls serve(); its destructor must call stop_serving() first (the routes use its members).
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>

namespace batchivo::test {

class FakeHttpServer {
public:
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

protected:
    FakeHttpServer() = default;
    ~FakeHttpServer() { stop_serving(); }
    // Binds to a free port and serves until stop_serving(); returns once the server runs.
    void serve() {
        port_ = svr_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { svr_.listen_after_bind(); });
        for (int i = 0; i < 400 && !svr_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    void stop_serving() {
        svr_.stop();
        if (thread_.joinable()) thread_.join();
    }

    httplib::Server svr_;

private:
    int port_ = 0;
    std::thread thread_;
};

}  // namespace batchivo::test
