// TaskRunner: runs slow work (a durable record write, loading the catalog, a network request) off the UI thread
// and hands the result back to the UI thread as a closure posted to the EventQueue.
//
// One runner = one worker thread; jobs run one at a time in submission order, so results reach the queue in that
// order too. The Station keeps two: one for the store (record writes, catalog loads — fast, ordered) and one for
// the network (history, pairing — slow, must never delay a write).
//
// Threads and ownership: run() and stop() are called on the UI thread; `work` runs on the worker thread and gets
// the runner's abort flag (set by stop(); long network work should pass it on and return early); `done` runs on
// the UI thread when the queue is drained. An exception thrown by `work` becomes an Error result (code
// "exception") and never crosses the thread. stop() lets the worker finish the jobs already queued (a queued
// record write is never dropped; network jobs see the abort flag), joins it, and drops every result not yet
// delivered: no `done` runs after stop(). run() after stop() is refused.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "station/core/event_queue.hpp"
#include "sync/domain/result.hpp"

namespace batchivo::station {

class TaskRunner {
public:
    explicit TaskRunner(EventQueue& queue);
    ~TaskRunner();
    TaskRunner(const TaskRunner&) = delete;
    TaskRunner& operator=(const TaskRunner&) = delete;

    // Queues `work`; its Result is passed to `done` on the UI thread. Returns false (and never calls `done`) once
    // the runner has been stopped.
    template <class T>
    bool run(std::function<Result<T>(const std::atomic<bool>& abort)> work, std::function<void(Result<T>)> done) {
        return submit([this, work = std::move(work), done = std::move(done)]() {
            std::optional<Result<T>> r;
            try {
                r.emplace(work(abort_));
            } catch (const std::exception& e) {  // exceptions never cross a thread
                r.emplace(Error{"exception", e.what()});
            } catch (...) {
                r.emplace(Error{"exception", "unknown error"});
            }
            deliver([done, res = std::move(*r)]() { done(res); });
        });
    }

    void stop();
    bool stopped() const;
    size_t pending() const;  // queued or running jobs

private:
    bool submit(std::function<void()> job);
    void deliver(std::function<void()> result);  // worker thread: post to the queue unless stopped
    void loop();

    EventQueue& queue_;
    std::atomic<bool> abort_{false};
    std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool running_job_ = false;
    bool quit_ = false;
    std::thread worker_;
};

}  // namespace batchivo::station
