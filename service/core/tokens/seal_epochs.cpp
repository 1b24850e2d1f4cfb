#include "service/core/tokens/seal_epochs.h"

namespace keyport {

SealEpochs::Lease::Lease(SealEpochs& owner) : owner_(owner) {
    std::lock_guard lock(owner_.mutex_);
    epoch_ = owner_.epoch_;
    ++owner_.inFlight_[epoch_];
}

SealEpochs::Lease::~Lease() {
    bool drained = false;
    {
        std::lock_guard lock(owner_.mutex_);
        auto it = owner_.inFlight_.find(epoch_);
        if (--it->second == 0) {
            owner_.inFlight_.erase(it);
            drained = true;
        }
    }
    if (drained) owner_.cv_.notify_all();
}

SealEpochs& SealEpochs::process() {
    static SealEpochs instance;
    return instance;
}

bool SealEpochs::drainEarlier(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const std::uint64_t boundary = ++epoch_;
    // A caller that holds a lease itself (a job run) would wait for itself: it must not.
    return cv_.wait_for(lock, timeout,
                        [&] { return inFlight_.empty() || inFlight_.begin()->first >= boundary; });
}

}  // namespace keyport
