#include "service/core/keys/mac_service.h"

#include "service/core/base/errors.h"

namespace keyport {

MacService::MacService(KeyService& keys, KeyMaterial& material)
    : keys_(keys), material_(material) {}

KeyRecord MacService::macKey(const ProjectScope& scope, const std::string& keyId,
                             hsm::Hash algorithm) {
    const KeyRecord k = keys_.usable(scope, keyId);
    if (k.usage != KeyUsage::GenerateVerifyMac || !isHmac(k.spec)) {
        throw Error(ErrorCode::UsageMismatch,
                    "names a " + std::string(name(k.usage)) + " key, which cannot make MACs",
                    Input::KeyId);
    }
    // One key, one algorithm: an HMAC_256 key makes HMAC-SHA-256 MACs only (as its length
    // was chosen for that hash).
    if (hmacHash(k.spec) != algorithm) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + std::string(macAlgorithmName(algorithm)) +
                        ", which does not fit a " + std::string(name(k.spec)) + " key",
                    Input::MacAlgorithm);
    }
    return k;
}

hsm::Bytes MacService::generate(const ProjectScope& scope, const std::string& keyId,
                                hsm::Hash algorithm, hsm::ByteView message) {
    const KeyRecord k = macKey(scope, keyId, algorithm);
    auto key = material_.open(k);
    auto session = key->region().token->session();
    return session->sign(hsm::Mechanism::hmac(algorithm), key->handle(), message);
}

bool MacService::verify(const ProjectScope& scope, const std::string& keyId, hsm::Hash algorithm,
                        hsm::ByteView message, hsm::ByteView mac) {
    const KeyRecord k = macKey(scope, keyId, algorithm);
    // A MAC of the wrong length cannot match; the token is not asked (SoftHSM would only
    // say CKR_SIGNATURE_LEN_RANGE).
    if (mac.size() != hsm::hashSize(algorithm)) return false;
    auto key = material_.open(k);
    auto session = key->region().token->session();
    return session->verify(hsm::Mechanism::hmac(algorithm), key->handle(), message, mac);
}

}  // namespace keyport
