#include "service/api/ncloud/ncp_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

EncryptionAlgorithm algorithmFor(const KeyRecord& k) {
    return isSymmetric(k.spec) ? EncryptionAlgorithm::SymmetricDefault
                               : EncryptionAlgorithm::RsaOaepSha256;
}

}  // namespace

Object::Ptr encrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const auto plain = base64DecodeSecret(SecretText{c.body.string("plaintext")}.text);
    if (!plain || plain->empty() || plain->size() > 4096) {
        throw Error(ErrorCode::InvalidParameter, "must be base64 of 1 to 4096 bytes", "plaintext");
    }
    if (ecCurve(k.spec)) throw Error(ErrorCode::UsageMismatch, "an ECDSA key cannot encrypt");
    auto d = object();
    d->set("ciphertext", kCiphertextPrefix + base64Encode(c.services.crypto->encrypt(
                                                 c.scope, k.id, plain->reveal(), algorithmFor(k))));
    return ok(d);
}

Object::Ptr decrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string text = c.body.string("ciphertext");
    if (!text.starts_with(kCiphertextPrefix)) {
        throw Error(ErrorCode::InvalidParameter,
                    std::string("must start with ") + kCiphertextPrefix, "ciphertext");
    }
    const auto ct = base64Decode(std::string_view(text).substr(sizeof kCiphertextPrefix - 1));
    if (!ct)
        throw Error(ErrorCode::InvalidParameter, "is not base64 after the prefix", "ciphertext");
    const Decrypted d = c.services.crypto->decrypt(c.scope, *ct);
    if (d.keyId != k.id)
        throw Error(ErrorCode::InvalidParameter, "was not made by this key", "ciphertext");
    auto o = object();
    setSecret(o, "plaintext", base64Encode(d.plaintext.reveal()));
    return ok(o);
}

}  // namespace keyport::api::ncloud
