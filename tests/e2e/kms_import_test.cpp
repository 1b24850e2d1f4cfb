// BYOK end to end over HTTP: every key_spec imported with material made and wrapped by
// OpenSSL, then used; the results checked by OpenSSL against get-publickey.
#include <gtest/gtest.h>

#include <thread>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::string describeState(const KmsClient& c, const std::string& id) {
    const auto r = c.call("describe-key", jsonBody({{"key_id", id}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json->getObject("key_info")->getValue<std::string>("key_state");
}

void expectEncryptDecrypt(const KmsClient& c, const std::string& id, const std::string& algorithm) {
    const std::string plain = "attack at dawn " + id;
    const auto e = c.call(
        "encrypt-data",
        jsonBody({{"key_id", id}, {"plain_text", plain}, {"encryption_algorithm", algorithm}}));
    ASSERT_EQ(e.status, 200) << e.body;
    const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")},
                                                    {"encryption_algorithm", algorithm}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.str("plain_text"), plain);
    EXPECT_EQ(d.str("key_id"), id);
}

void expectSignVerify(const KmsClient& c, const std::string& id, const std::string& algorithm,
                      const std::string& scheme, const std::string& md) {
    const hsm::Bytes message = bytes("message to sign with " + algorithm);
    const hsm::Bytes dgst = sha(md, message);
    const auto s = c.call("sign", jsonBody({{"key_id", id},
                                            {"message", b64(dgst)},
                                            {"signing_algorithm", algorithm},
                                            {"message_type", "DIGEST"}}));
    ASSERT_EQ(s.status, 200) << s.body;
    const auto pk = c.call("get-publickey", jsonBody({{"key_id", id}}));
    ASSERT_EQ(pk.status, 200) << pk.body;
    const hsm::Bytes sig = unb64(s.str("signature"));
    EXPECT_TRUE(verifySignature(pk.str("public_key"), scheme, md, dgst, sig, true)) << algorithm;
    hsm::Bytes tampered = sig;
    tampered[tampered.size() / 2] ^= 1;
    EXPECT_FALSE(verifySignature(pk.str("public_key"), scheme, md, dgst, tampered, true));
    // RAW messages are hashed by the service.
    const auto raw = c.call("sign", jsonBody({{"key_id", id},
                                              {"message", b64(message)},
                                              {"signing_algorithm", algorithm},
                                              {"message_type", "RAW"}}));
    ASSERT_EQ(raw.status, 200) << raw.body;
    EXPECT_TRUE(verifySignature(pk.str("public_key"), scheme, md, message,
                                unb64(raw.str("signature")), false));
    const auto v = c.call("verify", jsonBody({{"key_id", id},
                                              {"message", b64(dgst)},
                                              {"signature", b64(sig)},
                                              {"signing_algorithm", algorithm}}));
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(v.str("signature_valid"), "true");
    const auto bad = c.call("verify", jsonBody({{"key_id", id},
                                                {"message", b64(dgst)},
                                                {"signature", b64(tampered)},
                                                {"signing_algorithm", algorithm}}));
    ASSERT_EQ(bad.status, 200) << bad.body;
    EXPECT_EQ(bad.str("signature_valid"), "false");
}

std::string publicKeyPem(const KmsClient& c, const std::string& id) {
    return c.call("get-publickey", jsonBody({{"key_id", id}})).str("public_key");
}

std::string pemOf(const ClientKey& k) {
    const hsm::Bytes der = spkiOf(k);
    std::string b = b64(der), pem = "-----BEGIN PUBLIC KEY-----\n";
    for (std::size_t i = 0; i < b.size(); i += 64) pem += b.substr(i, 64) + "\n";
    return pem + "-----END PUBLIC KEY-----\n";
}

TEST(KmsImport, Aes256WithOaepSha1UnwrapsOnToken) {
    const auto c = demoClient();
    const std::string id =
        importKey(c, "imp-aes-sha1", "AES_256", "ENCRYPT_DECRYPT", randomBytes(32), std::nullopt);
    EXPECT_EQ(describeState(c, id), "2");
    const auto d = c.call("describe-key", jsonBody({{"key_id", id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("unwrap_path"), "on-token");
    expectEncryptDecrypt(c, id, "SYMMETRIC_DEFAULT");
}

TEST(KmsImport, Aes256WithOaepSha256UsesTheConfiguredHostAssistedPath) {
    const auto c = demoClient();
    const std::string id = importKey(c, "imp-aes-sha256", "AES_256", "ENCRYPT_DECRYPT",
                                     randomBytes(32), std::nullopt, "RSAES_OAEP_SHA_256");
    const auto d = c.call("describe-key", jsonBody({{"key_id", id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("unwrap_path"), "host-assisted");
    expectEncryptDecrypt(c, id, "SYMMETRIC_DEFAULT");
}

TEST(KmsImport, SameMaterialImportedTwiceGivesInterchangeableCiphertexts) {
    // Two keys with the same material: a ciphertext of one names the other key, so this
    // proves material equality through the data path: wrap the same bytes twice and check
    // both decrypt what each encrypts (the GCM tag binds the key).
    const auto c = demoClient();
    const hsm::Bytes material = randomBytes(32);
    const std::string id =
        importKey(c, "imp-same", "AES_256", "ENCRYPT_DECRYPT", material, std::nullopt);
    const auto e = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "kept"}}));
    ASSERT_EQ(e.status, 200);
    // Re-import of the same material: accepted, old ciphertext still decrypts.
    const auto again = c.call("import-key-material",
                              importBody(id, getParams(c, id), material, std::nullopt, false));
    EXPECT_EQ(again.status, 200) << again.body;
    // Different material: refused, and the old material stays.
    const auto other =
        c.call("import-key-material",
               importBody(id, getParams(c, id), randomBytes(32), std::nullopt, false));
    EXPECT_EQ(other.status, 400) << other.body;
    EXPECT_EQ(other.errorCode(), "KMS.0308");
    EXPECT_NE(other.body.find("different"), std::string::npos) << other.body;
    const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.str("plain_text"), "kept");
}

TEST(KmsImport, DeleteImportedMaterialThenReimport) {
    const auto c = demoClient();
    const hsm::Bytes material = randomBytes(32);
    const std::string id =
        importKey(c, "imp-del", "AES_256", "ENCRYPT_DECRYPT", material, std::nullopt);
    const auto e =
        c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "before delete"}}));
    ASSERT_EQ(e.status, 200);
    const auto del = c.call("delete-imported-key-material", jsonBody({{"key_id", id}}));
    ASSERT_EQ(del.status, 200) << del.body;
    EXPECT_EQ(describeState(c, id), "5");
    const auto refused = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}}));
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(refused.errorCode(), "KMS.0211");
    const auto gone = c.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    EXPECT_EQ(gone.status, 400);
    // Re-import (any material is allowed now; the same brings old ciphertexts back).
    const auto r = c.call("import-key-material",
                          importBody(id, getParams(c, id), material, std::nullopt, false));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.str("plain_text"), "before delete");
}

TEST(KmsImport, MaterialExpiresWithoutRestart) {
    const auto c = demoClient();
    const std::string id = c.createKey("imp-expiring", "AES_256", "ENCRYPT_DECRYPT", "external");
    const std::int64_t expires = nowSeconds() + 3;
    const auto r = c.call("import-key-material", importBody(id, getParams(c, id), randomBytes(32),
                                                            std::nullopt, false, expires));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto d = c.call("describe-key", jsonBody({{"key_id", id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("expiration_time"),
              std::to_string(expires));
    expectEncryptDecrypt(c, id, "SYMMETRIC_DEFAULT");
    while (nowSeconds() <= expires) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto refused = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}}));
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(refused.errorCode(), "KMS.0211");
    EXPECT_EQ(describeState(c, id), "5");
}

TEST(KmsImport, ExpirationTimeInThePastIsRefused) {
    const auto c = demoClient();
    const std::string id = c.createKey("imp-past", "AES_256", "ENCRYPT_DECRYPT", "external");
    const auto r = c.call(
        "import-key-material",
        importBody(id, getParams(c, id), randomBytes(32), std::nullopt, false, nowSeconds() - 10));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.errorCode(), "KMS.0308");
    EXPECT_NE(r.body.find("expiration_time"), std::string::npos);
    EXPECT_EQ(describeState(c, id), "5");
}

struct AsymCase {
    std::string spec, usage, algorithm, scheme, md, wrapping;
};

class KmsImportAsymmetric : public ::testing::TestWithParam<AsymCase> {};

TEST_P(KmsImportAsymmetric, ImportedPrivateKeySignsAndPublicKeyMatches) {
    const AsymCase& t = GetParam();
    const auto c = demoClient();
    const ClientKey k = generateKey(t.spec);
    const std::string id =
        importKey(c, "imp-" + t.spec + "-" + t.scheme + "-" + t.wrapping.substr(11), t.spec,
                  t.usage, {}, k.pkcs8, t.wrapping);
    EXPECT_EQ(describeState(c, id), "2");
    // The public key comes from the token and equals the one OpenSSL generated.
    EXPECT_EQ(publicKeyPem(c, id), pemOf(k));
    expectSignVerify(c, id, t.algorithm, t.scheme, t.md);
}

INSTANTIATE_TEST_SUITE_P(
    EverySpec, KmsImportAsymmetric,
    ::testing::Values(AsymCase{"RSA_2048", "SIGN_VERIFY", "RSASSA_PSS_SHA_256", "PSS", "SHA256",
                               "RSAES_OAEP_SHA_1"},
                      AsymCase{"RSA_2048", "SIGN_VERIFY", "RSASSA_PKCS1_V1_5_SHA_256", "PKCS1",
                               "SHA256", "RSAES_OAEP_SHA_256"},
                      AsymCase{"RSA_3072", "SIGN_VERIFY", "RSASSA_PKCS1_V1_5_SHA_384", "PKCS1",
                               "SHA384", "RSAES_OAEP_SHA_1"},
                      AsymCase{"RSA_4096", "SIGN_VERIFY", "RSASSA_PSS_SHA_512", "PSS", "SHA512",
                               "RSAES_OAEP_SHA_1"},
                      AsymCase{"EC_P256", "SIGN_VERIFY", "ECDSA_SHA_256", "ECDSA", "SHA256",
                               "RSAES_OAEP_SHA_1"},
                      AsymCase{"EC_P384", "SIGN_VERIFY", "ECDSA_SHA_384", "ECDSA", "SHA384",
                               "RSAES_OAEP_SHA_256"}),
    [](const ::testing::TestParamInfo<AsymCase>& p) {
        return p.param.spec + "_" + p.param.scheme + "_" + p.param.wrapping.substr(11);
    });

TEST(KmsImport, ImportedRsaKeyEncryptsAndDecrypts) {
    const auto c = demoClient();
    const ClientKey k = generateKey("RSA_2048");
    const std::string id = importKey(c, "imp-rsa-enc", "RSA_2048", "ENCRYPT_DECRYPT", {}, k.pkcs8);
    expectEncryptDecrypt(c, id, "RSAES_OAEP_SHA_256");
    expectEncryptDecrypt(c, id, "RSAES_OAEP_SHA_1");
}

TEST(KmsKeys, GeneratedKeysOfEverySpecWork) {
    const auto c = demoClient();
    expectEncryptDecrypt(c, c.createKey("gen-aes", "AES_256", "ENCRYPT_DECRYPT", "kms"),
                         "SYMMETRIC_DEFAULT");
    expectSignVerify(c, c.createKey("gen-rsa", "RSA_2048", "SIGN_VERIFY", "kms"),
                     "RSASSA_PSS_SHA_256", "PSS", "SHA256");
    expectSignVerify(c, c.createKey("gen-ec", "EC_P384", "SIGN_VERIFY", "kms"), "ECDSA_SHA_384",
                     "ECDSA", "SHA384");
}

TEST(KmsKeys, DataKeysRoundTrip) {
    const auto c = demoClient();
    const std::string id =
        importKey(c, "imp-dk", "AES_256", "ENCRYPT_DECRYPT", randomBytes(32), std::nullopt);
    const auto dk = c.call("create-datakey", jsonBody({{"key_id", id}, {"datakey_length", "256"}}));
    ASSERT_EQ(dk.status, 200) << dk.body;
    EXPECT_EQ(dk.str("plain_text").size(), 64u);
    const auto back = c.call("decrypt-datakey", jsonBody({{"key_id", id},
                                                          {"cipher_text", dk.str("cipher_text")},
                                                          {"datakey_cipher_length", "32"}}));
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.str("data_key"), dk.str("plain_text"));
    const auto np = c.call("create-datakey-without-plaintext", jsonBody({{"key_id", id}}));
    ASSERT_EQ(np.status, 200) << np.body;
    EXPECT_FALSE(np.json->has("plain_text"));
    // encrypt-datakey takes hex(DEK) + hex(SHA-256(DEK)).
    const hsm::Bytes dek = randomBytes(32);
    const std::string text = hex(dek) + hex(sha("SHA256", dek));
    const auto enc =
        c.call("encrypt-datakey",
               jsonBody({{"key_id", id}, {"plain_text", text}, {"datakey_plain_length", "32"}}));
    ASSERT_EQ(enc.status, 200) << enc.body;
    const auto dec = c.call("decrypt-datakey",
                            jsonBody({{"key_id", id}, {"cipher_text", enc.str("cipher_text")}}));
    ASSERT_EQ(dec.status, 200) << dec.body;
    EXPECT_EQ(dec.str("data_key"), text.substr(0, 64));
}

TEST(KmsKeys, LifecycleAliasDescriptionTagsAndRandom) {
    const auto c = demoClient();
    const std::string id = c.createKey("life", "AES_256", "ENCRYPT_DECRYPT", "kms");
    EXPECT_EQ(c.call("disable-key", jsonBody({{"key_id", id}})).status, 200);
    const auto off = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}}));
    EXPECT_EQ(off.status, 400);
    EXPECT_EQ(off.errorCode(), "KMS.0209");
    EXPECT_EQ(c.call("enable-key", jsonBody({{"key_id", id}})).status, 200);
    const auto sched =
        c.call("schedule-key-deletion", jsonBody({{"key_id", id}, {"pending_days", "7"}}));
    EXPECT_EQ(sched.status, 200) << sched.body;
    EXPECT_EQ(sched.str("key_state"), "4");
    const auto pending = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}}));
    EXPECT_EQ(pending.errorCode(), "KMS.0210");
    EXPECT_EQ(c.call("cancel-key-deletion", jsonBody({{"key_id", id}})).status, 200);
    EXPECT_EQ(describeState(c, id), "3");  // Huawei: a cancelled deletion leaves the key disabled
    EXPECT_EQ(c.call("update-key-alias", jsonBody({{"key_id", id}, {"key_alias", "life-renamed"}}))
                  .status,
              200);
    EXPECT_EQ(c.call("update-key-description", jsonBody({{"key_id", id}, {"key_description", "d"}}))
                  .status,
              200);
    const auto t = httpRequest(
        c.port(), "POST", "/v1.0/" + c.credential().projectId + "/kms/" + id + "/tags",
        R"({"tag":{"key":"team","value":"crypto"}})", {{"X-Auth-Token", c.credential().token}});
    EXPECT_EQ(t.status, 200) << t.body;
    const auto tags =
        httpRequest(c.port(), "GET", "/v1.0/" + c.credential().projectId + "/kms/" + id + "/tags",
                    "", {{"X-Auth-Token", c.credential().token}});
    EXPECT_EQ(tags.status, 200);
    EXPECT_NE(tags.body.find(R"({"key":"team","value":"crypto"})"), std::string::npos) << tags.body;
    const auto rnd = c.call("gen-random", jsonBody({{"random_data_length", "256"}}));
    EXPECT_EQ(rnd.str("random_data").size(), 64u);
    const auto list = c.call("list-keys", jsonBody({{"limit", "2"}}));
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.str("truncated"), "true");
    EXPECT_EQ(list.json->getArray("keys")->size(), 2u);
}

TEST(KmsKeys, RepeatedSequenceReturnsTheFirstResponse) {
    const auto c = demoClient();
    const std::string seq = "919c82d4-8046-4722-9094-35c3c6524cff";
    const std::string body = jsonBody({{"key_alias", "seq-key"}, {"sequence", seq}});
    const auto a = c.call("create-key", body);
    const auto b = c.call("create-key", body);
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(a.body, b.body);
    const auto other =
        c.call("create-key", jsonBody({{"key_alias", "seq-key-2"}, {"sequence", seq}}));
    EXPECT_EQ(other.status, 400);
    EXPECT_EQ(other.errorCode(), "KMS.0206");
}

}  // namespace
}  // namespace keyport::test
