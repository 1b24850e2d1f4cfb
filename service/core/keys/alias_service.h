// AliasService: named aliases of keys, apart from a key's own alias. An alias names one
// key of its project; it can be moved to another key of the same project, deleted, and
// listed by name.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/core/keys/key_service.h"
#include "service/core/storage/alias_store.h"

namespace keyport {

struct AliasList {
    std::vector<AliasRecord> aliases;
    std::optional<std::string> nextMarker;  // the last alias of a full page
};

class AliasService {
  public:
    AliasService(Database& db, KeyService& keys);

    AliasRecord create(const ProjectScope& scope, const std::string& keyId,
                       const std::string& alias);
    // Moves the alias to another key of the project.
    AliasRecord associate(const ProjectScope& scope, const std::string& alias,
                          const std::string& targetKeyId);
    // Deletes aliases of the key, all or none.
    void remove(const ProjectScope& scope, const std::string& keyId,
                const std::vector<std::string>& aliases);
    AliasList list(const ProjectScope& scope, const std::optional<std::string>& keyId,
                   std::size_t limit, const std::optional<std::string>& marker);

  private:
    Database& db_;
    KeyService& keys_;
};

}  // namespace keyport
