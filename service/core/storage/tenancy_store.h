// Tenancy rows: domains, their projects (one per region) and the credentials that act for
// them (token hash, KEK-wrapped HMAC secret), and the SQL that reads and writes them.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport {

struct Project {
    std::string id;
    std::string domainId;
    std::string region;
};

// A credential as the request path sees it: the principal's columns, role as stored.
struct CredentialRow {
    std::string accessKey;
    std::string domainId;
    std::string projectId;
    std::string region;  // the project's region
    std::string role;
};

// A credential's secret key: an HMAC key wrapped under the KEK of `region`.
struct CredentialSecret {
    std::string region;
    hsm::Bytes blob;
};

struct NewCredential {
    std::string accessKey;
    std::string domainId;
    std::string projectId;
    std::string role;
    hsm::Bytes tokenHash;
    std::string secretRegion;
    hsm::Bytes secretBlob;
    std::int64_t createdAt = 0;
};

namespace tenancy_store {

// Adds the domain if new.
void ensureDomain(Poco::Data::Session& s, const std::string& domainId, std::int64_t createdAt);
std::optional<Project> findProject(Poco::Data::Session& s, const std::string& projectId);
std::optional<Project> projectInRegion(Poco::Data::Session& s, const std::string& domainId,
                                       const std::string& region);
void insertProject(Poco::Data::Session& s, const Project& p, std::int64_t createdAt);

void insertCredential(Poco::Data::Session& s, const NewCredential& c);
std::optional<std::string> accessKeyByTokenHash(Poco::Data::Session& s,
                                                const hsm::Bytes& tokenHash);
std::optional<CredentialRow> credential(Poco::Data::Session& s, const std::string& accessKey);
std::optional<CredentialSecret> credentialSecret(Poco::Data::Session& s,
                                                 const std::string& accessKey);
// The wrapped PRK of Huawei's derived signing (V11-HMAC-SHA256) for a credential.
void insertDerivationKey(Poco::Data::Session& s, const std::string& accessKey,
                         const CredentialSecret& key);
std::optional<CredentialSecret> derivationKey(Poco::Data::Session& s, const std::string& accessKey);

}  // namespace tenancy_store
}  // namespace keyport
