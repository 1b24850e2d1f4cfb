// KeyReplication: clones a key into another region as DESIGN.md ("Replication") says — the
// material leaves the source token only inside a transfer blob and is re-sealed under the
// target region's KEK; the replica is a key of its own (id, alias, state, tags) that knows
// its primary. Every dialect's replicate/migrate maps onto this.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "service/core/keys/key_service.h"
#include "service/core/tenancy/tenancy.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct ReplicateKey {
    std::string replicaProjectId;  // a project of the caller's domain in replicaRegion
    std::string replicaRegion;
    std::string alias;
    std::string description;
    std::vector<std::pair<std::string, std::string>> tags;
};

class KeyReplication {
  public:
    KeyReplication(KeyService& keys, Tenancy& tenancy, RegionTokens& regions, KeyMaterial& material)
        : keys_(keys), tenancy_(tenancy), regions_(regions), material_(material) {}

    KeyRecord replicate(const ProjectScope& source, const std::string& keyId,
                        const ReplicateKey& cmd);
    // Moves the key itself (same id, so its ciphertexts keep decrypting) into `target`: the
    // material re-sealed there via a transfer blob, the key's row switched over in one
    // transaction; a key of the same name in the target is a conflict and changes nothing.
    KeyRecord migrate(const ProjectScope& source, const std::string& keyId,
                      const ProjectScope& target);

    // The key's material re-sealed under `target`'s KEK via a transfer blob (public helper
    // for the benchmark and for moves).
    hsm::Bytes transferMaterial(const KeyRecord& k, Region& target);
    // Every earlier material version of `k`, re-sealed under `target`'s KEK the same way.
    std::vector<MaterialVersion> transferVersions(const KeyRecord& k, Region& target);
    // An extractable transient key on `source` (a session of its token) re-sealed under
    // `target`'s KEK via a transfer blob (rotation hands new material to replicas so).
    hsm::Bytes transferObject(Region& source, hsm::Session& session, hsm::ObjectHandle clear,
                              KeySpec spec, Region& target);

  private:
    KeyService& keys_;
    Tenancy& tenancy_;
    RegionTokens& regions_;
    KeyMaterial& material_;
};

}  // namespace keyport
