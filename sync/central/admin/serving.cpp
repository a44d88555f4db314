#include "sync/central/admin/serving.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "sync/central/api/tls.hpp"

namespace batchivo::central {

namespace {

// Blocks SIGINT/SIGTERM/SIGHUP in every thread started afterwards and waits for SIGINT/SIGTERM, or for stdin to
// close when `watch_stdin` (the demo's child-process mode), whichever comes first. SIGHUP runs the on_hup callback
// (reload the TLS certificate) and keeps waiting.
class ShutdownWaiter {
public:
    // The watcher threads are detached and may outlive this object (a SIGTERM can arrive after stdin closed and
    // main returned), so the state they touch is shared, never owned by the stack frame.
    explicit ShutdownWaiter(bool watch_stdin) : state_(std::make_shared<State>()) {
        sigemptyset(&state_->set);
        sigaddset(&state_->set, SIGINT);
        sigaddset(&state_->set, SIGTERM);
        sigaddset(&state_->set, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &state_->set, nullptr);
        std::thread([st = state_] {
            for (;;) {
                int sig = 0;
                if (sigwait(&st->set, &sig) != 0) continue;
                if (sig == SIGHUP) {
                    std::function<void()> f;
                    {
                        std::lock_guard lk(st->mu);
                        f = st->on_hup;
                    }
                    if (f) f();
                    continue;
                }
                st->trigger();
                return;
            }
        }).detach();
        if (watch_stdin) {
            std::thread([st = state_] {
                char buf[256];
                while (true) {
                    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
                    if (n == 0 || (n < 0 && errno != EINTR)) break;
                }
                st->trigger();
            }).detach();
        }
    }
    void on_hup(std::function<void()> f) {
        std::lock_guard lk(state_->mu);
        state_->on_hup = std::move(f);
    }
    void wait() {
        std::unique_lock lk(state_->mu);
        state_->cv.wait(lk, [&] { return state_->done; });
    }

private:
    struct State {
        sigset_t set;
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
        std::function<void()> on_hup;
        void trigger() {
            std::lock_guard lk(mu);
            done = true;
            cv.notify_all();
        }
    };
    std::shared_ptr<State> state_;
};

}  // namespace

TlsChoice resolve_tls(const std::string& data_dir, const std::string& cert, const std::string& key,
                      const std::vector<std::string>& hosts) {
    if (!cert.empty() || !key.empty()) {
        if (cert.empty() || key.empty()) throw StoreError("invalid_input", "--cert and --key go together");
        return {cert, key, ""};
    }
    const auto t = ensure_tls(data_dir + "/tls", hosts);
    return {t.cert_file, t.key_file, t.ca_file};
}

int serve_until_signal(std::shared_ptr<Store> store, ServerOptions so, bool watch_stdin,
                       const std::function<void(CentralServer&)>& ready) {
    ShutdownWaiter waiter(watch_stdin);
    CentralServer server(std::move(store));
    std::string err;
    if (!server.start(so, &err)) {
        std::cerr << "batchivo-central: " << err << "\n";
        return 1;
    }
    ready(server);
    waiter.on_hup([&server] {
        std::string why;
        if (server.reload_tls(&why))
            std::cerr << "batchivo-central: SIGHUP: TLS certificate reloaded; new connections use it\n";
        else
            std::cerr << "batchivo-central: SIGHUP: kept the current TLS certificate: " << why << "\n";
    });
    waiter.wait();
    waiter.on_hup(nullptr);
    server.stop();
    return 0;
}

}  // namespace batchivo::central
