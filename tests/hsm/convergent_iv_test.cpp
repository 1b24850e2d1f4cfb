// The convergent-key construction (service/core/keys/convergent_iv.h) pinned against a host
// recomputation with OpenSSL, on a SoftHSM 2.6.1 token with a key of known value (a test
// vector only: real keys never pass the host). It also measures what the design relies on:
// SoftHSM derives with CKM_AES_ECB_ENCRYPT_DATA under the convergent policy template, and
// AES-GCM on the token uses the caller's IV (CK_GCM_PARAMS.pIv) exactly.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "hsm/key_policies.h"
#include "hsm/mechanism.h"
#include "service/core/keys/convergent_iv.h"
#include "tests/hsm/softhsm_fixture.h"
#include "tests/support/client_crypto.h"

namespace keyport::test {
namespace {

hsm::Bytes aesEcb(const hsm::Bytes& key, const hsm::Bytes& in) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    hsm::Bytes out(in.size() + 16);
    int n = 0, m = 0;
    EXPECT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), nullptr, key.data(), nullptr), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, out.data(), &n, in.data(), static_cast<int>(in.size())), 1);
    EXPECT_EQ(EVP_EncryptFinal_ex(ctx, out.data() + n, &m), 1);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(static_cast<std::size_t>(n + m));
    return out;
}

// What convergent_iv.cpp computes, on the host.
hsm::Bytes expectedIv(const hsm::Bytes& key, const Ciphertext& c, const hsm::Bytes& plain) {
    hsm::Bytes labels;
    for (const char* l : {"keyport-siv1", "keyport-siv2"}) {
        labels.insert(labels.end(), l, l + 12);
        labels.insert(labels.end(), 4, 0);
    }
    const hsm::Bytes ivKey = aesEcb(key, labels);
    const hsm::Bytes aad = c.associatedData();
    hsm::Bytes msg = bytes("keyport convergent iv v1\n");
    for (int i = 0; i < 4; ++i)
        msg.push_back(static_cast<std::uint8_t>(aad.size() >> (24 - 8 * i)));
    msg.insert(msg.end(), aad.begin(), aad.end());
    msg.insert(msg.end(), plain.begin(), plain.end());
    hsm::Bytes mac = hmac("SHA256", ivKey, msg);
    mac.resize(12);
    return mac;
}

TEST(ConvergentIv, MatchesTheHostRecomputationAndGcmUsesTheCallersIv) {
    auto s = testToken().session();
    const hsm::Bytes key = randomBytes(32);
    auto t = hsm::policy::convergentAesKey();
    t.set(CKA_VALUE, hsm::ByteView(key));
    const auto handle = s->createObject(t);

    Ciphertext c;
    c.version = Ciphertext::kAesGcmVersioned;
    c.keyId = "0f0e0d0c-0b0a-4908-8706-050403020100";
    c.materialVersion = 3;
    c.context = bytes("order-7");
    const hsm::Bytes plain = bytes("convergent plaintext");

    const hsm::Bytes iv = convergentIv(*s, handle, c, plain);
    ASSERT_EQ(iv.size(), Ciphertext::kIvSize);
    EXPECT_EQ(iv, expectedIv(key, c, plain));
    EXPECT_EQ(convergentIv(*s, handle, c, plain), iv) << "deterministic";

    // SoftHSM 2.6.1 encrypts with the IV it is given: the token's GCM equals OpenSSL's.
    const hsm::Bytes onToken =
        s->encrypt(hsm::Mechanism::aesGcm(iv, c.associatedData()), handle, plain);
    EXPECT_EQ(onToken, aesGcmEncrypt(key, iv, c.associatedData(), plain));

    // Every bound input changes the IV.
    Ciphertext other = c;
    other.context = bytes("order-8");
    EXPECT_NE(convergentIv(*s, handle, other, plain), iv) << "context";
    other = c;
    other.materialVersion = 4;
    EXPECT_NE(convergentIv(*s, handle, other, plain), iv) << "material version";
    other = c;
    other.keyId = "0f0e0d0c-0b0a-4908-8706-050403020101";
    EXPECT_NE(convergentIv(*s, handle, other, plain), iv) << "key id";
    EXPECT_NE(convergentIv(*s, handle, c, bytes("convergent plaintexT")), iv) << "plaintext";
    // Moving bytes between context and plaintext is not a collision (the AAD length is bound).
    other = c;
    other.context = bytes("order-7c");
    EXPECT_NE(convergentIv(*s, handle, other, bytes("onvergent plaintext")), iv);
    s->destroyObjectNoThrow(handle);
}

// A plain customer AES copy (no CKA_DERIVE) cannot derive: only convergent copies can.
TEST(ConvergentIv, APlainCopyCannotDerive) {
    auto s = testToken().session();
    auto t = hsm::policy::customerAesKey(hsm::Persistence::Session);
    const hsm::Bytes key = randomBytes(32);
    t.set(CKA_VALUE, hsm::ByteView(key));
    const auto handle = s->createObject(t);
    Ciphertext c;
    c.keyId = "0f0e0d0c-0b0a-4908-8706-050403020100";
    EXPECT_ANY_THROW(convergentIv(*s, handle, c, bytes("x")));
}

}  // namespace
}  // namespace keyport::test
