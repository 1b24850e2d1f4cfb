// GrantRecord: a grant that lets another principal use a key for listed operations, as
// stored, and the SQL that keeps grants. A revoked or retired grant is deleted, so every
// row is live.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyport {

// What a grantee may do with the key.
enum class GrantOperation {
    CreateDataKey,
    CreateDataKeyWithoutPlaintext,
    EncryptDataKey,
    DecryptDataKey,
    DescribeKey,
    CreateGrant,
    RetireGrant,
    EncryptData,
    DecryptData,
};
std::string_view name(GrantOperation op);
std::optional<GrantOperation> parseGrantOperation(std::string_view s);

// Who a grant is for: every credential of a domain, or one credential (by access key).
enum class GranteeKind { Credential, Domain };
std::string_view name(GranteeKind k);
std::optional<GranteeKind> parseGranteeKind(std::string_view s);

struct GrantRecord {
    std::string id;
    std::string keyId;
    std::string name;
    GranteeKind granteeKind = GranteeKind::Credential;
    std::string grantee;  // a domain id or an access key, by granteeKind
    std::vector<GrantOperation> operations;
    std::string issuingPrincipal;   // the access key that created it
    std::string retiringPrincipal;  // a domain id or access key; empty when none
    std::int64_t createdAtMs = 0;

    bool allows(GrantOperation op) const;
};

struct GrantPage {
    std::vector<GrantRecord> grants;
    std::size_t total = 0;
};

namespace grant_store {

void insert(Poco::Data::Session& s, const GrantRecord& g);
std::optional<GrantRecord> find(Poco::Data::Session& s, const std::string& id);
bool remove(Poco::Data::Session& s, const std::string& id);
std::size_t countForKey(Poco::Data::Session& s, const std::string& keyId);
// A key's grants, oldest first, after `marker` (a grant id) when given.
GrantPage listForKey(Poco::Data::Session& s, const std::string& keyId, std::size_t limit,
                     const std::optional<std::string>& marker);
// Grants whose retiring principal is the domain or the access key, oldest first.
GrantPage listRetirable(Poco::Data::Session& s, const std::string& domainId,
                        const std::string& accessKey, std::size_t limit,
                        const std::optional<std::string>& marker);
// The live grants on a key for this domain or access key.
std::vector<GrantRecord> forGrantee(Poco::Data::Session& s, const std::string& keyId,
                                    const std::string& domainId, const std::string& accessKey);

}  // namespace grant_store
}  // namespace keyport
