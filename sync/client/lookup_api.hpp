// Moved to sync/targets/central/lookup_api.hpp (issue #13). This forwarding header keeps station/core and tests/station compiling until the
// integrator switches their includes; then delete sync/client/.
#pragma once
#include "sync/targets/central/lookup_api.hpp"
