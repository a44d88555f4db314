// Where a station keeps its files: one data directory (--data-dir, else $XDG_DATA_HOME/batchivo-station, else
// ~/.local/share/batchivo-station) holding station.db, config.toml and credentials.json.
#pragma once

#include <string>

namespace batchivo::station {

struct DataDir {
    std::string root;
    std::string db() const { return root + "/station.db"; }
    std::string config() const { return root + "/config.toml"; }
    std::string credentials() const { return root + "/credentials.json"; }
};

// Resolves (and creates, mode 0700) the data directory. Throws std::runtime_error when it cannot be created.
DataDir resolve_data_dir(const std::string& override_dir);
// Directory holding the shipped assets (fonts, data, config): $BATCHIVO_ASSETS, else next to the binary
// (../share/batchivo or ../../assets from build/bin), else the source tree's assets/.
std::string assets_dir();

}  // namespace batchivo::station
