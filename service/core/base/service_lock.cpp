#include "service/core/base/service_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace keyport {

ServiceLock::~ServiceLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
}

ServiceLock::ServiceLock(ServiceLock&& other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}

std::filesystem::path ServiceLock::pathIn(const std::filesystem::path& stateDir) {
    return stateDir / "keyportd.lock";
}

std::optional<ServiceLock> ServiceLock::tryAcquire(const std::filesystem::path& stateDir) {
    const auto path = pathIn(stateDir);
    // flock, not fcntl locks: those belong to the process and vanish when any descriptor of
    // the file is closed; a flock dies with its process, so a kill -9 never leaves it held.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot open " + path.string() + ": " + std::strerror(errno));
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(fd);
        if (err == EWOULDBLOCK) return std::nullopt;
        throw std::runtime_error("cannot lock " + path.string() + ": " + std::strerror(err));
    }
    return ServiceLock(fd);
}

}  // namespace keyport
