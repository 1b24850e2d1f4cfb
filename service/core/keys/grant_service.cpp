#include "service/core/keys/grant_service.h"

#include <algorithm>

#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

[[noreturn]] void noSuchGrant() {
    throw Error(ErrorCode::InvalidParameter, "names no grant of this key", Input::GrantId);
}

// 64 hex characters, as Huawei's grant ids are 64 bytes.
std::string newGrantId() {
    std::string id = newUuid() + newUuid();
    std::erase(id, '-');
    return id;
}

bool names(const std::string& principal, const Actor& a) {
    return !principal.empty() && (principal == a.domainId || principal == a.credentialId);
}

bool isGrantee(const GrantRecord& g, const Actor& a) {
    return g.granteeKind == GranteeKind::Domain ? g.grantee == a.domainId
                                                : g.grantee == a.credentialId;
}

GrantList page(GrantPage p, std::size_t limit) {
    GrantList out;
    out.total = p.total;
    out.grants = std::move(p.grants);
    if (out.grants.size() > limit) {
        out.grants.resize(limit);
        out.nextMarker = out.grants.back().id;
    }
    return out;
}

}  // namespace

GrantService::GrantService(Database& db, KeyService& keys) : db_(db), keys_(keys) {}

GrantRecord GrantService::create(const ProjectScope& scope, const Actor& actor,
                                 const CreateGrant& cmd) {
    const KeyRecord k = keys_.get(scope, cmd.keyId);
    // Huawei: a service's default key (alias ending in /default) cannot be granted.
    if (k.alias.ends_with("/default"))
        throw Error(ErrorCode::InvalidRequest, "a default key cannot be granted");
    if (k.state == KeyState::PendingDeletion)
        throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
    if (cmd.operations.empty() ||
        std::all_of(cmd.operations.begin(), cmd.operations.end(),
                    [](GrantOperation op) { return op == GrantOperation::CreateGrant; })) {
        throw Error(ErrorCode::InvalidParameter,
                    "a grant needs an operation besides creating grants");
    }
    GrantRecord g;
    g.id = newGrantId();
    g.keyId = k.id;
    g.name = cmd.name;
    g.granteeKind = cmd.granteeKind;
    g.grantee = cmd.grantee;
    for (GrantOperation op : cmd.operations) {
        if (!g.allows(op)) g.operations.push_back(op);
    }
    g.issuingPrincipal = actor.credentialId;
    g.retiringPrincipal = cmd.retiringPrincipal;
    g.createdAtMs = epochMillis();
    db_.write([&](Poco::Data::Session& s) {
        if (grant_store::countForKey(s, k.id) >= kMaxGrantsPerKey) {
            throw Error(ErrorCode::InvalidRequest,
                        "a key has at most " + std::to_string(kMaxGrantsPerKey) + " grants")
                .withLimit(kMaxGrantsPerKey);
        }
        grant_store::insert(s, g);
        key_store::audit(s, k.id, "create-grant", g.id);
    });
    return g;
}

GrantList GrantService::list(const ProjectScope& scope, const std::string& keyId, std::size_t limit,
                             const std::optional<std::string>& marker) {
    keys_.get(scope, keyId);
    return db_.read([&](Poco::Data::Session& s) {
        if (marker) {
            auto m = grant_store::find(s, *marker);
            if (!m || m->keyId != keyId)
                throw Error(ErrorCode::InvalidParameter, "names no grant of this key",
                            Input::ListMarker);
        }
        return page(grant_store::listForKey(s, keyId, limit + 1, marker), limit);
    });
}

void GrantService::revoke(const ProjectScope& scope, const std::string& keyId,
                          const std::string& grantId) {
    keys_.get(scope, keyId);
    db_.write([&](Poco::Data::Session& s) {
        auto g = grant_store::find(s, grantId);
        if (!g || g->keyId != keyId) noSuchGrant();
        grant_store::remove(s, grantId);
        key_store::audit(s, keyId, "revoke-grant", grantId);
    });
}

void GrantService::retire(const Actor& actor, const std::string& keyId,
                          const std::string& grantId) {
    db_.write([&](Poco::Data::Session& s) {
        const auto k = key_store::find(s, keyId);
        const auto g = grant_store::find(s, grantId);
        const bool owner = k && k->domainId == actor.domainId;
        const bool related = g && g->keyId == keyId &&
                             (owner || names(g->retiringPrincipal, actor) || isGrantee(*g, actor));
        // Someone the grant does not concern learns nothing about the key or the grant.
        if (!related) {
            if (owner) noSuchGrant();
            throw Error(ErrorCode::KeyNotFound, "key " + keyId + " does not exist", Input::KeyId);
        }
        if (!owner && !names(g->retiringPrincipal, actor) &&
            !g->allows(GrantOperation::RetireGrant)) {
            throw Error(ErrorCode::Forbidden, "the grant does not allow its grantee to retire it",
                        Input::KeyId);
        }
        grant_store::remove(s, grantId);
        key_store::audit(s, keyId, "retire-grant", grantId);
    });
}

GrantList GrantService::retirable(const Actor& actor, std::size_t limit,
                                  const std::optional<std::string>& marker) {
    return db_.read([&](Poco::Data::Session& s) {
        if (marker) {
            auto m = grant_store::find(s, *marker);
            if (!m || !names(m->retiringPrincipal, actor))
                throw Error(ErrorCode::InvalidParameter, "names no grant you may retire",
                            Input::ListMarker);
        }
        return page(
            grant_store::listRetirable(s, actor.domainId, actor.credentialId, limit + 1, marker),
            limit);
    });
}

std::optional<ProjectScope> GrantService::actAs(const Actor& actor, const std::string& keyId,
                                                GrantOperation op) {
    return db_.read([&](Poco::Data::Session& s) -> std::optional<ProjectScope> {
        const auto k = key_store::find(s, keyId);
        if (!k || k->domainId == actor.domainId) return std::nullopt;
        const auto grants = grant_store::forGrantee(s, keyId, actor.domainId, actor.credentialId);
        if (grants.empty()) return std::nullopt;
        const bool allowed = std::any_of(grants.begin(), grants.end(),
                                         [&](const GrantRecord& g) { return g.allows(op); });
        if (!allowed)
            throw Error(ErrorCode::Forbidden, "no grant allows this operation with the key",
                        Input::KeyId);
        return ProjectScope{k->domainId, k->projectId, k->region};
    });
}

}  // namespace keyport
