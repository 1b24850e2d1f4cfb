// SecretCmks: the CMKs that wrap secret versions' data keys — resolved in a project (its
// csms/default created on demand) and opened for envelopes in their region.
#pragma once

#include <optional>
#include <string>

#include "service/core/keys/key_service.h"
#include "service/core/secrets/secret_envelope.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

inline constexpr char kDefaultCmkAlias[] = "csms/default";

class SecretCmks {
  public:
    SecretCmks(KeyService& keys, RegionTokens& regions, KeyMaterial& material)
        : keys_(keys), regions_(regions), material_(material) {}

    // The CMK `kmsKeyId` names in the project (default: csms/default, made if missing),
    // checked to be an enabled AES_256 ENCRYPT_DECRYPT key of the project's region.
    KeyRecord cmkFor(const ProjectScope& scope, const std::optional<std::string>& kmsKeyId);
    envelope::Cmk cmkOf(const KeyRecord& k);

  private:
    KeyService& keys_;
    RegionTokens& regions_;
    KeyMaterial& material_;
};

}  // namespace keyport
