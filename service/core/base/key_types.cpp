#include "service/core/base/key_types.h"

#include <array>
#include <utility>

namespace keyport {
namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
    for (const auto& [v, n] : table) {
        if (n == s) return v;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view lookupName(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
    for (const auto& [e, n] : table) {
        if (e == v) return n;
    }
    return "?";
}

constexpr std::array<std::pair<KeySpec, std::string_view>, 9> kSpecs{{
    {KeySpec::Aes256, "AES_256"},
    {KeySpec::Rsa2048, "RSA_2048"},
    {KeySpec::Rsa3072, "RSA_3072"},
    {KeySpec::Rsa4096, "RSA_4096"},
    {KeySpec::EcP256, "EC_P256"},
    {KeySpec::EcP384, "EC_P384"},
    {KeySpec::Hmac256, "HMAC_256"},
    {KeySpec::Hmac384, "HMAC_384"},
    {KeySpec::Hmac512, "HMAC_512"},
}};
constexpr std::array<std::pair<KeyUsage, std::string_view>, 5> kUsages{{
    {KeyUsage::EncryptDecrypt, "ENCRYPT_DECRYPT"},
    {KeyUsage::SignVerify, "SIGN_VERIFY"},
    {KeyUsage::GenerateVerifyMac, "GENERATE_VERIFY_MAC"},
    {KeyUsage::KeyAgreement, "KEY_AGREEMENT"},
    {KeyUsage::EncryptSign, "ENCRYPT_DECRYPT_SIGN_VERIFY"},
}};
// mac_algorithm of generate-mac / verify-mac (model/GenerateMacRequestBody.ts).
constexpr std::array<std::pair<hsm::Hash, std::string_view>, 3> kMacAlgorithms{{
    {hsm::Hash::Sha256, "HMAC_SHA_256"},
    {hsm::Hash::Sha384, "HMAC_SHA_384"},
    {hsm::Hash::Sha512, "HMAC_SHA_512"},
}};
constexpr std::array<std::pair<Origin, std::string_view>, 2> kOrigins{{
    {Origin::Kms, "kms"},
    {Origin::External, "external"},
}};
constexpr std::array<std::pair<WrappingAlgorithm, std::string_view>, 2> kWrapping{{
    {WrappingAlgorithm::RsaOaepSha256, "RSAES_OAEP_SHA_256"},
    {WrappingAlgorithm::RsaOaepSha1, "RSAES_OAEP_SHA_1"},
}};
constexpr std::array<std::pair<UnwrapPath, std::string_view>, 2> kPaths{{
    {UnwrapPath::OnToken, "on-token"},
    {UnwrapPath::HostAssisted, "host-assisted"},
}};

constexpr std::array<std::pair<EncryptionAlgorithm, std::string_view>, 3> kEncryption{{
    {EncryptionAlgorithm::SymmetricDefault, "SYMMETRIC_DEFAULT"},
    {EncryptionAlgorithm::RsaOaepSha256, "RSAES_OAEP_SHA_256"},
    {EncryptionAlgorithm::RsaOaepSha1, "RSAES_OAEP_SHA_1"},
}};
constexpr std::array<std::pair<MessageType, std::string_view>, 2> kMessageTypes{{
    {MessageType::Digest, "DIGEST"},
    {MessageType::Raw, "RAW"},
}};
constexpr std::array<std::pair<hsm::Hash, std::string_view>, 3> kSigHashes{{
    {hsm::Hash::Sha256, "SHA_256"},
    {hsm::Hash::Sha384, "SHA_384"},
    {hsm::Hash::Sha512, "SHA_512"},
}};
constexpr std::array<std::pair<SignatureScheme, std::string_view>, 3> kSchemes{{
    {SignatureScheme::RsaPss, "RSASSA_PSS_"},
    {SignatureScheme::RsaPkcs1, "RSASSA_PKCS1_V1_5_"},
    {SignatureScheme::Ecdsa, "ECDSA_"},
}};

}  // namespace

std::string_view name(EncryptionAlgorithm v) {
    return lookupName(kEncryption, v);
}
std::optional<EncryptionAlgorithm> parseEncryptionAlgorithm(std::string_view s) {
    return lookup(kEncryption, s);
}
std::optional<MessageType> parseMessageType(std::string_view s) {
    return lookup(kMessageTypes, s);
}
std::optional<hsm::Hash> parseMacAlgorithm(std::string_view s) {
    return lookup(kMacAlgorithms, s);
}
std::string_view macAlgorithmName(hsm::Hash h) {
    return lookupName(kMacAlgorithms, h);
}

std::string name(SigningAlgorithm v) {
    return std::string(lookupName(kSchemes, v.scheme)) +
           std::string(lookupName(kSigHashes, v.hash));
}

std::optional<SigningAlgorithm> parseSigningAlgorithm(std::string_view s) {
    for (const auto& [scheme, prefix] : kSchemes) {
        if (s.substr(0, prefix.size()) != prefix) continue;
        if (auto h = lookup(kSigHashes, s.substr(prefix.size())))
            return SigningAlgorithm{scheme, *h};
    }
    return std::nullopt;
}

bool isSymmetric(KeySpec s) {
    return s == KeySpec::Aes256;
}
bool isHmac(KeySpec s) {
    return hmacHash(s).has_value();
}
bool isSecretKey(KeySpec s) {
    return isSymmetric(s) || isHmac(s);
}

std::optional<hsm::Hash> hmacHash(KeySpec s) {
    switch (s) {
        case KeySpec::Hmac256:
            return hsm::Hash::Sha256;
        case KeySpec::Hmac384:
            return hsm::Hash::Sha384;
        case KeySpec::Hmac512:
            return hsm::Hash::Sha512;
        default:
            return std::nullopt;
    }
}

// A key as long as its hash's output (RFC 2104 recommends at least that much).
std::size_t hmacBytes(KeySpec s) {
    const auto h = hmacHash(s);
    return h ? hsm::hashSize(*h) : 0;
}

bool isRsa(KeySpec s) {
    return rsaBits(s) != 0;
}

unsigned rsaBits(KeySpec s) {
    switch (s) {
        case KeySpec::Rsa2048:
            return 2048;
        case KeySpec::Rsa3072:
            return 3072;
        case KeySpec::Rsa4096:
            return 4096;
        default:
            return 0;
    }
}

std::size_t aesBytes(KeySpec s) {
    return s == KeySpec::Aes256 ? 32 : 0;
}

std::optional<hsm::Curve> ecCurve(KeySpec s) {
    if (s == KeySpec::EcP256) return hsm::Curve::P256;
    if (s == KeySpec::EcP384) return hsm::Curve::P384;
    return std::nullopt;
}

hsm::Hash oaepHash(WrappingAlgorithm a) {
    return a == WrappingAlgorithm::RsaOaepSha1 ? hsm::Hash::Sha1 : hsm::Hash::Sha256;
}

std::string_view name(KeySpec v) {
    return lookupName(kSpecs, v);
}
bool canEncrypt(KeyUsage u) {
    return u == KeyUsage::EncryptDecrypt || u == KeyUsage::EncryptSign;
}
bool canSign(KeyUsage u) {
    return u == KeyUsage::SignVerify || u == KeyUsage::EncryptSign;
}

std::string_view name(KeyUsage v) {
    return lookupName(kUsages, v);
}
std::string_view name(Origin v) {
    return lookupName(kOrigins, v);
}
std::string_view name(WrappingAlgorithm v) {
    return lookupName(kWrapping, v);
}
std::string_view name(UnwrapPath v) {
    return lookupName(kPaths, v);
}
std::optional<KeySpec> parseKeySpec(std::string_view s) {
    return lookup(kSpecs, s);
}
std::optional<KeyUsage> parseKeyUsage(std::string_view s) {
    // EncryptSign is no client's word (Huawei's key_usage has no such value): only storage
    // reads it back.
    const auto u = lookup(kUsages, s);
    if (u == KeyUsage::EncryptSign) return std::nullopt;
    return u;
}
std::optional<KeyUsage> parseStoredKeyUsage(std::string_view s) {
    return lookup(kUsages, s);
}
std::optional<Origin> parseOrigin(std::string_view s) {
    return lookup(kOrigins, s);
}
std::optional<WrappingAlgorithm> parseWrappingAlgorithm(std::string_view s) {
    return lookup(kWrapping, s);
}
std::optional<UnwrapPath> parseUnwrapPath(std::string_view s) {
    return lookup(kPaths, s);
}

}  // namespace keyport
