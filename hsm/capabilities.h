// Capability probe: which of the mechanisms Keyport relies on actually work on a token,
// found by trying each one with session keys. C_GetMechanismInfo alone is not enough:
// SoftHSM 2.6.1 lists RSA-OAEP but refuses it with SHA-256.
#pragma once

#include <string>
#include <vector>

#include "hsm/token.h"

namespace hsm {

enum class Capability {
    AesKeyWrapPad,
    AesKeyWrap,
    AesGcm,
    HmacSha256,
    RsaOaepSha1,
    RsaOaepSha256,
    RsaRawDecrypt,
    RsaPkcs1Sign,
    RsaPssSign,
    EcdsaP256,
    EcdsaP384,
};

const char* capabilityName(Capability c);

struct CapabilityResult {
    Capability capability;
    bool available;
    std::string detail;  // why not, when unavailable (the failing call and CK_RV)
};

class Capabilities {
  public:
    explicit Capabilities(std::vector<CapabilityResult> results) : results_(std::move(results)) {}
    bool has(Capability c) const;
    const std::vector<CapabilityResult>& results() const { return results_; }

  private:
    std::vector<CapabilityResult> results_;
};

// Needs a logged-in token; creates and destroys session objects only.
Capabilities probeCapabilities(Token& token);

}  // namespace hsm
