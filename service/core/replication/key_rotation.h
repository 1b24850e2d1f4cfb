// KeyRotation: new material for a symmetric key, on demand or when its rotation interval has
// passed. The material is generated on the key's region token, sealed there and, through
// transfer blobs, under every replica region's KEK; then ONE transaction keeps each group
// member's old blob as an earlier version and makes the new one current. Ciphertexts name
// the version that made them (keys/ciphertext.h), so nothing made before stops decrypting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "service/core/keys/key_service.h"
#include "service/core/replication/key_replication.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// How a dialect's on-demand rotation differs: Exoscale caps the on-demand rotations of a
// key, NAVER's manual rotation leaves the automatic schedule where it was.
struct OnDemandRotation {
    // Refused (RotationLimitReached) once the group has had this many on-demand rotations.
    std::optional<std::uint32_t> manualLimit;
    // The next automatic rotation stays where it was instead of counting one interval
    // from now.
    bool keepSchedule = false;
};

class KeyRotation {
  public:
    // `dayMs`: how long a rotation-interval day is (a day; shorter in lab and tests).
    KeyRotation(KeyService& keys, RegionTokens& regions, KeyMaterial& material,
                KeyReplication& replication, std::int64_t dayMs);

    // The policy lives on the primary and is written to every member of its group.
    KeyRecord enable(const ProjectScope& scope, const std::string& keyId);
    KeyRecord disable(const ProjectScope& scope, const std::string& keyId);
    KeyRecord setInterval(const ProjectScope& scope, const std::string& keyId,
                          std::int64_t intervalDays);
    // Sets the interval and starts automatic rotation in one step; refused
    // (RotationAlreadyEnabled) when it already runs.
    KeyRecord enableWithInterval(const ProjectScope& scope, const std::string& keyId,
                                 std::int64_t intervalDays);
    // Rotates now (the key must be enabled). Returns the key with its new version.
    KeyRecord rotate(const ProjectScope& scope, const std::string& keyId,
                     const OnDemandRotation& how = {});

    // The background worker's step: rotates every key whose interval has passed. A key
    // whose rotation fails waits another interval rather than being retried every sweep.
    // Returns how many keys were rotated.
    std::size_t rotateDue();

  private:
    // Refuses what cannot rotate: asymmetric keys, imported material, replicas.
    static void requireRotatable(const KeyRecord& k);
    KeyRecord changePolicy(const ProjectScope& scope, const std::string& keyId,
                           const std::function<void(KeyRotationPolicy&)>& change);
    // `automatic`: the sweeper's rotation (recorded as such in the material history).
    KeyRecord rotateGroup(const std::string& primaryId, bool automatic,
                          const OnDemandRotation& how);
    KeyRecord tryRotateGroup(const std::string& primaryId, bool automatic,
                             const OnDemandRotation& how);

    KeyService& keys_;
    RegionTokens& regions_;
    KeyMaterial& material_;
    KeyReplication& replication_;
    std::int64_t dayMs_;
};

}  // namespace keyport
