// Pacing of simulated devices (sim scale, sim camera): wait for the next sample without holding the device's
// lock, bounded by the caller's read timeout. Header-only.
#pragma once

#include <chrono>
#include <mutex>
#include <thread>

namespace batchivo::platform {

// When `due` falls within `timeout`, sleeps until `due` and returns true; otherwise sleeps `timeout` and
// returns false (the caller reports "no sample yet"). `lk` is released while sleeping and held again on
// return.
inline bool sleep_until_due(std::unique_lock<std::mutex>& lk, std::chrono::steady_clock::time_point due,
                            std::chrono::milliseconds timeout) {
    const bool in_time = due <= std::chrono::steady_clock::now() + timeout;
    lk.unlock();
    if (in_time)
        std::this_thread::sleep_until(due);
    else
        std::this_thread::sleep_for(timeout);
    lk.lock();
    return in_time;
}

}  // namespace batchivo::platform
