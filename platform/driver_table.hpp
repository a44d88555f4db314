// What the three hardware registries (scale_registry, camera_registry, scanner_registry) share: whether a
// driver needs a device path, and lookup, the list of names and the name / device checks over any table of
// rows that have `name`, `device` and `device_hint`. Header-only, pure.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sync/domain/result.hpp"

namespace batchivo::platform {

enum class DevicePath { None, Optional, Required };

// The row named `name` (exact match), or nullptr.
template <class Driver>
const Driver* find_driver(const std::vector<Driver>& rows, std::string_view name) {
    for (const auto& d : rows)
        if (d.name == name) return &d;
    return nullptr;
}

// "sim, hid, mt-sics" in table order.
template <class Driver>
std::string driver_names(const std::vector<Driver>& rows) {
    std::string out;
    for (const auto& d : rows) out += (out.empty() ? "" : ", ") + std::string(d.name);
    return out;
}

// Config-time check of a driver name: `key` is the config key ("scale.driver"). Error code "invalid_config".
template <class Driver>
Result<> check_driver_name(const std::vector<Driver>& rows, std::string_view key, const std::string& name) {
    if (find_driver(rows, name)) return {};
    return Error{"invalid_config",
                 std::string(key) + " must be one of " + driver_names(rows) + " (got '" + name + "')"};
}

// Factory-time lookup plus the device-path rule of the row. `kind` is "scale", "camera", "scanner".
// Errors: "unknown_driver", "needs_device". Drivers that take no path ignore one.
template <class Driver>
Result<const Driver*> resolve_driver(const std::vector<Driver>& rows, std::string_view kind,
                                     const std::string& name, const std::string& device) {
    const Driver* d = find_driver(rows, name);
    const std::string what = std::string(kind) + " driver '" + name + "'";
    if (!d) return Error{"unknown_driver", "unknown " + what + " (" + driver_names(rows) + ")"};
    if (d->device == DevicePath::Required && device.empty())
        return Error{"needs_device",
                     what + " needs a device path (e.g. " + std::string(d->device_hint) + ")"};
    return d;
}

}  // namespace batchivo::platform
