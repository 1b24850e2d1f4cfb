// Tenancy: domains, their projects (one per region) and the credentials that act for
// them. Tokens are stored as SHA-256 hashes; secret keys only as HMAC keys wrapped under
// a region KEK, so request signatures are checked on-token.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "service/core/storage/database.h"
#include "service/core/storage/record_cache.h"
#include "service/core/storage/tenancy_store.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

enum class Role { Admin, User, ReadOnly };
std::string_view name(Role r);
std::optional<Role> parseRole(std::string_view s);

struct Principal {
    std::string accessKey;
    std::string domainId;
    std::string projectId;  // home project
    std::string region;     // home region
    Role role = Role::User;
};

// What `keyport credentials add` prints once; the server keeps none of it in plaintext.
struct IssuedCredential {
    Principal principal;
    std::string xAuthToken;
    std::string secretKey;
};

class Tenancy {
  public:
    Tenancy(Database& db, RegionTokens& regions, KeyMaterial& material);

    // Registers the project in `region` for the domain if new (a domain has one project
    // per region) and issues a credential. Explicit token/AK/SK are for the lab's
    // documented demo credential; otherwise they are generated.
    IssuedCredential addCredential(const std::string& domainId, const std::string& projectId,
                                   const std::string& region, Role role,
                                   const std::optional<std::string>& token = {},
                                   const std::optional<std::string>& accessKey = {},
                                   const std::optional<std::string>& secretKey = {});

    std::optional<Principal> byToken(std::string_view token);
    std::optional<Principal> byAccessKey(const std::string& accessKey);
    std::optional<Project> project(const std::string& projectId);
    std::optional<Project> projectInRegion(const std::string& domainId, const std::string& region);
    // HMAC-SHA256(SK, message) == mac, computed on-token with the wrapped SK.
    bool verifyHmac(const std::string& accessKey, hsm::ByteView message, hsm::ByteView mac);
    // Huawei's derived signing (V11-HMAC-SHA256): mac == HMAC-SHA256(hex(K), message) with
    // K = HKDF-SHA256(ikm SK, salt AK, info) of 32 bytes, as the SDK's DerivedAKSKSigner
    // derives it. The HKDF steps run on-token from the stored PRK; false also for a
    // credential issued before derived signing was supported.
    bool verifyDerivedHmac(const std::string& accessKey, const std::string& info,
                           hsm::ByteView message, hsm::ByteView mac);

  private:
    struct Secret {
        std::string region;
        hsm::Bytes blob;
        std::shared_ptr<OpenKey> open;
    };
    std::optional<Principal> principalByAccessKey(const std::string& accessKey);

    Database& db_;
    RegionTokens& regions_;
    KeyMaterial& material_;
    std::mutex mutex_;
    std::unordered_map<std::string, Secret> secrets_;         // by access key
    std::unordered_map<std::string, Secret> derivationKeys_;  // by access key (V11 PRKs)
    // Credentials and projects never change once written (there is no revoke path), so
    // found rows are cached for the request path; misses always ask the database, so a
    // credential the CLI adds beside a running server works at once.
    RecordCache<Principal> principalsByTokenHash_{4096, "principals_by_token"};
    RecordCache<Principal> principalsByAccessKey_{4096, "principals_by_access_key"};
    RecordCache<Project> projects_{4096, "projects"};
};

}  // namespace keyport
