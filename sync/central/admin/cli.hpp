// batchivo-central's command line (CLI11): serve, migrate, db, tenant, user, device, spool, material, reorder,
// demo. docs/CENTRAL.md describes each command. One file per command group registers its subcommands
// (admin/*_commands.cpp, see commands.hpp); run_cli parses and runs the chosen one. Errors go to stderr with exit
// status 1 (2 for usage errors and for `serve` refusing an unsafe role); no exception leaves run_cli.
#pragma once

#include <string>

#include "sync/central/store/store.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::central {

int run_cli(int argc, char** argv);

// Default data directory: $BATCHIVO_CENTRAL_HOME, else $XDG_DATA_HOME/batchivo-central, else
// ~/.local/share/batchivo-central.
std::string default_data_dir();

// Creates or refreshes the "demo" tenant with a realistic catalog (idempotent; weights reset on every call,
// history added once). Returns the tenant.
Tenant seed_demo(Store& store);

struct ListenAddress {
    std::string host;  // without IPv6 brackets
    int port = 0;
};
// Splits "HOST:PORT" / "[V6]:PORT"; Error{"invalid_input", ...} when malformed.
Result<ListenAddress> parse_listen(const std::string& s);

}  // namespace batchivo::central
