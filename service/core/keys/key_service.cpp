#include "service/core/keys/key_service.h"

#include <algorithm>
#include <map>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/public_key.h"
#include "service/core/base/clock.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

[[noreturn]] void notFound(const std::string& keyId) {
    throw Error(ErrorCode::KeyNotFound, "key " + keyId + " does not exist", Input::KeyId);
}

// Another project's or domain's key is indistinguishable from a missing one; expired
// material counts as gone.
KeyRecord visibleOrNotFound(std::optional<KeyRecord> k, const ProjectScope& scope,
                            const std::string& keyId) {
    if (!k || k->projectId != scope.projectId || k->domainId != scope.domainId) notFound(keyId);
    applyExpiry(*k, epochSeconds());
    return std::move(*k);
}

// Generates material on-token as transient objects and seals it under the region KEK.
void generateMaterial(KeyMaterial& material, Region& region, KeyRecord& k) {
    auto session = region.token->session();
    using namespace hsm::policy;
    if (isHmac(k.spec)) {
        const auto h = hsm::generateGenericSecret(*session, hmacBytes(k.spec),
                                                  transientSecret(CKK_GENERIC_SECRET));
        k.blob = material.seal(region, *session, h);
        session->destroyObject(h);
        return;
    }
    if (isSymmetric(k.spec)) {
        const auto h = hsm::generateAes(*session, aesBytes(k.spec), transientAes(aesBytes(k.spec)));
        k.blob = material.seal(region, *session, h);
        session->destroyObject(h);
        return;
    }
    hsm::KeyPair kp;
    if (isRsa(k.spec)) {
        kp = hsm::generateRsa(*session, transientRsaPublic(rsaBits(k.spec)),
                              transientPrivate(CKK_RSA));
    } else {
        kp = hsm::generateEc(*session, transientEcPublic(*ecCurve(k.spec)),
                             transientPrivate(CKK_EC));
    }
    k.publicSpki = hsm::publicKeySpki(*session, kp.publicKey);
    k.blob = material.seal(region, *session, kp.privateKey);
    session->destroyObject(kp.privateKey);
    session->destroyObject(kp.publicKey);
}

}  // namespace

void applyExpiry(KeyRecord& k, std::int64_t nowSeconds) {
    if (k.blob && k.expirationTime && *k.expirationTime <= nowSeconds) {
        k.blob.reset();
        k.publicSpki.reset();
        k.state = KeyState::PendingImport;
    }
}

KeyService::KeyService(Database& db, RegionTokens& regions, KeyMaterial& material)
    : db_(db), regions_(regions), material_(material) {}

KeyRecord KeyService::loadVisible(Poco::Data::Session& s, const ProjectScope& scope,
                                  const std::string& keyId) {
    return visibleOrNotFound(key_store::find(s, keyId), scope, keyId);
}

KeyRecord KeyService::create(const ProjectScope& scope, const CreateKey& cmd) {
    if (cmd.spec == KeySpec::Aes256 && cmd.usage != KeyUsage::EncryptDecrypt) {
        throw Error(ErrorCode::InvalidParameter, "must be encrypt/decrypt for an AES key",
                    Input::KeyUsage);
    }
    if (ecCurve(cmd.spec) && cmd.usage != KeyUsage::SignVerify &&
        cmd.usage != KeyUsage::KeyAgreement) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be sign/verify or key agreement for an EC key", Input::KeyUsage);
    }
    // MACs are all an HMAC key does, and only HMAC keys make MACs.
    if (isHmac(cmd.spec) != (cmd.usage == KeyUsage::GenerateVerifyMac)) {
        throw Error(ErrorCode::InvalidParameter,
                    isHmac(cmd.spec) ? "must be generate/verify MAC for an HMAC key"
                                     : "generate/verify MAC is only for HMAC keys",
                    Input::KeyUsage);
    }
    if (cmd.usage == KeyUsage::EncryptSign && !isRsa(cmd.spec)) {
        throw Error(ErrorCode::InvalidParameter, "encrypt-and-sign is only for RSA keys",
                    Input::KeyUsage);
    }
    if (cmd.convergent && !isSymmetric(cmd.spec)) {
        throw Error(ErrorCode::InvalidParameter, "convergent encryption is only for AES keys",
                    Input::KeySpec);
    }
    if (isRsa(cmd.spec) && cmd.usage == KeyUsage::KeyAgreement) {
        throw Error(ErrorCode::InvalidParameter, "key agreement is only for EC keys",
                    Input::KeyUsage);
    }
    if (cmd.rotation &&
        (!isSymmetric(cmd.spec) || cmd.origin != Origin::Kms || cmd.rotation->intervalDays < 1)) {
        throw Error(ErrorCode::InvalidParameter,
                    "a rotation policy needs a generated symmetric key and a positive interval",
                    Input::KeySpec);
    }
    KeyRecord k;
    k.id = newUuid();
    k.domainId = scope.domainId;
    k.projectId = scope.projectId;
    k.region = scope.region;
    k.alias = cmd.alias;
    k.description = cmd.description;
    k.spec = cmd.spec;
    k.usage = cmd.usage;
    k.origin = cmd.origin;
    k.multiZone = cmd.multiZone;
    k.keyTag = cmd.keyTag;
    k.convergent = cmd.convergent;
    k.createdAtMs = k.statusSinceMs = k.revisionAtMs = epochMillis();
    if (cmd.rotation) {
        k.rotation = *cmd.rotation;
        k.rotation.sinceMs = k.createdAtMs;
        k.rotation.lastRotationMs.reset();
    }
    if (cmd.origin == Origin::External) {
        k.state = KeyState::PendingImport;
    } else {
        k.state = KeyState::Enabled;
        generateMaterial(material_, regions_.region(scope.region), k);
    }
    try {
        db_.write([&](Poco::Data::Session& s) {
            key_store::insert(s, k);
            key_store::audit(s, k.id, "create", std::string(name(k.origin)));
        });
    } catch (const UniqueViolation&) {  // (project, alias): a racing create took it first
        throw Error(ErrorCode::AliasExists, "'" + cmd.alias + "' is taken by another key",
                    Input::KeyAlias);
    }
    return k;
}

KeyRecord KeyService::get(const ProjectScope& scope, const std::string& keyId) {
    auto k = cache_.get(keyId, [&] {
        return db_.read([&](Poco::Data::Session& s) { return key_store::find(s, keyId); });
    });
    return visibleOrNotFound(std::move(k), scope, keyId);
}

std::optional<KeyRecord> KeyService::findByTag(const ProjectScope& scope, const std::string& tag) {
    auto k = db_.read(
        [&](Poco::Data::Session& s) { return key_store::findByTag(s, scope.projectId, tag); });
    if (!k || k->domainId != scope.domainId) return std::nullopt;
    applyExpiry(*k, epochSeconds());
    return k;
}

KeyRecord KeyService::move(const ProjectScope& scope, const std::string& keyId,
                           const ProjectScope& target, const hsm::Bytes& targetBlob,
                           const std::vector<MaterialVersion>& versions) {
    KeyRecord out = db_.write([&](Poco::Data::Session& s) {
        KeyRecord k = loadVisible(s, scope, keyId);
        // Every earlier version moves too, re-sealed there; one rotated meanwhile would
        // leave a version behind.
        if (key_store::versions(s, k.id).size() != versions.size()) {
            throw Error(ErrorCode::InvalidRequest,
                        "the key was rotated while it was being moved; try again");
        }
        key_store::deleteVersions(s, k.id);
        for (const auto& v : versions) key_store::putVersion(s, k.id, v);
        if (key_store::findByAlias(s, target.projectId, k.alias)) {
            throw Error(ErrorCode::AliasExists,
                        "'" + k.alias + "' is taken by another key in region " + target.region,
                        Input::KeyAlias);
        }
        key_store::move(s, k.id, target.projectId, target.region, targetBlob);
        key_store::audit(s, k.id, "migrate", scope.region + " -> " + target.region);
        k.projectId = target.projectId;
        k.region = target.region;
        k.blob = targetBlob;
        return k;
    });
    cache_.invalidate(keyId);
    material_.evict(keyId);
    return out;
}

std::optional<KeyRecord> KeyService::findByAlias(const ProjectScope& scope,
                                                 const std::string& alias) {
    auto k = db_.read(
        [&](Poco::Data::Session& s) { return key_store::findByAlias(s, scope.projectId, alias); });
    if (!k || k->domainId != scope.domainId) return std::nullopt;
    applyExpiry(*k, epochSeconds());
    return k;
}

KeyList KeyService::list(const ProjectScope& scope, std::size_t limit,
                         const std::optional<std::string>& marker) {
    return list(scope, limit, marker, std::nullopt, std::nullopt);
}

KeyList KeyService::list(const ProjectScope& scope, std::size_t limit,
                         const std::optional<std::string>& marker, std::optional<KeyState> state,
                         std::optional<KeySpec> spec) {
    return db_.read([&](Poco::Data::Session& s) {
        KeyList out;
        if (marker) {
            auto m = key_store::find(s, *marker);
            if (!m || m->projectId != scope.projectId) {
                throw Error(ErrorCode::InvalidParameter, "does not name a key of this project",
                            Input::ListMarker);
            }
        }
        const auto t = epochSeconds();
        const key_store::KeyFilter filter{state, spec, t};
        out.keys = key_store::listFiltered(s, scope.projectId, filter, limit + 1, marker);
        if (out.keys.size() > limit) {
            out.keys.resize(limit);
            out.nextMarker = out.keys.back().id;
        }
        for (auto& k : out.keys) applyExpiry(k, t);
        out.total = key_store::countFiltered(s, scope.projectId, filter);
        return out;
    });
}

KeyRecord KeyService::enable(const ProjectScope& scope, const std::string& keyId) {
    return modify(scope, keyId, [](Poco::Data::Session&, KeyRecord& k) {
        if (k.state == KeyState::PendingImport) {
            throw Error(ErrorCode::KeyPendingImport,
                        "the key has no key material; import it first");
        }
        if (k.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        }
        if (k.state == KeyState::Enabled) {
            throw Error(ErrorCode::KeyStateInvalid, "the key is already enabled");
        }
        k.state = KeyState::Enabled;
    });
}

KeyRecord KeyService::disable(const ProjectScope& scope, const std::string& keyId) {
    return modify(scope, keyId, [](Poco::Data::Session&, KeyRecord& k) {
        if (k.state == KeyState::PendingImport) {
            throw Error(ErrorCode::KeyPendingImport, "the key has no key material");
        }
        if (k.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        }
        if (k.state == KeyState::Disabled) {
            throw Error(ErrorCode::KeyDisabled, "the key is already disabled");
        }
        k.state = KeyState::Disabled;
    });
}

KeyRecord KeyService::scheduleDeletion(const ProjectScope& scope, const std::string& keyId,
                                       int pendingDays) {
    if (pendingDays < 7 || pendingDays > 1096) {
        throw Error(ErrorCode::InvalidParameter, "must be from 7 to 1096 days", Input::PendingDays);
    }
    return scheduleDeletionAfter(scope, keyId, static_cast<std::int64_t>(pendingDays) * 86400000);
}

KeyRecord KeyService::scheduleDeletionAfter(const ProjectScope& scope, const std::string& keyId,
                                            std::int64_t pendingMs) {
    return modify(scope, keyId, [&](Poco::Data::Session& s, KeyRecord& k) {
        if (k.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is already pending deletion");
        }
        k.state = KeyState::PendingDeletion;
        k.deletionDateMs = epochMillis() + pendingMs;
        key_store::audit(s, k.id, "schedule-deletion", std::to_string(pendingMs / 3600000) + "h");
    });
}

KeyRecord KeyService::cancelDeletion(const ProjectScope& scope, const std::string& keyId) {
    return modify(scope, keyId, [](Poco::Data::Session& s, KeyRecord& k) {
        if (k.state != KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyNotPendingDeletion, "the key is not pending deletion");
        }
        // Huawei returns a cancelled key disabled; without material it stays pending import.
        k.state = k.blob ? KeyState::Disabled : KeyState::PendingImport;
        k.deletionDateMs.reset();
        key_store::audit(s, k.id, "cancel-deletion");
    });
}

KeyRecord KeyService::updateAlias(const ProjectScope& scope, const std::string& keyId,
                                  const std::string& alias) {
    try {
        return modify(scope, keyId, [&](Poco::Data::Session&, KeyRecord& k) {
            if (k.state == KeyState::PendingDeletion) {
                throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
            }
            k.alias = alias;
        });
    } catch (const UniqueViolation&) {
        throw Error(ErrorCode::AliasExists, "'" + alias + "' is taken by another key",
                    Input::KeyAlias);
    }
}

KeyRecord KeyService::updateDescription(const ProjectScope& scope, const std::string& keyId,
                                        const std::string& description) {
    return modify(scope, keyId, [&](Poco::Data::Session&, KeyRecord& k) {
        if (k.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        }
        k.description = description;
    });
}

std::map<std::string, std::string> KeyService::tags(const ProjectScope& scope,
                                                    const std::string& keyId) {
    return db_.read([&](Poco::Data::Session& s) {
        loadVisible(s, scope, keyId);
        return key_store::tags(s, keyId);
    });
}

void KeyService::putTag(const ProjectScope& scope, const std::string& keyId, const std::string& key,
                        const std::string& value) {
    db_.write([&](Poco::Data::Session& s) {
        loadVisible(s, scope, keyId);
        auto existing = key_store::tags(s, keyId);
        if (!existing.count(key) && existing.size() >= 20) {
            throw Error(ErrorCode::InvalidParameter, "a key has at most 20 tags").withLimit(20);
        }
        key_store::putTag(s, keyId, key, value);
    });
}

void KeyService::deleteTag(const ProjectScope& scope, const std::string& keyId,
                           const std::string& key) {
    db_.write([&](Poco::Data::Session& s) {
        loadVisible(s, scope, keyId);
        if (!key_store::deleteTag(s, keyId, key)) {
            throw Error(ErrorCode::InvalidParameter, "names no tag of this key ('" + key + "')",
                        Input::TagKey);
        }
    });
}

KeyRecord KeyService::usable(const ProjectScope& scope, const std::string& keyId) {
    KeyRecord k = get(scope, keyId);
    switch (k.state) {
        case KeyState::Enabled:
            return k;
        case KeyState::Disabled:
            throw Error(ErrorCode::KeyDisabled, "the key is disabled");
        case KeyState::PendingDeletion:
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        case KeyState::PendingImport:
            throw Error(ErrorCode::KeyPendingImport, "the key has no key material (state 5)");
        default:
            throw Error(ErrorCode::KeyStateInvalid, "the key is not enabled");
    }
}

KeyRecord KeyService::usableMember(const ProjectScope& scope, const std::string& keyId) {
    try {
        return usable(scope, keyId);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::KeyNotFound) throw;
        const auto k = db_.read([&](Poco::Data::Session& s) { return key_store::find(s, keyId); });
        // Only a key of the caller's domain can lead to a member; anything else stays 404.
        if (!k || k->domainId != scope.domainId) throw;
        for (const KeyRecord& m : group(*k)) {
            if (m.projectId == scope.projectId) return usable(scope, m.id);
        }
        throw;
    }
}

std::vector<KeyRecord> KeyService::group(const KeyRecord& k) {
    const std::string primary = k.primaryKeyId.value_or(k.id);
    auto all = db_.read([&](Poco::Data::Session& s) { return key_store::group(s, primary); });
    std::erase_if(all, [&](const KeyRecord& m) { return m.domainId != k.domainId; });
    for (auto& m : all) applyExpiry(m, epochSeconds());
    return all;
}

void KeyService::insertReplica(const KeyRecord& replica,
                               const std::vector<std::pair<std::string, std::string>>& tags,
                               const std::vector<MaterialVersion>& versions) {
    try {
        db_.write([&](Poco::Data::Session& s) {
            const auto primary = key_store::find(s, replica.primaryKeyId.value_or(""));
            if (!primary || primary->materialVersion != replica.materialVersion) {
                throw Error(ErrorCode::InvalidRequest,
                            "the key was rotated while it was being replicated; try again");
            }
            key_store::insert(s, replica);
            for (const auto& v : versions) key_store::putVersion(s, replica.id, v);
            for (const auto& [k, v] : tags) key_store::putTag(s, replica.id, k, v);
            key_store::audit(s, replica.id, "replicate",
                             "from " + replica.primaryKeyId.value_or(""));
            // The primary's replica set changed: that is a new revision of it too.
            key_store::touch(s, primary->id);
        });
        cache_.invalidate(replica.primaryKeyId.value_or(""));
    } catch (const UniqueViolation&) {
        throw Error(ErrorCode::AliasExists, "'" + replica.alias + "' is taken by another key there",
                    Input::KeyAlias);
    }
}

std::vector<MaterialEvent> KeyService::materialHistory(const KeyRecord& k) {
    const std::string primaryId = k.primaryKeyId.value_or(k.id);
    return db_.read([&](Poco::Data::Session& s) {
        // Each rotation records the event on every member; a member added later (or made
        // primary by promote) may lack the older ones, so the group's records are merged.
        std::map<std::uint32_t, MaterialEvent> recorded;
        std::int64_t firstCreated = k.createdAtMs;
        for (const KeyRecord& m : key_store::group(s, primaryId)) {
            firstCreated = std::min(firstCreated, m.createdAtMs);
            for (const MaterialEvent& e : key_store::materialEvents(s, m.id))
                recorded.emplace(e.version, e);
        }
        std::vector<MaterialEvent> out;
        for (std::uint32_t v = 1; v <= k.materialVersion; ++v) {
            if (const auto it = recorded.find(v); it != recorded.end()) {
                out.push_back(it->second);
            } else if (v == 1) {
                out.push_back({1, firstCreated, false});
            } else {
                // Rotated before rotations were recorded (migration 13): only the last
                // rotation's time is known, and it made the newest version.
                const std::int64_t at = v == k.materialVersion
                                            ? k.rotation.lastRotationMs.value_or(firstCreated)
                                            : firstCreated;
                out.push_back({v, at, false});
            }
        }
        return out;
    });
}

KeyRecord KeyService::promote(const ProjectScope& scope, const std::string& keyId,
                              const std::string& region) {
    std::vector<std::string> ids;
    KeyRecord out = db_.write([&](Poco::Data::Session& s) {
        const KeyRecord k = loadVisible(s, scope, keyId);
        auto members = key_store::group(s, k.primaryKeyId.value_or(k.id));
        std::erase_if(members, [&](const KeyRecord& m) { return m.domainId != k.domainId; });
        const auto chosen = std::find_if(members.begin(), members.end(),
                                         [&](const KeyRecord& m) { return m.region == region; });
        if (chosen == members.end()) {
            throw Error(ErrorCode::InvalidParameter,
                        "names " + region + ", where the key has no replica", Input::TargetRegion);
        }
        KeyRecord primary = *chosen;
        for (KeyRecord& m : members) {
            ids.push_back(m.id);
            const std::optional<std::string> next =
                m.id == primary.id ? std::nullopt : std::make_optional(primary.id);
            if (m.primaryKeyId == next) continue;
            key_store::setPrimary(s, m.id, next);
            key_store::audit(s, m.id, "primary-region", region);
        }
        primary.primaryKeyId.reset();
        return primary;
    });
    for (const auto& id : ids) cache_.invalidate(id);
    return out;
}

KeyRecord KeyService::reread(const KeyRecord& k) {
    cache_.invalidate(k.id);
    auto fresh = db_.read([&](Poco::Data::Session& s) { return key_store::find(s, k.id); });
    if (!fresh) notFound(k.id);
    applyExpiry(*fresh, epochSeconds());
    return std::move(*fresh);
}

std::optional<hsm::Bytes> KeyService::versionBlob(const KeyRecord& k, std::uint32_t version) {
    return db_.read(
        [&](Poco::Data::Session& s) { return key_store::findVersion(s, k.id, version); });
}

std::vector<MaterialVersion> KeyService::versions(const KeyRecord& k) {
    return db_.read([&](Poco::Data::Session& s) { return key_store::versions(s, k.id); });
}

void KeyService::forget(const std::string& keyId) {
    cache_.invalidate(keyId);
    material_.evict(keyId);
}

std::size_t KeyService::expireDue() {
    const auto t = epochSeconds();
    const auto ids = db_.read([&](Poco::Data::Session& s) { return key_store::expiredIds(s, t); });
    for (const auto& id : ids) {
        db_.write([&](Poco::Data::Session& s) {
            auto k = key_store::find(s, id);
            if (!k || !k->blob || !k->expirationTime || *k->expirationTime > t) return;
            k->blob.reset();
            k->publicSpki.reset();
            k->state = KeyState::PendingImport;
            key_store::save(s, *k);
            key_store::deleteVersions(s, id);  // none today: imported keys do not rotate
            key_store::audit(s, id, "material-expired");
        });
        cache_.invalidate(id);
        material_.evict(id);
    }
    return ids.size();
}

}  // namespace keyport
