// SessionPool: thread-safe pool of open sessions on one token. A Lease hands one session
// to one thread; on return a broken session is closed instead of pooled, so a failed
// operation never poisons the next one.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hsm/session.h"

namespace hsm {

class SessionPool {
  public:
    class Lease {
      public:
        Lease(SessionPool* pool, std::unique_ptr<Session> session)
            : pool_(pool), session_(std::move(session)) {}
        ~Lease();
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) noexcept = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        Session& operator*() const noexcept { return *session_; }
        Session* operator->() const noexcept { return session_.get(); }

      private:
        SessionPool* pool_;
        std::unique_ptr<Session> session_;
    };

    // `token`: the token's label, for the Observer (must outlive the pool).
    SessionPool(CK_FUNCTION_LIST* fn, CK_SLOT_ID slot, std::size_t maxIdle = 64,
                const std::string* token = nullptr);

    Lease acquire();
    // Sessions closed because an operation on them failed (for tests and metrics).
    std::size_t discarded() const;
    std::size_t idle() const;

  private:
    void giveBack(std::unique_ptr<Session> session) noexcept;

    CK_FUNCTION_LIST* fn_;
    CK_SLOT_ID slot_;
    std::size_t maxIdle_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Session>> idle_;
    std::size_t discarded_ = 0;
    const std::string* token_;
};

}  // namespace hsm
