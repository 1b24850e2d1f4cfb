// RecordCache: a bounded, thread-safe read-through cache of database rows that this process
// alone changes (or that never change), so hot request paths skip SQLite. Writers
// invalidate after their transaction commits; a load that raced an invalidation is not
// cached (generation check), so a reader can never re-insert a stale row.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace keyport {

template <typename V>
class RecordCache {
  public:
    explicit RecordCache(std::size_t capacity) : capacity_(capacity) {}

    // The cached row, or load() (→ std::optional<V>) from the database; only found rows are
    // cached, so a row another process adds is seen on its first lookup.
    template <typename Load>
    std::optional<V> get(const std::string& key, Load&& load) {
        std::uint64_t generation;
        {
            std::lock_guard lock(mutex_);
            if (auto it = rows_.find(key); it != rows_.end()) return it->second;
            generation = generation_;
        }
        std::optional<V> row = load();
        if (row) {
            std::lock_guard lock(mutex_);
            if (generation == generation_) {
                if (rows_.size() >= capacity_)
                    rows_.clear();  // crude but bounded; misses are cheap
                rows_.emplace(key, *row);
            }
        }
        return row;
    }

    void invalidate(const std::string& key) {
        std::lock_guard lock(mutex_);
        ++generation_;
        rows_.erase(key);
    }

  private:
    std::mutex mutex_;
    std::size_t capacity_;
    std::uint64_t generation_ = 0;
    std::unordered_map<std::string, V> rows_;
};

}  // namespace keyport
