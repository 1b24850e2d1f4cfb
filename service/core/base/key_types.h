// The vocabulary of keys: specs, usages, origins, states and algorithms as enums. Strings
// are parsed into these once, at each dialect's JSON boundary.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "hsm/key_policies.h"
#include "hsm/mechanism.h"

namespace keyport {

enum class KeySpec { Aes256, Rsa2048, Rsa3072, Rsa4096, EcP256, EcP384, Hmac256, Hmac384, Hmac512 };
// GenerateVerifyMac: HMAC keys only. KeyAgreement: EC keys that derive shared secrets (ECDH).
// EncryptSign: RSA keys that both encrypt/decrypt and sign/verify (NAVER's RSA2048 keys).
enum class KeyUsage { EncryptDecrypt, SignVerify, GenerateVerifyMac, KeyAgreement, EncryptSign };
// Whether a key of this usage may encrypt/decrypt, or sign/verify.
bool canEncrypt(KeyUsage u);
bool canSign(KeyUsage u);
enum class Origin { Kms, External };
// Numeric values are Huawei's key_state codes.
enum class KeyState : int {
    PendingActivation = 1,
    Enabled = 2,
    Disabled = 3,
    PendingDeletion = 4,
    PendingImport = 5,
};
enum class WrappingAlgorithm { RsaOaepSha256, RsaOaepSha1 };
enum class UnwrapPath { OnToken, HostAssisted };
enum class EncryptionAlgorithm { SymmetricDefault, RsaOaepSha256, RsaOaepSha1 };
enum class SignatureScheme { RsaPss, RsaPkcs1, Ecdsa };
struct SigningAlgorithm {
    SignatureScheme scheme;
    hsm::Hash hash;
};
enum class MessageType { Digest, Raw };

// AES only: the keys that encrypt data and data keys. HMAC keys are secret too, but not this.
bool isSymmetric(KeySpec spec);
bool isHmac(KeySpec spec);
// Secret-key material (AES or HMAC): one value, no public half.
bool isSecretKey(KeySpec spec);
// HMAC keys: the hash of their one MAC algorithm, and their generated length in bytes.
std::optional<hsm::Hash> hmacHash(KeySpec spec);
std::size_t hmacBytes(KeySpec spec);
bool isRsa(KeySpec spec);
// RSA modulus bits, or 0.
unsigned rsaBits(KeySpec spec);
// Bytes of an AES key of this spec, or 0.
std::size_t aesBytes(KeySpec spec);
std::optional<hsm::Curve> ecCurve(KeySpec spec);
hsm::Hash oaepHash(WrappingAlgorithm a);

// Canonical names used in storage and logs (Huawei's spelling, stable).
std::string_view name(KeySpec v);
std::string_view name(KeyUsage v);
std::string_view name(Origin v);
std::string_view name(WrappingAlgorithm v);
std::string_view name(UnwrapPath v);
std::optional<KeySpec> parseKeySpec(std::string_view s);
std::optional<KeyUsage> parseKeyUsage(std::string_view s);        // a client's key_usage
std::optional<KeyUsage> parseStoredKeyUsage(std::string_view s);  // every usage, as stored
std::optional<Origin> parseOrigin(std::string_view s);
std::optional<WrappingAlgorithm> parseWrappingAlgorithm(std::string_view s);
std::optional<UnwrapPath> parseUnwrapPath(std::string_view s);
std::string_view name(EncryptionAlgorithm v);
std::optional<EncryptionAlgorithm> parseEncryptionAlgorithm(std::string_view s);
std::string name(SigningAlgorithm v);
std::optional<SigningAlgorithm> parseSigningAlgorithm(std::string_view s);
std::optional<MessageType> parseMessageType(std::string_view s);
// HMAC_SHA_256 / HMAC_SHA_384 / HMAC_SHA_512, as the hash they use.
std::optional<hsm::Hash> parseMacAlgorithm(std::string_view s);
std::string_view macAlgorithmName(hsm::Hash h);

}  // namespace keyport
