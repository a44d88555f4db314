// Where a station keeps its files: one data directory (--data-dir, else $XDG_DATA_HOME/batchivo-station, else
// ~/.local/share/batchivo-station) holding station.db, config.toml and credentials.json. The config is read from
// the data dir when it has one, else from the system-wide /etc/batchivo-station/config.toml (the package's
// conffile; $BATCHIVO_STATION_CONFIG names another file, for tests); Setup always saves into the data dir, which
// wins from then on.
#pragma once

#include <string>

namespace batchivo::station {

struct DataDir {
    std::string root;
    std::string db() const { return root + "/station.db"; }
    std::string config() const { return root + "/config.toml"; }  // where Setup saves
    // The config file to read: config() when it exists, else system_config_path(). The kiosk (Station::start),
    // the CLI and `diag` all read through this.
    std::string config_to_load() const;
    std::string credentials() const { return root + "/credentials.json"; }
};

// $BATCHIVO_STATION_CONFIG when set and non-empty, else /etc/batchivo-station/config.toml.
std::string system_config_path();

// Resolves (and creates, mode 0700) the data directory. Throws std::runtime_error when it cannot be created.
DataDir resolve_data_dir(const std::string& override_dir);
// Directory holding the shipped assets (fonts, data, config): $BATCHIVO_ASSETS, else next to the binary
// (../share/batchivo-station or ../../assets from build/bin), else the source tree's assets/.
std::string assets_dir();

}  // namespace batchivo::station
