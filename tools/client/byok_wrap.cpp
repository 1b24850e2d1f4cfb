#include "tools/client/byok_wrap.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "hsm/openssl_util.h"
#include "service/core/base/encoding.h"

namespace keyport::client {
namespace {

using hsm::ossl::check;
using Bio = std::unique_ptr<BIO, hsm::ossl::Deleter<BIO_free>>;

std::string slurp(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trimmed(std::string s) {
    std::string out;
    for (char c : s) {
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    }
    return out;
}

}  // namespace

hsm::Bytes oaepEncrypt(const hsm::Bytes& spkiDer, const hsm::Bytes& data, bool sha256) {
    const unsigned char* p = spkiDer.data();
    hsm::ossl::PKey pub(d2i_PUBKEY(nullptr, &p, static_cast<long>(spkiDer.size())));
    check(pub != nullptr, "the import public key is not a DER SubjectPublicKeyInfo");
    hsm::ossl::PKeyCtx ctx(EVP_PKEY_CTX_new(pub.get(), nullptr));
    check(ctx && EVP_PKEY_encrypt_init(ctx.get()) == 1, "RSA-OAEP init (is the public key RSA?)");
    check(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) == 1, "RSA-OAEP padding");
    const EVP_MD* md = sha256 ? EVP_sha256() : EVP_sha1();
    check(EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) == 1 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) == 1,
          "RSA-OAEP hash");
    size_t n = 0;
    check(EVP_PKEY_encrypt(ctx.get(), nullptr, &n, data.data(), data.size()) == 1, "RSA-OAEP size");
    hsm::Bytes out(n);
    check(EVP_PKEY_encrypt(ctx.get(), out.data(), &n, data.data(), data.size()) == 1,
          "RSA-OAEP encrypt");
    out.resize(n);
    return out;
}

hsm::Bytes kwpWrap(const hsm::Bytes& kek, const hsm::Bytes& data) {
    const EVP_CIPHER* cipher = kek.size() == 16   ? EVP_aes_128_wrap_pad()
                               : kek.size() == 24 ? EVP_aes_192_wrap_pad()
                                                  : EVP_aes_256_wrap_pad();
    check(kek.size() == 16 || kek.size() == 24 || kek.size() == 32, "AES-KWP key size");
    hsm::ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    check(ctx != nullptr, "EVP_CIPHER_CTX_new");
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    check(EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, kek.data(), nullptr) == 1, "AES-KWP init");
    hsm::Bytes out(data.size() + 16);
    int n = 0;
    check(EVP_EncryptUpdate(ctx.get(), out.data(), &n, data.data(),
                            static_cast<int>(data.size())) == 1,
          "AES-KWP");
    int m = 0;
    check(EVP_EncryptFinal_ex(ctx.get(), out.data() + n, &m) == 1, "AES-KWP final");
    out.resize(static_cast<std::size_t>(n + m));
    return out;
}

WrappedImport wrapSymmetric(const hsm::Bytes& importPublicKey, bool sha256,
                            const hsm::Bytes& material) {
    return {oaepEncrypt(importPublicKey, material, sha256), std::nullopt};
}

WrappedImport wrapPrivateKey(const hsm::Bytes& importPublicKey, bool sha256,
                             const hsm::Bytes& pkcs8Der) {
    hsm::Bytes ephemeral(32);
    check(RAND_bytes(ephemeral.data(), static_cast<int>(ephemeral.size())) == 1, "RAND_bytes");
    WrappedImport w{oaepEncrypt(importPublicKey, ephemeral, sha256), kwpWrap(ephemeral, pkcs8Der)};
    OPENSSL_cleanse(ephemeral.data(), ephemeral.size());
    return w;
}

bool isSha256Algorithm(const std::string& wrappingAlgorithm) {
    if (wrappingAlgorithm == "RSAES_OAEP_SHA_256") return true;
    if (wrappingAlgorithm == "RSAES_OAEP_SHA_1") return false;
    throw std::invalid_argument(
        "the wrapping algorithm must be RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1");
}

hsm::Bytes readPrivateKeyPkcs8(const std::string& pemFile) {
    const std::string pem = slurp(pemFile);
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    hsm::ossl::PKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error(pemFile + " is not an unencrypted PEM private key");
    std::unique_ptr<PKCS8_PRIV_KEY_INFO, hsm::ossl::Deleter<PKCS8_PRIV_KEY_INFO_free>> p8(
        EVP_PKEY2PKCS8(key.get()));
    check(p8 != nullptr, "PKCS#8 encoding");
    unsigned char* der = nullptr;
    const int len = i2d_PKCS8_PRIV_KEY_INFO(p8.get(), &der);
    check(len > 0, "PKCS#8 DER");
    hsm::Bytes out(der, der + len);
    OPENSSL_clear_free(der, static_cast<size_t>(len));
    return out;
}

std::string keySpecOf(const hsm::Bytes& pkcs8Der) {
    const unsigned char* p = pkcs8Der.data();
    hsm::ossl::PKey key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pkcs8Der.size())));
    check(key != nullptr, "PKCS#8 parse");
    if (EVP_PKEY_is_a(key.get(), "RSA")) {
        const int bits = EVP_PKEY_get_bits(key.get());
        if (bits == 2048 || bits == 3072 || bits == 4096) return "RSA_" + std::to_string(bits);
        throw std::runtime_error("RSA-" + std::to_string(bits) +
                                 " is not a key_spec (2048, 3072 or 4096)");
    }
    if (EVP_PKEY_is_a(key.get(), "EC")) {
        char curve[64] = {};
        size_t len = 0;
        check(EVP_PKEY_get_utf8_string_param(key.get(), "group", curve, sizeof curve, &len) == 1,
              "EC curve");
        const std::string name(curve, len);
        if (name == "prime256v1" || name == "P-256") return "EC_P256";
        if (name == "secp384r1" || name == "P-384") return "EC_P384";
        throw std::runtime_error("EC curve " + name + " is not a key_spec (P-256 or P-384)");
    }
    throw std::runtime_error("only RSA and EC private keys can be imported");
}

hsm::Bytes readPublicKey(const std::string& base64OrFile) {
    std::string text = base64OrFile;
    // The non-throwing overload: base64 text longer than NAME_MAX is not a file name, and
    // the throwing one reports it as "File name too long" instead of answering false.
    std::error_code ec;
    if (std::filesystem::is_regular_file(base64OrFile, ec)) text = slurp(base64OrFile);
    if (text.find("-----BEGIN PUBLIC KEY-----") != std::string::npos) {
        Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
        hsm::ossl::PKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
        if (!key) throw std::runtime_error("the PEM public key does not parse");
        unsigned char* der = nullptr;
        const int len = i2d_PUBKEY(key.get(), &der);
        check(len > 0, "SPKI DER");
        hsm::Bytes out(der, der + len);
        OPENSSL_free(der);
        return out;
    }
    const auto der = base64Decode(trimmed(text));
    if (!der || der->empty())
        throw std::runtime_error("the public key is neither base64 DER, a file, nor PEM");
    return *der;
}

}  // namespace keyport::client
