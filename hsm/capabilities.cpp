#include "hsm/capabilities.h"

#include <exception>
#include <functional>

#include "hsm/error.h"
#include "hsm/key_generation.h"

namespace hsm {
namespace {

constexpr std::uint8_t kProbeData[] = "keyport capability probe";

// Session keys shared by the probes; destroyed when the probe ends.
struct ProbeKeys {
    ObjectHandle wrapKey = CK_INVALID_HANDLE;    // AES-256, wrap/unwrap
    ObjectHandle targetKey = CK_INVALID_HANDLE;  // AES-256, extractable
    ObjectHandle dataKey = CK_INVALID_HANDLE;    // AES-256, encrypt/decrypt
    ObjectHandle hmacKey = CK_INVALID_HANDLE;
    KeyPair rsa;
};

bool aesWrapRoundTrip(Session& s, const ProbeKeys& k, const Mechanism& m) {
    const Bytes wrapped = s.wrapKey(m, k.wrapKey, k.targetKey);
    const ObjectHandle back =
        s.unwrapKey(m, k.wrapKey, wrapped, policy::customerAesKey(Persistence::Session));
    s.destroyObject(back);
    return true;
}

bool oaepRoundTrip(Session& s, const ProbeKeys& k, Hash hash) {
    const Bytes wrapped = s.wrapKey(Mechanism::rsaOaep(hash), k.rsa.publicKey, k.targetKey);
    const ObjectHandle back = s.unwrapKey(Mechanism::rsaOaep(hash), k.rsa.privateKey, wrapped,
                                          policy::customerAesKey(Persistence::Session));
    s.destroyObject(back);
    return true;
}

bool ecdsaRoundTrip(Session& s, Curve curve) {
    KeyPair kp = generateEc(s, policy::customerEcPublic(Persistence::Session, curve),
                            policy::customerEcPrivate(Persistence::Session));
    Bytes digest = s.random(curve == Curve::P256 ? 32 : 48);
    const Bytes sig = s.sign(Mechanism::ecdsa(), kp.privateKey, digest);
    const bool ok = s.verify(Mechanism::ecdsa(), kp.publicKey, digest, sig);
    s.destroyObject(kp.privateKey);
    s.destroyObject(kp.publicKey);
    return ok;
}

}  // namespace

const char* capabilityName(Capability c) {
    switch (c) {
        case Capability::AesKeyWrapPad:
            return "aes-kwp";
        case Capability::AesKeyWrap:
            return "aes-kw";
        case Capability::AesGcm:
            return "aes-gcm";
        case Capability::HmacSha256:
            return "hmac-sha256";
        case Capability::RsaOaepSha1:
            return "rsa-oaep-sha1";
        case Capability::RsaOaepSha256:
            return "rsa-oaep-sha256";
        case Capability::RsaRawDecrypt:
            return "rsa-x509";
        case Capability::RsaPkcs1Sign:
            return "rsa-pkcs1-sign";
        case Capability::RsaPssSign:
            return "rsa-pss-sign";
        case Capability::EcdsaP256:
            return "ecdsa-p256";
        case Capability::EcdsaP384:
            return "ecdsa-p384";
    }
    return "?";
}

bool Capabilities::has(Capability c) const {
    for (const auto& r : results_) {
        if (r.capability == c) return r.available;
    }
    return false;
}

Capabilities probeCapabilities(Token& token) {
    ProbeKeys keys;
    // The probe keys live on the owner session so a failing probe, which discards its own
    // pooled session, does not take them with it.
    token.withOwnerSession([&](Session& s) {
        keys.wrapKey = generateAes(s, 32, policy::ephemeralTransportKey());
        keys.targetKey = generateAes(s, 32, policy::transientAes(32));
        keys.dataKey = generateAes(s, 32, policy::customerAesKey(Persistence::Session));
        keys.hmacKey = generateGenericSecret(s, 32, policy::customerHmacKey(Persistence::Session));
        keys.rsa = generateRsa(s, policy::probeRsaPublic(2048), policy::probeRsaPrivate());
        return 0;
    });

    using Probe = std::function<bool(Session&)>;
    const std::pair<Capability, Probe> probes[] = {
        {Capability::AesKeyWrapPad,
         [&](Session& s) { return aesWrapRoundTrip(s, keys, Mechanism::aesKeyWrapPad()); }},
        {Capability::AesKeyWrap,
         [&](Session& s) { return aesWrapRoundTrip(s, keys, Mechanism::aesKeyWrap()); }},
        {Capability::AesGcm,
         [&](Session& s) {
             const Bytes iv = s.random(12);
             const auto m = Mechanism::aesGcm(iv, ByteView(kProbeData, 4));
             const Bytes ct = s.encrypt(m, keys.dataKey, kProbeData);
             const auto pt =
                 s.decrypt(Mechanism::aesGcm(iv, ByteView(kProbeData, 4)), keys.dataKey, ct);
             return constantTimeEqual(pt.reveal(), kProbeData);
         }},
        {Capability::HmacSha256,
         [&](Session& s) {
             const Bytes mac = s.sign(Mechanism::hmacSha256(), keys.hmacKey, kProbeData);
             return mac.size() == 32 &&
                    s.verify(Mechanism::hmacSha256(), keys.hmacKey, kProbeData, mac);
         }},
        {Capability::RsaOaepSha1, [&](Session& s) { return oaepRoundTrip(s, keys, Hash::Sha1); }},
        {Capability::RsaOaepSha256,
         [&](Session& s) { return oaepRoundTrip(s, keys, Hash::Sha256); }},
        {Capability::RsaRawDecrypt,
         [&](Session& s) {
             Bytes block(256, 0);
             block[255] = 0x2a;
             const Bytes ct = s.encrypt(Mechanism::rsaX509(), keys.rsa.publicKey, block);
             const auto pt = s.decrypt(Mechanism::rsaX509(), keys.rsa.privateKey, ct);
             return pt.size() == 256 && pt.reveal()[255] == 0x2a;
         }},
        {Capability::RsaPkcs1Sign,
         [&](Session& s) {
             const auto m = Mechanism::rsaPkcs1WithHash(Hash::Sha256);
             const Bytes sig = s.sign(m, keys.rsa.privateKey, kProbeData);
             return s.verify(Mechanism::rsaPkcs1WithHash(Hash::Sha256), keys.rsa.publicKey,
                             kProbeData, sig);
         }},
        {Capability::RsaPssSign,
         [&](Session& s) {
             const Bytes sig =
                 s.sign(Mechanism::rsaPssWithHash(Hash::Sha256), keys.rsa.privateKey, kProbeData);
             return s.verify(Mechanism::rsaPssWithHash(Hash::Sha256), keys.rsa.publicKey,
                             kProbeData, sig);
         }},
        {Capability::EcdsaP256, [&](Session& s) { return ecdsaRoundTrip(s, Curve::P256); }},
        {Capability::EcdsaP384, [&](Session& s) { return ecdsaRoundTrip(s, Curve::P384); }},
    };

    std::vector<CapabilityResult> results;
    for (const auto& [capability, probe] : probes) {
        CapabilityResult r{capability, false, {}};
        try {
            auto lease = token.session();
            r.available = probe(*lease);
            if (!r.available) r.detail = "round trip gave a wrong result";
        } catch (const std::exception& e) {
            r.detail = e.what();
        }
        results.push_back(std::move(r));
    }

    token.withOwnerSession([&](Session& s) {
        for (ObjectHandle h : {keys.wrapKey, keys.targetKey, keys.dataKey, keys.hmacKey,
                               keys.rsa.publicKey, keys.rsa.privateKey}) {
            s.destroyObjectNoThrow(h);
        }
        return 0;
    });
    return Capabilities(std::move(results));
}

}  // namespace hsm
