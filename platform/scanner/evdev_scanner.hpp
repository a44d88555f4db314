// A keyboard-wedge barcode scanner read through evdev: the device (/dev/input/by-id/...-event-kbd) is grabbed
// with EVIOCGRAB so scans do not type into the UI; key codes become text; Enter ends a scan. Runs its own
// thread, reopens the device after it disappears, and reports scans through a callback.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "platform/scanner/scanner.hpp"

namespace batchivo::platform {

class EvdevScanner final : public Scanner {
public:
    using Callback = ScanCallback;
    EvdevScanner(std::string device, Callback on_scan, ErrorCallback on_error = {});
    ~EvdevScanner() override;
    EvdevScanner(const EvdevScanner&) = delete;
    EvdevScanner& operator=(const EvdevScanner&) = delete;

    // Opens (and grabs) once synchronously so a wrong path is reported right away; then starts the thread.
    // Error code "io". start_without_grab() skips EVIOCGRAB (tests feeding a FIFO).
    Result<> start() override;
    Result<> start_without_grab();
    void stop() override;
    std::string describe() const override { return "evdev scanner on " + device_; }

private:
    Result<> open_and_run(bool grab);
    void run();
    std::string device_;
    Callback on_scan_;
    ErrorCallback on_error_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    bool grab_ = true;
    int fd_ = -1;
};

}  // namespace batchivo::platform
