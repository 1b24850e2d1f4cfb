// WorkerPool: server.threads threads that run complete requests, fed through a bounded
// queue — a full queue is refused at once (the caller answers 503), never waited on.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace keyport::api::front {

struct Connection;

class WorkerPool {
  public:
    using Job = std::function<void(Connection&)>;

    WorkerPool(unsigned threads, std::size_t maxQueued, Job job);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    void start();
    // False when maxQueued requests already wait for a worker.
    bool tryPush(Connection* c);
    // Runs what is queued, then joins the threads.
    void stop();

  private:
    void work();

    const unsigned threads_;
    Job job_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::vector<Connection*> ring_;  // fixed: no allocation per request
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    unsigned idle_ = 0;  // workers waiting on ready_: notify only when one is
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace keyport::api::front
