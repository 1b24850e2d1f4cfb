// ImportService: BYOK. Issues import parameters (a token-held wrapping public key and an
// on-token-authenticated import token) and imports wrapped material by unwrapping it
// on-token, validating it against the key spec and sealing it under the region KEK.
#pragma once

#include <optional>
#include <string>

#include "hsm/scoped_objects.h"
#include "service/core/import/import_token.h"
#include "service/core/import/wrapping_pairs.h"
#include "service/core/keys/key_service.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct ImportParameters {
    std::string keyId;
    std::string importToken;
    std::int64_t expiresAt = 0;
    hsm::Bytes publicSpki;
};

struct ImportMaterial {
    std::string keyId;
    std::string importToken;
    hsm::Bytes encryptedKeyMaterial;
    std::optional<hsm::Bytes> encryptedPrivateKey;
    std::optional<std::int64_t> expirationTime;
};

struct ImportOptions {
    bool hostAssistedOaep = false;  // import.host_assisted_oaep
};

class ImportService {
  public:
    ImportService(KeyService& keys, KeyMaterial& material, RegionTokens& regions,
                  WrappingPairs& pairs, ImportOptions options);

    ImportParameters parameters(const ProjectScope& scope, const std::string& keyId,
                                WrappingAlgorithm algorithm, unsigned wrappingBits);
    // Returns the key after import. Same material again is accepted; different material
    // is refused and the old material stays.
    KeyRecord import(const ProjectScope& scope, const ImportMaterial& cmd);
    KeyRecord deleteMaterial(const ProjectScope& scope, const std::string& keyId);

    // The external key that host-held material (key components) is about to go into,
    // checked before the material exists: external, not pending deletion, no material yet
    // (refused with import's own errors, KeyStateInvalid for a key that has material).
    KeyRecord pendingImport(const ProjectScope& scope, const std::string& keyId);
    // Imports secret material the host holds in locked memory (key components combined by
    // XOR): the same path as host-assisted OAEP's output — C_CreateObject of a transient
    // session key, checked against the key spec, sealed under the region KEK — committed
    // as import() commits, with unwrap_path host-assisted on the key and `source`
    // ("components") in its audit row. The key must be pending import.
    KeyRecord importFromHost(const ProjectScope& scope, const std::string& keyId,
                             const hsm::SecretBytes& material, const std::string& source);

  private:
    // What accept() established before any token work.
    struct Accepted {
        KeyRecord key;
        Region& region;
        ImportToken token;
        std::shared_ptr<const WrappingPair> pair;
        UnwrapPath path;
    };
    struct Sealed {
        hsm::Bytes blob;                 // KWP(region KEK, material)
        std::optional<hsm::Bytes> spki;  // asymmetric keys
    };

    UnwrapPath pathFor(Region& region, WrappingAlgorithm algorithm, const WrappingPair& pair) const;
    Accepted accept(const ProjectScope& scope, const ImportMaterial& cmd);
    Sealed unwrapAndSeal(const Accepted& a, const ImportMaterial& cmd) const;
    hsm::ObjectHandle unwrapOuter(const Accepted& a, hsm::Session& session,
                                  const ImportMaterial& cmd) const;
    hsm::ObjectHandle unwrapPrivate(const KeyRecord& k, hsm::ScopedObjects& transients,
                                    hsm::Session& session, hsm::ObjectHandle temporaryKey,
                                    hsm::ByteView wrapped) const;
    hsm::Bytes sealSecret(Region& region, hsm::Session& session, hsm::ObjectHandle transient,
                          KeySpec spec) const;
    KeyRecord commit(const ProjectScope& scope, const std::string& keyId,
                     std::optional<std::int64_t> expirationTime, UnwrapPath path,
                     const std::string& how, const Sealed& sealed, bool reimport);

    KeyService& keys_;
    KeyMaterial& material_;
    RegionTokens& regions_;
    WrappingPairs& pairs_;
    ImportOptions options_;
};

}  // namespace keyport
