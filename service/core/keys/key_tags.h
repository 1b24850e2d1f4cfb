// KeyTags: tag queries over a project's keys (the project's tag keys and values; keys that
// carry given tags, paged or counted) and batch tag changes on one key, in one transaction.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "service/core/keys/key_service.h"

namespace keyport {

// Keys that have every listed tag key, each with one of its values (any value when the
// list is empty), and whose alias contains every `aliasContains` text.
struct TagFilter {
    std::vector<std::pair<std::string, std::vector<std::string>>> tags;
    std::vector<std::string> aliasContains;
};

struct TaggedKey {
    KeyRecord key;
    std::map<std::string, std::string> tags;
};

struct TaggedKeys {
    std::vector<TaggedKey> keys;  // the page asked for
    std::size_t total = 0;        // every match
};

class KeyTags {
  public:
    static constexpr std::size_t kMaxTagsPerKey = 20;

    KeyTags(Database& db, KeyService& keys);

    // Every tag key used in the project, with the values it has.
    std::map<std::string, std::set<std::string>> projectTags(const ProjectScope& scope);
    // Matching keys, oldest first; `offset` and `limit` pick the page (limit 0: count only).
    TaggedKeys find(const ProjectScope& scope, const TagFilter& filter, std::size_t offset,
                    std::size_t limit);
    // Adds (or overwrites) these tags on the key; refused whole if the key would have more
    // than kMaxTagsPerKey.
    void addTags(const ProjectScope& scope, const std::string& keyId,
                 const std::vector<std::pair<std::string, std::string>>& tags);
    // Removes these tag keys from the key; keys it does not have are ignored.
    void removeTags(const ProjectScope& scope, const std::string& keyId,
                    const std::vector<std::string>& tagKeys);

  private:
    Database& db_;
    KeyService& keys_;
};

}  // namespace keyport
