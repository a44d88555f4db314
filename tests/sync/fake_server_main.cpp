// batchivo_fake_server: the contract-test fakes (fake_spoolman.hpp, fake_batchivo.hpp) as a process, so that the
// kiosk's end-to-end scenario can sync with each kind of server (tests/station/target_scenario.sh).
//   batchivo_fake_server spoolman|batchivo URL_FILE
// Seeds a small catalog, writes its base URL to URL_FILE, serves until SIGTERM/SIGINT, then prints what it
// received ("writes=N") and each spool's weight, so the caller can check that the kiosk's record arrived.
// Batchivo: tenant "Kiosk Workshop", user kiosk@example.com / kiosk-pass; spools FIL-001.. (the first one's UUID is
// 00000001-0000-4000-8000-0000000c0001). Spoolman: spools 1..3 (web+spoolman:s-1 ..).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "fake_batchivo.hpp"
#include "fake_spoolman.hpp"

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 || (std::string(argv[1]) != "spoolman" && std::string(argv[1]) != "batchivo")) {
        std::fprintf(stderr, "usage: %s spoolman|batchivo URL_FILE\n", argv[0]);
        return 2;
    }
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    const std::string kind = argv[1];
    std::unique_ptr<batchivo::test::FakeSpoolman> spoolman;
    std::unique_ptr<batchivo::test::FakeBatchivo> batchivo;
    std::string url;
    if (kind == "spoolman") {
        spoolman = std::make_unique<batchivo::test::FakeSpoolman>();
        spoolman->add_spool(1000, 100);  // S-1: 900 g left, tare 180 (the filament's)
        spoolman->add_spool(1000, 400);
        spoolman->add_spool(750, 0, 150);
        url = spoolman->url();
    } else {
        batchivo = std::make_unique<batchivo::test::FakeBatchivo>();
        const std::string t = batchivo->add_tenant("Kiosk Workshop");
        batchivo->add_user("kiosk@example.com", "kiosk-pass", {t});
        batchivo->add_spool(t, 1000, 800, 220);  // FIL-001: 800 g, tare 220
        batchivo->add_spool(t, 1000, 500, 220);
        batchivo->add_spool(t, 750, 750, 150);
        url = batchivo->url();
    }
    {
        const std::string tmp = std::string(argv[2]) + ".tmp";
        std::ofstream(tmp) << url << "\n";
        std::rename(tmp.c_str(), argv[2]);
    }
    while (!g_stop) ::pause();
    if (spoolman) {
        std::lock_guard lk(spoolman->mu);
        std::printf("writes=%d\n", spoolman->patches);
        for (auto& [id, s] : spoolman->spools)
            std::printf("S-%lld used=%g\n", static_cast<long long>(id), s["used_weight"].get<double>());
    } else {
        std::lock_guard lk(batchivo->mu);
        std::printf("writes=%d\n", batchivo->puts);
        for (auto& [id, s] : batchivo->spools)
            std::printf("%s current=%g\n", s["spool_id"].get<std::string>().c_str(), s["current_weight"].get<double>());
    }
    std::fflush(stdout);
    return 0;
}
