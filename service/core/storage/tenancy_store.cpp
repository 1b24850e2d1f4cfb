#include "service/core/storage/tenancy_store.h"
#include "service/core/storage/sql_values.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>

#include <vector>

namespace keyport::tenancy_store {
namespace {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;

}  // namespace

void ensureDomain(Poco::Data::Session& s, const std::string& domainId, std::int64_t createdAt) {
    s << "INSERT OR IGNORE INTO domains (id, created_at) VALUES (?, ?)", bind(domainId),
        bind(createdAt), now;
}

std::optional<Project> findProject(Poco::Data::Session& s, const std::string& projectId) {
    std::vector<std::string> domain, region;
    s << "SELECT domain_id, region FROM projects WHERE id = ?", bind(projectId), into(domain),
        into(region), now;
    if (domain.empty()) return std::nullopt;
    return Project{projectId, domain[0], region[0]};
}

std::optional<Project> projectInRegion(Poco::Data::Session& s, const std::string& domainId,
                                       const std::string& region) {
    std::vector<std::string> id;
    s << "SELECT id FROM projects WHERE domain_id = ? AND region = ?", bind(domainId), bind(region),
        into(id), now;
    if (id.empty()) return std::nullopt;
    return Project{id[0], domainId, region};
}

void insertProject(Poco::Data::Session& s, const Project& p, std::int64_t createdAt) {
    s << "INSERT INTO projects (id, domain_id, region, created_at) VALUES (?, ?, ?, ?)", bind(p.id),
        bind(p.domainId), bind(p.region), bind(createdAt), now;
}

void insertCredential(Poco::Data::Session& s, const NewCredential& c) {
    s << "INSERT INTO credentials (access_key, domain_id, project_id, role, token_hash, "
         "secret_region,"
         " secret_blob, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        bind(c.accessKey), bind(c.domainId), bind(c.projectId), bind(c.role),
        bind(BLOB(c.tokenHash.data(), c.tokenHash.size())), bind(c.secretRegion),
        bind(BLOB(c.secretBlob.data(), c.secretBlob.size())), bind(c.createdAt), now;
}

std::optional<std::string> accessKeyByTokenHash(Poco::Data::Session& s,
                                                const hsm::Bytes& tokenHash) {
    std::vector<std::string> ak;
    s << "SELECT access_key FROM credentials WHERE token_hash = ?",
        bind(BLOB(tokenHash.data(), tokenHash.size())), into(ak), now;
    if (ak.empty()) return std::nullopt;
    return ak[0];
}

std::optional<CredentialRow> credential(Poco::Data::Session& s, const std::string& accessKey) {
    Poco::Data::Statement st(s);
    st << "SELECT c.access_key, c.domain_id, c.project_id, p.region, c.role FROM credentials c"
          " JOIN projects p ON p.id = c.project_id WHERE c.access_key = ?",
        bind(accessKey), now;
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return CredentialRow{str(rs, 0, 0), str(rs, 1, 0), str(rs, 2, 0), str(rs, 3, 0), str(rs, 4, 0)};
}

std::optional<CredentialSecret> credentialSecret(Poco::Data::Session& s,
                                                 const std::string& accessKey) {
    Poco::Data::Statement st(s);
    st << "SELECT secret_region, secret_blob FROM credentials WHERE access_key = ?",
        bind(accessKey), now;
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return CredentialSecret{str(rs, 0, 0), blobValue(rs, 1, 0)};
}

void insertDerivationKey(Poco::Data::Session& s, const std::string& accessKey,
                         const CredentialSecret& key) {
    s << "INSERT INTO credential_derivation_keys (access_key, region, blob) VALUES (?, ?, ?)",
        bind(accessKey), bind(key.region), bind(BLOB(key.blob.data(), key.blob.size())), now;
}

std::optional<CredentialSecret> derivationKey(Poco::Data::Session& s,
                                              const std::string& accessKey) {
    Poco::Data::Statement st(s);
    st << "SELECT region, blob FROM credential_derivation_keys WHERE access_key = ?",
        bind(accessKey), now;
    Poco::Data::RecordSet rs(st);
    if (rs.rowCount() == 0) return std::nullopt;
    return CredentialSecret{str(rs, 0, 0), blobValue(rs, 1, 0)};
}

}  // namespace keyport::tenancy_store
