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
    // CSMS's secret type and rotation settings, kept as given (migration 7).
    std::string secretType = "COMMON";
    bool autoRotation = false;
    std::string rotationPeriod;  // e.g. "30d", "6h"; empty when never set
    std::string rotationConfig;
    std::int64_t rotatedMs = 0;  // the last rotation; 0 = never rotated
    std::vector<std::string> eventSubscriptions;
    std::string enterpriseProjectId = "0";

    bool isReplica() const { return primaryId.has_value(); }
};

// One stored version: the value as AES-256-GCM ciphertext (tag appended) under a data key
// that is stored only wrapped (AES-KWP) under material version `cmkVersion` of the CMK
// `kmsKeyId` (the CMK may have rotated since; its old versions stay in key_versions).
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
    std::int64_t expireMs = 0;  // after this the version cannot be read; 0 = never
    std::uint32_t cmkVersion = 1;
};

struct SecretStageRow {
    std::string stage;
    std::string versionId;
    std::int64_t updatedMs = 0;
};

struct SecretTag {
    std::string key;
    std::string value;
};

namespace secret_store {

void insert(Poco::Data::Session& s, const SecretRecord& r);
void save(Poco::Data::Session& s, const SecretRecord& r);
// with versions, stages and tags
void remove(Poco::Data::Session& s, const std::string& secretId);
std::optional<SecretRecord> find(Poco::Data::Session& s, const std::string& projectId,
                                 const std::string& name);
std::optional<SecretRecord> findById(Poco::Data::Session& s, const std::string& id);
std::vector<SecretRecord> list(Poco::Data::Session& s, const std::string& projectId,
                               std::size_t limit, const std::optional<std::string>& afterName);
std::vector<SecretRecord> replicasOf(Poco::Data::Session& s, const std::string& primaryId);
std::vector<SecretRecord> allReplicas(Poco::Data::Session& s);
std::vector<std::string> dueForPurge(Poco::Data::Session& s, std::int64_t nowMs);
// Every secret of the project that is not a replica, by name.
std::vector<SecretRecord> primariesOf(Poco::Data::Session& s, const std::string& projectId);

void insertVersion(Poco::Data::Session& s, const SecretVersion& v);
void removeVersion(Poco::Data::Session& s, const std::string& secretId,
                   const std::string& versionId);
std::optional<SecretVersion> findVersion(Poco::Data::Session& s, const std::string& secretId,
                                         const std::string& versionId);
std::vector<SecretVersion> versions(Poco::Data::Session& s, const std::string& secretId);  // by seq
void setVersionExpiry(Poco::Data::Session& s, const std::string& secretId,
                      const std::string& versionId, std::int64_t expireMs);

// stage → version id
std::map<std::string, std::string> stages(Poco::Data::Session& s, const std::string& secretId);
void putStage(Poco::Data::Session& s, const std::string& secretId, const std::string& stage,
              const std::string& versionId, std::int64_t nowMs);
std::vector<SecretStageRow> stageRows(Poco::Data::Session& s, const std::string& secretId);
void removeStage(Poco::Data::Session& s, const std::string& secretId, const std::string& stage);

// Tags (CSMS secret tags), by key.
std::vector<SecretTag> tags(Poco::Data::Session& s, const std::string& secretId);
void putTag(Poco::Data::Session& s, const std::string& secretId, const SecretTag& tag);
void removeTag(Poco::Data::Session& s, const std::string& secretId, const std::string& key);

}  // namespace secret_store
}  // namespace keyport
