#include "hsm/observer.h"

#include <atomic>

namespace hsm {
namespace {

std::atomic<const Observer*> current{nullptr};

}  // namespace

void setObserver(const Observer* observer) noexcept {
    current.store(observer, std::memory_order_release);
}

const Observer* observer() noexcept {
    return current.load(std::memory_order_acquire);
}

const char* operationName(Operation op) noexcept {
    switch (op) {
        case Operation::GenerateKey:
            return "generate_key";
        case Operation::GenerateKeyPair:
            return "generate_key_pair";
        case Operation::DeriveKey:
            return "derive_key";
        case Operation::WrapKey:
            return "wrap_key";
        case Operation::UnwrapKey:
            return "unwrap_key";
        case Operation::Encrypt:
            return "encrypt";
        case Operation::Decrypt:
            return "decrypt";
        case Operation::Sign:
            return "sign";
        case Operation::Verify:
            return "verify";
    }
    return "other";
}

const char* mechanismName(CK_MECHANISM_TYPE mechanism) noexcept {
    // The mechanisms hsm::Mechanism builds; anything else is one "other" series.
    switch (mechanism) {
        case CKM_AES_KEY_GEN:
            return "CKM_AES_KEY_GEN";
        case CKM_GENERIC_SECRET_KEY_GEN:
            return "CKM_GENERIC_SECRET_KEY_GEN";
        case CKM_RSA_PKCS_KEY_PAIR_GEN:
            return "CKM_RSA_PKCS_KEY_PAIR_GEN";
        case CKM_EC_KEY_PAIR_GEN:
            return "CKM_EC_KEY_PAIR_GEN";
        case CKM_AES_KEY_WRAP_PAD:
            return "CKM_AES_KEY_WRAP_PAD";
        case CKM_AES_KEY_WRAP:
            return "CKM_AES_KEY_WRAP";
        case CKM_RSA_PKCS_OAEP:
            return "CKM_RSA_PKCS_OAEP";
        case CKM_RSA_X_509:
            return "CKM_RSA_X_509";
        case CKM_AES_CMAC:
            return "CKM_AES_CMAC";
        case CKM_AES_GCM:
            return "CKM_AES_GCM";
        case CKM_SHA_1_HMAC:
            return "CKM_SHA_1_HMAC";
        case CKM_SHA256_HMAC:
            return "CKM_SHA256_HMAC";
        case CKM_SHA384_HMAC:
            return "CKM_SHA384_HMAC";
        case CKM_SHA512_HMAC:
            return "CKM_SHA512_HMAC";
        case CKM_ECDH1_DERIVE:
            return "CKM_ECDH1_DERIVE";
        case CKM_AES_ECB_ENCRYPT_DATA:
            return "CKM_AES_ECB_ENCRYPT_DATA";
        case CKM_RSA_PKCS:
            return "CKM_RSA_PKCS";
        case CKM_RSA_PKCS_PSS:
            return "CKM_RSA_PKCS_PSS";
        case CKM_ECDSA:
            return "CKM_ECDSA";
        case CKM_SHA1_RSA_PKCS:
            return "CKM_SHA1_RSA_PKCS";
        case CKM_SHA256_RSA_PKCS:
            return "CKM_SHA256_RSA_PKCS";
        case CKM_SHA384_RSA_PKCS:
            return "CKM_SHA384_RSA_PKCS";
        case CKM_SHA512_RSA_PKCS:
            return "CKM_SHA512_RSA_PKCS";
        case CKM_SHA1_RSA_PKCS_PSS:
            return "CKM_SHA1_RSA_PKCS_PSS";
        case CKM_SHA256_RSA_PKCS_PSS:
            return "CKM_SHA256_RSA_PKCS_PSS";
        case CKM_SHA384_RSA_PKCS_PSS:
            return "CKM_SHA384_RSA_PKCS_PSS";
        case CKM_SHA512_RSA_PKCS_PSS:
            return "CKM_SHA512_RSA_PKCS_PSS";
        case CKM_ECDSA_SHA1:
            return "CKM_ECDSA_SHA1";
        case CKM_ECDSA_SHA256:
            return "CKM_ECDSA_SHA256";
        case CKM_ECDSA_SHA384:
            return "CKM_ECDSA_SHA384";
        case CKM_ECDSA_SHA512:
            return "CKM_ECDSA_SHA512";
        default:
            return "other";
    }
}

}  // namespace hsm
