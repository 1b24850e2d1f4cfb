// SecretService: Huawei CSMS secrets — envelope-encrypted versions (a fresh on-token data
// key per version, AES-256-GCM with the secret name and version id as associated data, the
// data key stored wrapped under the CMK), stages, scheduled deletion; replica secrets in other
// regions (whose data keys travel only as transfer blobs) are SecretReplication's, in
// secret_replication.h.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service/core/keys/key_service.h"
#include "service/core/secrets/secret_cmks.h"
#include "service/core/secrets/secret_envelope.h"
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

struct SecretValue {
    hsm::SecretBytes bytes;
    bool binary = false;  // secret_binary (base64 on the wire) rather than secret_string
};

struct CreateSecret {
    std::string name;
    std::string description;
    std::optional<std::string> kmsKeyId;  // default: csms/default of the project
    SecretValue value;
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
    std::vector<std::string> stages;
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
                      const std::optional<std::string>& description,
                      const std::optional<std::string>& kmsKeyId);
    // Schedules deletion of the secret and its replicas; purgeDue() removes them later.
    SecretView scheduleDeletion(const ProjectScope& scope, const std::string& name);
    SecretView restore(const ProjectScope& scope, const std::string& name);

    VersionView putVersion(const ProjectScope& scope, const std::string& name,
                           const SecretValue& value);
    std::vector<VersionView> listVersions(const ProjectScope& scope, const std::string& name);
    // versionId "latest" is the SYSCURRENT version.
    VersionValue getVersion(const ProjectScope& scope, const std::string& name,
                            const std::string& versionId);
    VersionView putStage(const ProjectScope& scope, const std::string& name,
                         const std::string& stage, const std::string& versionId);
    VersionView getStage(const ProjectScope& scope, const std::string& name,
                         const std::string& stage);

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
    KeyRecord cmkFor(const ProjectScope& scope, const std::optional<std::string>& kmsKeyId);
    VersionView viewOf(const SecretRecord& s, const SecretVersion& v,
                       const std::map<std::string, std::string>& stages);
    SecretView viewOf(const SecretRecord& s);
    envelope::Cmk cmkOf(const KeyRecord& k);
    std::mutex& lockFor(const std::string& projectId, const std::string& name);

    Database& db_;
    KeyService& keys_;
    std::int64_t deletionWindowMs_;
    SecretCmks cmks_;
    SecretLocks locks_;
    SecretReplication replication_;  // the replica secrets in other regions
};

}  // namespace keyport
