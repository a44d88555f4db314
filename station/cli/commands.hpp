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
// The sync-related subcommands share the kiosk's store, config and credentials (cli_common.hpp):
void add_pair_commands(CLI::App& app, GlobalOptions& g);    // pair PAYLOAD
void add_record_commands(CLI::App& app, GlobalOptions& g);  // record weigh | usage
void add_queue_commands(CLI::App& app, GlobalOptions& g);   // queue list | show | retry | discard
void add_sync_commands(CLI::App& app, GlobalOptions& g);    // sync --once
void add_connect_commands(CLI::App& app, GlobalOptions& g); // connect spoolman ... | status [--json]
void add_label_commands(CLI::App& app, GlobalOptions& g);   // label print
void add_spool_commands(CLI::App& app, GlobalOptions& g);   // spool new
void add_product_commands(CLI::App& app, GlobalOptions& g); // product check SKU [--count N] [--json]

}  // namespace batchivo::station
