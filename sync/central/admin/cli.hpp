// batchivo-central's command line (CLI11): serve, migrate, db, tenant, user, device, spool, material, reorder,
// demo. docs/CENTRAL.md describes each command.
#pragma once

#include <string>

#include "sync/central/store/store.hpp"

namespace batchivo::central {

int run_cli(int argc, char** argv);

// Default data directory: $BATCHIVO_CENTRAL_HOME, else $XDG_DATA_HOME/batchivo-central, else
// ~/.local/share/batchivo-central.
std::string default_data_dir();

// Creates or refreshes the "demo" tenant with a realistic catalog (idempotent; weights reset on every call,
// history added once). Returns the tenant.
Tenant seed_demo(Store& store);

// Splits "HOST:PORT" / "[V6]:PORT"; false when malformed.
bool parse_listen(const std::string& s, std::string& host, int& port);

}  // namespace batchivo::central
