#include "service/core/audit/audit_space_reserve.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

namespace keyport {

void AuditSpaceReserve::reset(int fd, std::uint64_t size) {
    fd_ = fd;
    reservedEnd_ = size;
    unsupported_ = false;
}

bool AuditSpaceReserve::allocate(std::uint64_t from, std::uint64_t length) {
    int rc;
    do {
        rc = ::fallocate(fd_, FALLOC_FL_KEEP_SIZE, static_cast<off_t>(from),
                         static_cast<off_t>(length));
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) {
        reservedEnd_ = from + length;
        return true;
    }
    if (errno == EOPNOTSUPP || errno == ENOSYS) unsupported_ = true;
    return false;
}

bool AuditSpaceReserve::ensure(std::uint64_t writePoint) {
    if (fd_ < 0) return false;
    if (!unsupported_) {
        const std::uint64_t reserved = reservedEnd_ > writePoint ? reservedEnd_ - writePoint : 0;
        // Extend once half of `ahead` is used up, so the reservation is renewed every
        // ahead/2 bytes written rather than on every record.
        if (reserved >= needed_ + ahead_ / 2) return true;
        if (allocate(writePoint, needed_ + ahead_)) return true;
        // The disk is (nearly) full: the least that keeps admitting requests, else what is
        // still reserved decides. Later calls retry, so the trail recovers by itself once
        // space is freed.
        if (!unsupported_ && allocate(writePoint, needed_)) return true;
        if (!unsupported_) return reserved >= needed_;
    }
    struct statvfs st {};
    if (::fstatvfs(fd_, &st) != 0) return false;
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize >= needed_;
}

void AuditSpaceReserve::release(std::uint64_t size) {
    if (fd_ < 0 || unsupported_) return;
    // Truncating to the current size frees the KEEP_SIZE blocks past the end (ext4, xfs,
    // tmpfs); a failure only leaves them allocated.
    if (::ftruncate(fd_, static_cast<off_t>(size)) == 0) reservedEnd_ = size;
}

}  // namespace keyport
