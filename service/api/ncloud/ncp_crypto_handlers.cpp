// NAVER Cloud KMS API 2.0 data cryptography: encrypt, decrypt, re-encrypt, create-custom-key
// (pages security-kms2-encrypt, -decrypt, -reencrypt, -custom-key, checked 2026-12-01).
#include "service/api/ncloud/ncp_call.h"
#include "service/api/ncloud/ncp_crypto_input.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

EncryptionAlgorithm algorithmFor(const KeyRecord& k) {
    return isSymmetric(k.spec) ? EncryptionAlgorithm::SymmetricDefault
                               : EncryptionAlgorithm::RsaOaepSha256;
}

// encrypt, decrypt, re-encrypt and create-custom-key are for AES256 and RSA2048 keys only.
void requireEncryptionKey(const KeyRecord& k, const char* what) {
    if (ecCurve(k.spec))
        throw Error(ErrorCode::UsageMismatch, std::string("an ECDSA key cannot ") + what);
}

std::string ciphertextText(const hsm::Bytes& ct) {
    return kCiphertextPrefix + base64Encode(ct);
}

hsm::Bytes ciphertextBytes(const std::string& text) {
    if (!text.starts_with(kCiphertextPrefix)) {
        throw Error(ErrorCode::InvalidParameter,
                    std::string("must start with ") + kCiphertextPrefix, "ciphertext");
    }
    auto ct = base64Decode(std::string_view(text).substr(sizeof kCiphertextPrefix - 1));
    if (!ct || ct->empty())
        throw Error(ErrorCode::InvalidParameter, "is not base64 after the prefix", "ciphertext");
    return std::move(*ct);
}

// The answer field holds one string or, when the request sent an Array, an array in the
// same order (the docs' "String or Array<String>").
template <class F>
Object::Ptr perItem(const Items& items, const std::string& field, F&& one) {
    auto d = object();
    if (!items.isArray) {
        d->set(field, one(items.values.front()));
        return ok(d);
    }
    Poco::JSON::Array::Ptr out = new Array;
    for (const auto& v : items.values) out->add(one(v));
    d->set(field, out);
    return ok(d);
}

}  // namespace

// security-kms2-encrypt: plaintext (String or Array<String>, base64, up to 32 KB in all),
// context (base64, up to 50 bytes; required for a convergent key) → data.ciphertext.
Object::Ptr encrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    requireEncryptionKey(k, "encrypt");
    const Items items = readItems(c.body, "plaintext");
    const ContextBytes context = readContext(c.body);
    // Each item is decoded on its own and wiped after use; the total is checked first.
    std::size_t total = 0;
    std::vector<hsm::SecretBytes> plains;
    for (const auto& v : items.values) {
        auto plain = base64DecodeSecret(v.text);
        if (!plain || plain->empty())
            throw Error(ErrorCode::InvalidParameter, "must be base64 of at least 1 byte",
                        "plaintext");
        total += plain->size();
        if (total > kMaxPlaintextBytes) {
            throw Error(
                ErrorCode::PlaintextTooLong,
                "is too long (at most " + std::to_string(kMaxPlaintextBytes) + " bytes in all)",
                "plaintext")
                .withLimit(kMaxPlaintextBytes);
        }
        plains.push_back(std::move(*plain));
    }
    std::size_t i = 0;
    return perItem(items, "ciphertext", [&](const SecretText&) {
        return ciphertextText(c.services.crypto->encrypt(c.scope, k.id, plains[i++].reveal(),
                                                         algorithmFor(k), context.bytes));
    });
}

// security-kms2-decrypt: ciphertext (String or Array<String>, ncpkms:v1: + base64),
// context → data.plaintext (base64; an array for an array).
Object::Ptr decrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    requireEncryptionKey(k, "decrypt");
    const Items items = readItems(c.body, "ciphertext");
    const ContextBytes context = readContext(c.body);
    std::vector<hsm::Bytes> cts;
    for (const auto& v : items.values) cts.push_back(ciphertextBytes(v.text));
    auto d = object();
    std::vector<std::string> plains;
    for (const auto& ct : cts) {
        const Decrypted out = c.services.crypto->decrypt(c.scope, ct, context.bytes);
        if (out.keyId != k.id)
            throw Error(ErrorCode::InvalidParameter, "was not made by this key", "ciphertext");
        plains.push_back(base64Encode(out.plaintext.reveal()));
    }
    if (!items.isArray) {
        setSecret(d, "plaintext", std::move(plains.front()));
    } else {
        Poco::JSON::Array::Ptr out = new Array;
        for (auto& p : plains) {
            out->add(p);
            wipe(p);
        }
        d->set("plaintext", out);
    }
    return ok(d);
}

// security-kms2-reencrypt (POST /kms/v1/keys/{keyTag}/re-encrypt): ciphertext (String or
// Array<String>) made by any version of this key → data.newCiphertext under the current
// version, bound to the same context.
Object::Ptr reencrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    requireEncryptionKey(k, "re-encrypt");
    const Items items = readItems(c.body, "ciphertext");
    const ContextBytes context = readContext(c.body);
    std::vector<hsm::Bytes> cts;
    for (const auto& v : items.values) cts.push_back(ciphertextBytes(v.text));
    std::size_t i = 0;
    return perItem(items, "newCiphertext", [&](const SecretText&) {
        const hsm::Bytes& ct = cts[i++];
        ReEncryptRequest r;
        r.ciphertext = ct;
        r.sourceContext = context.bytes;
        r.destinationKeyId = k.id;
        r.destinationAlgorithm = algorithmFor(k);
        r.destinationContext = context.bytes;
        const ReEncrypted out = asOneKey([&] { return c.services.crypto->reEncrypt(c.scope, r); });
        if (out.sourceKeyId != k.id)
            throw Error(ErrorCode::InvalidParameter, "was not made by this key", "ciphertext");
        return ciphertextText(out.ciphertext);
    });
}

// security-kms2-custom-key: requestPlainKey (default false), bits 128 | 256 (default) |
// 512, context → data.ciphertext (the raw key under this key), data.key_version, and
// data.plaintext (base64) when requested.
Object::Ptr createCustomKey(NcpCall& c) {
    const KeyRecord k = byTag(c);
    requireEncryptionKey(k, "create a custom key");
    const bool withPlaintext = c.body.optBool("requestPlainKey").value_or(false);
    const auto bits = c.body.optInteger("bits", 0, 1 << 20).value_or(256);
    if (bits != 128 && bits != 256 && bits != 512)
        throw Error(ErrorCode::InvalidParameter, "must be 128, 256 or 512", "bits");
    const ContextBytes context = readContext(c.body);
    DataKey dk = c.services.crypto->createDataKey(c.scope, k.id, static_cast<std::size_t>(bits / 8),
                                                  withPlaintext, context.bytes, algorithmFor(k));
    auto d = object();
    d->set("ciphertext", ciphertextText(dk.ciphertext));
    d->set("key_version", static_cast<int>(k.materialVersion));
    if (withPlaintext) setSecret(d, "plaintext", base64Encode(dk.plaintext.reveal()));
    return ok(d);
}

}  // namespace keyport::api::ncloud
