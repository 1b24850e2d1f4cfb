#include "service/core/keys/alias_service.h"

#include "service/core/base/clock.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

[[noreturn]] void noSuchAlias(const std::string& alias) {
    throw Error(ErrorCode::InvalidParameter, "'" + alias + "' names no alias of this project",
                Input::AliasName);
}

// An alias is a name for using a key; a key on its way out takes no new names.
void checkNameable(const KeyRecord& k) {
    if (k.state == KeyState::PendingDeletion)
        throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
}

}  // namespace

AliasService::AliasService(Database& db, KeyService& keys) : db_(db), keys_(keys) {}

AliasRecord AliasService::create(const ProjectScope& scope, const std::string& keyId,
                                 const std::string& alias) {
    checkNameable(keys_.get(scope, keyId));
    AliasRecord a;
    a.projectId = scope.projectId;
    a.alias = alias;
    a.domainId = scope.domainId;
    a.keyId = keyId;
    a.createdAtMs = a.updatedAtMs = epochMillis();
    const bool inserted =
        db_.write([&](Poco::Data::Session& s) { return alias_store::insert(s, a); });
    if (!inserted) {
        throw Error(ErrorCode::AliasExists, "'" + alias + "' is taken in this project",
                    Input::AliasName);
    }
    return a;
}

AliasRecord AliasService::associate(const ProjectScope& scope, const std::string& alias,
                                    const std::string& targetKeyId) {
    checkNameable(keys_.get(scope, targetKeyId));
    return db_.write([&](Poco::Data::Session& s) {
        auto a = alias_store::find(s, scope.projectId, alias);
        if (!a || a->domainId != scope.domainId) noSuchAlias(alias);
        a->keyId = targetKeyId;
        a->updatedAtMs = epochMillis();
        alias_store::setKey(s, scope.projectId, alias, targetKeyId, a->updatedAtMs);
        return *a;
    });
}

void AliasService::remove(const ProjectScope& scope, const std::string& keyId,
                          const std::vector<std::string>& aliases) {
    keys_.get(scope, keyId);
    db_.write([&](Poco::Data::Session& s) {
        for (const auto& alias : aliases) {
            auto a = alias_store::find(s, scope.projectId, alias);
            if (!a || a->keyId != keyId) {
                throw Error(ErrorCode::InvalidParameter,
                            "'" + alias + "' names no alias of this key", Input::AliasName);
            }
            alias_store::remove(s, scope.projectId, alias);
        }
    });
}

AliasList AliasService::list(const ProjectScope& scope, const std::optional<std::string>& keyId,
                             std::size_t limit, const std::optional<std::string>& marker) {
    if (keyId) keys_.get(scope, *keyId);
    return db_.read([&](Poco::Data::Session& s) {
        AliasList out;
        out.aliases = alias_store::list(s, scope.projectId, keyId, limit + 1, marker);
        if (out.aliases.size() > limit) {
            out.aliases.resize(limit);
            out.nextMarker = out.aliases.back().alias;
        }
        return out;
    });
}

}  // namespace keyport
