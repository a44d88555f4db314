// batchivo-station: the kiosk (no subcommand) and the technicians' subcommands (diag, pair, record, queue, sync, label).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "station/cli/commands.hpp"
#ifdef BATCHIVO_HAVE_UI
#include "station/ui/kiosk.hpp"
#endif

int main(int argc, char** argv) {
    using namespace batchivo::station;
    CLI::App app{"Batchivo Station: scan, weigh and record filament spools; syncs to batchivo-central"};
    app.set_version_flag("--version", "batchivo-station 0.1.0");
    GlobalOptions g;
    app.add_option("--data-dir", g.data_dir, "Station data directory (store, config, credentials)");
#ifdef BATCHIVO_HAVE_UI
    KioskOptions k;
    app.add_flag("--demo", k.demo, "Demo: local central on SQLite, demo catalog, simulated scale and camera");
    app.add_flag("--windowed", k.windowed, "Run in a window instead of fullscreen");
    app.add_option("--size", [&k](const CLI::results_t& r) {
        return std::sscanf(r[0].c_str(), "%dx%d", &k.width, &k.height) == 2 && k.width > 0 && k.height > 0;
    }, "Window size WxH, e.g. 800x480");
    app.add_option("--screenshot", k.screenshot, "Write a PNG of the window after --frames frames and exit");
    app.add_option("--frames", k.frames, "Frames to render before --screenshot (default 10)");
    app.add_option("--scenario", k.scenario, "Run a scripted scenario file (tests)");
#endif
    add_diag_commands(app, g);
    add_pair_commands(app, g);
    add_record_commands(app, g);
    add_queue_commands(app, g);
    add_sync_commands(app, g);
    add_connect_commands(app, g);
    add_label_commands(app, g);
    add_spool_commands(app, g);
    add_product_commands(app, g);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "batchivo-station: %s\n", e.what());
        return 1;
    }
    if (app.get_subcommands().empty()) {
#ifdef BATCHIVO_HAVE_UI
        k.data_dir = g.data_dir;
        try {
            return run_kiosk(k);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "batchivo-station: %s\n", e.what());
            return 1;
        }
#else
        std::fprintf(stderr, "batchivo-station was built without the kiosk UI; see --help for subcommands\n");
        return 2;
#endif
    }
    return g.exit_code;
}
