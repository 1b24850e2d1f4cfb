#include "hsm/session_pool.h"

namespace hsm {

SessionPool::Lease::~Lease() {
    if (session_ && pool_ != nullptr) pool_->giveBack(std::move(session_));
}

SessionPool::SessionPool(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, std::size_t maxIdle)
    : fn_(fn), slot_(slot), maxIdle_(maxIdle) {}

SessionPool::Lease SessionPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto s = std::move(idle_.back());
            idle_.pop_back();
            return Lease(this, std::move(s));
        }
    }
    return Lease(this, std::make_unique<Session>(fn_, slot_));
}

void SessionPool::giveBack(std::unique_ptr<Session> session) noexcept {
    std::lock_guard lock(mutex_);
    if (session->broken()) {
        ++discarded_;
        return;  // closed by ~Session outside our bookkeeping
    }
    if (idle_.size() < maxIdle_) idle_.push_back(std::move(session));
}

std::size_t SessionPool::discarded() const {
    std::lock_guard lock(mutex_);
    return discarded_;
}

std::size_t SessionPool::idle() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
}

}  // namespace hsm
