#include "service/api/front/worker_pool.h"

namespace keyport::api::front {

WorkerPool::WorkerPool(unsigned threads, std::size_t maxQueued, Job job)
    : threads_(threads), job_(std::move(job)), ring_(maxQueued) {}

WorkerPool::~WorkerPool() {
    stop();
}

void WorkerPool::start() {
    for (unsigned i = 0; i < threads_; ++i) workers_.emplace_back([this] { work(); });
}

bool WorkerPool::tryPush(Connection* c) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (count_ == ring_.size()) return false;
        ring_[(head_ + count_) % ring_.size()] = c;
        ++count_;
        wake = idle_ > 0;
    }
    if (wake) ready_.notify_one();
    return true;
}

void WorkerPool::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
}

void WorkerPool::work() {
    for (;;) {
        Connection* c = nullptr;
        {
            std::unique_lock lock(mutex_);
            while (count_ == 0 && !stopping_) {
                ++idle_;
                ready_.wait(lock);
                --idle_;
            }
            if (count_ == 0) return;  // stopping and nothing left to run
            c = ring_[head_];
            head_ = (head_ + 1) % ring_.size();
            --count_;
        }
        job_(*c);
    }
}

}  // namespace keyport::api::front
