#include "batchivo_source_dir.hpp"
#include "station/core/paths.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace batchivo::station {

namespace fs = std::filesystem;

std::string system_config_path() {
    if (const char* p = std::getenv("BATCHIVO_STATION_CONFIG"); p && *p) return p;
    return "/etc/batchivo-station/config.toml";
}

std::string DataDir::config_to_load() const {
    std::error_code ec;
    if (fs::exists(config(), ec)) return config();
    return system_config_path();
}

DataDir resolve_data_dir(const std::string& override_dir) {
    std::string root = override_dir;
    if (root.empty()) {
        if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) root = std::string(x) + "/batchivo-station";
        else if (const char* h = std::getenv("HOME"); h && *h) root = std::string(h) + "/.local/share/batchivo-station";
        else root = "./batchivo-station-data";
    }
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec || !fs::is_directory(root)) throw std::runtime_error("cannot create data directory " + root);
    ::chmod(root.c_str(), 0700);
    return DataDir{fs::absolute(root).string()};
}

std::string assets_dir() {
    if (const char* a = std::getenv("BATCHIVO_ASSETS"); a && *a) return a;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // Installed (/usr/bin -> /usr/share/batchivo-station), then the build tree (build/bin -> assets).
        for (auto rel : {"../share/batchivo-station", "../../assets", "../assets"}) {
            fs::path p = exe.parent_path() / rel;
            if (fs::exists(p / "data" / "spool_tares.csv")) return fs::canonical(p).string();
        }
    }
    return BATCHIVO_SOURCE_DIR "/assets";
}

}  // namespace batchivo::station
