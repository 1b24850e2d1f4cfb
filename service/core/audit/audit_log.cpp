#include "service/core/audit/audit_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "service/core/audit/audit_line.h"
#include "service/core/audit/audit_record_json.h"
#include "service/core/audit/audit_seal.h"
#include "service/core/audit/audit_space_reserve.h"
#include "service/core/audit/audit_trail_files.h"
#include "service/core/storage/audit_anchor_store.h"
#include "service/core/storage/database.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

namespace fs = std::filesystem;

namespace {

using SteadyClock = std::chrono::steady_clock;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string systemError(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

void warn(const std::string& message) {
    std::fprintf(stderr, "keyportd: audit: %s\n", message.c_str());
}

// Where the chain goes on: the seq of the next record and the hash of the line before it.
struct ChainPoint {
    std::uint64_t nextSeq = 1;
    std::string prev = kAuditGenesisPrev;
};

ChainPoint after(const std::string& line, const fs::path& file) {
    try {
        return ChainPoint{parseAuditLine(line).seq + 1, auditLineHash(line)};
    } catch (const AuditFormatError& e) {
        throw std::runtime_error("the last line of " + file.string() +
                                 " is not an audit record (it " + e.what() +
                                 "); run `keyport audit verify`");
    }
}

}  // namespace

struct AuditLog::State {
    State(const AuditConfig& c, RegionTokens& t, Database& d, AuditLogOptions o)
        : config(c),
          tokens(t),
          db(d),
          options(std::move(o)),
          reserve(std::size_t{options.maxInFlight ? options.maxInFlight : 1} *
                      audit_json::kMaxRecordBytes,
                  c.reserveBytes) {}

    // A seal that is written but not yet synced nor recorded as the anchor.
    struct DurableSeal {
        int fd;  // a dup of the trail's fd
        AuditAnchor anchor;
    };

    const AuditConfig config;
    RegionTokens& tokens;
    Database& db;
    const AuditLogOptions options;

    // One mutex for the chain: lines are built, written and linked in seq order.
    mutable std::mutex mutex;
    int fd = -1;
    int dirFd = -1;
    std::uint64_t size = 0;  // bytes of audit.path: the write point
    std::uint64_t fileFirstSeq = 1;
    ChainPoint chain;
    bool cutPending = false;  // a partial write that ftruncate could not yet remove
    std::optional<std::uint64_t> pendingStart;  // torn tail bytes of a start not yet written
    std::uint64_t sinceSeal = 0;
    SteadyClock::time_point lastSeal = SteadyClock::now();
    SteadyClock::time_point rotateRetryAt{};
    AuditSpaceReserve reserve;
    // Bytes that may still be written before admit() must look at the reservation: while
    // positive, admit() takes no lock (it is the common case by far).
    std::atomic<std::int64_t> admitSlack{0};

    std::atomic<std::uint64_t> written{0}, failed{0}, refused{0};

    std::optional<DurableSeal> pendingDurable;
    std::condition_variable cv;
    bool stopping = false;
    bool opened = false;  // open() finished: close() seals
    std::thread sealTimer;

    void open();
    void writeLine(const std::string& line);
    void writeStart();
    void seal(const std::string& reason, bool syncNow = false);
    void makeDurable(const DurableSeal& seal, int syncFd);
    void drainDurable(std::unique_lock<std::mutex>& lock);
    void afterRecord();
    void rotate();
    void sealTimerLoop();
    void close();
};

void AuditLog::State::open() {
    const fs::path& active = config.path;
    const fs::path dir = active.parent_path();
    std::error_code ec;
    if (fs::create_directories(dir, ec)) {
        fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0) throw AuditUnavailable(systemError("cannot open " + dir.string(), errno));
    // One writer per trail: a second keyportd on the same state dir would interleave
    // chains.
    if (::flock(dirFd, LOCK_EX | LOCK_NB) != 0) {
        throw AuditUnavailable("another process writes the audit trail in " + dir.string());
    }

    std::uint64_t torn = 0;
    std::optional<std::uint64_t> activeFirstSeq;
    std::optional<ChainPoint> found;
    if (fs::exists(active)) {
        const TrailFileEnds ends = readTrailFileEnds(active);
        if (ends.tornBytes > 0) {
            // A crash mid-write left a line without its newline: it never joined the
            // chain, so it goes (and the start record says how much went).
            torn = ends.tornBytes;
            fs::resize_file(active, ends.completeBytes, ec);
            if (ec) throw AuditUnavailable("cannot cut the torn last line of " + active.string());
        }
        if (ends.first) activeFirstSeq = after(*ends.first, active).nextSeq - 1;
        if (ends.last) found = after(*ends.last, active);
    }
    if (!found) {
        // audit.path is new or empty (just rotated): the chain goes on from the newest
        // rotated file.
        const auto files = trailFiles(active);
        for (auto it = files.rbegin(); it != files.rend() && !found; ++it) {
            if (*it == active) continue;
            const TrailFileEnds ends = readTrailFileEnds(*it);
            if (ends.tornBytes > 0) {
                throw std::runtime_error(it->string() + " ends in an incomplete line");
            }
            if (ends.last) found = after(*ends.last, *it);
        }
    }
    if (found) chain = *found;
    // The anchor is the last seal this service wrote. A trail that ends before it was cut
    // back: the chain goes on after the anchor, so the gap stays visible to verify.
    const auto anchor = db.read([](auto& s) { return audit_anchor_store::find(s); });
    if (anchor && anchor->seq >= chain.nextSeq) {
        warn("the trail ends at seq " + std::to_string(chain.nextSeq - 1) +
             ", before the last seal recorded in the database (seq " + std::to_string(anchor->seq) +
             "): records are missing; continuing after seq " + std::to_string(anchor->seq));
        chain = ChainPoint{anchor->seq + 1, anchor->lineHash};
    }
    fileFirstSeq = activeFirstSeq.value_or(chain.nextSeq);

    fd = ::open(active.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) throw AuditUnavailable(systemError("cannot open " + active.string(), errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw AuditUnavailable(systemError("fstat", errno));
    size = static_cast<std::uint64_t>(st.st_size);
    if (size == 0) fileFirstSeq = chain.nextSeq;
    ::fsync(dirFd);  // the file's directory entry, if it was just made
    reserve.reset(fd, size);
    pendingStart = torn;
    opened = true;
    // Start anyway when this fails: requests are refused (503) until there is room, and
    // the start record is written before the first record that fits.
    try {
        if (reserve.ensure(size)) {
            writeStart();
        } else {
            warn("no room for audit records: requests are refused until there is");
        }
    } catch (const AuditUnavailable& e) {
        warn(e.what());
    }
}

void AuditLog::State::writeLine(const std::string& line) {
    if (cutPending) {
        if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
            ++failed;
            throw AuditUnavailable(systemError("the audit trail cannot be repaired", errno));
        }
        cutPending = false;
    }
    const std::string hash = auditLineHash(line);
    std::string buf;
    buf.reserve(line.size() + 1);
    buf += line;
    buf += '\n';
    ssize_t n;
    do {
        n = ::write(fd, buf.data(), buf.size());
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(buf.size())) {
        const int err = n < 0 ? errno : ENOSPC;
        // A partial line is cut off again: the chain stays at the last complete line.
        if (n > 0 && ::ftruncate(fd, static_cast<off_t>(size)) != 0) cutPending = true;
        reserve.forget(size);
        admitSlack.store(0);
        ++failed;
        throw AuditUnavailable(systemError("the audit trail cannot be written", err));
    }
    size += buf.size();
    admitSlack.fetch_sub(static_cast<std::int64_t>(buf.size()), std::memory_order_acq_rel);
    chain = ChainPoint{chain.nextSeq + 1, hash};
    ++written;
}

void AuditLog::State::writeStart() {
    const std::uint64_t torn = pendingStart.value_or(0);
    writeLine(audit_json::startLine(chain.nextSeq, nowMs(), options.version, torn, chain.prev));
    pendingStart.reset();
    ++sinceSeal;
}

void AuditLog::State::seal(const std::string& reason, bool syncNow) {
    Region& region = tokens.region(config.region);
    const std::uint64_t seq = chain.nextSeq;
    const std::string mac = computeAuditSeal(region, seq, chain.prev);
    const std::string line =
        audit_json::sealLine(seq, nowMs(), reason, region.name, mac, chain.prev);
    writeLine(line);
    sinceSeal = 0;
    lastSeal = SteadyClock::now();
    // Records between seals may sit in the page cache (each request's database commit was
    // made durable before it answered; its record is durable at the next seal): a seal
    // syncs them, and only a synced seal becomes the anchor. Rotation and shutdown sync
    // here; a count or interval seal is synced by the seal thread, so that requests do
    // not wait behind an fdatasync and a database commit under the chain's mutex.
    DurableSeal durable{-1, AuditAnchor{seq, chain.prev, nowMs()}};
    if (syncNow) {
        makeDurable(durable, fd);
        return;
    }
    durable.fd = ::dup(fd);  // the seal thread's own: rotation may close `fd` meanwhile
    if (durable.fd < 0) {
        makeDurable(durable, fd);
        return;
    }
    // A newer seal covers an older one still waiting.
    if (pendingDurable) ::close(pendingDurable->fd);
    pendingDurable = durable;
    cv.notify_all();
}

void AuditLog::State::makeDurable(const DurableSeal& seal, int syncFd) {
    if (::fdatasync(syncFd) != 0) {
        ++failed;
        warn(systemError("fdatasync of the audit trail failed", errno));
        return;
    }
    try {
        db.write([&](auto& s) { audit_anchor_store::advance(s, seal.anchor); });
    } catch (const std::exception& e) {
        warn(std::string("the seal could not be recorded in the database: ") + e.what());
    }
}

void AuditLog::State::afterRecord() {
    // The record itself is written: a failing seal or rotation does not fail its request
    // (they are retried with the next record, and the next seal covers this one).
    try {
        if (sinceSeal >= config.sealEvery) seal("count");
    } catch (const std::exception& e) {
        warn(std::string("seal failed: ") + e.what());
    }
    if (size >= config.maxFileBytes && SteadyClock::now() >= rotateRetryAt) {
        try {
            rotate();
        } catch (const std::exception& e) {
            rotateRetryAt = SteadyClock::now() + std::chrono::seconds(10);
            warn(std::string("rotation failed: ") + e.what());
        }
    }
}

void AuditLog::State::rotate() {
    seal("rotate", /*syncNow=*/true);
    const fs::path& active = config.path;
    const fs::path rotated = rotatedTrailFile(active, fileFirstSeq);
    if (fs::exists(rotated)) throw std::runtime_error(rotated.string() + " already exists");
    admitSlack.store(0);
    reserve.release(size);
    if (::rename(active.c_str(), rotated.c_str()) != 0) {
        throw std::runtime_error(systemError("rename to " + rotated.string(), errno));
    }
    const int fresh =
        ::open(active.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fresh < 0) {
        const int err = errno;
        ::rename(rotated.c_str(), active.c_str());
        throw std::runtime_error(systemError("cannot create a new " + active.string(), err));
    }
    ::fsync(dirFd);
    ::close(fd);
    fd = fresh;
    size = 0;
    fileFirstSeq = chain.nextSeq;
    reserve.reset(fd, 0);
    reserve.ensure(0);
}

// The seal thread: interval seals, and the sync + anchor of count seals. A timer thread
// rather than a check inside append(): an idle service still seals what it wrote within
// the interval, instead of leaving it unsealed until the next request.
void AuditLog::State::sealTimerLoop() {
    const auto interval = std::chrono::seconds(config.sealIntervalSeconds);
    std::unique_lock lock(mutex);
    while (!stopping) {
        cv.wait_until(lock, lastSeal + interval,
                      [this] { return stopping || pendingDurable.has_value(); });
        if (stopping) break;
        if (pendingDurable) {
            drainDurable(lock);
            continue;
        }
        if (sinceSeal > 0 && SteadyClock::now() >= lastSeal + interval) {
            try {
                seal("interval");
            } catch (const std::exception& e) {
                lastSeal = SteadyClock::now();  // retried an interval later
                warn(std::string("seal failed: ") + e.what());
            }
        } else if (sinceSeal == 0) {
            lastSeal = SteadyClock::now();
        }
    }
}

void AuditLog::State::drainDurable(std::unique_lock<std::mutex>& lock) {
    const DurableSeal durable = *pendingDurable;
    pendingDurable.reset();
    lock.unlock();
    makeDurable(durable, durable.fd);
    ::close(durable.fd);
    lock.lock();
}

void AuditLog::State::close() {
    // A seal the seal thread did not get to: the shutdown seal covers it, else it is
    // made durable here.
    std::optional<DurableSeal> pending = pendingDurable;
    pendingDurable.reset();
    if (fd >= 0 && opened) {
        try {
            if (pendingStart) writeStart();
            seal("shutdown", /*syncNow=*/true);
        } catch (const std::exception& e) {
            warn(std::string("the shutdown seal could not be written: ") + e.what());
            if (pending) makeDurable(*pending, pending->fd);
        }
        admitSlack.store(0);
        reserve.release(size);
        ::fdatasync(fd);
    }
    if (pending) ::close(pending->fd);
    if (fd >= 0) ::close(fd);
    fd = -1;
    if (dirFd >= 0) ::close(dirFd);  // drops the flock
    dirFd = -1;
}

AuditLog::AuditLog(const AuditConfig& config, RegionTokens& tokens, Database& anchors,
                   AuditLogOptions options)
    : state_(std::make_unique<State>(config, tokens, anchors, std::move(options))) {
    if (!tokens.has(config.region)) {
        throw std::runtime_error("audit.region " + config.region + " is not a configured region");
    }
    try {
        state_->open();
    } catch (...) {
        state_->close();
        throw;
    }
    state_->sealTimer = std::thread([s = state_.get()] { s->sealTimerLoop(); });
}

AuditLog::~AuditLog() {
    {
        std::lock_guard lock(state_->mutex);
        state_->stopping = true;
    }
    state_->cv.notify_all();
    if (state_->sealTimer.joinable()) state_->sealTimer.join();
    std::lock_guard lock(state_->mutex);
    state_->close();
}

void AuditLog::admit() {
    if (state_->admitSlack.load(std::memory_order_acquire) > 0) return;
    std::lock_guard lock(state_->mutex);
    if (state_->reserve.ensure(state_->size)) {
        state_->admitSlack.store(static_cast<std::int64_t>(state_->reserve.slack(state_->size)),
                                 std::memory_order_release);
    } else {
        ++state_->refused;
        throw AuditUnavailable(
            "no room for audit records: the disk holding the audit trail is full");
    }
}

void AuditLog::append(const AuditRecord& record) {
    // Built before the lock: with many workers, the time the lock is held is what they
    // queue behind.
    const std::string body = audit_json::requestBody(record);
    std::lock_guard lock(state_->mutex);
    State& s = *state_;
    if (s.pendingStart) s.writeStart();
    s.writeLine(audit_json::requestLine(s.chain.nextSeq, body, s.chain.prev));
    ++s.sinceSeal;
    s.afterRecord();
}

void AuditLog::seal(const std::string& reason) {
    std::lock_guard lock(state_->mutex);
    if (state_->pendingStart) state_->writeStart();
    state_->seal(reason, /*syncNow=*/true);
}

std::uint64_t AuditLog::recordsWritten() const {
    return state_->written;
}
std::uint64_t AuditLog::failures() const {
    return state_->failed;
}
std::uint64_t AuditLog::refusals() const {
    return state_->refused;
}
std::uint64_t AuditLog::lastSeq() const {
    std::lock_guard lock(state_->mutex);
    return state_->chain.nextSeq - 1;
}

}  // namespace keyport
