#include "service/core/keys/key_agreement.h"

#include "hsm/error.h"
#include "hsm/key_policies.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport {

KeyAgreement::KeyAgreement(KeyService& keys, KeyMaterial& material)
    : keys_(keys), material_(material) {}

hsm::SecretBytes KeyAgreement::deriveSharedSecret(const ProjectScope& scope,
                                                  const std::string& keyId,
                                                  hsm::ByteView peerSpki) {
    const KeyRecord k = keys_.usable(scope, keyId);
    const auto curve = ecCurve(k.spec);
    if (k.usage != KeyUsage::KeyAgreement || !curve) {
        throw Error(ErrorCode::UsageMismatch,
                    "names a " + std::string(name(k.spec)) + " " + std::string(name(k.usage)) +
                        " key; key agreement needs an EC key created for KEY_AGREEMENT",
                    Input::KeyId);
    }
    const auto point = ecPublicPoint(peerSpki, *curve);
    if (!point) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be a DER SubjectPublicKeyInfo EC public key on the curve of " +
                        std::string(name(k.spec)),
                    Input::PeerPublicKey);
    }
    const CK_ULONG fieldBytes = *curve == hsm::Curve::P256 ? 32 : 48;
    auto key = material_.open(k);
    auto session = key->region().token->session();
    hsm::ScopedObjects scratch(*session);
    const auto secret =
        scratch.keep(session->deriveKey(hsm::Mechanism::ecdh1Derive(*point), key->handle(),
                                        hsm::policy::derivedSharedSecret(fieldBytes)));
    return session->secretValue(secret);
}

}  // namespace keyport
