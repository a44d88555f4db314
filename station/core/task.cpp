#include "station/core/task.hpp"

namespace batchivo::station {

TaskRunner::TaskRunner(EventQueue& queue) : queue_(queue) { worker_ = std::thread([this] { loop(); }); }

TaskRunner::~TaskRunner() { stop(); }

bool TaskRunner::submit(std::function<void()> job) {
    {
        std::lock_guard lk(mu_);
        if (quit_) return false;
        jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
    return true;
}

void TaskRunner::deliver(std::function<void()> result) {
    if (!*alive_) return;
    queue_.post([alive = alive_, result = std::move(result)]() {
        if (*alive) result();  // a result that arrives after stop() is dropped
    });
}

void TaskRunner::loop() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lk(mu_);
            cv_.wait(lk, [&] { return quit_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // quit and nothing left to do
            job = std::move(jobs_.front());
            jobs_.pop_front();
            running_job_ = true;
        }
        job();  // never throws: run() wraps the work
        std::lock_guard lk(mu_);
        running_job_ = false;
    }
}

void TaskRunner::stop() {
    {
        std::lock_guard lk(mu_);
        if (quit_ && !worker_.joinable()) return;
        quit_ = true;
    }
    abort_ = true;
    *alive_ = false;
    cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

bool TaskRunner::stopped() const {
    std::lock_guard lk(mu_);
    return quit_;
}

size_t TaskRunner::pending() const {
    std::lock_guard lk(mu_);
    return jobs_.size() + (running_job_ ? 1 : 0);
}

}  // namespace batchivo::station
