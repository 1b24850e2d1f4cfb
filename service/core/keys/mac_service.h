// MacService: HMAC with customer HMAC keys (HMAC_256/384/512): a MAC made and checked on
// the key's usable session copy, so the key never leaves the token.
#pragma once

#include <string>

#include "hsm/bytes.h"
#include "hsm/mechanism.h"
#include "service/core/keys/key_service.h"
#include "service/core/tokens/key_material.h"

namespace keyport {

class MacService {
  public:
    MacService(KeyService& keys, KeyMaterial& material);

    // `algorithm` is the HMAC's hash; it must be the one the key's spec names.
    hsm::Bytes generate(const ProjectScope& scope, const std::string& keyId, hsm::Hash algorithm,
                        hsm::ByteView message);
    // False for a MAC that does not match (of any length); checked on-token with C_Verify.
    bool verify(const ProjectScope& scope, const std::string& keyId, hsm::Hash algorithm,
                hsm::ByteView message, hsm::ByteView mac);

  private:
    KeyRecord macKey(const ProjectScope& scope, const std::string& keyId, hsm::Hash algorithm);

    KeyService& keys_;
    KeyMaterial& material_;
};

}  // namespace keyport
