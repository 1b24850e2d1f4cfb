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

    bool hasMaterial() const { return blob.has_value(); }
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

std::map<std::string, std::string> tags(Poco::Data::Session& s, const std::string& keyId);
void putTag(Poco::Data::Session& s, const std::string& keyId, const std::string& key,
            const std::string& value);
bool deleteTag(Poco::Data::Session& s, const std::string& keyId, const std::string& key);

void audit(Poco::Data::Session& s, const std::string& keyId, const std::string& event,
           const std::string& detail = {});

}  // namespace key_store
}  // namespace keyport
