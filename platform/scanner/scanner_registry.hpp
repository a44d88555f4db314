// The one table of handheld-scanner drivers, read by the factory (create_scanner), config validation
// (validate_scanner_settings) and the Setup screen. A new scanner backend is one new source file (a Scanner)
// plus one row in scanner_registry.cpp.
//
// Pure data and functions; the table never changes (safe to read from any thread).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/driver_table.hpp"
#include "platform/scanner/scanner.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct ScannerDriver {
    std::string_view name;   // config value: "evdev"
    std::string_view label;  // for the operator
    DevicePath device = DevicePath::Required;
    std::string_view device_hint;
    bool simulated = false;
    // Builds a not yet started scanner; an empty pointer (no error) means the driver needs no backend of its
    // own ("keyboard": the kiosk window detects fast typed bursts itself, see typed_sequence.hpp).
    Result<std::unique_ptr<Scanner>> (*make)(const ScannerSettings&, Scanner::ScanCallback,
                                             Scanner::ErrorCallback) = nullptr;
};

const std::vector<ScannerDriver>& scanner_drivers();
const ScannerDriver* find_scanner_driver(std::string_view name);  // nullptr when unknown
std::string scanner_driver_names();                               // "keyboard, evdev"

// Config-time checks: a registered driver. Error code "invalid_config".
Result<> validate_scanner_settings(const ScannerSettings& s);

// Errors: "unknown_driver", "needs_device". Not started: call start() on the result.
Result<std::unique_ptr<Scanner>> create_scanner(const ScannerSettings& s, Scanner::ScanCallback on_scan,
                                                Scanner::ErrorCallback on_error = {});

}  // namespace batchivo::platform
