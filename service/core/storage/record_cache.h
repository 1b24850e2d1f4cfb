// RecordCache: a bounded, thread-safe read-through cache of database rows that this process
// alone changes (or that never change), so hot request paths skip SQLite. Writers
// invalidate after their transaction commits; a load that raced an invalidation is not
// cached (generation check), so a reader can never re-insert a stale row.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "service/core/base/metrics.h"

namespace keyport {

template <typename V>
class RecordCache {
  public:
    // `name` labels its hit and miss counters (keyport_cache_requests_total).
    RecordCache(std::size_t capacity, std::string_view name)
        : capacity_(capacity), counters_(metrics::cache(name)) {}

    // The cached row, or load() (→ std::optional<V>) from the database; only found rows are
    // cached, so a row another process adds is seen on its first lookup.
    template <typename Load>
    std::optional<V> get(const std::string& key, Load&& load) {
        std::uint64_t generation;
        {
            std::lock_guard lock(mutex_);
            if (auto it = rows_.find(key); it != rows_.end()) {
                counters_.hits.inc();
                return it->second;
            }
            generation = generation_;
        }
        counters_.misses.inc();
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
    metrics::CacheCounters counters_;
};

}  // namespace keyport
