// GrantService: grants on keys — the key's own domain lets another domain, or one
// credential, use the key for listed operations — and the check that lets a grantee act
// on the key. Grants are read from the database on every check, so a revoked or retired
// grant stops working at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/core/keys/key_service.h"
#include "service/core/storage/grant_store.h"

namespace keyport {

// The caller as grants name principals: its domain and its credential (access key).
struct Actor {
    std::string domainId;
    std::string credentialId;
};

struct CreateGrant {
    std::string keyId;
    GranteeKind granteeKind = GranteeKind::Credential;
    std::string grantee;
    std::vector<GrantOperation> operations;
    std::string name;
    std::string retiringPrincipal;
};

struct GrantList {
    std::vector<GrantRecord> grants;
    std::optional<std::string> nextMarker;
    std::size_t total = 0;
};

class GrantService {
  public:
    static constexpr std::size_t kMaxGrantsPerKey = 100;

    GrantService(Database& db, KeyService& keys);

    // Only the key's own project (so domain) grants, lists and revokes.
    GrantRecord create(const ProjectScope& scope, const Actor& actor, const CreateGrant& cmd);
    GrantList list(const ProjectScope& scope, const std::string& keyId, std::size_t limit,
                   const std::optional<std::string>& marker);
    void revoke(const ProjectScope& scope, const std::string& keyId, const std::string& grantId);
    // By the key's domain, the grant's retiring principal, or a grantee whose grant allows
    // retiring it.
    void retire(const Actor& actor, const std::string& keyId, const std::string& grantId);
    // Grants that name the actor (its domain or credential) as retiring principal.
    GrantList retirable(const Actor& actor, std::size_t limit,
                        const std::optional<std::string>& marker);

    // For a key of another domain: the scope of the key's owner when a live grant lets the
    // actor do `op` with it; nullopt when the key is the actor's own domain's, unknown, or
    // not granted at all (the caller then answers as for any key it cannot see). A grant
    // that exists but does not cover `op` is Forbidden.
    std::optional<ProjectScope> actAs(const Actor& actor, const std::string& keyId,
                                      GrantOperation op);

  private:
    Database& db_;
    KeyService& keys_;
};

}  // namespace keyport
