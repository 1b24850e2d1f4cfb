// SecretService: Huawei CSMS secrets — envelope-encrypted versions (a fresh on-token data
// key per version, AES-256-GCM with the secret name and version id as associated data, the
// data key stored wrapped under the CMK), stages, version expiry, deletion (at once or
// scheduled), tags and rotation; replica secrets in other regions (whose data keys travel only
// as transfer blobs) are SecretReplication's, backups SecretBackup's.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service/core/keys/key_service.h"
#include "service/core/secrets/secret_backup.h"
#include "service/core/secrets/secret_cmks.h"
#include "service/core/secrets/secret_envelope.h"
#include "service/core/secrets/secret_password.h"
#include "service/core/secrets/secret_replication.h"
#include "service/core/storage/secret_store.h"
#include "service/core/tenancy/tenancy.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

inline constexpr char kStageCurrent[] = "SYSCURRENT";
inline constexpr char kStagePrevious[] = "SYSPREVIOUS";
inline constexpr std::size_t kMaxSecretValue = 32 * 1024;
inline constexpr std::size_t kMaxVersionsKept = 20;
inline constexpr std::size_t kMaxStagesPerVersion = 12;
inline constexpr std::size_t kMaxTagsPerSecret = 20;
inline constexpr char kSecretTypeCommon[] = "COMMON";

struct SecretValue {
    hsm::SecretBytes bytes;
    bool binary = false;  // secret_binary (base64 on the wire) rather than secret_string
};

struct CreateSecret {
    std::string name;
    std::string description;
    std::optional<std::string> kmsKeyId;  // default: csms/default of the project
    SecretValue value;
    std::string secretType = kSecretTypeCommon;  // COMMON, RDS-FG, GaussDB-FG
    bool autoRotation = false;
    std::string rotationPeriod;
    std::string rotationConfig;
    std::vector<std::string> eventSubscriptions;
    std::string enterpriseProjectId = "0";
};

// The settings an update may change (each only when given).
struct SecretUpdate {
    std::optional<std::string> description;
    std::optional<std::string> kmsKeyId;
    std::optional<bool> autoRotation;
    std::optional<std::string> rotationPeriod;
    std::optional<std::vector<std::string>> eventSubscriptions;
};

struct ReplicaStatus {
    SecretRecord replica;
    std::size_t versions = 0;
    bool inSync = false;  // holds every version of the primary
};

struct SecretView {
    SecretRecord secret;
    std::optional<SecretRecord> primary;  // for a replica
    std::vector<ReplicaStatus> replicas;  // for a primary
    std::size_t versions = 0;
};

struct VersionView {
    std::string secretName;
    std::string versionId;
    std::int64_t createdMs = 0;
    std::int64_t expireMs = 0;  // 0 = never expires
    std::string kmsKeyId;
    std::vector<std::string> stages;
};

// One page of a secret's versions, oldest first; a marker is the version id a page ends at.
struct VersionPage {
    std::vector<VersionView> versions;
    std::string nextMarker;      // empty on the last page
    std::string previousMarker;  // the marker this page started after (empty on the first)
};

struct StageView {
    std::string stage;
    std::string secretName;
    std::string versionId;
    std::int64_t updatedMs = 0;
};

// A filter over a project's secrets by their tags (Huawei's resource_instances/action):
// every key must be present with one of its values (any value when none is given), and the
// name must contain `nameContains`.
struct SecretTagFilter {
    std::vector<std::pair<std::string, std::vector<std::string>>> tags;
    std::string nameContains;
};

struct TaggedSecret {
    SecretRecord secret;
    std::vector<SecretTag> tags;
};

struct VersionValue {
    VersionView meta;
    SecretValue value;
};

class SecretService {
  public:
    SecretService(Database& db, KeyService& keys, Tenancy& tenancy, RegionTokens& regions,
                  KeyMaterial& material, std::int64_t deletionWindowSeconds);

    SecretView create(const ProjectScope& scope, const CreateSecret& cmd);
    SecretView describe(const ProjectScope& scope, const std::string& name);
    std::vector<SecretRecord> list(const ProjectScope& scope, std::size_t limit,
                                   const std::optional<std::string>& marker);
    SecretView update(const ProjectScope& scope, const std::string& name,
                      const SecretUpdate& change);
    // Deletes the secret with its versions, stages, tags and replicas at once; the name is
    // free again when this returns.
    void remove(const ProjectScope& scope, const std::string& name);
    // Schedules deletion of the secret and its replicas in `days` (7 to 30) recovery-window
    // days; purgeDue() removes them then, cancelDeletion() undoes it.
    SecretView scheduleDeletion(const ProjectScope& scope, const std::string& name, int days);
    SecretView cancelDeletion(const ProjectScope& scope, const std::string& name);

    // A new version marked with `stages` (default: SYSCURRENT); a stage moves from the
    // version that had it, and SYSCURRENT leaves SYSPREVIOUS on the version it left.
    VersionView putVersion(const ProjectScope& scope, const std::string& name,
                           const SecretValue& value,
                           const std::optional<std::vector<std::string>>& stages = {});
    VersionPage listVersions(const ProjectScope& scope, const std::string& name, std::size_t limit,
                             const std::string& marker);
    // versionId "latest" is the SYSCURRENT version. An expired version cannot be read.
    VersionValue getVersion(const ProjectScope& scope, const std::string& name,
                            const std::string& versionId);
    // Sets when a version expires (epoch ms, in the future), in the replicas too.
    VersionView updateVersion(const ProjectScope& scope, const std::string& name,
                              const std::string& versionId, std::int64_t expireMs);
    StageView putStage(const ProjectScope& scope, const std::string& name, const std::string& stage,
                       const std::string& versionId);
    StageView getStage(const ProjectScope& scope, const std::string& name,
                       const std::string& stage);
    // Removes a custom stage (SYSCURRENT and SYSPREVIOUS stay).
    void deleteStage(const ProjectScope& scope, const std::string& name, const std::string& stage);
    // A rotated secret type's new SYSCURRENT version, a random password from the token;
    // COMMON secrets are refused (they get new versions from putVersion), as in CSMS.
    VersionView rotate(const ProjectScope& scope, const std::string& name);

    // A random password from the token of the project's region.
    hsm::SecretBytes generatePassword(const ProjectScope& scope, const PasswordRules& rules);

    // Tags. `secretRef` is a secret's id or, failing that, its name, in the project.
    std::vector<SecretTag> tags(const ProjectScope& scope, const std::string& secretRef);
    void putTags(const ProjectScope& scope, const std::string& secretRef,
                 const std::vector<SecretTag>& tags);
    void removeTags(const ProjectScope& scope, const std::string& secretRef,
                    const std::vector<std::string>& keys);
    // The project's secrets (not replicas) the filter selects, by name.
    std::vector<TaggedSecret> findByTags(const ProjectScope& scope, const SecretTagFilter& filter);
    // Every tag key of the project's secrets with the values it has.
    std::map<std::string, std::vector<std::string>> projectTags(const ProjectScope& scope);

    // A backup of the secret and all its versions that only a region token of this service
    // opens, and only for the same domain (SecretBackup); restore() brings it back in the
    // caller's project, in any region, and refuses a name that is taken.
    hsm::Bytes backup(const ProjectScope& scope, const std::string& name);
    SecretView restore(const ProjectScope& scope, hsm::ByteView blob);

    // Creates the replica in the domain's project in `region`; returns its id
    // (SecretReplication).
    std::string replicate(const ProjectScope& scope, const std::string& name,
                          const std::string& region, const std::optional<std::string>& kmsKeyId);

    // Removes secrets whose deletion time has passed; returns how many.
    std::size_t purgeDue();
    // Copies to each replica the primary versions it lacks (after a crash or a region that
    // was down); returns how many versions were copied.
    std::size_t resync();

  private:
    struct Loaded {
        SecretRecord secret;
        std::map<std::string, std::string> stages;
        std::vector<SecretVersion> versions;
    };
    Loaded load(const ProjectScope& scope, const std::string& name);
    SecretRecord writable(const ProjectScope& scope, const std::string& name);
    SecretRecord byRef(const ProjectScope& scope, const std::string& secretRef);
    void writeVersion(const SecretRecord& r, const SecretValue& value,
                      const std::vector<std::string>& stages, std::int64_t rotatedMs,
                      VersionView& out);
    KeyRecord cmkFor(const ProjectScope& scope, const std::optional<std::string>& kmsKeyId);
    VersionView viewOf(const SecretRecord& s, const SecretVersion& v,
                       const std::map<std::string, std::string>& stages);
    SecretView viewOf(const SecretRecord& s);
    envelope::Cmk cmkOf(const KeyRecord& k);
    std::mutex& lockFor(const std::string& projectId, const std::string& name);

    Database& db_;
    KeyService& keys_;
    std::int64_t recoveryDayMs_;
    RegionTokens& regions_;
    SecretCmks cmks_;
    SecretLocks locks_;
    SecretReplication replication_;  // the replica secrets in other regions
    SecretBackup backups_;
};

}  // namespace keyport
