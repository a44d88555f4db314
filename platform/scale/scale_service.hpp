// A thread that owns one Scale: opens it, reads, applies the stability rule and auto-zero, reconnects by itself
// after a disconnect (exponential backoff), and publishes ScaleState snapshots through a callback. The callback
// runs on the service thread: keep it short (push to a queue, wake the UI). It is called when the state changes
// (value, status, stability, connection, message), not on every identical reading.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "platform/scale/scale.hpp"
#include "platform/scale/stability.hpp"

namespace batchivo::platform {

struct ScaleState {
    std::optional<double> grams;  // corrected (auto/software zero applied)
    ScaleStatus status = ScaleStatus::Disconnected;
    bool stable = false;
    std::optional<double> stable_grams;  // mean of the stable window, while stable
    uint64_t stable_events = 0;          // increments on each new "stable weight" event
    bool connected = false;
    std::string message;   // last error / info for the technician ("reconnecting in 2 s: ...")
    std::string describe;  // the backend's description
    double zero_offset_g = 0;
    std::chrono::steady_clock::time_point at{};
};

struct ScaleServiceOptions {
    StabilityOptions stability{};
    AutoZeroOptions auto_zero{};
    std::chrono::milliseconds read_timeout{200};     // bounds how long stop() waits for the thread
    std::chrono::milliseconds backoff_initial{250};
    std::chrono::milliseconds backoff_max{5000};
    std::chrono::milliseconds silence_warning{3000};  // connected but no reading this long: say so, drop the value
};

class ScaleService {
public:
    using Callback = std::function<void(const ScaleState&)>;
    ScaleService(std::unique_ptr<Scale> scale, ScaleServiceOptions opt, Callback cb);
    ~ScaleService();  // stops
    ScaleService(const ScaleService&) = delete;
    ScaleService& operator=(const ScaleService&) = delete;

    void start();
    void stop();  // joins promptly (within about read_timeout)
    // Asks the service thread to zero: the device's zero command when it supports one, else a software zero
    // of the current reading. The outcome shows in the next state's message / zero_offset_g.
    void zero();
    ScaleState snapshot() const;

private:
    void run();
    void publish(ScaleState s);
    bool sleep_for(std::chrono::milliseconds d);  // false when stopping

    std::unique_ptr<Scale> scale_;
    ScaleServiceOptions opt_;
    Callback cb_;
    std::thread thread_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::atomic<bool> zero_requested_{false};
    ScaleState state_;
};

}  // namespace batchivo::platform
