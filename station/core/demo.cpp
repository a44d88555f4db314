#include "station/core/demo.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "station/core/sync_link.hpp"
#include "sync/domain/time.hpp"
#include "sync/domain/uuid.hpp"
#include "sync/store/station_store.hpp"

namespace batchivo::station {

namespace fs = std::filesystem;

std::string find_central_binary() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    fs::path p = exe.parent_path() / "batchivo-central";
    if (fs::exists(p) && ::access(p.c_str(), X_OK) == 0) return p.string();
    return {};
}

std::string fresh_demo_dir() {
    std::string base;
    if (const char* x = std::getenv("XDG_RUNTIME_DIR"); x && *x && fs::is_directory(x))
        base = std::string(x) + "/batchivo-demo-" + std::to_string(::getpid());
    else
        base = "/tmp/batchivo-demo-" + std::to_string(::getuid()) + "-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove_all(base, ec);
    fs::create_directories(base, ec);
    ::chmod(base.c_str(), 0700);
    return base;
}

Result<> CentralChild::start(const std::string& bin, const std::string& data_dir, int timeout_ms) {
    std::string error;
    stop();
    int in_pipe[2], out_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
        error = "pipe failed";
        return Error{"demo_central", error};
    }
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        ::close(in_pipe[0]);
        ::close(in_pipe[1]);
        error = "pipe failed";
        return Error{"demo_central", error};
    }
    const std::string central_dir = data_dir + "/central";
    fs::create_directories(central_dir);
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        error = "fork failed";
        return Error{"demo_central", error};
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(1);
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        const char* argv[] = {bin.c_str(), "demo", "--data-dir", central_dir.c_str(), "--listen", "127.0.0.1:0", nullptr};
        ::execv(bin.c_str(), const_cast<char* const*>(argv));
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    pid_ = pid;
    stdin_fd_ = in_pipe[1];
    stdout_fd_ = out_pipe[0];

    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (line.find('\n') == std::string::npos) {
        int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        deadline - std::chrono::steady_clock::now()).count());
        if (left <= 0) {
            error = "batchivo-central demo did not report ready within " + std::to_string(timeout_ms) + " ms";
            stop();
            return Error{"demo_central", error};
        }
        pollfd p{stdout_fd_, POLLIN, 0};
        if (::poll(&p, 1, left) <= 0) continue;
        char buf[4096];
        ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) {
            error = "batchivo-central demo exited before it was ready";
            stop();
            return Error{"demo_central", error};
        }
        line.append(buf, size_t(n));
    }
    line.resize(line.find('\n'));
    try {
        auto j = nlohmann::json::parse(line);
        url_ = j.value("url", "");
        pairing_ = j.value("pairing_payload", "");
        if (j.contains("tenant")) tenant_ = j["tenant"].is_string() ? j["tenant"].get<std::string>() : j["tenant"].dump();
    } catch (const std::exception& e) {
        error = std::string("batchivo-central demo printed an unreadable line: ") + e.what();
        stop();
        return Error{"demo_central", error};
    }
    if (url_.empty() || pairing_.empty()) {
        error = "batchivo-central demo did not give a url and a pairing payload";
        stop();
        return Error{"demo_central", error};
    }
    return {};
}

void CentralChild::stop() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    stdin_fd_ = -1;
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 50; ++i) {  // up to 5 s for a clean exit, then SIGKILL
            pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_ || r < 0) {
                pid_ = -1;
                break;
            }
            ::usleep(100'000);
        }
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    stdout_fd_ = -1;
}

DemoCatalog make_demo_catalog(const std::string& tenant_id, int count) {
    struct Mat {
        const char* name;
        const char* id;
    };
    static const Mat mats[] = {{"PLA", "0193a000-0000-7000-8000-000000000001"},
                               {"PETG", "0193a000-0000-7000-8000-000000000002"},
                               {"ABS", "0193a000-0000-7000-8000-000000000003"},
                               {"TPU", "0193a000-0000-7000-8000-000000000004"},
                               {"ASA", "0193a000-0000-7000-8000-000000000005"},
                               {"PLA-CF", "0193a000-0000-7000-8000-000000000006"}};
    static const char* brands[] = {"Bambu Lab", "Prusament", "Polymaker", "eSun", "Sunlu", "Elegoo"};
    struct Col {
        const char* name;
        const char* hex;
    };
    static const Col colors[] = {{"Red", "#D32F2F"},    {"Black", "#1B1B1B"}, {"White", "#F2F2F2"},
                                 {"Blue", "#1565C0"},   {"Green", "#2E7D32"}, {"Orange", "#EF6C00"},
                                 {"Grey", "#8A8D91"},   {"Yellow", "#F9D71C"}, {"Purple", "#6A1B9A"},
                                 {"Galaxy Black", "#2B2B3A"}};
    static const char* locations[] = {"Shelf A1", "Shelf A2", "Shelf B1", "Dry box 1", "Dry box 2", "Printer 3"};
    // Fractions of the initial weight chosen to cover ok / low / critical / depleted.
    static const double fill[] = {1.0, 0.82, 0.64, 0.47, 0.31, 0.22, 0.12, 0.07, 0.0, 0.93, 0.55, 0.18};
    DemoCatalog c;
    for (auto& m : mats) c.materials.push_back(MaterialType{m.id, m.name, "{}"});
    for (int i = 0; i < count; ++i) {
        const Mat& m = mats[(i % 10 < 4) ? 0 : (i * 7 + i / 6) % 6];
        const char* brand = brands[(i * 5 + 1) % 6];
        const Col& col = colors[(i * 3) % 10];
        Spool s;
        char uuid[40];
        std::snprintf(uuid, sizeof uuid, "0193b000-0000-7000-8000-%012d", i + 1);
        s.id = uuid;
        s.tenant_id = tenant_id;
        char sid[32];
        std::snprintf(sid, sizeof sid, "FIL-%03d", i + 1);
        s.spool_id = sid;
        s.material_type_id = m.id;
        s.material_name = m.name;
        s.brand = brand;
        s.color = col.name;
        s.color_hex = col.hex;
        s.initial_weight_g = (i % 9 == 4) ? 750 : (i % 11 == 7 ? 2000 : 1000);
        s.current_weight_g = static_cast<int>(s.initial_weight_g * fill[i % 12]);
        s.empty_spool_weight_g = (i % 4 == 3) ? std::optional<int>() : std::optional<int>(180 + (i % 5) * 25);
        s.storage_location = locations[i % 6];
        s.qr_code_data = "batchivo://spool/" + s.id;
        s.purchase_date = "2026-0" + std::to_string(1 + i % 9) + "-15";
        s.supplier = brand;
        s.is_active = true;
        s.created_at = "2026-01-15T10:00:00.000Z";
        s.updated_at = "2026-11-20T10:00:00.000Z";
        c.spools.push_back(std::move(s));
    }
    int n = 0;
    for (auto& m : mats) {
        ReorderSetting r;
        char id[40];
        std::snprintf(id, sizeof id, "0193c000-0000-7000-8000-%012d", ++n);
        r.id = id;
        r.tenant_id = tenant_id;
        r.material_type_id = m.id;
        r.material_name = m.name;
        r.avg_daily_usage_grams = 40 + n * 15;
        r.lead_time_days = 5 + n;
        r.safety_stock_days = 7;
        r.reorder_point_grams = *r.avg_daily_usage_grams * (r.lead_time_days + r.safety_stock_days);
        r.reorder_quantity_grams = 3000;
        r.updated_at = "2026-11-20T10:00:00.000Z";
        c.reorder.push_back(r);
    }
    ReorderSetting black{};
    black.id = "0193c000-0000-7000-8000-000000000099";
    black.tenant_id = tenant_id;
    black.material_type_id = mats[0].id;
    black.material_name = "PLA";
    black.color = "Black";
    black.brand = "Bambu Lab";
    black.lead_time_days = 4;
    black.reorder_point_grams = 1500;
    black.reorder_quantity_grams = 2000;
    c.reorder.push_back(black);
    return c;
}

Result<> start_demo_central(const std::string& data_dir, StationStore& store, const std::string& station_name,
                            int timeout_ms, int offline_spools, std::unique_ptr<CentralChild>& central) {
    std::string error;
    const std::string bin = find_central_binary();
    if (bin.empty()) {
        error = "batchivo-central is not built next to this program";
    } else {
        central = std::make_unique<CentralChild>();
        if (auto started = central->start(bin, data_dir, timeout_ms); !started) {
            error = started.error().message;
        } else {
            auto paired = pair_with_payload(central->pairing_payload(), data_dir, &store, station_name);
            if (paired) return {};
            error = "pairing with the demo central failed: " + paired.error().message;
        }
    }
    // Offline demo: the same kind of catalog the demo central seeds, straight into the local cache.
    auto cat = make_demo_catalog("0193d000-0000-7000-8000-000000000001", offline_spools);
    store.upsert_material_types(cat.materials);
    store.upsert_spools(cat.spools);
    store.upsert_reorder_settings(cat.reorder);
    store.set_meta("catalog_as_of_ms", std::to_string(now_epoch_ms()));
    return Error{"demo_offline", error};
}

}  // namespace batchivo::station
