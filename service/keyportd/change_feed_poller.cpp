#include "service/keyportd/change_feed_poller.h"

#include <cstdio>

#include "service/api/log_text.h"
#include "service/core/storage/change_feed_store.h"

namespace keyport {
namespace {

// Rows per read: a burst (a rollover's batches, many imports) is applied over several reads
// of one poll rather than one unbounded result.
constexpr std::size_t kBatch = 512;
// Polls between prunes (a minute at the default interval).
constexpr unsigned kPrunePolls = 60;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

ChangeFeedPoller::ChangeFeedPoller(Database& db, KeyService& keys,
                                   std::chrono::milliseconds interval,
                                   std::chrono::milliseconds retention)
    : db_(db), keys_(keys), interval_(interval), retention_(retention) {
    cursor_ = db_.read([](Poco::Data::Session& s) { return change_feed_store::latest(s); });
    thread_ = std::thread([this] { loop(); });
}

ChangeFeedPoller::~ChangeFeedPoller() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

// On SQLite, writers are serialised and a rolled-back insert gives its seq back, so the
// committed seqs are gapless and `seq > cursor` misses nothing. A jump past cursor + 1 means
// rows were pruned before this process read them (it did not poll for `retention_`).
std::size_t ChangeFeedPoller::pollOnce() {
    std::size_t applied = 0;
    for (;;) {
        const auto rows = db_.read([this](Poco::Data::Session& s) {
            return change_feed_store::after(s, cursor_, kBatch);
        });
        for (const auto& r : rows) {
            if (r.seq != cursor_ + 1 && cursor_ != 0) {
                std::fprintf(stderr,
                             "keyportd: change feed rows %lld..%lld were pruned before this "
                             "process read them; cached keys may be stale until evicted\n",
                             static_cast<long long>(cursor_ + 1),
                             static_cast<long long>(r.seq - 1));
            }
            if (r.kind == kChangedKey) keys_.forget(r.id);
            // Other kinds are for other readers (a newer node's); skipped, not an error.
            cursor_ = r.seq;
            ++applied;
        }
        if (rows.size() < kBatch) return applied;
    }
}

void ChangeFeedPoller::prune() {
    const std::int64_t before = nowMs() - retention_.count();
    db_.write([&](Poco::Data::Session& s) { change_feed_store::pruneBefore(s, before); });
}

void ChangeFeedPoller::loop() {
    std::unique_lock lock(mutex_);
    unsigned polls = 0;
    while (!stopping_) {
        lock.unlock();
        try {
            pollOnce();
            if (++polls % kPrunePolls == 0) prune();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "keyportd: change feed poll failed: %s\n",
                         api::printable(e.what()).c_str());
        }
        lock.lock();
        // One indexed range SELECT on the feed's primary key per interval (measured in
        // tests/ceremony/key_components_test.cpp: tens of microseconds), which bounds how
        // stale a cached key can be after another process changed it.
        cv_.wait_for(lock, interval_, [this] { return stopping_; });
    }
}

}  // namespace keyport
