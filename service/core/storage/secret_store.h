// Secret rows (CSMS): a secret's metadata, its envelope-encrypted versions and its stages,
// and the SQL that reads and writes them. A replica is a secret with a primary_id.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hsm/bytes.h"

namespace keyport {

enum class SecretState { Enabled, PendingDeletion };

struct SecretRecord {
    std::string id;
    std::string domainId;
    std::string projectId;
    std::string region;
    std::string name;
    std::string description;
    std::string kmsKeyId;  // the CMK new versions are wrapped under
    SecretState state = SecretState::Enabled;
    std::int64_t createdMs = 0;
    std::int64_t updatedMs = 0;
    std::optional<std::int64_t> scheduledDeleteMs;
    std::optional<std::string> primaryId;  // set on replicas
    std::int64_t nextVersion = 1;

    bool isReplica() const { return primaryId.has_value(); }
};

// One stored version: the value as AES-256-GCM ciphertext (tag appended) under a data key
// that is stored only wrapped (AES-KWP) under the CMK `kmsKeyId`.
struct SecretVersion {
    std::string secretId;
    std::string versionId;  // "v1", "v2", ...
    std::int64_t seq = 0;   // 1, 2, ... (ordering)
    std::int64_t createdMs = 0;
    std::string kmsKeyId;
    hsm::Bytes wrappedDataKey;
    hsm::Bytes iv;
    hsm::Bytes ciphertext;
    bool binary = false;
};

namespace secret_store {

void insert(Poco::Data::Session& s, const SecretRecord& r);
void save(Poco::Data::Session& s, const SecretRecord& r);
void remove(Poco::Data::Session& s, const std::string& secretId);  // with versions and stages
std::optional<SecretRecord> find(Poco::Data::Session& s, const std::string& projectId,
                                 const std::string& name);
std::optional<SecretRecord> findById(Poco::Data::Session& s, const std::string& id);
std::vector<SecretRecord> list(Poco::Data::Session& s, const std::string& projectId,
                               std::size_t limit, const std::optional<std::string>& afterName);
std::vector<SecretRecord> replicasOf(Poco::Data::Session& s, const std::string& primaryId);
std::vector<SecretRecord> allReplicas(Poco::Data::Session& s);
std::vector<std::string> dueForPurge(Poco::Data::Session& s, std::int64_t nowMs);

void insertVersion(Poco::Data::Session& s, const SecretVersion& v);
void removeVersion(Poco::Data::Session& s, const std::string& secretId,
                   const std::string& versionId);
std::optional<SecretVersion> findVersion(Poco::Data::Session& s, const std::string& secretId,
                                         const std::string& versionId);
std::vector<SecretVersion> versions(Poco::Data::Session& s, const std::string& secretId);  // by seq

// stage → version id
std::map<std::string, std::string> stages(Poco::Data::Session& s, const std::string& secretId);
void putStage(Poco::Data::Session& s, const std::string& secretId, const std::string& stage,
              const std::string& versionId, std::int64_t nowMs);

}  // namespace secret_store
}  // namespace keyport
