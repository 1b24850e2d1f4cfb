#include "service/core/keys/datakey_pairs.h"

#include <openssl/evp.h>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/openssl_util.h"
#include "hsm/public_key.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/errors.h"

namespace keyport {
namespace {

// The length of the DER SEQUENCE at the start of `der` (header included), or 0. SoftHSM
// 2.6.1 zero-pads what it KWP-wraps to a multiple of 8 bytes, so the unwrapped PKCS#8 can
// carry trailing zeros that are not part of it.
std::size_t derSequenceLength(hsm::ByteView der) {
    if (der.size() < 2 || der[0] != 0x30) return 0;
    if (der[1] < 0x80) return 2 + der[1];
    const std::size_t n = der[1] & 0x7f;
    if (n == 0 || n > 3 || der.size() < 2 + n) return 0;
    std::size_t len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | der[2 + i];
    return 2 + n + len;
}

// RFC 5649 unwrap on the host, into SecretBytes: the caller's own new private key.
hsm::SecretBytes kwpUnwrap(const hsm::SecretBytes& kek, hsm::ByteView wrapped) {
    hsm::ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    hsm::ossl::check(ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_wrap_pad(), nullptr,
                                               kek.reveal().data(), nullptr) == 1,
                     "EVP_DecryptInit_ex");
    hsm::SecretBytes out(wrapped.size() + 16);
    int n = 0, tail = 0;
    hsm::ossl::check(EVP_DecryptUpdate(ctx.get(), out.reveal().data(), &n, wrapped.data(),
                                       static_cast<int>(wrapped.size())) == 1 &&
                         EVP_DecryptFinal_ex(ctx.get(), out.reveal().data() + n, &tail) == 1,
                     "AES-KWP unwrap");
    out.truncate(static_cast<std::size_t>(n + tail));
    const std::size_t der = derSequenceLength(out.reveal());
    if (der == 0 || der > out.size()) throw Error(ErrorCode::Internal, "unwrapped key is not DER");
    out.truncate(der);
    return out;
}

}  // namespace

DataKeyPairs::DataKeyPairs(KeyService& keys, RegionTokens& regions, CryptoService& crypto)
    : keys_(keys), regions_(regions), crypto_(crypto) {}

DataKeyPair DataKeyPairs::create(const ProjectScope& scope, const std::string& cmkId,
                                 KeySpec pairSpec, bool withPlaintext, hsm::ByteView context) {
    const KeyRecord cmk = keys_.usable(scope, cmkId);
    if (!isSymmetric(cmk.spec) || cmk.usage != KeyUsage::EncryptDecrypt) {
        throw Error(ErrorCode::UsageMismatch,
                    "names a key that cannot protect data key pairs (AES encrypt/decrypt only)",
                    Input::KeyId);
    }
    DataKeyPair out;
    out.keyId = cmk.id;
    hsm::SecretBytes pkcs8;
    {
        auto session = regions_.token(cmk.region).session();
        hsm::ScopedObjects scratch(*session);
        using namespace hsm::policy;
        hsm::KeyPair kp;
        if (isRsa(pairSpec)) {
            kp = hsm::generateRsa(*session, transientRsaPublic(rsaBits(pairSpec)),
                                  transientPrivate(CKK_RSA));
        } else {
            kp = hsm::generateEc(*session, transientEcPublic(*ecCurve(pairSpec)),
                                 transientPrivate(CKK_EC));
        }
        scratch.keep(kp.publicKey);
        scratch.keep(kp.privateKey);
        out.publicSpki = hsm::publicKeySpki(*session, kp.publicKey);
        // The private key reaches the host the one way PKCS#11 allows: wrapped, here under a
        // one-time key whose value the host chose. Like a data key, it then lives in
        // SecretBytes only, and is encrypted under the CMK on-token below.
        const hsm::SecretBytes carrierValue = session->randomSecret(32);
        const auto carrier =
            scratch.keep(session->createObject(dataKeyPairCarrier(carrierValue.reveal())));
        const hsm::Bytes wrapped =
            session->wrapKey(hsm::Mechanism::aesKeyWrapPad(), carrier, kp.privateKey);
        pkcs8 = kwpUnwrap(carrierValue, wrapped);
    }
    out.privateCiphertext = crypto_.encrypt(scope, cmk.id, pkcs8.reveal(),
                                            EncryptionAlgorithm::SymmetricDefault, context);
    if (withPlaintext) out.privatePlaintext = std::move(pkcs8);
    return out;
}

}  // namespace keyport
