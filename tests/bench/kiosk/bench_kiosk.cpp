// Kiosk benchmarks. Prints each figure with its goal and the ratio (value / goal; <= 1 meets the goal), and for
// the stock search the same query through the store's SQL search as a baseline measured in this run.
//
// The display figures run the real batchivo-station (next to this build's bin/) on a private Xvfb server
// started here (-displayfd), so the process measured is exactly the kiosk:
//   idle CPU %      : the weigh screen (demo: simulated scale + camera + decoder, paired to the demo central),
//                     CPU of the station process over 10 s after a warm-up (utime+stime of /proc/PID/stat);
//                     baseline in the same run: the same kiosk with the camera off
//   frame CPU       : UI-thread CPU per drawn frame while the simulated scale keeps changing (scenario)
//   peak RSS        : VmHWM of the station with the simulated camera at 640x480, also without the GL driver's
//                     own libraries (mapped files the station does not link: Mesa's DRI driver, libLLVM, ...)
//   exec->1st frame : from fork/exec to the first frame on screen (non-demo station with a seeded store)
#include <fcntl.h>
#include <time.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "station/core/demo.hpp"
#include "station/core/catalog_index.hpp"
#include "station/core/screens/stock.hpp"
#include "sync/store/station_store.hpp"

using namespace batchivo;
using namespace batchivo::station;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kStation = std::string(BATCHIVO_BIN_DIR) + "/batchivo-station";

struct Child {
    pid_t pid = -1;
    int err_fd = -1;  // its stderr
};

Child spawn(const std::vector<std::string>& args, const std::vector<std::string>& env_add) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return {};
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 2);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        for (const auto& e : env_add) putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(p[1]);
    return {pid, p[0]};
}

// Reads the child's stderr until a line starting with `prefix` (returns the rest) or the timeout.
std::string wait_line(int fd, const std::string& prefix, int timeout_ms, std::string& all) {
    auto end = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < end) {
        size_t pos = 0;
        while ((pos = all.find('\n')) != std::string::npos) {
            std::string line = all.substr(0, pos);
            all.erase(0, pos + 1);
            if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
        }
        pollfd pf{fd, POLLIN, 0};
        int left = int(std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count());
        if (poll(&pf, 1, std::max(1, left)) <= 0) continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        all.append(buf, size_t(n));
    }
    return {};
}

double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s((std::istreambuf_iterator<char>(in)), {});
    auto r = s.rfind(')');
    if (r == std::string::npos) return 0;
    std::istringstream is(s.substr(r + 2));
    std::string f;
    unsigned long long ut = 0, st = 0;
    for (int i = 3; i <= 15; ++i) {
        is >> f;
        if (i == 14) ut = std::stoull(f);
        if (i == 15) st = std::stoull(f);
    }
    return double(ut + st) / double(sysconf(_SC_CLK_TCK));
}

// Resident pages of Mesa's software renderer (llvmpipe: libLLVM + the swrast/gallium driver), which a Pi's
// hardware GL driver does not carry; reported separately so our own footprint is visible.
long mesa_rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
    std::string line, name;
    long kb = 0;
    while (std::getline(in, line)) {
        if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') != std::string::npos) {
            auto sp = line.rfind(' ');
            name = sp == std::string::npos ? "" : line.substr(sp + 1);
        } else if (line.rfind("Rss:", 0) == 0 &&
                   (name.find("libLLVM") != std::string::npos || name.find("swrast_dri") != std::string::npos ||
                    name.find("libgallium") != std::string::npos)) {
            kb += std::atol(line.c_str() + 4);
        }
    }
    return kb;
}

// The libraries the station links (ldd: its whole dependency closure, as real paths).
std::set<std::string> linked_libraries(const std::string& bin) {
    std::set<std::string> out;
    FILE* p = popen(("ldd " + bin + " 2>/dev/null").c_str(), "r");
    if (!p) return out;
    char buf[1024];
    while (std::fgets(buf, sizeof buf, p)) {
        std::string l(buf);
        auto arrow = l.find("=> ");
        std::string path = arrow != std::string::npos ? l.substr(arrow + 3) : l;
        path.erase(0, path.find_first_not_of(" \t"));
        path = path.substr(0, path.find(' '));
        std::error_code ec;
        if (!path.empty() && path[0] == '/') out.insert(std::filesystem::canonical(path, ec).string());
    }
    pclose(p);
    return out;
}

// Resident pages of the GL driver's own files: everything mapped that the station does not link (Mesa's DRI
// driver and what it loads at run time: libLLVM, libz3, libicu, libdrm, libGLX_mesa, ...) and the X server's
// shared-memory image (SYSV segment) that the software driver presents through. `files` receives the biggest.
long gl_driver_rss_kb(pid_t pid, const std::set<std::string>& linked, std::string* files = nullptr) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
    std::string line, name;
    std::map<std::string, long> per;
    while (std::getline(in, line)) {
        if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') != std::string::npos) {
            std::istringstream is(line);
            std::string range, perms, off, dev, inode;
            is >> range >> perms >> off >> dev >> inode;
            std::getline(is, name);
            name.erase(0, name.find_first_not_of(' '));
        } else if (line.rfind("Rss:", 0) == 0 && !name.empty() && (name[0] == '/')) {
            std::error_code ec;
            const std::string real = std::filesystem::canonical(name, ec).string();
            const bool ours = linked.count(real) || real == std::filesystem::canonical(kStation, ec).string();
            if (!ours) per[name.rfind("/SYSV", 0) == 0 ? "SYSV shm" : name] += std::atol(line.c_str() + 4);
        }
    }
    long kb = 0;
    std::vector<std::pair<long, std::string>> top;
    for (auto& [n, k] : per) {
        kb += k;
        top.emplace_back(k, std::filesystem::path(n).filename().string());
    }
    std::sort(top.rbegin(), top.rend());
    if (files)
        for (size_t i = 0; i < top.size() && i < 6; ++i)
            *files += (i ? ", " : "") + top[i].second + " " + std::to_string(top[i].first / 1024) + " MB";
    return kb;
}

// The heap the GL driver allocates (Mesa's llvmpipe compiles shaders with LLVM and keeps its scene and texture
// copies on the process heap; a Pi's V3D driver carries none of that), measured with heaptrack when it is
// installed: the kiosk runs under heaptrack, and at the heap's peak every allocation site whose code lives in a
// mapped file the station does not link (the same rule as gl_driver_rss_kb) is the driver's. Sites heaptrack
// cannot resolve are looked up in the process's own map; what stays unknown is counted as ours.
struct DriverHeap {
    bool ok = false;
    double peak_mb = 0, driver_mb = 0, unknown_mb = 0;
    std::string top;  // the biggest driver sites
};

double heaptrack_size_mb(const std::string& s) {
    double v = std::atof(s.c_str());
    switch (s.empty() ? 'B' : s.back()) {
        case 'K': return v / 1024.0;
        case 'M': return v;
        case 'G': return v * 1024.0;
        default: return v / (1024.0 * 1024.0);
    }
}

// The station process started (directly or through a launcher script) below `ancestor`.
pid_t find_station_below(pid_t ancestor) {
    std::error_code ec;
    const auto want = std::filesystem::canonical(kStation, ec);
    for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = e.path().filename();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        std::error_code ec2;
        if (std::filesystem::read_symlink(e.path() / "exe", ec2) != want) continue;
        for (pid_t p = std::stoi(name), hops = 0; p > 1 && hops < 8; ++hops) {
            if (p == ancestor) return std::stoi(name);
            std::ifstream st("/proc/" + std::to_string(p) + "/stat");
            std::string all((std::istreambuf_iterator<char>(st)), {});
            auto r = all.rfind(')');
            if (r == std::string::npos) break;
            std::istringstream is(all.substr(r + 2));
            std::string state;
            is >> state >> p;
        }
    }
    return -1;
}

DriverHeap driver_heap(const std::string& display, const std::set<std::string>& linked) {
    DriverHeap h;
    if (std::system("command -v heaptrack >/dev/null 2>&1 && command -v heaptrack_print >/dev/null 2>&1") != 0)
        return h;
    const std::string dir =
        std::filesystem::temp_directory_path() / ("bench-kiosk-heap-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream cfg(dir + "/config.toml");
        cfg << "[camera]\ndriver = \"sim\"\nwidth = 640\nheight = 480\nfps = 10\n";
    }
    const std::string out = dir + "/heap";
    Child c = spawn({"/bin/sh", "-c", "exec heaptrack -o \"$0\" \"$@\"", out, kStation, "--demo", "--windowed", "--size",
                     "800x480", "--data-dir", dir},
                    {display, "BATCHIVO_REPORT_FIRST_FRAME=1"});
    std::string all;
    const bool started = !wait_line(c.err_fd, "first-frame-ms ", 60000, all).empty();
    pid_t station = started ? find_station_below(c.pid) : -1;
    std::vector<std::tuple<unsigned long, unsigned long, std::string>> maps;
    if (station > 0) {
        std::this_thread::sleep_for(std::chrono::seconds(8));  // as the idle runs: catalog, first sync, decoding
        std::ifstream in("/proc/" + std::to_string(station) + "/maps");
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream is(line);
            std::string range, perms, off, dev, inode, path;
            is >> range >> perms >> off >> dev >> inode;
            std::getline(is, path);
            path.erase(0, path.find_first_not_of(' '));
            auto dash = range.find('-');
            maps.emplace_back(std::stoul(range.substr(0, dash), nullptr, 16), std::stoul(range.substr(dash + 1), nullptr, 16),
                              path);
        }
        kill(station, SIGTERM);  // heaptrack writes its file when the program exits
    }
    int st = 0;
    for (int i = 0; i < 600 && waitpid(c.pid, &st, WNOHANG) == 0; ++i) {
        char buf[4096];
        while (read(c.err_fd, buf, sizeof buf) > 0) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (waitpid(c.pid, &st, WNOHANG) == 0) {
        kill(c.pid, SIGKILL);
        waitpid(c.pid, &st, 0);
    }
    close(c.err_fd);
    std::string file;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().filename().string().rfind("heap", 0) == 0) file = e.path();
    if (station <= 0 || file.empty()) {
        std::filesystem::remove_all(dir);
        return h;
    }
    FILE* p = popen(("heaptrack_print -f '" + file + "' --print-peaks 1 --peak-limit 100000 --sub-peak-limit 0 "
                     "--print-allocators 0 --print-temporary 0 --print-leaks 0 --print-histogram 0 2>/dev/null")
                        .c_str(),
                    "r");
    std::vector<std::string> lines;
    char buf[4096];
    while (p && std::fgets(buf, sizeof buf, p)) {
        std::string l(buf);
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
        lines.push_back(l);
    }
    if (p) pclose(p);
    std::error_code ec;
    const std::string station_real = std::filesystem::canonical(kStation, ec).string();
    auto is_driver_file = [&](const std::string& path) {
        if (path.empty() || path[0] != '/') return false;
        std::error_code e2;
        const std::string real = std::filesystem::canonical(path, e2).string();
        return !linked.count(real) && real != station_real && real.find("heaptrack") == std::string::npos;
    };
    std::map<std::string, double> per;
    for (size_t i = 0; i + 2 < lines.size(); ++i) {
        const auto at = lines[i].find(" peak memory consumed over ");
        if (at != std::string::npos) {
            const double mb = heaptrack_size_mb(lines[i].substr(0, at));
            const std::string site = lines[i + 1];
            std::string module = lines[i + 2].rfind("  in ", 0) == 0 ? lines[i + 2].substr(5) : "";
            if (module == "??" && site.rfind("0x", 0) == 0) {
                const unsigned long a = std::stoul(site, nullptr, 16);
                module.clear();
                for (const auto& [lo, hi, path] : maps)
                    if (a >= lo && a < hi) module = path;
            }
            if (is_driver_file(module)) {
                h.driver_mb += mb;
                per[std::filesystem::path(module).filename().string()] += mb;
            } else if (module.empty() || module == "??") {
                h.unknown_mb += mb;
            }
        } else if (lines[i].rfind("peak heap memory consumption: ", 0) == 0) {
            h.peak_mb = heaptrack_size_mb(lines[i].substr(30));
        }
    }
    for (size_t i = lines.size() > 2 ? lines.size() - 2 : 0; i < lines.size(); ++i)
        if (lines[i].rfind("peak heap memory consumption: ", 0) == 0) h.peak_mb = heaptrack_size_mb(lines[i].substr(30));
    std::vector<std::pair<double, std::string>> top;
    for (auto& [n, mb] : per) top.emplace_back(mb, n);
    std::sort(top.rbegin(), top.rend());
    for (size_t i = 0; i < top.size() && i < 4; ++i) {
        char t[160];
        std::snprintf(t, sizeof t, "%s%s %.1f MB", i ? ", " : "", top[i].second.c_str(), top[i].first);
        h.top += t;
    }
    h.ok = h.peak_mb > 0;
    std::filesystem::remove_all(dir);
    return h;
}

long peak_rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

void stop(Child& c) {
    if (c.pid <= 0) return;
    kill(c.pid, SIGTERM);
    int st = 0;
    for (int i = 0; i < 100 && waitpid(c.pid, &st, WNOHANG) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (waitpid(c.pid, &st, WNOHANG) == 0) {
        kill(c.pid, SIGKILL);
        waitpid(c.pid, &st, 0);
    }
    if (c.err_fd >= 0) close(c.err_fd);
    c = {};
}

void report(const char* what, double value, const char* unit, double goal, bool lower_is_better = true) {
    std::printf("%-46s %10.2f %-4s goal %s %8.2f  ratio %.2f %s\n", what, value, unit, lower_is_better ? "<=" : ">=",
                goal, value / goal, (lower_is_better ? value <= goal : value >= goal) ? "(meets goal)" : "(MISSES goal)");
}

// A private X server: Xvfb writes its display number to the pipe we pass with -displayfd.
struct Xvfb {
    pid_t pid = -1;
    std::string display;
    bool start() {
        int p[2];
        if (pipe(p) != 0) return false;
        pid = fork();
        if (pid == 0) {
            close(p[0]);
            int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, 1);
            dup2(devnull, 2);
            std::string fd = std::to_string(p[1]);
            execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
                   (char*)nullptr);
            _exit(127);
        }
        close(p[1]);
        std::string n;
        char c;
        pollfd pf{p[0], POLLIN, 0};
        while (poll(&pf, 1, 10000) > 0 && read(p[0], &c, 1) == 1 && c != '\n') n += c;
        close(p[0]);
        if (n.empty()) return false;
        display = "DISPLAY=:" + n;
        return true;
    }
    ~Xvfb() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
    }
};

void bench_search() {
    std::printf("\n-- stock search per keystroke, 10,000-spool catalog\n");
    auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", 10000);
    auto idx = std::make_shared<CatalogIndex>(cat.spools);
    StockFlow f;
    f.set_index(idx);
    const std::string typed = "pla bla";
    std::vector<double> per_key, per_key_cpu;
    auto thread_ms = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
    };
    auto timed = [&](auto&& fn) {
        const double c0 = thread_ms();
        auto t0 = Clock::now();
        fn();
        per_key.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        per_key_cpu.push_back(thread_ms() - c0);
    };
    for (int round = 0; round < 20; ++round) {
        f.clear();
        for (char c : typed) timed([&] { f.key(c); });
        for (size_t i = 0; i < typed.size(); ++i) timed([&] { f.backspace(); });
    }
    std::sort(per_key_cpu.begin(), per_key_cpu.end());
    std::sort(per_key.begin(), per_key.end());
    const double p50 = per_key[per_key.size() / 2], p99 = per_key[per_key.size() * 99 / 100], mx = per_key.back();
    // Baseline in this run: the same prefixes through the store's SQL search (what a keystroke would cost on disk).
    const std::string dir = std::filesystem::temp_directory_path() / ("bench-kiosk-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    double sql_ms = 0;
    int sql_n = 0;
    {
        StationStore store(dir + "/station.db");
        store.upsert_material_types(cat.materials);
        store.upsert_spools(cat.spools);
        for (int round = 0; round < 3; ++round)
            for (size_t i = 1; i <= typed.size(); ++i) {
                SpoolQuery q;
                q.text = typed.substr(0, i);
                q.limit = 60;
                auto t0 = Clock::now();
                auto rows = store.search_spools(q);
                (void)store.count_spools(q);
                sql_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
                ++sql_n;
            }
    }
    std::filesystem::remove_all(dir);
    std::printf("%zu keystrokes: p50 %.3f ms, p99 %.3f ms, max %.3f ms; SQL search baseline %.3f ms/keystroke (%.1fx slower)\n",
                per_key.size(), p50, p99, mx, sql_ms / sql_n, (sql_ms / sql_n) / std::max(p50, 1e-6));
    report("stock search per keystroke p99, wall (ms)", p99, "ms", 5.0);
    report("stock search per keystroke p99, thread CPU (ms)", per_key_cpu[per_key_cpu.size() * 99 / 100], "ms", 5.0);
}

}  // namespace

int main() {
    std::printf("bench_kiosk (goals from the kiosk issue; ratio = value / goal)\n");
    bench_search();

    if (!std::filesystem::exists(kStation)) {
        std::printf("\nbatchivo-station not built at %s: display benchmarks not run\n", kStation.c_str());
        return 1;
    }
    Xvfb x;
    if (!x.start()) {
        std::printf("\nXvfb could not start: display benchmarks not run\n");
        return 1;
    }
    std::printf("\n-- display benchmarks on Xvfb %s (Mesa llvmpipe: software rendering)\n", x.display.c_str());

    // exec -> first frame, production path (no demo): a seeded store in a throwaway data dir.
    {
        const std::string dir = std::filesystem::temp_directory_path() / ("bench-kiosk-ff-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        {
            StationStore store(dir + "/station.db");
            auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", 40);
            store.upsert_material_types(cat.materials);
            store.upsert_spools(cat.spools);
        }
        std::vector<double> ms;
        for (int i = 0; i < 5; ++i) {
            auto t0 = Clock::now();
            Child c = spawn({kStation, "--data-dir", dir, "--windowed", "--size", "800x480"},
                            {x.display, "BATCHIVO_REPORT_FIRST_FRAME=1"});
            std::string all;
            std::string breakdown = wait_line(c.err_fd, "startup: ", 10000, all);
            std::string v = wait_line(c.err_fd, "first-frame-ms ", 10000, all);
            if (i == 4) std::printf("last run: %s\n", breakdown.c_str());
            auto t1 = Clock::now();
            stop(c);
            if (!v.empty()) ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        std::filesystem::remove_all(dir);
        if (ms.empty()) {
            std::printf("no first frame reported\n");
        } else {
            std::sort(ms.begin(), ms.end());
            report("exec -> first frame, median of 5 (ms)", ms[ms.size() / 2], "ms", 300);
        }
    }

    // Idle weigh screen, demo mode (sim scale + sim camera 640x480 + decoder + sync engine to the demo central),
    // and the same run's baseline: the same kiosk with the camera off ([camera] driver = "none"), so the camera +
    // decoder's share is visible. The scene in front of the simulated camera does not change (sensor noise only).
    const std::set<std::string> linked = linked_libraries(kStation);
    struct Idle {
        double cpu_pct = 0;
        long rss = 0, mesa = 0, driver = 0;
        std::string driver_files;
        bool ok = false;
    };
    auto idle_run = [&](const char* camera_driver) {
        Idle r;
        const std::string dir =
            std::filesystem::temp_directory_path() / ("bench-kiosk-idle-" + std::to_string(getpid()) + camera_driver);
        std::filesystem::create_directories(dir);
        {
            std::ofstream cfg(dir + "/config.toml");
            cfg << "[camera]\ndriver = \"" << camera_driver << "\"\nwidth = 640\nheight = 480\nfps = 10\n";
        }
        Child c = spawn({kStation, "--demo", "--windowed", "--size", "800x480", "--data-dir", dir},
                        {x.display, "BATCHIVO_REPORT_FIRST_FRAME=1"});
        std::string all;
        if (wait_line(c.err_fd, "first-frame-ms ", 30000, all).empty()) {
            std::printf("the demo kiosk did not start (camera %s)\n", camera_driver);
            stop(c);
            std::filesystem::remove_all(dir);
            return r;
        }
        std::this_thread::sleep_for(std::chrono::seconds(3));  // catalog load, first sync, scale settles
        const double c0 = cpu_seconds(c.pid);
        auto t0 = Clock::now();
        std::this_thread::sleep_for(std::chrono::seconds(10));
        const double c1 = cpu_seconds(c.pid);
        const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
        r.rss = peak_rss_kb(c.pid);
        r.mesa = mesa_rss_kb(c.pid);
        r.driver = gl_driver_rss_kb(c.pid, linked, &r.driver_files);
        r.cpu_pct = 100.0 * (c1 - c0) / wall;
        r.ok = true;
        stop(c);
        std::filesystem::remove_all(dir);
        return r;
    };
    const Idle base = idle_run("none");
    const Idle cam = idle_run("sim");
    if (!base.ok || !cam.ok) return 1;
    std::printf("baseline in this run: the same kiosk with the camera off: idle CPU %.2f %%, peak RSS %.1f MB "
                "(%.1f MB without the GL driver's libraries)\n",
                base.cpu_pct, base.rss / 1024.0, (base.rss - base.driver) / 1024.0);
    report("idle CPU on the weigh screen over 10 s (%)", cam.cpu_pct, "%", 1.0);
    std::printf("  camera + decoder's share: %+.2f %% of one core (unchanged frames are not decoded)\n",
                cam.cpu_pct - base.cpu_pct);
    report("peak RSS, demo, sim camera 640x480 (MB)", cam.rss / 1024.0, "MB", 40.0);
    std::printf("  of which Mesa llvmpipe libraries (libLLVM, swrast; absent with a hardware GL driver): %.1f MB\n",
                cam.mesa / 1024.0);
    report("peak RSS without the llvmpipe libraries (MB)", (cam.rss - cam.mesa) / 1024.0, "MB", 40.0);
    std::printf("  GL driver's libraries (mapped, not linked by the station): %.1f MB: %s\n", cam.driver / 1024.0,
                cam.driver_files.c_str());
    report("peak RSS without the GL driver's libraries (MB)", (cam.rss - cam.driver) / 1024.0, "MB", 40.0);
    std::printf("  camera + decoder's share: %+.1f MB (against the camera-off baseline)\n",
                ((cam.rss - cam.driver) - (base.rss - base.driver)) / 1024.0);
    if (const DriverHeap dh = driver_heap(x.display, linked); dh.ok) {
        std::printf("  heap at its peak (heaptrack): %.1f MB, of which allocated by the GL driver's code %.1f MB (%s); "
                    "unattributed %.1f MB (counted as ours)\n",
                    dh.peak_mb, dh.driver_mb, dh.top.c_str(), dh.unknown_mb);
        report("peak RSS without the GL driver's libraries and heap (MB)",
               (cam.rss - cam.driver) / 1024.0 - dh.driver_mb, "MB", 40.0);
    } else {
        std::printf("  (heaptrack not installed: the GL driver's heap is not separated; apt install heaptrack)\n");
    }

    // Frame CPU while the scale keeps changing: a scenario moving the simulated scale for ~6 s.
    {
        const std::string sc = std::filesystem::temp_directory_path() / ("bench-kiosk-" + std::to_string(getpid()) + ".txt");
        {
            std::ofstream o(sc);
            o << "tap demo-show\nwait-stage card\n";
            for (int i = 0; i < 12; ++i) o << "place " << (900 + (i % 4) * 37) << "\nwait 500\n";
        }
        Child c = spawn({kStation, "--demo", "--windowed", "--size", "800x480", "--scenario", sc},
                        {x.display, "BATCHIVO_REPORT_FRAMES=1"});
        std::string all;
        std::string v = wait_line(c.err_fd, "frames ", 60000, all);
        int st = 0;
        waitpid(c.pid, &st, 0);
        close(c.err_fd);
        std::filesystem::remove(sc);
        int frames = 0;
        double per = 0;
        if (std::sscanf(v.c_str(), "%d ui-frame-cpu-ms %lf", &frames, &per) == 2) {
            std::printf("%d frames drawn while the scale moved\n", frames);
            report("UI-thread CPU per frame, scale changing (ms)", per, "ms", 16.7);
        } else {
            std::printf("frame statistics missing\n");
        }
    }
    return 0;
}
