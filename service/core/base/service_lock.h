// ServiceLock: the exclusive flock on STATE/keyportd.lock that a running keyportd holds for
// its lifetime. It tells the CLI whether keyportd is running on this state dir (a KEK
// rollover then runs inside keyportd) and stops a second keyportd, or a keyportd started
// while the CLI runs a rollover itself, from sharing the state dir.
#pragma once

#include <filesystem>
#include <optional>

namespace keyport {

class ServiceLock {
  public:
    ~ServiceLock();
    ServiceLock(ServiceLock&& other) noexcept;
    ServiceLock& operator=(ServiceLock&&) = delete;
    ServiceLock(const ServiceLock&) = delete;

    static std::filesystem::path pathIn(const std::filesystem::path& stateDir);
    // The lock if no other process holds it (nullopt if one does); throws for an I/O error.
    static std::optional<ServiceLock> tryAcquire(const std::filesystem::path& stateDir);

  private:
    explicit ServiceLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace keyport
