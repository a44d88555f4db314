#include "station/cli/commands.hpp"

namespace batchivo::station {
// Placeholder until the platform work lands: diag scale | scan-image | parse-label.
void add_diag_commands(CLI::App& app, GlobalOptions&) { app.add_subcommand("diag", "Diagnostics (hardware, labels)"); }
}  // namespace batchivo::station
