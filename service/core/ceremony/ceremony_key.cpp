#include "service/core/ceremony/ceremony_key.h"

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <stdexcept>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/mechanism.h"
#include "hsm/openssl_util.h"
#include "hsm/public_key.h"
#include "service/core/base/encoding.h"
#include "service/core/keys/public_crypto.h"
#include "service/core/tokens/static_objects.h"

namespace keyport {
namespace {

std::optional<hsm::ObjectHandle> findHalf(hsm::Session& s, CK_OBJECT_CLASS cls) {
    hsm::AttributeTemplate t;
    t.set(CKA_CLASS, cls).set(CKA_LABEL, std::string_view(kCeremonyLabel)).set(CKA_TOKEN, true);
    return s.findOne(t);
}

}  // namespace

std::optional<CeremonyKey> findCeremonyKey(hsm::Session& s, bool createIfMissing) {
    CeremonyKey key;
    auto pub = findHalf(s, CKO_PUBLIC_KEY);
    auto priv = findHalf(s, CKO_PRIVATE_KEY);
    if (!pub || !priv) {
        if (!createIfMissing) return std::nullopt;
        // As `token init` does: a half pair is replaced whole.
        if (pub) s.destroyObject(*pub);
        if (priv) s.destroyObject(*priv);
        const hsm::KeyPair made = hsm::generateEc(s, hsm::policy::ceremonyPublic(kCeremonyLabel),
                                                  hsm::policy::ceremonyPrivate(kCeremonyLabel));
        pub = made.publicKey;
        priv = made.privateKey;
        key.created = true;
    }
    key.publicKey = *pub;
    key.privateKey = *priv;
    key.spki = hsm::publicKeySpki(s, key.publicKey);
    key.fingerprint = spkiFingerprint(key.spki);
    return key;
}

std::optional<hsm::Bytes> ceremonyPublicSpki(hsm::Module& module, const std::string& tokenLabel) {
    for (const auto& t : module.tokens()) {
        if (!t.initialized || t.label != tokenLabel) continue;
        hsm::Session s(module.functions(), t.slot, /*readWrite=*/false);
        const auto pub = findHalf(s, CKO_PUBLIC_KEY);
        if (!pub) return std::nullopt;
        return hsm::publicKeySpki(s, *pub);
    }
    return std::nullopt;
}

std::string spkiFingerprint(hsm::ByteView spki) {
    return hexEncode(digest(hsm::Hash::Sha256, spki));
}

hsm::Bytes ceremonySpkiFromPem(const std::string& pem) {
    std::unique_ptr<BIO, hsm::ossl::Deleter<BIO_free>> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) throw std::runtime_error("BIO_new_mem_buf failed");
    hsm::ossl::PKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!key) throw std::invalid_argument("not a PEM public key (-----BEGIN PUBLIC KEY-----)");
    const int len = i2d_PUBKEY(key.get(), nullptr);
    if (len <= 0) throw std::invalid_argument("not a PEM public key");
    hsm::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_PUBKEY(key.get(), &p);
    if (!ecPublicPoint(der, hsm::Curve::P256)) {
        throw std::invalid_argument("not an EC P-256 public key (a ceremony key is one)");
    }
    return der;
}

hsm::Bytes signCeremonyMessage(hsm::Session& s, const CeremonyKey& key, std::string_view message) {
    const hsm::Bytes dgst = digest(hsm::Hash::Sha256, hsm::asBytes(message));
    // CKM_ECDSA returns r || s; OpenSSL and `openssl dgst -verify` take DER.
    return ecdsaRawToDer(s.sign(hsm::Mechanism::ecdsa(), key.privateKey, dgst));
}

bool verifyCeremonySignature(hsm::ByteView spki, std::string_view message, hsm::ByteView der) {
    // Only the one DER spelling of (r, s): another would verify too, but not be what the
    // writer put there.
    const unsigned char* p = der.data();
    std::unique_ptr<ECDSA_SIG, hsm::ossl::Deleter<ECDSA_SIG_free>> sig(
        d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
    if (!sig || p != der.data() + der.size() ||
        i2d_ECDSA_SIG(sig.get(), nullptr) != static_cast<int>(der.size())) {
        ERR_clear_error();
        return false;
    }
    hsm::Bytes again(der.size());
    unsigned char* q = again.data();
    i2d_ECDSA_SIG(sig.get(), &q);
    if (!std::equal(again.begin(), again.end(), der.begin())) return false;

    const unsigned char* k = spki.data();
    hsm::ossl::PKey key(d2i_PUBKEY(nullptr, &k, static_cast<long>(spki.size())));
    hsm::ossl::check(key != nullptr, "d2i_PUBKEY");
    hsm::ossl::MdCtx ctx(EVP_MD_CTX_new());
    hsm::ossl::check(ctx && EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr,
                                                    key.get(), nullptr) == 1,
                     "EVP_DigestVerifyInit_ex");
    const int rc =
        EVP_DigestVerify(ctx.get(), der.data(), der.size(),
                         reinterpret_cast<const unsigned char*>(message.data()), message.size());
    ERR_clear_error();  // a bad signature is an answer, not an error
    return rc == 1;
}

}  // namespace keyport
