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
    // `k` opened at its current material version: what new data keys are wrapped under.
    envelope::Cmk cmkOf(const KeyRecord& k);
    // `k` opened at the material version a stored data key names (an earlier one after a
    // rotation: its blob from key_versions).
    envelope::Cmk cmkOf(const KeyRecord& k, std::uint32_t version);

  private:
    KeyService& keys_;
    RegionTokens& regions_;
    KeyMaterial& material_;
};

}  // namespace keyport
