#include "crash_harness.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "sync/sqlite/sqlite.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::test {

namespace {

int64_t mono_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

CrashStats run_crash_test(const std::string& child_binary, const std::string& db_path, int kills, uint64_t seed,
                          int max_delay_ms) {
    CrashStats st;
    // Under emulation (scripts/test-arm64: qemu-user) a process starts and records ~50x slower: the kill window is
    // stretched by BATCHIVO_TEST_TIME_SCALE so that the child still gets past start-up and records between kills.
    if (const char* scale = std::getenv("BATCHIVO_TEST_TIME_SCALE"); scale && std::atoi(scale) > 1)
        max_delay_ms *= std::atoi(scale);
    // `child_binary` may carry an emulator in front (arm64 build under qemu-user): its words become the argv.
    std::vector<std::string> words;
    {
        std::istringstream is(child_binary);
        for (std::string w; is >> w;) words.push_back(w);
    }
    const std::string spool = "44444444-4444-4444-8444-444444444444";
    words.push_back(db_path);
    words.push_back(spool);
    std::vector<char*> child_argv;
    for (auto& w : words) child_argv.push_back(w.data());
    child_argv.push_back(nullptr);
    std::mt19937_64 rng(seed);
    std::unordered_set<std::string> acked;
    for (int k = 0; k < kills; ++k) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork failed");
        if (pid == 0) {
            ::dup2(fds[1], 1);
            ::close(fds[0]);
            ::close(fds[1]);
            ::execv(child_argv[0], child_argv.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        // Kill at a random moment: sometimes during start-up (open, migration), mostly mid-loop.
        const int64_t delay = static_cast<int64_t>(rng() % static_cast<uint64_t>(max_delay_ms + 1));
        const int64_t deadline = mono_ms() + delay;
        std::string buf;
        auto consume = [&](bool final) {
            size_t pos;
            while ((pos = buf.find('\n')) != std::string::npos) {
                const std::string line = buf.substr(0, pos);
                buf.erase(0, pos + 1);
                const auto sp = line.find(' ');
                if (sp != std::string::npos) {
                    acked.insert(line.substr(0, sp));
                    ++st.acknowledged;
                }
            }
            if (final) buf.clear();  // a partial line was never acknowledged
        };
        bool child_gone = false;
        while (!child_gone) {
            const int64_t left = deadline - mono_ms();
            if (left <= 0) break;
            pollfd p{fds[0], POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) > 0) {
                char tmp[4096];
                const ssize_t n = ::read(fds[0], tmp, sizeof tmp);
                if (n <= 0) child_gone = true;
                else buf.append(tmp, static_cast<size_t>(n));
                consume(false);
            }
        }
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        // Everything the child wrote before it died was acknowledged after its record() returned.
        for (;;) {
            char tmp[4096];
            const ssize_t n = ::read(fds[0], tmp, sizeof tmp);
            if (n <= 0) break;
            buf.append(tmp, static_cast<size_t>(n));
        }
        consume(true);
        ::close(fds[0]);
        ++st.kills;
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
            // The child exited by itself: an error in the child is a failure of the harness, not a kill.
            throw std::runtime_error("crash child exited without being killed (status " + std::to_string(status) + ")");
        }

        // Restart: open the store like a rebooted station does, then verify.
        StationStore store(db_path);
        if (!store.integrity_ok()) ++st.integrity_failures;
        auto& db = store.db();
        const int64_t n = db.query_int("SELECT COUNT(*) FROM transactions").value_or(0);
        const int64_t maxseq = db.query_int("SELECT COALESCE(MAX(seq), 0) FROM transactions").value_or(0);
        const int64_t minseq = db.query_int("SELECT COALESCE(MIN(seq), 1) FROM transactions").value_or(1);
        if (n != maxseq || minseq != 1) ++st.seq_gaps;
        st.duplicates +=
            db.query_int("SELECT COUNT(*) FROM (SELECT id FROM transactions GROUP BY id HAVING COUNT(*) > 1)")
                .value_or(0);
        std::unordered_set<std::string> present;
        {
            sql::Stmt s(db, "SELECT id FROM transactions");
            while (s.step()) present.insert(s.text(0));
        }
        int64_t lost = 0;
        for (const auto& id : acked)
            if (!present.count(id)) ++lost;
        st.lost = std::max(st.lost, lost);
        st.records = n;
    }
    return st;
}

}  // namespace batchivo::test
