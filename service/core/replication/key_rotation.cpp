#include "service/core/replication/key_rotation.h"

#include <algorithm>
#include <functional>
#include <map>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/clock.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

// A rotation that lost a race (a replica appeared or another rotation committed between
// reading the group and writing it): made again from the start.
struct GroupChanged {};

const KeyRecord& primaryOf(const std::vector<KeyRecord>& members, const std::string& id) {
    for (const KeyRecord& m : members) {
        if (!m.primaryKeyId) return m;
    }
    throw Error(ErrorCode::KeyNotFound, "key " + id + " does not exist", Input::KeyId);
}

void requireState(const KeyRecord& k) {
    if (k.state == KeyState::PendingDeletion)
        throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
    if (k.state == KeyState::PendingImport || !k.blob)
        throw Error(ErrorCode::KeyPendingImport, "the key has no key material (state 5)");
}

}  // namespace

KeyRotation::KeyRotation(KeyService& keys, RegionTokens& regions, KeyMaterial& material,
                         KeyReplication& replication, std::int64_t dayMs)
    : keys_(keys),
      regions_(regions),
      material_(material),
      replication_(replication),
      dayMs_(dayMs) {}

void KeyRotation::requireRotatable(const KeyRecord& k) {
    if (!isSymmetric(k.spec)) {
        throw Error(
            ErrorCode::UsageMismatch,
            "names a " + std::string(name(k.spec)) + " key; only symmetric keys can be rotated",
            Input::KeyId);
    }
    if (k.origin == Origin::External) {
        throw Error(ErrorCode::MaterialNotRotatable,
                    "the key's material was imported, so only its owner can make new material; "
                    "import it under a new key instead");
    }
    if (k.primaryKeyId) {
        throw Error(ErrorCode::KeyIsReplica,
                    "the key is a replica; its rotation follows the "
                    "primary key " +
                        *k.primaryKeyId);
    }
}

KeyRecord KeyRotation::changePolicy(const ProjectScope& scope, const std::string& keyId,
                                    const std::function<void(KeyRotationPolicy&)>& change) {
    const KeyRecord k = keys_.get(scope, keyId);
    requireRotatable(k);
    requireState(k);
    return keys_.modifyGroup(keyId, [&](Poco::Data::Session& s, std::vector<KeyRecord>& members) {
        KeyRotationPolicy policy = primaryOf(members, keyId).rotation;
        change(policy);
        KeyRecord out;
        for (KeyRecord& m : members) {
            m.rotation = policy;
            key_store::saveRotation(s, m);
            if (m.id == keyId) out = m;
        }
        key_store::audit(s, keyId, "rotation-policy",
                         std::string(policy.enabled ? "enabled " : "disabled ") +
                             std::to_string(policy.intervalDays) + " days");
        return out;
    });
}

KeyRecord KeyRotation::enable(const ProjectScope& scope, const std::string& keyId) {
    return changePolicy(scope, keyId, [](KeyRotationPolicy& p) {
        if (p.enabled) return;
        p.enabled = true;
        p.sinceMs = epochMillis();  // the first rotation is one interval from now
    });
}

KeyRecord KeyRotation::disable(const ProjectScope& scope, const std::string& keyId) {
    return changePolicy(scope, keyId, [](KeyRotationPolicy& p) { p.enabled = false; });
}

KeyRecord KeyRotation::setInterval(const ProjectScope& scope, const std::string& keyId,
                                   std::int64_t intervalDays) {
    if (intervalDays < 1) {
        throw Error(ErrorCode::InvalidParameter,
                    "a rotation interval must be a positive number of days");
    }
    return changePolicy(scope, keyId, [&](KeyRotationPolicy& p) { p.intervalDays = intervalDays; });
}

KeyRecord KeyRotation::enableWithInterval(const ProjectScope& scope, const std::string& keyId,
                                          std::int64_t intervalDays) {
    if (intervalDays < 1) {
        throw Error(ErrorCode::InvalidParameter,
                    "a rotation interval must be a positive number of days");
    }
    return changePolicy(scope, keyId, [&](KeyRotationPolicy& p) {
        if (p.enabled) {
            throw Error(ErrorCode::RotationAlreadyEnabled,
                        "automatic rotation is already enabled for the key");
        }
        p.enabled = true;
        p.intervalDays = intervalDays;
        p.sinceMs = epochMillis();
    });
}

KeyRecord KeyRotation::rotate(const ProjectScope& scope, const std::string& keyId,
                              const OnDemandRotation& how) {
    const KeyRecord k = keys_.usable(scope, keyId);
    requireRotatable(k);
    return rotateGroup(keyId, false, how);
}

KeyRecord KeyRotation::rotateGroup(const std::string& primaryId, bool automatic,
                                   const OnDemandRotation& how) {
    for (int attempt = 0;; ++attempt) {
        try {
            return tryRotateGroup(primaryId, automatic, how);
        } catch (const GroupChanged&) {
            if (attempt == 2) {
                throw Error(ErrorCode::InvalidRequest,
                            "the key changed while it was being rotated; try again");
            }
        }
    }
}

KeyRecord KeyRotation::tryRotateGroup(const std::string& primaryId, bool automatic,
                                      const OnDemandRotation& how) {
    // Read outside the transaction: the token work below must not hold the database.
    const std::vector<KeyRecord> group =
        keys_.db().read([&](Poco::Data::Session& s) { return key_store::group(s, primaryId); });
    const KeyRecord& primary = primaryOf(group, primaryId);
    const std::uint32_t from = primary.materialVersion;

    std::map<std::string, hsm::Bytes> sealed;  // member id -> the new material, sealed there
    {
        Region& home = regions_.region(primary.region);
        auto session = home.token->session();
        hsm::ScopedObjects scratch(*session);
        const auto bytes = aesBytes(primary.spec);
        const auto clear =
            scratch.keep(hsm::generateAes(*session, bytes, hsm::policy::transientAes(bytes)));
        sealed[primary.id] = material_.seal(home, *session, clear);
        for (const KeyRecord& m : group) {
            if (m.id == primary.id) continue;
            sealed[m.id] = replication_.transferObject(home, *session, clear, primary.spec,
                                                       regions_.region(m.region));
        }
    }

    const std::int64_t now = epochMillis();
    return keys_.modifyGroup(primaryId, [&](Poco::Data::Session& s,
                                            std::vector<KeyRecord>& members) {
        if (members.size() != sealed.size()) throw GroupChanged{};
        if (how.manualLimit) {
            // Counted in the transaction, so racing rotations cannot pass the limit.
            const auto events = key_store::materialEvents(s, primaryId);
            const auto manual = std::count_if(events.begin(), events.end(),
                                              [](const MaterialEvent& e) { return !e.automatic; });
            if (static_cast<std::uint64_t>(manual) >= *how.manualLimit) {
                throw Error(ErrorCode::RotationLimitReached,
                            "the key has had as many on-demand rotations as it may have")
                    .withLimit(*how.manualLimit);
            }
        }
        KeyRecord out;
        for (KeyRecord& m : members) {
            const auto it = sealed.find(m.id);
            if (it == sealed.end() || m.materialVersion != from || !m.blob) throw GroupChanged{};
            key_store::putVersion(s, m.id, {m.materialVersion, *m.blob});
            m.blob = it->second;
            m.materialVersion = from + 1;
            if (!how.keepSchedule) m.rotation.sinceMs = now;
            m.rotation.lastRotationMs = now;
            key_store::saveRotation(s, m);
            key_store::putMaterialEvent(s, m.id, {from + 1, now, automatic});
            key_store::audit(s, m.id, "rotate", "material version " + std::to_string(from + 1));
            if (m.id == primaryId) out = m;
        }
        return out;
    });
}

std::size_t KeyRotation::rotateDue() {
    const std::int64_t now = epochMillis();
    const auto ids = keys_.db().read(
        [&](Poco::Data::Session& s) { return key_store::rotationDueIds(s, now, dayMs_); });
    std::size_t rotated = 0;
    for (const auto& id : ids) {
        try {
            rotateGroup(id, true, {});
            ++rotated;
        } catch (const Error&) {
            // Not rotatable now: try again one interval later rather than every sweep.
            keys_.modifyGroup(id, [&](Poco::Data::Session& s, std::vector<KeyRecord>& members) {
                for (KeyRecord& m : members) {
                    m.rotation.sinceMs = now;
                    key_store::saveRotation(s, m);
                }
                key_store::audit(s, id, "rotation-deferred");
                return 0;
            });
        }
    }
    return rotated;
}

}  // namespace keyport
