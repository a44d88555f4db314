// The station's command line: one CLI11 app, subcommands registered by area. Each add_* function registers its
// subcommands; a subcommand's callback sets `exit_code`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace batchivo::station {

struct GlobalOptions {
    std::string data_dir;  // --data-dir; empty = XDG default
    int exit_code = 0;
};

// diag scale | scan-image | parse-label | ... (technicians; platform/)
void add_diag_commands(CLI::App& app, GlobalOptions& g);
// pair | record | queue | sync (sync/; share the kiosk's store and config)
void add_sync_commands(CLI::App& app, GlobalOptions& g);

}  // namespace batchivo::station
