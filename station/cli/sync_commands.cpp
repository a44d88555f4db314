#include "station/cli/commands.hpp"

namespace batchivo::station {
// Placeholder until the sync engine lands: pair | record | queue | sync.
void add_sync_commands(CLI::App&, GlobalOptions&) {}
}  // namespace batchivo::station
