// Compatibility entry point: make_scale() with the old bool-plus-string error convention, for callers not yet
// moved to create_scale() (scale_registry.hpp, which also holds the driver table and ScaleSettings).
#pragma once

#include <memory>
#include <string>

#include "platform/scale/scale_registry.hpp"

namespace batchivo::platform {

// nullptr and `error` set for an unknown driver or invalid settings. Prefer create_scale().
std::unique_ptr<Scale> make_scale(const ScaleSettings& settings, std::string& error);

}  // namespace batchivo::platform
