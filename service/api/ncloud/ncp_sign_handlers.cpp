// NAVER Cloud KMS API 2.0 signatures and public keys: sign, verify, get-pub-key (pages
// security-kms2-sign, -verify, -public-key, checked 2026-12-01).
//
// NAVER names no algorithm: `data` is the message itself (up to 8 KB), so Keyport hashes it
// with SHA-256 and signs RSASSA-PKCS1-v1_5 (RSA2048) or ECDSA P-256 (ECDSA, DER), the
// defaults of Java's SHA256withRSA / SHA256withECDSA. The signature is "ncpkms:v1:" +
// base64, as API 1.0 documents it (a KMS prefix and a base64 signature); verify takes it
// with or without the prefix.
#include "service/api/ncloud/ncp_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

// security-kms2-sign: "Up to 8 KB can be entered".
constexpr std::size_t kMaxSignedBytes = 8 * 1024;

SigningAlgorithm signingAlgorithmFor(const KeyRecord& k) {
    if (isRsa(k.spec)) return {SignatureScheme::RsaPkcs1, hsm::Hash::Sha256};
    if (ecCurve(k.spec)) return {SignatureScheme::Ecdsa, hsm::Hash::Sha256};
    throw Error(ErrorCode::UsageMismatch, "an AES256 key cannot sign or verify");
}

hsm::Bytes signedData(const JsonBody& body) {
    auto data = base64Decode(body.string("data"));
    if (!data || data->empty() || data->size() > kMaxSignedBytes) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be base64 of 1 to " + std::to_string(kMaxSignedBytes) + " bytes",
                    Input::Message);
    }
    return std::move(*data);
}

}  // namespace

// security-kms2-sign: data (base64) → data.signature.
Object::Ptr signMessage(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const SigningAlgorithm a = signingAlgorithmFor(k);
    const hsm::Bytes data = signedData(c.body);
    auto d = object();
    d->set("signature", kCiphertextPrefix + base64Encode(c.services.crypto->sign(
                                                c.scope, k.id, data, a, MessageType::Raw)));
    return ok(d);
}

// security-kms2-verify: data, signature → data.valid (true | false).
Object::Ptr verifyMessage(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const SigningAlgorithm a = signingAlgorithmFor(k);
    const hsm::Bytes data = signedData(c.body);
    const std::string given = c.body.string("signature");
    std::string_view text = given;
    if (text.starts_with(kCiphertextPrefix)) text.remove_prefix(sizeof kCiphertextPrefix - 1);
    const auto signature = base64Decode(text);
    if (!signature || signature->empty()) {
        throw Error(ErrorCode::InvalidParameter, "must be base64 (after an optional ncpkms:v1:)",
                    "signature");
    }
    auto d = object();
    d->set("valid",
           c.services.crypto->verify(c.scope, k.id, data, *signature, a, MessageType::Raw));
    return ok(d);
}

// security-kms2-public-key (POST /kms/v1/keys/{keyTag}/get-pub-key): keyVersion 1-100
// (default: the current one) → data.publicKey as PEM. RSA and ECDSA keys are not rotated,
// so their one version is the current one; another version is not found.
Object::Ptr getPublicKey(NcpCall& c) {
    const KeyRecord k = byTag(c);
    if (isSecretKey(k.spec))
        throw Error(ErrorCode::UsageMismatch, "an AES256 key has no public key");
    const auto version = c.body.optInteger("keyVersion", 1, 100);
    if (version && static_cast<std::uint32_t>(*version) != k.materialVersion) {
        throw Error(ErrorCode::KeyNotFound, "the key has no version " + std::to_string(*version) +
                                                " (current: " + std::to_string(k.materialVersion) +
                                                ")");
    }
    auto d = object();
    d->set("publicKey", spkiToPem(c.services.crypto->publicKey(c.scope, k.id)));
    return ok(d);
}

}  // namespace keyport::api::ncloud
