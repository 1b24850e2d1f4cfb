#include "hsm/mechanism.h"

namespace hsm {
namespace {

CK_MECHANISM_TYPE digestMechanism(Hash h) {
    switch (h) {
        case Hash::Sha1:
            return CKM_SHA_1;
        case Hash::Sha256:
            return CKM_SHA256;
        case Hash::Sha384:
            return CKM_SHA384;
        case Hash::Sha512:
            return CKM_SHA512;
    }
    return CKM_SHA256;
}

CK_RSA_PKCS_MGF_TYPE mgf(Hash h) {
    switch (h) {
        case Hash::Sha1:
            return CKG_MGF1_SHA1;
        case Hash::Sha256:
            return CKG_MGF1_SHA256;
        case Hash::Sha384:
            return CKG_MGF1_SHA384;
        case Hash::Sha512:
            return CKG_MGF1_SHA512;
    }
    return CKG_MGF1_SHA256;
}

}  // namespace

const char* hashName(Hash h) {
    switch (h) {
        case Hash::Sha1:
            return "SHA-1";
        case Hash::Sha256:
            return "SHA-256";
        case Hash::Sha384:
            return "SHA-384";
        case Hash::Sha512:
            return "SHA-512";
    }
    return "?";
}

std::size_t hashSize(Hash h) {
    switch (h) {
        case Hash::Sha1:
            return 20;
        case Hash::Sha256:
            return 32;
        case Hash::Sha384:
            return 48;
        case Hash::Sha512:
            return 64;
    }
    return 0;
}

Mechanism::Mechanism(CK_MECHANISM_TYPE type) : params_(std::make_unique<Params>()) {
    mech_.mechanism = type;
}

Mechanism Mechanism::aesKeyGen() {
    return Mechanism(CKM_AES_KEY_GEN);
}
Mechanism Mechanism::genericSecretKeyGen() {
    return Mechanism(CKM_GENERIC_SECRET_KEY_GEN);
}
Mechanism Mechanism::rsaKeyPairGen() {
    return Mechanism(CKM_RSA_PKCS_KEY_PAIR_GEN);
}
Mechanism Mechanism::ecKeyPairGen() {
    return Mechanism(CKM_EC_KEY_PAIR_GEN);
}
Mechanism Mechanism::aesKeyWrapPad() {
    return Mechanism(CKM_AES_KEY_WRAP_PAD);
}
Mechanism Mechanism::aesKeyWrap() {
    return Mechanism(CKM_AES_KEY_WRAP);
}
Mechanism Mechanism::aesCmac() {
    return Mechanism(CKM_AES_CMAC);
}
Mechanism Mechanism::rsaX509() {
    return Mechanism(CKM_RSA_X_509);
}
Mechanism Mechanism::hmacSha256() {
    return Mechanism(CKM_SHA256_HMAC);
}
Mechanism Mechanism::hmac(Hash hash) {
    switch (hash) {
        case Hash::Sha1:
            return Mechanism(CKM_SHA_1_HMAC);
        case Hash::Sha256:
            return Mechanism(CKM_SHA256_HMAC);
        case Hash::Sha384:
            return Mechanism(CKM_SHA384_HMAC);
        case Hash::Sha512:
            return Mechanism(CKM_SHA512_HMAC);
    }
    return Mechanism(CKM_SHA256_HMAC);
}

Mechanism Mechanism::ecdh1Derive(ByteView peerPoint) {
    Mechanism m(CKM_ECDH1_DERIVE);
    auto& e = m.params_->emplace<Ecdh>();
    e.point.assign(peerPoint.begin(), peerPoint.end());
    e.params.kdf = CKD_NULL;
    e.params.ulSharedDataLen = 0;
    e.params.pSharedData = nullptr;
    e.params.ulPublicDataLen = e.point.size();
    e.params.pPublicData = e.point.data();
    m.mech_.pParameter = &e.params;
    m.mech_.ulParameterLen = sizeof e.params;
    return m;
}

Mechanism Mechanism::aesEcbEncryptData(ByteView data) {
    Mechanism m(CKM_AES_ECB_ENCRYPT_DATA);
    auto& d = m.params_->emplace<DerivationData>();
    d.data.assign(data.begin(), data.end());
    d.params.pData = d.data.data();
    d.params.ulLen = d.data.size();
    m.mech_.pParameter = &d.params;
    m.mech_.ulParameterLen = sizeof d.params;
    return m;
}

Mechanism Mechanism::rsaPkcs1() {
    return Mechanism(CKM_RSA_PKCS);
}
Mechanism Mechanism::ecdsa() {
    return Mechanism(CKM_ECDSA);
}

Mechanism Mechanism::rsaOaep(Hash hash) {
    Mechanism m(CKM_RSA_PKCS_OAEP);
    auto& p = m.params_->emplace<CK_RSA_PKCS_OAEP_PARAMS>();
    p.hashAlg = digestMechanism(hash);
    p.mgf = mgf(hash);
    p.source = CKZ_DATA_SPECIFIED;
    p.pSourceData = nullptr;
    p.ulSourceDataLen = 0;
    m.mech_.pParameter = &p;
    m.mech_.ulParameterLen = sizeof p;
    return m;
}

Mechanism Mechanism::rsaPss(Hash hash) {
    Mechanism m(CKM_RSA_PKCS_PSS);
    auto& p = m.params_->emplace<CK_RSA_PKCS_PSS_PARAMS>();
    p.hashAlg = digestMechanism(hash);
    p.mgf = mgf(hash);
    p.sLen = hashSize(hash);
    m.mech_.pParameter = &p;
    m.mech_.ulParameterLen = sizeof p;
    return m;
}

Mechanism Mechanism::rsaPssWithHash(Hash hash) {
    Mechanism m = rsaPss(hash);
    switch (hash) {
        case Hash::Sha1:
            m.mech_.mechanism = CKM_SHA1_RSA_PKCS_PSS;
            break;
        case Hash::Sha256:
            m.mech_.mechanism = CKM_SHA256_RSA_PKCS_PSS;
            break;
        case Hash::Sha384:
            m.mech_.mechanism = CKM_SHA384_RSA_PKCS_PSS;
            break;
        case Hash::Sha512:
            m.mech_.mechanism = CKM_SHA512_RSA_PKCS_PSS;
            break;
    }
    return m;
}

Mechanism Mechanism::rsaPkcs1WithHash(Hash hash) {
    switch (hash) {
        case Hash::Sha1:
            return Mechanism(CKM_SHA1_RSA_PKCS);
        case Hash::Sha256:
            return Mechanism(CKM_SHA256_RSA_PKCS);
        case Hash::Sha384:
            return Mechanism(CKM_SHA384_RSA_PKCS);
        case Hash::Sha512:
            return Mechanism(CKM_SHA512_RSA_PKCS);
    }
    return Mechanism(CKM_SHA256_RSA_PKCS);
}

Mechanism Mechanism::ecdsaWithHash(Hash hash) {
    switch (hash) {
        case Hash::Sha1:
            return Mechanism(CKM_ECDSA_SHA1);
        case Hash::Sha256:
            return Mechanism(CKM_ECDSA_SHA256);
        case Hash::Sha384:
            return Mechanism(CKM_ECDSA_SHA384);
        case Hash::Sha512:
            return Mechanism(CKM_ECDSA_SHA512);
    }
    return Mechanism(CKM_ECDSA_SHA256);
}

Mechanism Mechanism::aesGcm(ByteView iv, ByteView aad, unsigned long tagBits) {
    Mechanism m(CKM_AES_GCM);
    auto& g = m.params_->emplace<Gcm>();
    g.iv.assign(iv.begin(), iv.end());
    g.aad.assign(aad.begin(), aad.end());
    g.params.pIv = g.iv.empty() ? nullptr : g.iv.data();
    g.params.ulIvLen = g.iv.size();
    g.params.ulIvBits = g.iv.size() * 8;
    g.params.pAAD = g.aad.empty() ? nullptr : g.aad.data();
    g.params.ulAADLen = g.aad.size();
    g.params.ulTagBits = tagBits;
    m.mech_.pParameter = &g.params;
    m.mech_.ulParameterLen = sizeof g.params;
    return m;
}

ByteView digestInfoPrefix(Hash hash) {
    static constexpr std::uint8_t kSha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                             0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    static constexpr std::uint8_t kSha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                               0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                               0x01, 0x05, 0x00, 0x04, 0x20};
    static constexpr std::uint8_t kSha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                               0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                               0x02, 0x05, 0x00, 0x04, 0x30};
    static constexpr std::uint8_t kSha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60,
                                               0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                               0x03, 0x05, 0x00, 0x04, 0x40};
    switch (hash) {
        case Hash::Sha1:
            return kSha1;
        case Hash::Sha256:
            return kSha256;
        case Hash::Sha384:
            return kSha384;
        case Hash::Sha512:
            return kSha512;
    }
    return {};
}

}  // namespace hsm
