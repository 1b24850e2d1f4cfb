// The change feed: one row (seq, kind, id, at) per committed change of a row that processes
// cache, written in the change's own transaction. Every process that shares the database —
// keyportd beside a CLI ceremony, later several keyportd nodes (issue 14) — reads the rows
// after its cursor and drops its cached copies of what changed.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keyport {

// A changed key row (KeyService's key cache, KeyMaterial's session copies).
inline constexpr std::string_view kChangedKey = "key";

struct FeedChange {
    std::int64_t seq = 0;  // strictly increasing (AUTOINCREMENT: never reused after a prune)
    std::string kind;      // kChangedKey, ...
    std::string id;
    std::int64_t atMs = 0;
};

namespace change_feed_store {

// Inside the transaction that makes the change, so the row commits with it or not at all.
void append(Poco::Data::Session& s, std::string_view kind, const std::string& id);
// The newest seq (0 for an empty feed): a process's cursor when it starts with empty caches.
std::int64_t latest(Poco::Data::Session& s);
// Rows after `seq`, oldest first, at most `limit` (one indexed range scan on the primary key).
std::vector<FeedChange> after(Poco::Data::Session& s, std::int64_t seq, std::size_t limit);
// The oldest seq still kept (0 for an empty feed): a cursor below it - 1 has missed rows.
std::int64_t oldest(Poco::Data::Session& s);
// Deletes rows written before `atMs`; returns how many.
std::size_t pruneBefore(Poco::Data::Session& s, std::int64_t atMs);

}  // namespace change_feed_store
}  // namespace keyport
