#include "hsm/key_policies.h"

namespace hsm {

const char* curveName(Curve curve) {
    return curve == Curve::P256 ? "P-256" : "P-384";
}

ByteView curveParams(Curve curve) {
    static constexpr std::uint8_t kP256[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x03, 0x01, 0x07};
    static constexpr std::uint8_t kP384[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};
    if (curve == Curve::P256) return kP256;
    return kP384;
}

namespace policy {
namespace {

AttributeTemplate secretKey(CK_KEY_TYPE type, Persistence p) {
    AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_SECRET_KEY})
        .set(CKA_KEY_TYPE, CK_KEY_TYPE{type})
        .set(CKA_TOKEN, p == Persistence::Token)
        .set(CKA_PRIVATE, true)
        .set(CKA_SENSITIVE, true)
        .set(CKA_EXTRACTABLE, false);
    return t;
}

AttributeTemplate privateKey(CK_KEY_TYPE type, Persistence p) {
    AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_PRIVATE_KEY})
        .set(CKA_KEY_TYPE, CK_KEY_TYPE{type})
        .set(CKA_TOKEN, p == Persistence::Token)
        .set(CKA_PRIVATE, true)
        .set(CKA_SENSITIVE, true)
        .set(CKA_EXTRACTABLE, false)
        .set(CKA_DERIVE, false);
    return t;
}

AttributeTemplate publicKey(CK_KEY_TYPE type, Persistence p) {
    AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_PUBLIC_KEY})
        .set(CKA_KEY_TYPE, CK_KEY_TYPE{type})
        .set(CKA_TOKEN, p == Persistence::Token)
        .set(CKA_PRIVATE, false);
    return t;
}

// SoftHSM 2.6.1 refuses CKA_MODIFIABLE in a C_UnwrapKey template
// (CKR_ATTRIBUTE_READ_ONLY), so only the generated static objects are frozen with it.
AttributeTemplate frozen(AttributeTemplate t) {
    t.set(CKA_MODIFIABLE, false);
    return t;
}

constexpr std::uint8_t kF4[] = {0x01, 0x00, 0x01};

// A static object that a ceremony backup can carry off the token, and nothing else can:
// extractable, but only under a key the SO marked CKA_TRUSTED (SoftHSM 2.6.1 enforces
// both: an untrusted wrapping key gets CKR_KEY_NOT_WRAPPABLE, a user cannot set
// CKA_TRUSTED, and CKA_WRAP_WITH_TRUSTED cannot be cleared once set).
AttributeTemplate backupCapable(AttributeTemplate t) {
    t.set(CKA_EXTRACTABLE, true).set(CKA_WRAP_WITH_TRUSTED, true);
    return t;
}

}  // namespace

AttributeTemplate regionKek(const std::string& label) {
    auto t = backupCapable(frozen(secretKey(CKK_AES, Persistence::Token)));
    t.set(CKA_LABEL, label)
        .set(CKA_VALUE_LEN, CK_ULONG{32})
        .set(CKA_WRAP, true)
        .set(CKA_UNWRAP, true)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false);
    return t;
}

AttributeTemplate macKey(const std::string& label) {
    auto t = backupCapable(frozen(secretKey(CKK_GENERIC_SECRET, Persistence::Token)));
    t.set(CKA_LABEL, label)
        .set(CKA_VALUE_LEN, CK_ULONG{32})
        .set(CKA_SIGN, true)
        .set(CKA_VERIFY, true);
    return t;
}

AttributeTemplate transportPublic(const std::string& label, CK_ULONG bits) {
    auto t = frozen(publicKey(CKK_RSA, Persistence::Token));
    t.set(CKA_LABEL, label)
        .set(CKA_MODULUS_BITS, bits)
        .set(CKA_PUBLIC_EXPONENT, ByteView(kF4))
        .set(CKA_WRAP, true)
        .set(CKA_ENCRYPT, false)
        .set(CKA_VERIFY, false);
    return t;
}

AttributeTemplate transportPrivate(const std::string& label) {
    auto t = backupCapable(frozen(privateKey(CKK_RSA, Persistence::Token)));
    t.set(CKA_LABEL, label).set(CKA_UNWRAP, true).set(CKA_DECRYPT, false).set(CKA_SIGN, false);
    return t;
}

AttributeTemplate ceremonyPublic(const std::string& label) {
    auto t = frozen(publicKey(CKK_EC, Persistence::Token));
    t.set(CKA_LABEL, label)
        .set(CKA_EC_PARAMS, curveParams(Curve::P256))
        .set(CKA_VERIFY, true)
        .set(CKA_ENCRYPT, false)
        .set(CKA_WRAP, false);
    return t;
}

AttributeTemplate ceremonyPrivate(const std::string& label) {
    auto t = backupCapable(frozen(privateKey(CKK_EC, Persistence::Token)));
    t.set(CKA_LABEL, label).set(CKA_SIGN, true).set(CKA_DECRYPT, false).set(CKA_UNWRAP, false);
    return t;
}

AttributeTemplate provisionedMarker(const std::string& label, const std::string& contents) {
    AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_DATA})
        .set(CKA_TOKEN, true)
        .set(CKA_PRIVATE, false)
        .set(CKA_MODIFIABLE, false)
        .set(CKA_LABEL, label)
        .set(CKA_APPLICATION, std::string("keyport"))
        .set(CKA_VALUE, contents);
    return t;
}

AttributeTemplate importWrappingPublic(const std::string& label, CK_ULONG bits) {
    return transportPublic(label, bits);
}

AttributeTemplate importWrappingPrivate(const std::string& label, bool allowRawDecrypt) {
    auto t = frozen(privateKey(CKK_RSA, Persistence::Token));
    t.set(CKA_LABEL, label)
        .set(CKA_UNWRAP, true)
        .set(CKA_DECRYPT, allowRawDecrypt)
        .set(CKA_SIGN, false);
    return t;
}

AttributeTemplate customerAesKey(Persistence p) {
    auto t = secretKey(CKK_AES, p);
    t.set(CKA_ENCRYPT, true).set(CKA_DECRYPT, true).set(CKA_WRAP, false).set(CKA_UNWRAP, false);
    return t;
}

AttributeTemplate convergentAesKey() {
    auto t = customerAesKey(Persistence::Session);
    t.set(CKA_DERIVE, true);
    return t;
}

AttributeTemplate convergentIvKey() {
    auto t = secretKey(CKK_GENERIC_SECRET, Persistence::Session);
    t.set(CKA_VALUE_LEN, CK_ULONG{32})
        .set(CKA_SIGN, true)
        .set(CKA_VERIFY, false)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false)
        .set(CKA_WRAP, false)
        .set(CKA_UNWRAP, false)
        .set(CKA_DERIVE, false);
    return t;
}

AttributeTemplate customerHmacKey(Persistence p) {
    auto t = secretKey(CKK_GENERIC_SECRET, p);
    t.set(CKA_SIGN, true).set(CKA_VERIFY, true);
    return t;
}

AttributeTemplate customerRsaPrivate(Persistence p) {
    auto t = privateKey(CKK_RSA, p);
    t.set(CKA_SIGN, true).set(CKA_DECRYPT, true).set(CKA_UNWRAP, false);
    return t;
}

AttributeTemplate customerEcPrivate(Persistence p) {
    auto t = privateKey(CKK_EC, p);
    t.set(CKA_SIGN, true);
    return t;
}

AttributeTemplate customerRsaPublic(Persistence p, CK_ULONG bits) {
    auto t = publicKey(CKK_RSA, p);
    t.set(CKA_MODULUS_BITS, bits)
        .set(CKA_PUBLIC_EXPONENT, ByteView(kF4))
        .set(CKA_VERIFY, true)
        .set(CKA_ENCRYPT, true);
    return t;
}

AttributeTemplate customerEcPublic(Persistence p, Curve curve) {
    auto t = publicKey(CKK_EC, p);
    t.set(CKA_EC_PARAMS, curveParams(curve)).set(CKA_VERIFY, true);
    return t;
}

AttributeTemplate derivedSharedSecret(CK_ULONG bytes) {
    auto t = secretKey(CKK_GENERIC_SECRET, Persistence::Session);
    t.set(CKA_SENSITIVE, false)
        .set(CKA_EXTRACTABLE, true)
        .set(CKA_VALUE_LEN, bytes)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false)
        .set(CKA_SIGN, false)
        .set(CKA_VERIFY, false)
        .set(CKA_WRAP, false)
        .set(CKA_UNWRAP, false)
        .set(CKA_DERIVE, false);
    return t;
}

AttributeTemplate dataKeyPairCarrier(ByteView value) {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_VALUE, value)
        .set(CKA_WRAP, true)
        .set(CKA_UNWRAP, false)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false);
    return t;
}

AttributeTemplate transientAes(CK_ULONG bytes) {
    auto t = transientSecret(CKK_AES);
    t.set(CKA_VALUE_LEN, bytes);
    return t;
}

AttributeTemplate transientSecret(CK_KEY_TYPE keyType) {
    auto t = secretKey(keyType, Persistence::Session);
    t.set(CKA_EXTRACTABLE, true);
    return t;
}

AttributeTemplate transientPrivate(CK_KEY_TYPE keyType) {
    auto t = privateKey(keyType, Persistence::Session);
    t.set(CKA_EXTRACTABLE, true);
    return t;
}

AttributeTemplate transientRsaPublic(CK_ULONG bits) {
    return customerRsaPublic(Persistence::Session, bits);
}

AttributeTemplate transientEcPublic(Curve curve) {
    return customerEcPublic(Persistence::Session, curve);
}

AttributeTemplate ephemeralTransportKey() {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_VALUE_LEN, CK_ULONG{32})
        .set(CKA_WRAP, true)
        .set(CKA_UNWRAP, true)
        .set(CKA_EXTRACTABLE, true);  // it must itself be wrapped to the target's transport key
    return t;
}

AttributeTemplate arrivedTransportKey() {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_UNWRAP, true).set(CKA_WRAP, false).set(CKA_ENCRYPT, false).set(CKA_DECRYPT, false);
    return t;
}

AttributeTemplate peerTransportPublic() {
    AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_PUBLIC_KEY})
        .set(CKA_KEY_TYPE, CK_KEY_TYPE{CKK_RSA})
        .set(CKA_TOKEN, false)
        .set(CKA_WRAP, true)
        .set(CKA_ENCRYPT, false)
        .set(CKA_VERIFY, false);
    return t;
}

AttributeTemplate envelopeCmk() {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_ENCRYPT, false).set(CKA_DECRYPT, false).set(CKA_WRAP, true).set(CKA_UNWRAP, true);
    return t;
}

AttributeTemplate newDataKey() {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_VALUE_LEN, CK_ULONG{32})
        .set(CKA_ENCRYPT, true)
        .set(CKA_DECRYPT, false)
        .set(CKA_WRAP, false)
        .set(CKA_UNWRAP, false)
        .set(CKA_EXTRACTABLE, true);
    return t;
}

AttributeTemplate openedDataKey() {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_ENCRYPT, false).set(CKA_DECRYPT, true).set(CKA_WRAP, false).set(CKA_UNWRAP, false);
    return t;
}

}  // namespace policy
}  // namespace hsm

namespace hsm::policy {

AttributeTemplate probeRsaPublic(CK_ULONG bits) {
    auto t = customerRsaPublic(Persistence::Session, bits);
    t.set(CKA_WRAP, true);
    return t;
}

AttributeTemplate probeRsaPrivate() {
    auto t = customerRsaPrivate(Persistence::Session);
    t.set(CKA_UNWRAP, true);
    return t;
}

}  // namespace hsm::policy

namespace hsm::policy {

AttributeTemplate importTransportKey() {
    auto t = customerAesKey(Persistence::Session);
    t.set(CKA_ENCRYPT, false).set(CKA_DECRYPT, false).set(CKA_UNWRAP, true);
    return t;
}

AttributeTemplate hostAssistedSecret(CK_KEY_TYPE keyType, ByteView value, bool unwrap) {
    auto t = transientSecret(keyType);
    t.set(CKA_VALUE, value).set(CKA_UNWRAP, unwrap);
    if (unwrap) t.set(CKA_EXTRACTABLE, false);
    return t;
}

AttributeTemplate checkValueKey(ByteView value) {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_VALUE, value)
        .set(CKA_SIGN, true)
        .set(CKA_VERIFY, false)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false)
        .set(CKA_WRAP, false)
        .set(CKA_UNWRAP, false)
        .set(CKA_DERIVE, false);
    return t;
}

}  // namespace hsm::policy

namespace hsm::policy {

AttributeTemplate trustedBackupKey(ByteView value) {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_PRIVATE, false)
        .set(CKA_TRUSTED, true)
        .set(CKA_VALUE, value)
        .set(CKA_WRAP, true)
        .set(CKA_UNWRAP, false)
        .set(CKA_SIGN, true)
        .set(CKA_VERIFY, false)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false)
        .set(CKA_DERIVE, false);
    return t;
}

AttributeTemplate restoringBackupKey(ByteView value) {
    auto t = secretKey(CKK_AES, Persistence::Session);
    t.set(CKA_VALUE, value)
        .set(CKA_WRAP, false)
        .set(CKA_UNWRAP, true)
        .set(CKA_SIGN, true)
        .set(CKA_VERIFY, false)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false)
        .set(CKA_DERIVE, false);
    return t;
}

AttributeTemplate restoredRegionKek(const std::string& label) {
    auto t = backupCapable(secretKey(CKK_AES, Persistence::Token));
    t.set(CKA_LABEL, label)
        .set(CKA_WRAP, true)
        .set(CKA_UNWRAP, true)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false);
    return t;
}

AttributeTemplate restoredMacKey(const std::string& label) {
    auto t = backupCapable(secretKey(CKK_GENERIC_SECRET, Persistence::Token));
    t.set(CKA_LABEL, label).set(CKA_SIGN, true).set(CKA_VERIFY, true);
    return t;
}

AttributeTemplate restoredTransportPrivate(const std::string& label) {
    auto t = backupCapable(privateKey(CKK_RSA, Persistence::Token));
    t.set(CKA_LABEL, label).set(CKA_UNWRAP, true).set(CKA_DECRYPT, false).set(CKA_SIGN, false);
    return t;
}

AttributeTemplate restoredCeremonyPrivate(const std::string& label) {
    auto t = backupCapable(privateKey(CKK_EC, Persistence::Token));
    t.set(CKA_LABEL, label).set(CKA_SIGN, true).set(CKA_DECRYPT, false).set(CKA_UNWRAP, false);
    return t;
}

AttributeTemplate restoredTransportPublic(const std::string& label) {
    auto t = frozen(publicKey(CKK_RSA, Persistence::Token));
    t.set(CKA_LABEL, label).set(CKA_WRAP, true).set(CKA_ENCRYPT, false).set(CKA_VERIFY, false);
    return t;
}

AttributeTemplate restoredCeremonyPublic(const std::string& label) {
    return ceremonyPublic(label);
}

}  // namespace hsm::policy
