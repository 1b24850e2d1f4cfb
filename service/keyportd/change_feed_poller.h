// ChangeFeedPoller: keyportd's reader of the change feed (change_feed_store.h). Once a second
// it reads the feed rows after its cursor and drops this process's cached copies of what
// they name (a key: KeyService's row cache and KeyMaterial's session copies), so a change
// another process committed — a CLI key ceremony or offline import, another keyportd node
// sharing the database (issue 14) — is seen within one poll interval: a cached key is at most
// `interval` (1 s) stale. It also prunes rows older than `retention`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "service/core/keys/key_service.h"
#include "service/core/storage/database.h"

namespace keyport {

class ChangeFeedPoller {
  public:
    // The cursor starts at the feed's newest row: construct it before anything is cached
    // (before Services::startServing), so no change can fall between a read and the cursor.
    ChangeFeedPoller(Database& db, KeyService& keys,
                     std::chrono::milliseconds interval = std::chrono::seconds(1),
                     std::chrono::milliseconds retention = std::chrono::hours(1));
    ~ChangeFeedPoller();
    ChangeFeedPoller(const ChangeFeedPoller&) = delete;
    ChangeFeedPoller& operator=(const ChangeFeedPoller&) = delete;

    // One poll: applies every row after the cursor; returns how many it applied.
    std::size_t pollOnce();

  private:
    void loop();
    void prune();

    Database& db_;
    KeyService& keys_;
    const std::chrono::milliseconds interval_;
    const std::chrono::milliseconds retention_;
    std::int64_t cursor_ = 0;  // the loop thread's alone after construction
    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace keyport
