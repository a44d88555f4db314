// The one table of scale drivers. Each row names a driver as config.toml spells it, says what the Setup
// screen shows and whether it needs a device path, and builds the backend. The factory (create_scale /
// make_scale), config validation (validate_scale_settings) and the Setup screen all read this table, so a new
// driver is one new source file plus one row in scale_registry.cpp.
//
// Pure data and functions; the table is built once and never changes (safe to read from any thread).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/driver_table.hpp"
#include "platform/scale/scale.hpp"
#include "platform/scale/scale_settings.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct ScaleDriver {
    std::string_view name;   // config value: "mt-sics"
    std::string_view label;  // for the operator: "Mettler Toledo (MT-SICS, serial)"
    DevicePath device = DevicePath::Required;
    std::string_view device_hint;  // an example path for the Setup screen and error messages
    bool simulated = false;
    bool serial = false;  // uses baud / parity / data_bits / stop_bits
    // Builds a not yet opened backend; the device path is already checked against `device`.
    Result<std::unique_ptr<Scale>> (*make)(const ScaleSettings&) = nullptr;
};

// Every driver, in the order the Setup screen lists them (the simulated one first).
const std::vector<ScaleDriver>& scale_drivers();
// nullptr when no driver has that name (exact, lower-case match).
const ScaleDriver* find_scale_driver(std::string_view name);
// "sim, hid, mt-sics, ..." for help texts and messages.
std::string scale_driver_names();

// Config-time checks (a device path may still be empty: Setup saves drafts): a registered driver, sane port
// and stability values. Error code "invalid_config", message naming the key ("scale.driver must be one of
// ...").
Result<> validate_scale_settings(const ScaleSettings& s);

// A new, not yet opened backend. Errors: "unknown_driver", "needs_device", "invalid_settings".
Result<std::unique_ptr<Scale>> create_scale(const ScaleSettings& s);

}  // namespace batchivo::platform
