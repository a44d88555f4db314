// Moved to sync/http/http_client.hpp (issue #13). This forwarding header keeps station/core and tests/station compiling until the
// integrator switches their includes; then delete sync/client/.
#pragma once
#include "sync/http/http_client.hpp"
