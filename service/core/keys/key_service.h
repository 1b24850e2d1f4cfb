// KeyService: the lifecycle of customer keys in one project — create (generated on-token
// or awaiting import), describe, list, state transitions, alias, description and tags.
// Every state change is one database transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "service/core/base/clock.h"
#include "service/core/storage/change_feed_store.h"
#include "service/core/storage/database.h"
#include "service/core/storage/key_store.h"
#include "service/core/storage/record_cache.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// Who is acting, on which project (and so which region). Resolved by the API layer after
// authentication and the domain check.
struct ProjectScope {
    std::string domainId;
    std::string projectId;
    std::string region;
};

struct CreateKey {
    std::string alias;
    std::string description;
    KeySpec spec = KeySpec::Aes256;
    KeyUsage usage = KeyUsage::EncryptDecrypt;
    Origin origin = Origin::Kms;
    bool multiZone = false;
    // The rotation policy to start with (NAVER create-key isAutoRotation/rotationPeriod),
    // written with the key; symmetric generated keys only. The interval counts from creation.
    std::optional<KeyRotationPolicy> rotation = std::nullopt;
    std::optional<std::string> keyTag = std::nullopt;
    // Deterministic encryption (AES only): equal plaintext and context, equal ciphertext.
    bool convergent = false;
};

struct KeyList {
    std::vector<KeyRecord> keys;
    std::optional<std::string> nextMarker;
    std::size_t total = 0;
};

// Expired material counts as gone even before the sweeper has run.
void applyExpiry(KeyRecord& k, std::int64_t nowSeconds);

class KeyService {
  public:
    KeyService(Database& db, RegionTokens& regions, KeyMaterial& material);

    KeyRecord create(const ProjectScope& scope, const CreateKey& cmd);
    // The key as the caller may see it (KeyNotFound otherwise), expiry applied.
    KeyRecord get(const ProjectScope& scope, const std::string& keyId);
    // The project's key with this NAVER key tag, if any (expiry applied).
    std::optional<KeyRecord> findByTag(const ProjectScope& scope, const std::string& tag);
    // Moves a key into another project/region (blob already re-sealed there), refusing if
    // that project has a key of the same alias; one transaction.
    KeyRecord move(const ProjectScope& scope, const std::string& keyId, const ProjectScope& target,
                   const hsm::Bytes& targetBlob, const std::vector<MaterialVersion>& versions = {});
    // The project's key with this alias, if any (expiry applied).
    std::optional<KeyRecord> findByAlias(const ProjectScope& scope, const std::string& alias);
    KeyList list(const ProjectScope& scope, std::size_t limit,
                 const std::optional<std::string>& marker);
    // The same, narrowed to a state and/or spec (unset: any); `total` counts the matches.
    KeyList list(const ProjectScope& scope, std::size_t limit,
                 const std::optional<std::string>& marker, std::optional<KeyState> state,
                 std::optional<KeySpec> spec);

    KeyRecord enable(const ProjectScope& scope, const std::string& keyId);
    KeyRecord disable(const ProjectScope& scope, const std::string& keyId);
    KeyRecord scheduleDeletion(const ProjectScope& scope, const std::string& keyId,
                               int pendingDays);
    // The same with a waiting period the dialect fixed itself (NAVER: always 72 hours).
    KeyRecord scheduleDeletionAfter(const ProjectScope& scope, const std::string& keyId,
                                    std::int64_t pendingMs);
    KeyRecord cancelDeletion(const ProjectScope& scope, const std::string& keyId);
    KeyRecord updateAlias(const ProjectScope& scope, const std::string& keyId,
                          const std::string& alias);
    KeyRecord updateDescription(const ProjectScope& scope, const std::string& keyId,
                                const std::string& description);

    std::map<std::string, std::string> tags(const ProjectScope& scope, const std::string& keyId);
    void putTag(const ProjectScope& scope, const std::string& keyId, const std::string& key,
                const std::string& value);
    void deleteTag(const ProjectScope& scope, const std::string& keyId, const std::string& key);

    // Used by import and crypto: the key, checked to be usable for crypto right now.
    KeyRecord usable(const ProjectScope& scope, const std::string& keyId);
    // Like usable(), but a key id of another member of the key's replica group resolves to
    // the group's member in the caller's project (API.md §0: ciphertexts are portable).
    KeyRecord usableMember(const ProjectScope& scope, const std::string& keyId);
    // The key's replica group (primary first), as the caller may see it: every member is of
    // the caller's domain.
    std::vector<KeyRecord> group(const KeyRecord& k);
    // Inserts a replica made by KeyReplication, with its tags and its material's earlier
    // versions (re-sealed in its region), in one transaction; refused if the primary was
    // rotated since the material was read (replica.materialVersion is no longer current).
    void insertReplica(const KeyRecord& replica,
                       const std::vector<std::pair<std::string, std::string>>& tags,
                       const std::vector<MaterialVersion>& versions = {});
    // Makes the member of `keyId`'s replica group in `region` the group's primary and every
    // other member its replica, in one transaction. Returns the new primary.
    KeyRecord promote(const ProjectScope& scope, const std::string& keyId,
                      const std::string& region);
    // `k` read again from the database, past the cache (another process may have rotated it).
    KeyRecord reread(const KeyRecord& k);
    // The blob of an earlier material version of `k` (nullopt: no such version).
    std::optional<hsm::Bytes> versionBlob(const KeyRecord& k, std::uint32_t version);
    // Every earlier material version of `k`, oldest first.
    std::vector<MaterialVersion> versions(const KeyRecord& k);
    // When each material version of `k`'s replica group came to be (1 .. current), oldest
    // first; the group shares one history, kept on its primary.
    std::vector<MaterialEvent> materialHistory(const KeyRecord& k);
    // Reads a key's replica group (primary first) in one write transaction and lets
    // `change` rewrite it (it writes with key_store, and throws to refuse); the group's
    // cached rows are dropped after the commit. Returns what `change` returns.
    template <typename F>
    auto modifyGroup(const std::string& primaryId, F&& change) {
        std::vector<std::string> ids;
        auto out = db_.write([&](Poco::Data::Session& s) {
            auto members = key_store::group(s, primaryId);
            const auto t = epochSeconds();
            for (auto& m : members) {
                applyExpiry(m, t);
                ids.push_back(m.id);
                // Other processes drop their copies too (the feed row commits with the change).
                change_feed_store::append(s, kChangedKey, m.id);
            }
            return change(s, members);
        });
        for (const auto& id : ids) cache_.invalidate(id);
        return out;
    }
    // Reads and modifies a key in one write transaction; `change` throws to refuse.
    template <typename F>
    KeyRecord modify(const ProjectScope& scope, const std::string& keyId, F&& change) {
        KeyRecord out = db_.write([&](Poco::Data::Session& s) {
            KeyRecord k = loadVisible(s, scope, keyId);
            change(s, k);
            key_store::save(s, k);
            change_feed_store::append(s, kChangedKey, k.id);
            return k;
        });
        cache_.invalidate(keyId);
        return out;
    }

    // Drops this process's cached row and session copies of a key another process changed
    // (the change feed said so); the next use reads the database.
    void forget(const std::string& keyId);

    // Destroys the material of keys whose expiration_time has passed (state back to 5).
    // Returns how many keys expired.
    std::size_t expireDue();

    Database& db() { return db_; }
    // Drops a key's cached row: a KEK rollover re-sealed its blob behind this class's back.
    void dropCached(const std::string& keyId) { cache_.invalidate(keyId); }

  private:
    KeyRecord loadVisible(Poco::Data::Session& s, const ProjectScope& scope,
                          const std::string& keyId);

    Database& db_;
    RegionTokens& regions_;
    KeyMaterial& material_;
    // Key rows by id, as stored (expiry is applied on every read). Only this class writes
    // the keys table, and it invalidates after each commit.
    RecordCache<KeyRecord> cache_{16384, "keys"};
};

}  // namespace keyport
