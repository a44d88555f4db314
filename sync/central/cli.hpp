// Compatibility include: moved to sync/central/admin/cli.hpp. Include that instead; this forwarder goes once no caller uses
// the old path.
#pragma once

#include "sync/central/admin/cli.hpp"
