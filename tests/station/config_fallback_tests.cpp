// The system-wide config fallback (issue 11): an empty data dir reads /etc/batchivo-station/config.toml (here the
// file named by $BATCHIVO_STATION_CONFIG); once the data dir has its own config.toml (Setup saves there), it wins.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "station/core/config.hpp"
#include "station/core/paths.hpp"
#include "station/core/station.hpp"

using namespace batchivo::station;
namespace fs = std::filesystem;

namespace {

struct Dirs {
    fs::path base = fs::temp_directory_path() / ("station-etc-config-" + std::to_string(::getpid()));
    std::string data = (base / "data").string();
    std::string etc = (base / "etc-config.toml").string();
    Dirs() {
        fs::remove_all(base);
        fs::create_directories(data);
        std::ofstream(etc) << "[station]\nname = \"From etc\"\n\n[display]\nblank_after_s = 77\n";
        ::setenv("BATCHIVO_STATION_CONFIG", etc.c_str(), 1);
    }
    ~Dirs() {
        ::unsetenv("BATCHIVO_STATION_CONFIG");
        fs::remove_all(base);
    }
};

}  // namespace

TEST_CASE("config fallback: the path chosen", "[config]") {
    Dirs d;
    const DataDir dir = resolve_data_dir(d.data);
    CHECK(system_config_path() == d.etc);
    CHECK(dir.config_to_load() == d.etc);  // the data dir has no config.toml
    std::ofstream(dir.config()) << "[station]\nname = \"Mine\"\n";
    CHECK(dir.config_to_load() == dir.config());
    ::unsetenv("BATCHIVO_STATION_CONFIG");
    CHECK(system_config_path() == "/etc/batchivo-station/config.toml");
}

TEST_CASE("config fallback: an empty data dir starts with the system config's values", "[config]") {
    Dirs d;
    StationOptions o;
    o.data_dir = d.data;
    Station st(o);
    REQUIRE(st.start([] {}).ok());
    CHECK(st.config().station_name == "From etc");
    CHECK(st.config().display.blank_after_s == 77);
    CHECK_FALSE(fs::exists(fs::path(d.data) / "config.toml"));  // nothing copied: Setup's first save creates it
    st.stop();
}

TEST_CASE("config fallback: the data dir's config wins", "[config]") {
    Dirs d;
    StationConfig mine;
    mine.station_name = "Saved by Setup";
    REQUIRE(save_config(d.data + "/config.toml", mine).ok());
    StationOptions o;
    o.data_dir = d.data;
    Station st(o);
    REQUIRE(st.start([] {}).ok());
    CHECK(st.config().station_name == "Saved by Setup");
    CHECK(st.config().display.blank_after_s != 77);
    st.stop();
}

TEST_CASE("config fallback: a broken system config is an error naming the file", "[config]") {
    Dirs d;
    std::ofstream(d.etc) << "[station\n";
    StationOptions o;
    o.data_dir = d.data;
    Station st(o);
    auto r = st.start([] {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find(d.etc) != std::string::npos);
}
