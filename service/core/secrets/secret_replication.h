// SecretReplication: CSMS replica secrets in other regions — creating a replica of a
// primary, the replica CMKs each new primary version is also wrapped under, and resync of
// the versions a replica lacks (after a crash or a region that was down). Data keys reach
// a replica's CMK only as transfer blobs (envelope::rewrap).
#pragma once

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service/core/keys/key_service.h"
#include "service/core/secrets/secret_cmks.h"
#include "service/core/secrets/secret_envelope.h"
#include "service/core/storage/database.h"
#include "service/core/storage/secret_store.h"
#include "service/core/tenancy/tenancy.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

// Serialises writes to one secret and its replicas (striped by project and name).
class SecretLocks {
  public:
    std::mutex& lockFor(const std::string& projectId, const std::string& name);

  private:
    std::array<std::mutex, 64> stripes_;
};

class SecretReplication {
  public:
    SecretReplication(Database& db, KeyService& keys, Tenancy& tenancy, RegionTokens& regions,
                      SecretCmks& cmks, SecretLocks& locks);

    // Creates the replica of `primary` (a writable primary named `name` whose lock the caller
    // holds) in the domain's project in `region`; returns its id.
    std::string create(const ProjectScope& scope, const std::string& name,
                       const SecretRecord& primary, const std::string& region,
                       const std::optional<std::string>& kmsKeyId);
    // The CMK of each of `replicas`, in order, at its current material version (what the
    // replica's copy records): a new primary version's data key is wrapped under each too,
    // so the version lands in every replica in the primary's transaction.
    std::vector<envelope::Cmk> replicaCmks(const std::vector<SecretRecord>& replicas);
    // Copies to each replica the primary versions it lacks; returns how many were copied.
    std::size_t resync();

  private:
    // Version `v` of a primary, its data key re-wrapped for `replica` under `replicaCmk`.
    SecretVersion copyFor(const ProjectScope& primaryScope, const SecretVersion& v,
                          const SecretRecord& replica, const KeyRecord& replicaCmk);

    Database& db_;
    KeyService& keys_;
    Tenancy& tenancy_;
    RegionTokens& regions_;
    SecretCmks& cmks_;
    SecretLocks& locks_;
};

}  // namespace keyport
