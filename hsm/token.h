// Token: one logged-in token found by label, with its session pool and the long-lived
// owner session that creates cached session objects (they live as long as it does).
#pragma once

#include <mutex>
#include <string>

#include "hsm/module.h"
#include "hsm/session_pool.h"

namespace hsm {

class Token {
  public:
    // Finds the initialised token with this label (error lists the labels present),
    // opens the owner session and logs the user in once, for the life of this object.
    Token(Module& module, std::string label, const SecretBytes& userPin);

    Token(const Token&) = delete;
    Token& operator=(const Token&) = delete;

    const std::string& label() const noexcept { return label_; }
    CK_SLOT_ID slot() const noexcept { return slot_; }
    Module& module() const noexcept { return module_; }

    // A pooled session for one operation or a short sequence of them.
    SessionPool::Lease session() { return pool_.acquire(); }
    SessionPool& pool() noexcept { return pool_; }

    // Runs f(Session&) on the owner session, serialised. Objects created here survive the
    // discarding of any pooled session; use it only to create or destroy such objects.
    template <typename F>
    auto withOwnerSession(F&& f) {
        std::unique_lock lock(ownerMutex_, std::defer_lock);
        lockOwner(lock);
        return f(owner_);
    }

  private:
    // Takes the owner lock, telling the Observer how long that waited.
    void lockOwner(std::unique_lock<std::mutex>& lock);

    Module& module_;
    std::string label_;
    CK_SLOT_ID slot_;
    std::mutex ownerMutex_;
    Session owner_;
    SessionPool pool_;
};

}  // namespace hsm
