#include "service/core/storage/change_feed_store.h"

#include <chrono>

namespace keyport::change_feed_store {
namespace {

using namespace Poco::Data::Keywords;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

void append(Poco::Data::Session& s, std::string_view kind, const std::string& id) {
    const std::string k(kind);
    const Poco::Int64 at = nowMs();
    s << "INSERT INTO change_feed (kind, id, at_ms) VALUES (?, ?, ?)", bind(k), bind(id), bind(at),
        now;
}

std::int64_t latest(Poco::Data::Session& s) {
    Poco::Int64 seq = 0;
    s << "SELECT COALESCE(MAX(seq), 0) FROM change_feed", into(seq), now;
    return seq;
}

std::int64_t oldest(Poco::Data::Session& s) {
    Poco::Int64 seq = 0;
    s << "SELECT COALESCE(MIN(seq), 0) FROM change_feed", into(seq), now;
    return seq;
}

std::vector<FeedChange> after(Poco::Data::Session& s, std::int64_t seq, std::size_t limit) {
    std::vector<Poco::Int64> seqs, ats;
    std::vector<std::string> kinds, ids;
    const Poco::Int64 from = seq;
    const Poco::Int64 max = static_cast<Poco::Int64>(limit);
    s << "SELECT seq, kind, id, at_ms FROM change_feed WHERE seq > ? ORDER BY seq LIMIT ?",
        into(seqs), into(kinds), into(ids), into(ats), bind(from), bind(max), now;
    std::vector<FeedChange> out;
    out.reserve(seqs.size());
    for (std::size_t i = 0; i < seqs.size(); ++i) {
        out.push_back(FeedChange{seqs[i], std::move(kinds[i]), std::move(ids[i]), ats[i]});
    }
    return out;
}

std::size_t pruneBefore(Poco::Data::Session& s, std::int64_t atMs) {
    const Poco::Int64 before = atMs;
    Poco::Data::Statement del(s);
    del << "DELETE FROM change_feed WHERE at_ms < ?", bind(before);
    return del.execute();
}

}  // namespace keyport::change_feed_store
