#include "service/core/keys/crypto_service.h"

#include "hsm/error.h"
#include "service/core/base/errors.h"
#include "service/core/keys/ciphertext.h"
#include "service/core/keys/convergent_iv.h"
#include "service/core/keys/public_crypto.h"
#include "service/core/tokens/host_oaep.h"

namespace keyport {
namespace {

void requireUsage(const KeyRecord& k, KeyUsage usage) {
    const bool allowed = usage == KeyUsage::EncryptDecrypt ? canEncrypt(k.usage)
                         : usage == KeyUsage::SignVerify   ? canSign(k.usage)
                                                           : k.usage == usage;
    if (!allowed) {
        throw Error(ErrorCode::UsageMismatch,
                    "names a " + std::string(name(k.usage)) + " key, which cannot do this",
                    Input::KeyId);
    }
}

// RSA-OAEP has nowhere to bind associated data (Huawei: an asymmetric ciphertext carries no
// metadata), so a context given with an RSA key is refused rather than silently dropped.
void rejectContext(hsm::ByteView context) {
    if (!context.empty()) {
        throw Error(ErrorCode::InvalidParameter,
                    "can only be used with a symmetric key: RSA-OAEP cannot bind it",
                    Input::EncryptionContext);
    }
}

// A convergent key's ciphertext is a function of its context: NAVER requires the context
// on every encrypt and decrypt with such a key.
void requireContext(const KeyRecord& k, hsm::ByteView context) {
    if (k.convergent && context.empty()) {
        throw Error(ErrorCode::MissingParameter, "is required with a convergent key",
                    Input::EncryptionContext);
    }
}

[[noreturn]] void undecryptable() {
    throw Error(
        ErrorCode::CiphertextInvalid,
        "could not be decrypted: altered, truncated, not made by this key, or the context differs",
        Input::Ciphertext);
}

std::uint8_t rsaVersion(EncryptionAlgorithm a) {
    return a == EncryptionAlgorithm::RsaOaepSha1 ? Ciphertext::kRsaOaepSha1
                                                 : Ciphertext::kRsaOaepSha256;
}

void checkSigningAlgorithm(const KeyRecord& k, SigningAlgorithm a) {
    const bool rsaScheme = a.scheme != SignatureScheme::Ecdsa;
    if (rsaScheme != isRsa(k.spec)) {
        throw Error(
            ErrorCode::InvalidParameter,
            "names " + name(a) + ", which does not fit a " + std::string(name(k.spec)) + " key",
            Input::SigningAlgorithm);
    }
}

hsm::Bytes toDigest(hsm::ByteView message, SigningAlgorithm a, MessageType type) {
    if (type == MessageType::Raw) return digest(a.hash, message);
    if (message.size() != hsm::hashSize(a.hash)) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be a " + std::to_string(hsm::hashSize(a.hash)) + "-byte digest for " +
                        name(a) + " (or send the raw message as such)",
                    Input::Message);
    }
    return hsm::Bytes(message.begin(), message.end());
}

EncryptionAlgorithm algorithmOf(const Ciphertext& c) {
    if (c.isAes()) return EncryptionAlgorithm::SymmetricDefault;
    return c.version == Ciphertext::kRsaOaepSha1 ? EncryptionAlgorithm::RsaOaepSha1
                                                 : EncryptionAlgorithm::RsaOaepSha256;
}

// Runs one side of a re-encryption, so that its errors about "the key", "the context" or
// "the algorithm" name that side's inputs (and, on the destination side, "the plaintext" is
// the content of the ciphertext given).
template <class F>
auto onSide(F&& f, Input key, Input context, Input algorithm, Input plaintext = Input::Plaintext) {
    try {
        return f();
    } catch (const Error& e) {
        const Input in = e.input();
        const Input side = in == Input::KeyId                 ? key
                           : in == Input::EncryptionContext   ? context
                           : in == Input::EncryptionAlgorithm ? algorithm
                           : in == Input::Plaintext           ? plaintext
                                                              : in;
        if (side == in) throw;
        Error renamed(e.code(), e.what(), side);
        if (e.limit()) throw std::move(renamed).withLimit(*e.limit());
        throw renamed;
    }
}

}  // namespace

CryptoService::CryptoService(KeyService& keys, RegionTokens& regions, KeyMaterial& material)
    : keys_(keys), regions_(regions), material_(material) {}

hsm::Bytes CryptoService::encrypt(const ProjectScope& scope, const std::string& keyId,
                                  hsm::ByteView plaintext, EncryptionAlgorithm algorithm,
                                  hsm::ByteView context) {
    const KeyRecord k = keys_.usable(scope, keyId);
    requireUsage(k, KeyUsage::EncryptDecrypt);
    Ciphertext c;
    c.keyId = k.id;
    if (isSymmetric(k.spec)) {
        if (algorithm != EncryptionAlgorithm::SymmetricDefault) {
            throw Error(ErrorCode::InvalidParameter, "must be the symmetric default for an AES key",
                        Input::EncryptionAlgorithm);
        }
        requireContext(k, context);
        auto key = k.convergent ? material_.openConvergent(k) : material_.open(k);
        auto session = key->region().token->session();
        c.version = Ciphertext::kAesGcmVersioned;
        c.materialVersion = k.materialVersion;  // always the current material
        c.context.assign(context.begin(), context.end());
        c.iv = k.convergent ? convergentIv(*session, key->handle(), c, plaintext)
                            : session->random(Ciphertext::kIvSize);
        c.payload = session->encrypt(hsm::Mechanism::aesGcm(c.iv, c.associatedData()),
                                     key->handle(), plaintext);
        return c.encode();
    }
    if (algorithm == EncryptionAlgorithm::SymmetricDefault) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be RSA-OAEP with SHA-256 or SHA-1 for an RSA key",
                    Input::EncryptionAlgorithm);
    }
    rejectContext(context);
    const hsm::Hash hash =
        algorithm == EncryptionAlgorithm::RsaOaepSha1 ? hsm::Hash::Sha1 : hsm::Hash::Sha256;
    const std::size_t limit = rsaBits(k.spec) / 8 - 2 * hsm::hashSize(hash) - 2;
    if (plaintext.size() > limit) {
        throw Error(
            ErrorCode::PlaintextTooLong,
            "is too long for this key and algorithm (at most " + std::to_string(limit) + " bytes)",
            Input::Plaintext)
            .withLimit(limit);
    }
    c.version = rsaVersion(algorithm);
    c.payload = rsaOaepEncrypt(*k.publicSpki, hash, plaintext);
    return c.encode();
}

Decrypted CryptoService::decrypt(const ProjectScope& scope, hsm::ByteView ciphertext,
                                 hsm::ByteView context) {
    auto c = Ciphertext::decode(ciphertext);
    if (c) c->context.assign(context.begin(), context.end());
    if (!c) {
        throw Error(ErrorCode::CiphertextInvalid, "is not a Keyport ciphertext", Input::Ciphertext);
    }
    // The ciphertext's key or its replica-group member in the caller's project: members share
    // material, and the associated data below still names the key that encrypted.
    const KeyRecord k = keys_.usableMember(scope, c->keyId);
    requireUsage(k, KeyUsage::EncryptDecrypt);
    if (c->isAes() && !isSymmetric(k.spec)) undecryptable();
    requireContext(k, context);
    auto key = c->isAes() ? openMaterialVersion(k, c->materialVersion) : material_.open(k);
    auto session = key->region().token->session();
    if (c->isAes()) {
        try {
            return {k.id, session->decrypt(hsm::Mechanism::aesGcm(c->iv, c->associatedData()),
                                           key->handle(), c->payload)};
        } catch (const hsm::Error&) {
            undecryptable();
        }
    }
    if (!isRsa(k.spec)) undecryptable();
    rejectContext(context);
    // Customer data, not key material: OAEP is removed on the host (SoftHSM 2.6.1 has no
    // OAEP-SHA-256 decrypt), the same way the host-assisted import path does it.
    auto plain = hostOaepDecrypt(
        *session, key->handle(), rsaBits(k.spec) / 8, c->payload,
        c->version == Ciphertext::kRsaOaepSha1 ? hsm::Hash::Sha1 : hsm::Hash::Sha256);
    if (!plain) undecryptable();
    return {k.id, std::move(*plain)};
}

ReEncrypted CryptoService::reEncrypt(const ProjectScope& scope, const ReEncryptRequest& r) {
    const auto c = Ciphertext::decode(r.ciphertext);
    if (!c) {
        throw Error(ErrorCode::CiphertextInvalid, "is not a Keyport ciphertext", Input::Ciphertext);
    }
    const EncryptionAlgorithm sourceAlgorithm = algorithmOf(*c);
    if (r.sourceAlgorithm && *r.sourceAlgorithm != sourceAlgorithm) {
        throw Error(ErrorCode::InvalidParameter,
                    "is not the algorithm the ciphertext was made with (" +
                        std::string(name(sourceAlgorithm)) + ")",
                    Input::SourceEncryptionAlgorithm);
    }
    const Decrypted d =
        onSide([&] { return decrypt(scope, r.ciphertext, r.sourceContext); }, Input::SourceKeyId,
               Input::SourceEncryptionContext, Input::SourceEncryptionAlgorithm);
    // The named source key must be the one that made the ciphertext, or the member of its
    // replica group that opened it here; checked after decrypting so that it reveals
    // nothing about ciphertexts the caller cannot open.
    if (r.sourceKeyId && *r.sourceKeyId != c->keyId && *r.sourceKeyId != d.keyId) {
        throw Error(ErrorCode::InvalidParameter, "is not the key the ciphertext was made with",
                    Input::SourceKeyId);
    }
    hsm::Bytes out = onSide(
        [&] {
            return encrypt(scope, r.destinationKeyId, d.plaintext.reveal(), r.destinationAlgorithm,
                           r.destinationContext);
        },
        Input::DestinationKeyId, Input::DestinationEncryptionContext,
        Input::DestinationEncryptionAlgorithm, Input::Ciphertext);
    return {d.keyId, sourceAlgorithm, r.destinationKeyId, r.destinationAlgorithm, std::move(out)};
}

std::shared_ptr<OpenKey> CryptoService::openMaterialVersion(const KeyRecord& k,
                                                            std::uint32_t version) {
    if (version == k.materialVersion) return material_.open(k);
    if (version > k.materialVersion) {
        // A rotation this process has not seen yet (another keyportd on the same database,
        // or a cached row a moment old): look again before calling it forged.
        const KeyRecord fresh = keys_.reread(k);
        if (version != fresh.materialVersion || !fresh.blob) undecryptable();
        return material_.open(fresh);
    }
    if (!k.blob) throw Error(ErrorCode::KeyPendingImport, "the key has no key material");
    return material_.openVersion(k, version, [&] {
        auto blob = keys_.versionBlob(k, version);
        if (!blob) undecryptable();
        return std::move(*blob);
    });
}

DataKey CryptoService::createDataKey(const ProjectScope& scope, const std::string& keyId,
                                     std::size_t bytes, bool withPlaintext, hsm::ByteView context,
                                     EncryptionAlgorithm algorithm) {
    const KeyRecord k = keys_.usable(scope, keyId);
    // The symmetric default asks for an AES key; an RSA-OAEP algorithm for an RSA key that
    // encrypts (NAVER's create-custom-key with an RSA2048 key).
    const bool fits =
        algorithm == EncryptionAlgorithm::SymmetricDefault ? isSymmetric(k.spec) : isRsa(k.spec);
    if (!fits) {
        throw Error(ErrorCode::InvalidParameter,
                    algorithm == EncryptionAlgorithm::SymmetricDefault
                        ? "names a key that cannot make data keys (AES only)"
                        : "names a key that cannot make data keys under RSA-OAEP (RSA only)",
                    Input::KeyId);
    }
    auto session = regions_.token(k.region).session();
    hsm::SecretBytes plain = session->randomSecret(bytes);
    DataKey dk{k.id, {}, encrypt(scope, keyId, plain.reveal(), algorithm, context)};
    if (withPlaintext) dk.plaintext = std::move(plain);
    return dk;
}

hsm::Bytes CryptoService::sign(const ProjectScope& scope, const std::string& keyId,
                               hsm::ByteView message, SigningAlgorithm algorithm,
                               MessageType type) {
    const KeyRecord k = keys_.usable(scope, keyId);
    requireUsage(k, KeyUsage::SignVerify);
    checkSigningAlgorithm(k, algorithm);
    const hsm::Bytes dgst = toDigest(message, algorithm, type);
    auto key = material_.open(k);
    auto session = key->region().token->session();
    switch (algorithm.scheme) {
        case SignatureScheme::RsaPkcs1: {
            const auto prefix = hsm::digestInfoPrefix(algorithm.hash);
            hsm::Bytes info(prefix.begin(), prefix.end());
            info.insert(info.end(), dgst.begin(), dgst.end());
            return session->sign(hsm::Mechanism::rsaPkcs1(), key->handle(), info);
        }
        case SignatureScheme::RsaPss:
            return session->sign(hsm::Mechanism::rsaPss(algorithm.hash), key->handle(), dgst);
        case SignatureScheme::Ecdsa:
            return ecdsaRawToDer(session->sign(hsm::Mechanism::ecdsa(), key->handle(), dgst));
    }
    throw Error(ErrorCode::Internal, "unknown signature scheme");
}

bool CryptoService::verify(const ProjectScope& scope, const std::string& keyId,
                           hsm::ByteView message, hsm::ByteView signature,
                           SigningAlgorithm algorithm, MessageType type) {
    const KeyRecord k = keys_.usable(scope, keyId);
    requireUsage(k, KeyUsage::SignVerify);
    checkSigningAlgorithm(k, algorithm);
    return verifyDigest(*k.publicSpki, algorithm, toDigest(message, algorithm, type), signature);
}

hsm::Bytes CryptoService::publicKey(const ProjectScope& scope, const std::string& keyId) {
    const KeyRecord k = keys_.get(scope, keyId);
    if (isSecretKey(k.spec)) {
        throw Error(ErrorCode::InvalidParameter, "names a symmetric key, which has no public key",
                    Input::KeyId);
    }
    if (!k.publicSpki)
        throw Error(ErrorCode::KeyPendingImport, "the key has no key material (state 5)");
    return *k.publicSpki;
}

hsm::Bytes CryptoService::random(const ProjectScope& scope, std::size_t bytes) {
    auto session = regions_.token(scope.region).session();
    return session->random(bytes);
}

}  // namespace keyport
