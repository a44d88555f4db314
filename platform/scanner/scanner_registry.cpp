#include "platform/scanner/scanner_registry.hpp"

#include "platform/scanner/evdev_scanner.hpp"

namespace batchivo::platform {

namespace {

using Made = Result<std::unique_ptr<Scanner>>;

// One row per driver. The Setup screen shows them in this order.
const std::vector<ScannerDriver> kDrivers = {
    {"keyboard", "Scanner types into the kiosk window", DevicePath::None, "", false,
     [](const ScannerSettings&, Scanner::ScanCallback, Scanner::ErrorCallback) -> Made {
         return std::unique_ptr<Scanner>();
     }},
    {"evdev", "USB scanner read directly (evdev, grabbed)", DevicePath::Required,
     "/dev/input/by-id/usb-<scanner>-event-kbd", false,
     [](const ScannerSettings& s, Scanner::ScanCallback scan, Scanner::ErrorCallback err) -> Made {
         return std::make_unique<EvdevScanner>(s.evdev_device, std::move(scan), std::move(err));
     }},
};

}  // namespace

const std::vector<ScannerDriver>& scanner_drivers() { return kDrivers; }

const ScannerDriver* find_scanner_driver(std::string_view name) {
    for (const auto& d : kDrivers)
        if (d.name == name) return &d;
    return nullptr;
}

std::string scanner_driver_names() {
    std::string out;
    for (const auto& d : kDrivers) out += (out.empty() ? "" : ", ") + std::string(d.name);
    return out;
}

Result<> validate_scanner_settings(const ScannerSettings& s) {
    if (!find_scanner_driver(s.driver))
        return Error{"invalid_config",
                     "scanner.driver must be one of " + scanner_driver_names() + " (got '" + s.driver + "')"};
    return {};
}

Result<std::unique_ptr<Scanner>> create_scanner(const ScannerSettings& s, Scanner::ScanCallback on_scan,
                                                Scanner::ErrorCallback on_error) {
    const ScannerDriver* d = find_scanner_driver(s.driver);
    if (!d)
        return Error{"unknown_driver", "unknown scanner driver '" + s.driver + "' (" + scanner_driver_names() + ")"};
    if (d->device == DevicePath::Required && s.evdev_device.empty())
        return Error{"needs_device", "scanner driver '" + s.driver + "' needs a device path (e.g. " +
                                         std::string(d->device_hint) + ")"};
    return d->make(s, std::move(on_scan), std::move(on_error));
}

}  // namespace batchivo::platform
