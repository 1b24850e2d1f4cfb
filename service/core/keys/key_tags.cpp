#include "service/core/keys/key_tags.h"

#include <algorithm>

#include "service/core/base/clock.h"
#include "service/core/base/errors.h"
#include "service/core/storage/tag_store.h"

namespace keyport {
namespace {

bool matches(const KeyRecord& k, const std::map<std::string, std::string>& tags,
             const TagFilter& f) {
    for (const auto& [key, values] : f.tags) {
        auto it = tags.find(key);
        if (it == tags.end()) return false;
        if (!values.empty() && std::find(values.begin(), values.end(), it->second) == values.end())
            return false;
    }
    for (const auto& text : f.aliasContains) {
        if (k.alias.find(text) == std::string::npos) return false;
    }
    return true;
}

}  // namespace

KeyTags::KeyTags(Database& db, KeyService& keys) : db_(db), keys_(keys) {}

std::map<std::string, std::set<std::string>> KeyTags::projectTags(const ProjectScope& scope) {
    const auto all = db_.read(
        [&](Poco::Data::Session& s) { return tag_store::projectKeyTags(s, scope.projectId); });
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [keyId, tags] : all) {
        for (const auto& [k, v] : tags) out[k].insert(v);
    }
    return out;
}

TaggedKeys KeyTags::find(const ProjectScope& scope, const TagFilter& filter, std::size_t offset,
                         std::size_t limit) {
    return db_.read([&](Poco::Data::Session& s) {
        const auto tags = tag_store::projectKeyTags(s, scope.projectId);
        const auto all =
            key_store::list(s, scope.projectId, key_store::count(s, scope.projectId), std::nullopt);
        static const std::map<std::string, std::string> kNone;
        TaggedKeys out;
        const auto t = epochSeconds();
        for (const KeyRecord& k : all) {
            if (k.domainId != scope.domainId) continue;
            auto it = tags.find(k.id);
            const auto& kt = it == tags.end() ? kNone : it->second;
            if (!matches(k, kt, filter)) continue;
            if (out.total >= offset && out.keys.size() < limit) {
                TaggedKey tk{k, kt};
                applyExpiry(tk.key, t);
                out.keys.push_back(std::move(tk));
            }
            ++out.total;
        }
        return out;
    });
}

void KeyTags::addTags(const ProjectScope& scope, const std::string& keyId,
                      const std::vector<std::pair<std::string, std::string>>& tags) {
    keys_.get(scope, keyId);  // KeyNotFound unless the caller may see it
    db_.write([&](Poco::Data::Session& s) {
        auto existing = key_store::tags(s, keyId);
        for (const auto& [k, v] : tags) existing[k] = v;
        if (existing.size() > kMaxTagsPerKey) {
            throw Error(ErrorCode::InvalidParameter,
                        "a key has at most " + std::to_string(kMaxTagsPerKey) + " tags")
                .withLimit(kMaxTagsPerKey);
        }
        for (const auto& [k, v] : tags) key_store::putTag(s, keyId, k, v);
    });
}

void KeyTags::removeTags(const ProjectScope& scope, const std::string& keyId,
                         const std::vector<std::string>& tagKeys) {
    keys_.get(scope, keyId);
    db_.write([&](Poco::Data::Session& s) {
        for (const auto& k : tagKeys) key_store::deleteTag(s, keyId, k);
    });
}

}  // namespace keyport
