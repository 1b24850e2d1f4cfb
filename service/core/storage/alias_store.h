// AliasRecord: a named alias of a key (Huawei KMS aliases, apart from the key's own
// key_alias) — one alias names one key of its project — and the SQL that keeps them.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keyport {

struct AliasRecord {
    std::string projectId;
    std::string alias;
    std::string domainId;
    std::string keyId;
    std::int64_t createdAtMs = 0;
    std::int64_t updatedAtMs = 0;
};

namespace alias_store {

// False when the project already has an alias of that name.
bool insert(Poco::Data::Session& s, const AliasRecord& a);
std::optional<AliasRecord> find(Poco::Data::Session& s, const std::string& projectId,
                                const std::string& alias);
void setKey(Poco::Data::Session& s, const std::string& projectId, const std::string& alias,
            const std::string& keyId, std::int64_t updatedAtMs);
bool remove(Poco::Data::Session& s, const std::string& projectId, const std::string& alias);
// The project's aliases (of one key when given), by name, after `marker` (an alias name).
std::vector<AliasRecord> list(Poco::Data::Session& s, const std::string& projectId,
                              const std::optional<std::string>& keyId, std::size_t limit,
                              const std::optional<std::string>& marker);

}  // namespace alias_store
}  // namespace keyport
