#include "station/core/event_queue.hpp"

namespace batchivo::station {

void EventQueue::set_waker(std::function<void()> waker) {
    std::lock_guard lk(mu_);
    waker_ = std::move(waker);
}

void EventQueue::post(Task task) {
    std::function<void()> wake;
    {
        std::lock_guard lk(mu_);
        tasks_.push_back(std::move(task));
        wake = waker_;
    }
    if (wake) wake();
}

size_t EventQueue::drain() {
    std::vector<Task> batch;
    {
        std::lock_guard lk(mu_);
        batch.swap(tasks_);
    }
    for (auto& t : batch) {
        try {
            t();
        } catch (...) {
            ++failed_;
        }
    }
    return batch.size();
}

size_t EventQueue::size() const {
    std::lock_guard lk(mu_);
    return tasks_.size();
}

}  // namespace batchivo::station
