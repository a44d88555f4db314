// The fullscreen kiosk (Dear ImGui + GLFW). `batchivo-station` with no subcommand runs it.
#pragma once

#include <string>

namespace batchivo::station {

struct KioskOptions {
    std::string data_dir;
    bool demo = false;            // local central on SQLite, demo tenant, simulated scale and camera
    bool windowed = false;        // a window instead of fullscreen
    int width = 0, height = 0;    // window size (0 = from config / monitor)
    std::string screenshot;       // write a PNG after `frames` frames and exit
    int frames = 0;
    std::string scenario;         // scripted scenario file for end-to-end tests
};

int run_kiosk(const KioskOptions& opts);

}  // namespace batchivo::station
