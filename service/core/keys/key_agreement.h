// KeyAgreement: ECDH with a customer EC key whose usage is key agreement. The private half
// stays on the token (CKM_ECDH1_DERIVE); only the shared secret the caller asked for leaves,
// in SecretBytes.
#pragma once

#include <string>

#include "hsm/bytes.h"
#include "service/core/keys/key_service.h"
#include "service/core/tokens/key_material.h"

namespace keyport {

class KeyAgreement {
  public:
    KeyAgreement(KeyService& keys, KeyMaterial& material);

    // The raw ECDH shared secret (the x-coordinate, no KDF) of the key with the peer's
    // DER SPKI public key, which must be on the key's curve.
    hsm::SecretBytes deriveSharedSecret(const ProjectScope& scope, const std::string& keyId,
                                        hsm::ByteView peerSpki);

  private:
    KeyService& keys_;
    KeyMaterial& material_;
};

}  // namespace keyport
