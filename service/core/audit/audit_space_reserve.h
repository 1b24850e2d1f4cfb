// AuditSpaceReserve: keeps disk blocks allocated ahead of the trail's write point
// (fallocate FALLOC_FL_KEEP_SIZE), so that a request admitted while `needed` bytes are
// reserved is sure to find room for its record even when the disk fills meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keyport {

class AuditSpaceReserve {
  public:
    // `needed`: what the requests in flight may write at most; `ahead`: what is kept
    // allocated beyond that (audit.reserve_bytes), so most admits cost no system call.
    AuditSpaceReserve(std::size_t needed, std::size_t ahead) : needed_(needed), ahead_(ahead) {}

    // A new file (or the one re-opened at start-up) whose write point is `size`.
    void reset(int fd, std::uint64_t size);
    // True when `needed` bytes past `writePoint` are sure to be writable, extending the
    // reservation when it runs low. Where fallocate is unsupported (EOPNOTSUPP), the file
    // system's free space is checked instead (fstatvfs), which is weaker: another writer
    // may take the space between the check and the write.
    bool ensure(std::uint64_t writePoint);
    // After a failed write: nothing is taken for granted until the next ensure() manages
    // to allocate again.
    void forget(std::uint64_t writePoint) { reservedEnd_ = writePoint; }
    // Frees the blocks allocated past `size` (before the file is rotated or closed).
    void release(std::uint64_t size);

    std::size_t needed() const { return needed_; }
    // How many bytes may be written past `writePoint` before ensure() has anything to do
    // (0 where fallocate is unsupported: every admit checks the free space).
    std::uint64_t slack(std::uint64_t writePoint) const {
        const std::uint64_t floor = needed_ + ahead_ / 2;
        if (unsupported_ || reservedEnd_ < writePoint + floor) return 0;
        return reservedEnd_ - writePoint - floor;
    }

  private:
    bool allocate(std::uint64_t from, std::uint64_t length);

    const std::size_t needed_;
    const std::size_t ahead_;
    int fd_ = -1;
    std::uint64_t reservedEnd_ = 0;
    bool unsupported_ = false;
};

}  // namespace keyport
