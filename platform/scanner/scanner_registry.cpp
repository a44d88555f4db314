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

const std::vector<ScannerDriver>& scanner_drivers() {
    return kDrivers;
}

const ScannerDriver* find_scanner_driver(std::string_view name) {
    return find_driver(kDrivers, name);
}

std::string scanner_driver_names() {
    return driver_names(kDrivers);
}

Result<> validate_scanner_settings(const ScannerSettings& s) {
    return check_driver_name(kDrivers, "scanner.driver", s.driver);
}

Result<std::unique_ptr<Scanner>> create_scanner(const ScannerSettings& s, Scanner::ScanCallback on_scan,
                                                Scanner::ErrorCallback on_error) {
    auto d = resolve_driver(kDrivers, "scanner", s.driver, s.evdev_device);
    if (!d) return d.error();
    return (*d)->make(s, std::move(on_scan), std::move(on_error));
}

}  // namespace batchivo::platform
