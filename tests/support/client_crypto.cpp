#include "tests/support/client_crypto.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "service/core/base/encoding.h"

namespace keyport::test {

using hsm::ossl::check;

ClientKey generateKey(const std::string& spec) {
    EVP_PKEY* raw = nullptr;
    if (spec.rfind("RSA_", 0) == 0) {
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                                static_cast<size_t>(std::stoul(spec.substr(4))));
    } else {
        const char* curve = spec == "EC_P256"   ? "P-256"
                            : spec == "EC_P384" ? "P-384"
                                                : spec.c_str();
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
    }
    check(raw != nullptr, "keygen");
    ClientKey k{hsm::ossl::PKey(raw), {}};
    PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(raw);
    check(p8 != nullptr, "EVP_PKEY2PKCS8");
    unsigned char* der = nullptr;
    const int n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    check(n > 0, "i2d_PKCS8_PRIV_KEY_INFO");
    k.pkcs8.assign(der, der + n);
    OPENSSL_clear_free(der, static_cast<size_t>(n));
    return k;
}

hsm::Bytes randomBytes(std::size_t n) {
    hsm::Bytes b(n);
    check(RAND_bytes(b.data(), static_cast<int>(n)) == 1, "RAND_bytes");
    return b;
}

hsm::Bytes sha(const std::string& name, const hsm::Bytes& data) {
    hsm::Bytes out(EVP_MAX_MD_SIZE);
    unsigned n = 0;
    check(EVP_Digest(data.data(), data.size(), out.data(), &n, EVP_get_digestbyname(name.c_str()),
                     nullptr) == 1,
          "digest");
    out.resize(n);
    return out;
}

namespace {

bool verifyWith(EVP_PKEY* pub, const std::string& scheme, const std::string& md,
                const hsm::Bytes& message, const hsm::Bytes& signature, bool isDigest) {
    const hsm::Bytes dgst = isDigest ? message : sha(md, message);
    hsm::ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(pub, nullptr));
    check(ctx && EVP_PKEY_verify_init(ctx.get()) == 1, "verify_init");
    check(EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_get_digestbyname(md.c_str())) == 1,
          "signature md");
    if (scheme == "PSS") {
        check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PSS_PADDING) == 1, "pss");
        check(EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx.get(), RSA_PSS_SALTLEN_DIGEST) == 1, "saltlen");
    } else if (scheme == "PKCS1") {
        check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) == 1, "pkcs1");
    }
    const int rc =
        EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), dgst.data(), dgst.size());
    ERR_clear_error();
    return rc == 1;
}

hsm::Bytes gcm(bool encrypt, const hsm::Bytes& key, const hsm::Bytes& iv, const hsm::Bytes& aad,
               const hsm::Bytes& in, bool& ok) {
    hsm::ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    check(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr,
                            encrypt ? 1 : 0) == 1,
          "gcm");
    check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()),
                              nullptr) == 1,
          "ivlen");
    check(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), iv.data(), -1) == 1,
          "gcm key");
    int n = 0;
    check(EVP_CipherUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) == 1,
          "aad");
    const std::size_t body = encrypt ? in.size() : in.size() - 16;
    hsm::Bytes out(body + 16);
    check(EVP_CipherUpdate(ctx.get(), out.data(), &n, in.data(), static_cast<int>(body)) == 1,
          "gcm update");
    if (!encrypt) {
        hsm::Bytes tag(in.end() - 16, in.end());
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data());
    }
    int m = 0;
    ok = EVP_CipherFinal_ex(ctx.get(), out.data() + n, &m) == 1;
    ERR_clear_error();
    if (encrypt) {
        check(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + body) == 1,
              "tag");
        return out;
    }
    out.resize(body);
    return out;
}

}  // namespace

bool verifySignature(const std::string& pem, const std::string& scheme, const std::string& md,
                     const hsm::Bytes& message, const hsm::Bytes& signature, bool isDigest) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    hsm::ossl::PKey pub(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr));
    BIO_free(bio);
    check(pub != nullptr, "PEM_read_bio_PUBKEY");
    return verifyWith(pub.get(), scheme, md, message, signature, isDigest);
}

bool verifySignatureSpki(const hsm::Bytes& spkiDer, const std::string& scheme,
                         const std::string& md, const hsm::Bytes& message,
                         const hsm::Bytes& signature, bool isDigest) {
    const unsigned char* p = spkiDer.data();
    hsm::ossl::PKey pub(d2i_PUBKEY(nullptr, &p, static_cast<long>(spkiDer.size())));
    check(pub != nullptr, "d2i_PUBKEY");
    return verifyWith(pub.get(), scheme, md, message, signature, isDigest);
}

hsm::Bytes aesGcmEncrypt(const hsm::Bytes& key, const hsm::Bytes& iv, const hsm::Bytes& aad,
                         const hsm::Bytes& plain) {
    bool ok = false;
    return gcm(true, key, iv, aad, plain, ok);
}

std::optional<hsm::Bytes> aesGcmDecrypt(const hsm::Bytes& key, const hsm::Bytes& iv,
                                        const hsm::Bytes& aad, const hsm::Bytes& ctAndTag) {
    if (ctAndTag.size() < 16) return std::nullopt;
    bool ok = false;
    hsm::Bytes out = gcm(false, key, iv, aad, ctAndTag, ok);
    if (!ok) return std::nullopt;
    return out;
}

hsm::Bytes hmac(const std::string& md, const hsm::Bytes& key, const hsm::Bytes& message) {
    hsm::Bytes out(EVP_MAX_MD_SIZE);
    std::size_t n = 0;
    check(EVP_Q_mac(nullptr, "HMAC", nullptr, md.c_str(), nullptr, key.data(), key.size(),
                    message.data(), message.size(), out.data(), out.size(), &n) != nullptr,
          "EVP_Q_mac");
    out.resize(n);
    return out;
}

hsm::Bytes ecdh(const ClientKey& mine, const hsm::Bytes& peerSpki) {
    const unsigned char* p = peerSpki.data();
    hsm::ossl::PKey peer(d2i_PUBKEY(nullptr, &p, static_cast<long>(peerSpki.size())));
    check(peer != nullptr, "d2i_PUBKEY");
    hsm::ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(mine.key.get(), nullptr));
    check(ctx && EVP_PKEY_derive_init(ctx.get()) == 1 &&
              EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) == 1,
          "EVP_PKEY_derive_init");
    std::size_t n = 0;
    check(EVP_PKEY_derive(ctx.get(), nullptr, &n) == 1, "EVP_PKEY_derive");
    hsm::Bytes out(n);
    check(EVP_PKEY_derive(ctx.get(), out.data(), &n) == 1, "EVP_PKEY_derive");
    out.resize(n);
    return out;
}

hsm::Bytes spkiOfPkcs8(const hsm::Bytes& pkcs8) {
    const unsigned char* p = pkcs8.data();
    hsm::ossl::PKey key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pkcs8.size())));
    check(key != nullptr && p == pkcs8.data() + pkcs8.size(), "d2i_AutoPrivateKey");
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key.get(), &der);
    check(n > 0, "i2d_PUBKEY");
    hsm::Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

hsm::Bytes pemToSpki(const std::string& pem) {
    std::unique_ptr<BIO, hsm::ossl::Deleter<BIO_free>> bio(
        BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    hsm::ossl::PKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "PEM_read_bio_PUBKEY");
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(key.get(), &der);
    check(n > 0, "i2d_PUBKEY");
    hsm::Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

hsm::Bytes spkiOf(const ClientKey& k) {
    unsigned char* der = nullptr;
    const int n = i2d_PUBKEY(k.key.get(), &der);
    check(n > 0, "i2d_PUBKEY");
    hsm::Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

std::string b64(const hsm::Bytes& b) {
    return base64Encode(b);
}

std::string hex(const hsm::Bytes& b) {
    return hexEncode(b);
}

hsm::Bytes unb64(const std::string& s) {
    auto b = base64Decode(s);
    if (!b) throw std::runtime_error("not base64: " + s.substr(0, 40));
    return *b;
}

hsm::Bytes bytes(const std::string& s) {
    return hsm::Bytes(s.begin(), s.end());
}

}  // namespace keyport::test
