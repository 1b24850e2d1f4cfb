#include "service/core/keys/public_crypto.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "hsm/openssl_util.h"

namespace keyport {
namespace {

using namespace hsm;

// Digests fetched once: EVP_sha256() and friends make OpenSSL 3 fetch the implementation
// again on every EVP_Digest (a global lock and a lookup: a fifth of authenticating an
// X-Auth-Token, which hashes the token per request). Kept for the process' lifetime.
const EVP_MD* fetched(const char* name) {
    const EVP_MD* m = EVP_MD_fetch(nullptr, name, nullptr);
    ossl::check(m != nullptr, "EVP_MD_fetch");
    return m;
}

const EVP_MD* md(Hash h) {
    static const EVP_MD* const sha1 = fetched("SHA1");
    static const EVP_MD* const sha256 = fetched("SHA256");
    static const EVP_MD* const sha384 = fetched("SHA384");
    static const EVP_MD* const sha512 = fetched("SHA512");
    switch (h) {
        case Hash::Sha1:
            return sha1;
        case Hash::Sha256:
            return sha256;
        case Hash::Sha384:
            return sha384;
        case Hash::Sha512:
            return sha512;
    }
    return sha256;
}

ossl::PKey parseSpki(ByteView spki) {
    const unsigned char* p = spki.data();
    ossl::PKey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
    ossl::check(key != nullptr, "d2i_PUBKEY");
    return key;
}

}  // namespace

Bytes digest(Hash hash, ByteView message) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned len = 0;
    ossl::check(
        EVP_Digest(message.data(), message.size(), out.data(), &len, md(hash), nullptr) == 1,
        "EVP_Digest");
    out.resize(len);
    return out;
}

bool verifyDigest(ByteView spki, SigningAlgorithm algorithm, ByteView dgst, ByteView signature) {
    auto key = parseSpki(spki);
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    ossl::check(ctx && EVP_PKEY_verify_init(ctx.get()) == 1, "EVP_PKEY_verify_init");
    ossl::check(EVP_PKEY_CTX_set_signature_md(ctx.get(), md(algorithm.hash)) == 1,
                "EVP_PKEY_CTX_set_signature_md");
    if (algorithm.scheme == SignatureScheme::RsaPss) {
        ossl::check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) == 1 &&
                        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) == 1,
                    "EVP_PKEY_CTX_set_rsa_padding");
    } else if (algorithm.scheme == SignatureScheme::RsaPkcs1) {
        ossl::check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1,
                    "EVP_PKEY_CTX_set_rsa_padding");
    }
    const int rc =
        EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), dgst.data(), dgst.size());
    ERR_clear_error();  // a bad signature is an answer, not an error
    return rc == 1;
}

Bytes rsaOaepEncrypt(ByteView spki, Hash hash, ByteView plaintext) {
    auto key = parseSpki(spki);
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
    ossl::check(ctx && EVP_PKEY_encrypt_init(ctx.get()) == 1, "EVP_PKEY_encrypt_init");
    ossl::check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1 &&
                    EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md(hash)) == 1 &&
                    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md(hash)) == 1,
                "EVP_PKEY_CTX_set_rsa_oaep_md");
    std::size_t len = 0;
    ossl::check(EVP_PKEY_encrypt(ctx.get(), nullptr, &len, plaintext.data(), plaintext.size()) == 1,
                "EVP_PKEY_encrypt");
    Bytes out(len);
    ossl::check(
        EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plaintext.data(), plaintext.size()) == 1,
        "EVP_PKEY_encrypt");
    out.resize(len);
    return out;
}

std::string spkiToPem(ByteView spki) {
    auto key = parseSpki(spki);
    std::unique_ptr<BIO, ossl::Deleter<BIO_free>> bio(BIO_new(BIO_s_mem()));
    ossl::check(bio && PEM_write_bio_PUBKEY(bio.get(), key.get()) == 1, "PEM_write_bio_PUBKEY");
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::optional<Bytes> ecPublicPoint(ByteView spki, Curve curve) {
    const unsigned char* p = spki.data();
    ossl::PKey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
    // Decoding checks the point is on its curve; trailing bytes are not a key either.
    if (!key || p != spki.data() + spki.size() || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) {
        ERR_clear_error();
        return std::nullopt;
    }
    char group[64] = {};
    std::size_t groupLen = 0;
    if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &groupLen) != 1 ||
        std::string_view(group, groupLen) != (curve == Curve::P256 ? "prime256v1" : "secp384r1")) {
        ERR_clear_error();
        return std::nullopt;
    }
    std::size_t len = 0;
    ossl::check(EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                nullptr, 0, &len) == 1,
                "EVP_PKEY_get_octet_string_param");
    Bytes point(len);
    ossl::check(EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                point.data(), point.size(), &len) == 1,
                "EVP_PKEY_get_octet_string_param");
    point.resize(len);
    if (point.empty() || point[0] != 0x04) return std::nullopt;  // compressed: not accepted
    return point;
}

Bytes ecdsaRawToDer(ByteView raw) {
    const std::size_t half = raw.size() / 2;
    std::unique_ptr<ECDSA_SIG, ossl::Deleter<ECDSA_SIG_free>> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw.data(), static_cast<int>(half), nullptr);
    BIGNUM* s = BN_bin2bn(raw.data() + half, static_cast<int>(half), nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        throw ossl::Error("ECDSA_SIG_set0");
    }
    const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
    ossl::check(len > 0, "i2d_ECDSA_SIG");
    Bytes out(static_cast<std::size_t>(len));
    unsigned char* p = out.data();
    i2d_ECDSA_SIG(sig.get(), &p);
    return out;
}

}  // namespace keyport
