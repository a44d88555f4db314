// Compatibility include: moved to sync/central/api/tls.hpp. Include that instead; this forwarder goes once no caller uses
// the old path.
#pragma once

#include "sync/central/api/tls.hpp"
