// The UI thread's run-queue. Device, decoder and sync threads hand results to the UI thread by posting closures;
// the UI thread drains them once per frame, so station state is only ever touched by one thread. Posting wakes
// the idle frame loop through the waker (the kiosk passes one that calls glfwPostEmptyEvent).
//
// Thread-safety: post() and set_waker() may be called from any thread; drain() from the UI thread only.
// A closure must not throw (exceptions never cross a thread): drain() catches and counts them.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace batchivo::station {

class EventQueue {
public:
    using Task = std::function<void()>;

    void set_waker(std::function<void()> waker);
    void post(Task task);
    // Runs every queued task in posting order; returns how many ran (0 = nothing happened).
    size_t drain();
    size_t size() const;
    size_t failed() const { return failed_; }

private:
    mutable std::mutex mu_;
    std::vector<Task> tasks_;
    std::function<void()> waker_;
    size_t failed_ = 0;
};

}  // namespace batchivo::station
