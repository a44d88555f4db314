// Compatibility include: moved to sync/central/api/server.hpp. Include that instead; this forwarder goes once no caller uses
// the old path.
#pragma once

#include "sync/central/api/server.hpp"
