// SealEpochs: the process-wide count of work in flight that may seal a blob under a region
// KEK and write it later (every HTTP request, every background job run). A KEK rollover
// makes its new KEK current, then waits until all work that began before that moment has
// finished: after that no blob sealed under the old KEK can still be on its way to the
// database, and the walk that re-seals the stored ones cannot be overtaken.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>

namespace keyport {

class SealEpochs {
  public:
    // Held for the length of one request or one job run.
    class Lease {
      public:
        explicit Lease(SealEpochs& owner);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

      private:
        SealEpochs& owner_;
        std::uint64_t epoch_;
    };

    // The one instance of this process (the request pipeline and the jobs share it).
    static SealEpochs& process();

    Lease enter() { return Lease(*this); }
    // Starts a new epoch and waits until every lease taken in an earlier one is released;
    // false if `timeout` passed first (a stuck request: the caller retries).
    bool drainEarlier(std::chrono::milliseconds timeout);

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    std::uint64_t epoch_ = 0;
    std::map<std::uint64_t, std::uint64_t> inFlight_;  // epoch -> leases held
};

}  // namespace keyport
