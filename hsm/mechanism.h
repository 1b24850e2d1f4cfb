// Mechanism: a CK_MECHANISM together with the parameter structure it points to, built by
// one named factory per mechanism Keyport uses.
#pragma once

#include <memory>
#include <variant>

#include "hsm/bytes.h"
#include "hsm/pkcs11.h"

namespace hsm {

enum class Hash { Sha1, Sha256, Sha384, Sha512 };

const char* hashName(Hash hash);
// Digest length in bytes.
std::size_t hashSize(Hash hash);

class Mechanism {
  public:
    // Key and key-pair generation.
    static Mechanism aesKeyGen();
    static Mechanism genericSecretKeyGen();
    static Mechanism rsaKeyPairGen();
    static Mechanism ecKeyPairGen();

    // Wrapping.
    static Mechanism aesKeyWrapPad();  // RFC 5649
    static Mechanism aesKeyWrap();     // RFC 3394
    static Mechanism rsaOaep(Hash hash);
    static Mechanism rsaX509();  // raw RSA, only for host-assisted OAEP

    // Data.
    static Mechanism aesGcm(ByteView iv, ByteView aad, unsigned long tagBits = 128);
    static Mechanism hmacSha256();
    // AES-CMAC (NIST SP 800-38B), full 16-byte MAC: key check values of AES keys.
    static Mechanism aesCmac();
    static Mechanism hmac(Hash hash);  // CKM_SHA256_HMAC / CKM_SHA384_HMAC / CKM_SHA512_HMAC

    // Key agreement: ECDH with the peer's public point (uncompressed, raw; no KDF), the
    // shared secret becoming a generic secret object (CKM_ECDH1_DERIVE).
    static Mechanism ecdh1Derive(ByteView peerPoint);
    // A secret whose value is AES-ECB of `data` under the base key (CKM_AES_ECB_ENCRYPT_DATA;
    // `data` a multiple of 16 bytes): the derived key of a convergent AES key.
    static Mechanism aesEcbEncryptData(ByteView data);
    // Signatures over a precomputed digest (message_type DIGEST).
    static Mechanism rsaPkcs1();  // input is a DER DigestInfo
    static Mechanism rsaPss(Hash hash);
    static Mechanism ecdsa();
    // Signatures over the raw message (message_type RAW).
    static Mechanism rsaPkcs1WithHash(Hash hash);
    static Mechanism rsaPssWithHash(Hash hash);
    static Mechanism ecdsaWithHash(Hash hash);

    CK_MECHANISM_TYPE type() const { return mech_.mechanism; }
    // Pointer valid while this object lives; PKCS#11 wants it non-const.
    CK_MECHANISM* get() const { return &mech_; }

    Mechanism(const Mechanism&) = delete;
    Mechanism& operator=(const Mechanism&) = delete;
    Mechanism(Mechanism&&) noexcept = default;
    Mechanism& operator=(Mechanism&&) noexcept = default;

  private:
    explicit Mechanism(CK_MECHANISM_TYPE type);

    struct Gcm {
        Bytes iv;
        Bytes aad;
        CK_GCM_PARAMS params;
    };
    struct Ecdh {
        Bytes point;
        CK_ECDH1_DERIVE_PARAMS params;
    };
    struct DerivationData {
        Bytes data;
        CK_KEY_DERIVATION_STRING_DATA params;
    };
    using Params = std::variant<std::monostate, CK_RSA_PKCS_OAEP_PARAMS, CK_RSA_PKCS_PSS_PARAMS,
                                Gcm, Ecdh, DerivationData>;

    // Heap-allocated so pointers into it survive moves of the Mechanism.
    std::unique_ptr<Params> params_;
    mutable CK_MECHANISM mech_{};
};

// The DER DigestInfo prefix PKCS#1 v1.5 signatures put before a digest.
ByteView digestInfoPrefix(Hash hash);

}  // namespace hsm
