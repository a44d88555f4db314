// Handheld barcode scanners: the interface a scanner backend with its own thread implements (the evdev
// reader), and ScannerSettings, the [scanner] section of config.toml that the station parses straight into.
// A scanner reports each scan's text through a callback on its own thread (keep it short: post to a queue);
// errors after start() (unplugged, reconnected) arrive through the error callback. Exceptions never leave it.
#pragma once

#include <functional>
#include <string>

#include "sync/domain/result.hpp"

namespace batchivo::platform {

struct ScannerSettings {
    std::string driver = "keyboard";  // a name from scanner_drivers(): keyboard | evdev
    // The device path of drivers that need one (the TOML key predates other scanner drivers). When the config
    // names a device but no driver, the driver is evdev.
    std::string evdev_device;
};

class Scanner {
  public:
    using ScanCallback = std::function<void(const std::string& text)>;
    using ErrorCallback = std::function<void(const std::string& message)>;
    virtual ~Scanner() = default;
    virtual std::string describe() const = 0;
    // Opens the device synchronously (a wrong path is reported right away), then runs its thread.
    virtual Result<> start() = 0;
    virtual void stop() = 0;  // joins; safe to call twice
};

}  // namespace batchivo::platform
