#include "hsm/session_pool.h"

#include <chrono>

#include "hsm/observer.h"

namespace hsm {
namespace {

const std::string& labelOf(const std::string* token) {
    static const std::string none;
    return token ? *token : none;
}

}  // namespace

SessionPool::Lease::~Lease() {
    if (session_ && pool_ != nullptr) pool_->giveBack(std::move(session_));
}

SessionPool::SessionPool(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, std::size_t maxIdle,
                         const std::string* token)
    : fn_(fn), slot_(slot), maxIdle_(maxIdle), token_(token) {}

SessionPool::Lease SessionPool::acquire() {
    const Observer* o = observer();
    if (o != nullptr && o->sessionWait == nullptr) o = nullptr;
    const auto start =
        o ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    auto waited = [&](bool opened) {
        if (o == nullptr) return;
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        o->sessionWait(SessionKind::Pooled, labelOf(token_), took.count(), opened);
    };
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto s = std::move(idle_.back());
            idle_.pop_back();
            waited(false);
            return Lease(this, std::move(s));
        }
    }
    auto opened = std::make_unique<Session>(fn_, slot_, true, token_);
    waited(true);
    return Lease(this, std::move(opened));
}

void SessionPool::giveBack(std::unique_ptr<Session> session) noexcept {
    std::lock_guard lock(mutex_);
    if (session->broken()) {
        ++discarded_;
        const Observer* o = observer();
        if (o != nullptr && o->sessionDiscarded != nullptr) o->sessionDiscarded(labelOf(token_));
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
