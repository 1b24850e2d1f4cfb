// KeyRecord: one customer key as stored — metadata plus its material as a blob wrapped
// under the region KEK (never plaintext) — and the SQL that reads and writes it.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hsm/bytes.h"
#include "service/core/base/key_types.h"

namespace keyport {

// Automatic rotation of a key's material. A replica group shares one policy (every member's
// row carries it; the primary's is the one that runs).
struct KeyRotationPolicy {
    bool enabled = false;
    std::int64_t intervalDays = 365;
    std::int64_t sinceMs = 0;                    // the interval counts from here (enable/rotate)
    std::optional<std::int64_t> lastRotationMs;  // none: never rotated
};

struct KeyRecord {
    std::string id;
    std::string domainId;
    std::string projectId;
    std::string region;
    std::string alias;
    std::string description;
    KeySpec spec = KeySpec::Aes256;
    KeyUsage usage = KeyUsage::EncryptDecrypt;
    Origin origin = Origin::Kms;
    KeyState state = KeyState::Enabled;
    std::int64_t createdAtMs = 0;
    std::optional<std::int64_t> deletionDateMs;
    std::optional<std::int64_t> expirationTime;  // epoch seconds; material dies then
    std::optional<UnwrapPath> unwrapPath;
    std::optional<hsm::Bytes> blob;        // KWP(region KEK, material)
    std::optional<hsm::Bytes> publicSpki;  // DER, asymmetric keys only
    std::optional<std::string> primaryKeyId;
    bool multiZone = false;             // Exoscale: may be replicated to other zones
    std::optional<std::string> keyTag;  // NAVER: the key's tag (derived from domain and name)
    // The version of `blob`; older versions stay in key_versions so their ciphertexts decrypt.
    std::uint32_t materialVersion = 1;
    KeyRotationPolicy rotation;
    // NAVER isConvergent: the same plaintext and context always give the same ciphertext.
    bool convergent = false;
    // Starts at 1 and advances on every write of the row (key_store, never by callers).
    std::int64_t revision = 1;
    // When `state` last changed (creation for a key that never changed state).
    std::int64_t statusSinceMs = 0;
    // When the row was last written (revision's time; creation for a key never written).
    std::int64_t revisionAtMs = 0;

    bool hasMaterial() const { return blob.has_value(); }
    std::uint32_t rotations() const { return materialVersion - 1; }
};

// One earlier version of a key's material: KWP(region KEK, material), as keys.blob.
struct MaterialVersion {
    std::uint32_t version = 0;
    hsm::Bytes blob;
};

// When a material version came to be: version 1 at the key's creation, later ones by a
// rotation, on demand (automatic = false) or by the automatic rotation.
struct MaterialEvent {
    std::uint32_t version = 0;
    std::int64_t createdAtMs = 0;
    bool automatic = false;
};

namespace key_store {

void insert(Poco::Data::Session& s, const KeyRecord& k);
// Writes every mutable column of an existing key.
void save(Poco::Data::Session& s, const KeyRecord& k);
std::optional<KeyRecord> find(Poco::Data::Session& s, const std::string& id);
// Every key of a replica group: the primary and the keys whose primary_key_id names it.
std::vector<KeyRecord> group(Poco::Data::Session& s, const std::string& primaryId);
std::optional<KeyRecord> findByTag(Poco::Data::Session& s, const std::string& projectId,
                                   const std::string& tag);
// Moves a key to another project and region with its material re-sealed there (NAVER migrate).
void move(Poco::Data::Session& s, const std::string& id, const std::string& projectId,
          const std::string& region, const hsm::Bytes& blob);
std::optional<KeyRecord> findByAlias(Poco::Data::Session& s, const std::string& projectId,
                                     const std::string& alias);
// Keys of a project, oldest first, starting after `marker` (a key id) when given.
std::vector<KeyRecord> list(Poco::Data::Session& s, const std::string& projectId, std::size_t limit,
                            const std::optional<std::string>& marker);
std::size_t count(Poco::Data::Session& s, const std::string& projectId);
// What a listing may be narrowed to; an unset field matches every key. `state` is the state
// a reader sees at `nowSeconds`: a key whose material has expired counts as PendingImport.
struct KeyFilter {
    std::optional<KeyState> state;
    std::optional<KeySpec> spec;
    std::int64_t nowSeconds = 0;
};
// list/count narrowed by `filter` (same order and marker rule as list).
std::vector<KeyRecord> listFiltered(Poco::Data::Session& s, const std::string& projectId,
                                    const KeyFilter& filter, std::size_t limit,
                                    const std::optional<std::string>& marker);
std::size_t countFiltered(Poco::Data::Session& s, const std::string& projectId,
                          const KeyFilter& filter);
// Ids of keys with material whose expiration_time is at or before `nowSeconds`.
std::vector<std::string> expiredIds(Poco::Data::Session& s, std::int64_t nowSeconds);
// Earliest expiration_time of a key that still has material.
std::optional<std::int64_t> nextExpiry(Poco::Data::Session& s);

// Material versions and rotation. saveRotation writes the current blob, its version and the
// policy; putVersion keeps a superseded blob.
void saveRotation(Poco::Data::Session& s, const KeyRecord& k);
void putVersion(Poco::Data::Session& s, const std::string& keyId, const MaterialVersion& v);
std::optional<hsm::Bytes> findVersion(Poco::Data::Session& s, const std::string& keyId,
                                      std::uint32_t version);
// Every superseded version of a key, oldest first.
std::vector<MaterialVersion> versions(Poco::Data::Session& s, const std::string& keyId);
void deleteVersions(Poco::Data::Session& s, const std::string& keyId);
// The rotations recorded for a key (versions 2 onwards), oldest first.
void putMaterialEvent(Poco::Data::Session& s, const std::string& keyId, const MaterialEvent& e);
std::vector<MaterialEvent> materialEvents(Poco::Data::Session& s, const std::string& keyId);
// Advances a key's revision without another change (its replica group grew).
void touch(Poco::Data::Session& s, const std::string& id);
// Primary (or standalone) enabled keys whose rotation is enabled and whose interval
// (intervalDays * dayMs) has passed at nowMs.
std::vector<std::string> rotationDueIds(Poco::Data::Session& s, std::int64_t nowMs,
                                        std::int64_t dayMs);
// Sets (or, with nullopt, clears) the key a replica names as its primary.
void setPrimary(Poco::Data::Session& s, const std::string& id,
                const std::optional<std::string>& primaryId);

std::map<std::string, std::string> tags(Poco::Data::Session& s, const std::string& keyId);
void putTag(Poco::Data::Session& s, const std::string& keyId, const std::string& key,
            const std::string& value);
bool deleteTag(Poco::Data::Session& s, const std::string& keyId, const std::string& key);

void audit(Poco::Data::Session& s, const std::string& keyId, const std::string& event,
           const std::string& detail = {});

}  // namespace key_store
}  // namespace keyport
