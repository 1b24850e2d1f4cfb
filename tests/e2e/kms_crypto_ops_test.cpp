// Huawei KMS cryptographic operations over HTTP against a real keyportd: the binding of
// additional_authenticated_data on every route that takes it, decrypt-datakey's
// datakey_cipher_length as Huawei's docs and samples send it, and (below) HMAC keys with
// generate-mac / verify-mac, checked on the client side with OpenSSL, and re-encrypt.
// SDK models checked: nodejs services/kms/v2/model/CreateDatakeyRequestBody.ts,
// EncryptDatakeyRequestBody.ts, DecryptDatakeyRequestBody.ts, EncryptDataRequestBody.ts,
// DecryptDataRequestBody.ts; go model_*_datakey_request_body.go ("any string, at most 128
// bytes").
#include <gtest/gtest.h>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_expect.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

const KmsExpect kInvalid{400, "KMS.0308"};
const KmsExpect kNotFound{404, "KMS.0207"};

struct Keys {
    std::string aes;
    std::string rsa;
};

const Keys& keys() {
    static const Keys k = [] {
        const auto c = demoClient();
        return Keys{c.createKey("aad-aes", "AES_256", "ENCRYPT_DECRYPT", "kms"),
                    c.createKey("aad-rsa", "RSA_2048", "ENCRYPT_DECRYPT", "kms")};
    }();
    return k;
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields with(Fields f, const std::optional<std::string>& aad) {
    if (aad) f.emplace_back("additional_authenticated_data", *aad);
    return f;
}

HttpResult decryptData(const KmsClient& c, const std::string& ct,
                       const std::optional<std::string>& aad) {
    return c.call("decrypt-data", jsonBody(with({{"cipher_text", ct}}, aad)));
}

HttpResult decryptDataKey(const KmsClient& c, const std::string& ct,
                          const std::optional<std::string>& aad) {
    return c.call(
        "decrypt-datakey",
        jsonBody(with(
            {{"key_id", keys().aes}, {"cipher_text", ct}, {"datakey_cipher_length", "32"}}, aad)));
}

// A data-key ciphertext made with AAD ctx-1 opens with ctx-1 only.
void expectDataKeyBound(const KmsClient& c, const std::string& ct, const std::string& dekHex,
                        const std::string& what) {
    expectKmsError(decryptDataKey(c, ct, "ctx-2"), kInvalid, what + ": other AAD");
    expectKmsError(decryptDataKey(c, ct, std::nullopt), kInvalid, what + ": no AAD");
    expectKmsError(decryptDataKey(c, ct, ""), kInvalid, what + ": empty AAD");
    const auto ok = decryptDataKey(c, ct, "ctx-1");
    ASSERT_EQ(ok.status, 200) << what << ": " << ok.body;
    if (!dekHex.empty()) {
        EXPECT_EQ(ok.str("data_key"), dekHex) << what;
    }
    EXPECT_EQ(ok.str("datakey_length"), "32") << what;
}

TEST(KmsAad, EncryptDataBindsAad) {
    const auto c = demoClient();
    const auto enc = c.call("encrypt-data", jsonBody({{"key_id", keys().aes},
                                                      {"plain_text", "pay 100 to bob"},
                                                      {"additional_authenticated_data", "ctx-1"}}));
    ASSERT_EQ(enc.status, 200) << enc.body;
    const std::string ct = enc.str("cipher_text");
    expectKmsError(decryptData(c, ct, "ctx-2"), kInvalid, "decrypt-data with other AAD");
    expectKmsError(decryptData(c, ct, std::nullopt), kInvalid, "decrypt-data without AAD");
    expectKmsError(decryptData(c, ct, "ctx-1 "), kInvalid, "decrypt-data with AAD + a space");
    const auto ok = decryptData(c, ct, "ctx-1");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.str("plain_text"), "pay 100 to bob");

    // And the other way round: made without AAD, it does not open with one.
    const auto plain =
        c.call("encrypt-data", jsonBody({{"key_id", keys().aes}, {"plain_text", "no aad"}}));
    ASSERT_EQ(plain.status, 200) << plain.body;
    expectKmsError(decryptData(c, plain.str("cipher_text"), "ctx-1"), kInvalid,
                   "AAD given for a ciphertext made without");
    EXPECT_EQ(decryptData(c, plain.str("cipher_text"), std::nullopt).str("plain_text"), "no aad");
}

TEST(KmsAad, CreateDatakeyBindsAad) {
    const auto c = demoClient();
    const auto dk =
        c.call("create-datakey", jsonBody({{"key_id", keys().aes},
                                           {"datakey_length", "256"},
                                           {"additional_authenticated_data", "ctx-1"}}));
    ASSERT_EQ(dk.status, 200) << dk.body;
    expectDataKeyBound(c, dk.str("cipher_text"), dk.str("plain_text"), "create-datakey");

    const auto np = c.call("create-datakey-without-plaintext",
                           jsonBody({{"key_id", keys().aes},
                                     {"key_spec", "AES_256"},
                                     {"additional_authenticated_data", "ctx-1"}}));
    ASSERT_EQ(np.status, 200) << np.body;
    expectDataKeyBound(c, np.str("cipher_text"), "", "create-datakey-without-plaintext");
}

TEST(KmsAad, EncryptDatakeyBindsAad) {
    const auto c = demoClient();
    const hsm::Bytes dek = randomBytes(32);
    const auto enc =
        c.call("encrypt-datakey", jsonBody({{"key_id", keys().aes},
                                            {"plain_text", hex(dek) + hex(sha("SHA256", dek))},
                                            {"datakey_plain_length", "32"},
                                            {"additional_authenticated_data", "ctx-1"}}));
    ASSERT_EQ(enc.status, 200) << enc.body;
    expectDataKeyBound(c, enc.str("cipher_text"), hex(dek), "encrypt-datakey");
}

// What each bad AAD gets. 128 bytes is the most (the models' rule); a non-string is refused,
// and so is AAD with an RSA key, whose OAEP ciphertext cannot bind it.
TEST(KmsAad, BadInput) {
    const auto c = demoClient();
    const std::string longest(128, 'a');
    const auto ok = c.call("encrypt-data", jsonBody({{"key_id", keys().aes},
                                                     {"plain_text", "x"},
                                                     {"additional_authenticated_data", longest}}));
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(decryptData(c, ok.str("cipher_text"), longest).str("plain_text"), "x");
    expectKmsError(
        c.call("encrypt-data", jsonBody({{"key_id", keys().aes},
                                         {"plain_text", "x"},
                                         {"additional_authenticated_data", longest + "a"}})),
        kInvalid, "129-byte AAD");
    expectKmsError(
        c.call("create-datakey", jsonBody({{"key_id", keys().aes},
                                           {"additional_authenticated_data", longest + "a"}})),
        kInvalid, "129-byte AAD on create-datakey");
    expectKmsError(decryptDataKey(c, "00", longest + "a"), kInvalid,
                   "129-byte AAD on decrypt-datakey");
    const std::string aes = keys().aes;
    expectKmsError(
        c.call("encrypt-data", R"({"key_id":")" + aes +
                                   R"(","plain_text":"x","additional_authenticated_data":42})"),
        kInvalid, "AAD a number");
    expectKmsError(c.call("create-datakey", R"({"key_id":")" + aes +
                                                R"(","additional_authenticated_data":{"a":"b"}})"),
                   kInvalid, "AAD an object");
    expectKmsError(
        c.call(
            "encrypt-datakey",
            R"({"key_id":")" + aes +
                R"(","plain_text":"00","datakey_plain_length":"1","additional_authenticated_data":["x"]})"),
        kInvalid, "AAD an array");
    const auto rsa =
        c.call("encrypt-data", jsonBody({{"key_id", keys().rsa},
                                         {"plain_text", "x"},
                                         {"encryption_algorithm", "RSAES_OAEP_SHA_256"},
                                         {"additional_authenticated_data", "ctx-1"}}));
    expectKmsError(rsa, kInvalid, "AAD with an RSA key");
    EXPECT_NE(rsa.body.find("additional_authenticated_data"), std::string::npos) << rsa.body;
    const auto rsaCt =
        c.call("encrypt-data", jsonBody({{"key_id", keys().rsa},
                                         {"plain_text", "x"},
                                         {"encryption_algorithm", "RSAES_OAEP_SHA_256"}}));
    ASSERT_EQ(rsaCt.status, 200) << rsaCt.body;
    expectKmsError(decryptData(c, rsaCt.str("cipher_text"), "ctx-1"), kInvalid,
                   "AAD on decrypting an RSA ciphertext");
}

// encryption_context (Huawei's API docs for encrypt-data and decrypt-datakey: an object of
// strings) binds like AAD; the order of its keys does not matter, its content does.
TEST(KmsAad, EncryptionContextBinds) {
    const auto c = demoClient();
    const std::string aes = keys().aes;
    const auto enc = c.call(
        "encrypt-data",
        R"({"key_id":")" + aes + R"(","plain_text":"ctx","encryption_context":{"a":"1","b":"2"}})");
    ASSERT_EQ(enc.status, 200) << enc.body;
    const std::string ct = enc.str("cipher_text");
    const auto open = [&](const std::string& extra) {
        return c.call("decrypt-data", R"({"cipher_text":")" + ct + "\"" + extra + "}");
    };
    const auto ok = open(R"(,"encryption_context":{"b":"2","a":"1"})");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.str("plain_text"), "ctx");
    expectKmsError(open(R"(,"encryption_context":{"a":"1"})"), kInvalid, "a pair missing");
    expectKmsError(open(R"(,"encryption_context":{"a":"1","b":"3"})"), kInvalid, "a value changed");
    expectKmsError(open(""), kInvalid, "no context");
    expectKmsError(open(R"(,"additional_authenticated_data":"{\"a\":\"1\",\"b\":\"2\"}")"),
                   kInvalid, "the context's JSON given as AAD");
    expectKmsError(open(R"(,"encryption_context":{"a":"1"},"additional_authenticated_data":"x")"),
                   kInvalid, "both at once");
    expectKmsError(open(R"(,"encryption_context":{"a":1})"), kInvalid, "a non-string value");
    expectKmsError(open(R"(,"encryption_context":"a=1")"), kInvalid, "not an object");

    // The same on the data-key routes.
    const auto dk = c.call(
        "create-datakey", R"({"key_id":")" + aes + R"(","encryption_context":{"purpose":"disk"}})");
    ASSERT_EQ(dk.status, 200) << dk.body;
    const std::string dkCt = dk.str("cipher_text");
    const auto back =
        c.call("decrypt-datakey",
               R"({"key_id":")" + aes + R"(","cipher_text":")" + dkCt +
                   R"(","datakey_cipher_length":"32","encryption_context":{"purpose":"disk"}})");
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.str("data_key"), dk.str("plain_text"));
    expectKmsError(decryptDataKey(c, dkCt, std::nullopt), kInvalid, "data key without context");
}

// Another domain holding a ciphertext and its AAD learns nothing: the key is not found.
TEST(KmsAad, CrossDomain) {
    const auto c = demoClient();
    const auto enc = c.call("encrypt-data", jsonBody({{"key_id", keys().aes},
                                                      {"plain_text", "secret"},
                                                      {"additional_authenticated_data", "ctx-1"}}));
    ASSERT_EQ(enc.status, 200) << enc.body;
    const KmsClient mallory(c.port(), server().addCredential("aad-mallory", "aadmalloryproject",
                                                             "cn-north-4", "admin"));
    const auto r = decryptData(mallory, enc.str("cipher_text"), "ctx-1");
    expectKmsError(r, kNotFound, "another domain decrypts with the right AAD");
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
}

// datakey_cipher_length as Huawei's samples send it ("32", "64", "1", or a number) is
// accepted whatever the key's length; only its form (1–1024) is checked.
TEST(KmsDecryptDatakey, CipherLengthAsHuaweiSends) {
    const auto c = demoClient();
    const auto dk = c.call("create-datakey", jsonBody({{"key_id", keys().aes}}));
    ASSERT_EQ(dk.status, 200) << dk.body;
    const std::string ct = dk.str("cipher_text");
    for (const std::string v : {"\"32\"", "\"64\"", "\"1\"", "\"1024\"", "64"}) {
        const auto r =
            c.call("decrypt-datakey", R"({"key_id":")" + keys().aes + R"(","cipher_text":")" + ct +
                                          R"(","datakey_cipher_length":)" + v + "}");
        ASSERT_EQ(r.status, 200) << v << ": " << r.body;
        EXPECT_EQ(r.str("data_key"), dk.str("plain_text")) << v;
        EXPECT_EQ(r.str("datakey_length"), "32") << v;
    }
    for (const std::string v : {"\"0\"", "\"1025\"", "\"abc\"", "\"\"", "true"}) {
        expectKmsError(
            c.call("decrypt-datakey", R"({"key_id":")" + keys().aes + R"(","cipher_text":")" + ct +
                                          R"(","datakey_cipher_length":)" + v + "}"),
            kInvalid, "datakey_cipher_length " + v);
    }
}

// ---- HMAC keys: generate-mac / verify-mac (model/GenerateMacRequestBody.ts,
// GenerateMacResponse.ts, VerifyMacRequestBody.ts, VerifyMacResponse.ts) ----

struct MacCase {
    std::string spec, algorithm, md;
    std::size_t bytes;
};
const std::vector<MacCase> kMacCases{{"HMAC_256", "HMAC_SHA_256", "SHA256", 32},
                                     {"HMAC_384", "HMAC_SHA_384", "SHA384", 48},
                                     {"HMAC_512", "HMAC_SHA_512", "SHA512", 64}};

HttpResult generateMac(const KmsClient& c, const std::string& id, const std::string& algorithm,
                       const std::string& messageB64) {
    return c.call(
        "generate-mac",
        jsonBody({{"key_id", id}, {"mac_algorithm", algorithm}, {"message", messageB64}}));
}

HttpResult verifyMac(const KmsClient& c, const std::string& id, const std::string& algorithm,
                     const std::string& messageB64, const std::string& macHex) {
    return c.call("verify-mac", jsonBody({{"key_id", id},
                                          {"mac_algorithm", algorithm},
                                          {"message", messageB64},
                                          {"mac", macHex}}));
}

bool macValid(const HttpResult& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    if (!r.json || !r.json->has("mac_valid")) return false;
    const auto v = r.json->get("mac_valid");
    EXPECT_TRUE(v.isBoolean()) << "mac_valid must be a JSON boolean: " << r.body;
    return v.isBoolean() && v.convert<bool>();
}

// Imported HMAC material: the MAC the token makes is the one OpenSSL makes with the key the
// customer kept, and verify-mac accepts OpenSSL's MAC and refuses an altered one.
TEST(KmsMac, ImportedHmacKeysMatchOpenSsl) {
    const auto c = demoClient();
    for (const MacCase& m : kMacCases) {
        const hsm::Bytes key = randomBytes(m.bytes);
        const std::string id =
            importKey(c, "hmac-imp-" + m.spec, m.spec, "GENERATE_VERIFY_MAC", key, std::nullopt);
        const auto info = c.call("describe-key", jsonBody({{"key_id", id}}));
        ASSERT_EQ(info.status, 200) << info.body;
        const auto ki = info.json->getObject("key_info");
        EXPECT_EQ(ki->getValue<std::string>("key_spec"), m.spec);
        EXPECT_EQ(ki->getValue<std::string>("key_usage"), "GENERATE_VERIFY_MAC");

        const hsm::Bytes message = bytes("pay 100 to bob");
        const auto mac = generateMac(c, id, m.algorithm, b64(message));
        ASSERT_EQ(mac.status, 200) << mac.body;
        EXPECT_EQ(mac.str("key_id"), id);
        EXPECT_EQ(mac.str("mac_algorithm"), m.algorithm);
        EXPECT_EQ(mac.str("mac"), hex(hmac(m.md, key, message))) << m.spec;

        const std::string theirs = hex(hmac(m.md, key, bytes("another message")));
        const auto ok = verifyMac(c, id, m.algorithm, b64(bytes("another message")), theirs);
        EXPECT_TRUE(macValid(ok)) << m.spec << ": " << ok.body;
        EXPECT_EQ(ok.str("mac_algorithm"), m.algorithm);
        std::string altered = theirs;
        altered[0] = altered[0] == '0' ? '1' : '0';
        EXPECT_FALSE(
            macValid(verifyMac(c, id, m.algorithm, b64(bytes("another message")), altered)))
            << m.spec;
        EXPECT_FALSE(macValid(verifyMac(c, id, m.algorithm, b64(bytes("another messagE")), theirs)))
            << m.spec;
        EXPECT_FALSE(macValid(
            verifyMac(c, id, m.algorithm, b64(bytes("another message")), theirs.substr(2))))
            << m.spec << ": a truncated MAC";
    }
}

// Generated HMAC keys (on-token, never seen by anyone): their MACs verify and have the
// hash's length; usage defaults to GENERATE_VERIFY_MAC.
TEST(KmsMac, GeneratedHmacKeysRoundTrip) {
    const auto c = demoClient();
    for (const MacCase& m : kMacCases) {
        const auto created = c.call(
            "create-key", jsonBody({{"key_alias", "hmac-gen-" + m.spec}, {"key_spec", m.spec}}));
        ASSERT_EQ(created.status, 200) << created.body;
        const std::string id = created.json->getObject("key_info")->getValue<std::string>("key_id");
        const auto mac = generateMac(c, id, m.algorithm, b64(bytes("x")));
        ASSERT_EQ(mac.status, 200) << mac.body;
        EXPECT_EQ(mac.str("mac").size(), m.bytes * 2) << m.spec;
        EXPECT_TRUE(macValid(verifyMac(c, id, m.algorithm, b64(bytes("x")), mac.str("mac"))));
    }
}

TEST(KmsMac, BadInput) {
    const auto c = demoClient();
    const hsm::Bytes key = randomBytes(32);
    const std::string id =
        importKey(c, "hmac-bad", "HMAC_256", "GENERATE_VERIFY_MAC", key, std::nullopt);
    const std::string msg = b64(bytes("m"));
    const std::string goodMac = hex(hmac("SHA256", key, bytes("m")));
    expectKmsError(generateMac(c, keys().aes, "HMAC_SHA_256", msg), kInvalid,
                   "generate-mac with an AES key");
    expectKmsError(verifyMac(c, keys().aes, "HMAC_SHA_256", msg, goodMac), kInvalid,
                   "verify-mac with an AES key");
    expectKmsError(generateMac(c, id, "HMAC_SHA_384", msg), kInvalid,
                   "HMAC_SHA_384 with an HMAC_256 key");
    expectKmsError(generateMac(c, id, "HMAC_MD5", msg), kInvalid, "unknown mac_algorithm");
    expectKmsError(generateMac(c, id, "HMAC_SM3", msg), kInvalid, "SM3 (China regions only)");
    expectKmsError(c.call("generate-mac", jsonBody({{"key_id", id}, {"message", msg}})),
                   {400, "KMS.0204"}, "mac_algorithm missing");
    expectKmsError(generateMac(c, id, "HMAC_SHA_256", "not base64!"), kInvalid,
                   "message not base64");
    expectKmsError(generateMac(c, id, "HMAC_SHA_256", ""), kInvalid, "empty message");
    expectKmsError(generateMac(c, id, "HMAC_SHA_256", b64(hsm::Bytes(4097, 'a'))), kInvalid,
                   "4097-byte message");
    EXPECT_EQ(generateMac(c, id, "HMAC_SHA_256", b64(hsm::Bytes(4096, 'a'))).status, 200)
        << "4096 bytes is the most";
    expectKmsError(verifyMac(c, id, "HMAC_SHA_256", msg, "zz"), kInvalid, "mac not hex");
    expectKmsError(c.call("verify-mac", R"({"key_id":")" + id +
                                            R"(","mac_algorithm":"HMAC_SHA_256","message":")" +
                                            msg + R"(","mac":7})"),
                   kInvalid, "mac a number");
    expectKmsError(c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}})),
                   kInvalid, "encrypt-data with an HMAC key");
    expectKmsError(c.call("sign", jsonBody({{"key_id", id},
                                            {"message", b64(sha("SHA256", bytes("m")))},
                                            {"signing_algorithm", "ECDSA_SHA_256"}})),
                   kInvalid, "sign with an HMAC key");
    // As for AES keys: the key id names a key without a public half.
    expectKmsError(c.call("get-publickey", jsonBody({{"key_id", id}})), {400, "KMS.0205"},
                   "get-publickey of an HMAC key");
    expectKmsError(c.call("create-key", jsonBody({{"key_alias", "hmac-enc"},
                                                  {"key_spec", "HMAC_256"},
                                                  {"key_usage", "ENCRYPT_DECRYPT"}})),
                   kInvalid, "HMAC key for encryption");
    expectKmsError(c.call("create-key", jsonBody({{"key_alias", "aes-mac"},
                                                  {"key_spec", "AES_256"},
                                                  {"key_usage", "GENERATE_VERIFY_MAC"}})),
                   kInvalid, "AES key for MACs");
    expectKmsError(
        c.call("create-key", jsonBody({{"key_alias", "hmac-224"}, {"key_spec", "HMAC_224"}})),
        kInvalid, "HMAC_224 is not a Huawei spec");
    // Import: the material must be the spec's length.
    const std::string pending =
        c.createKey("hmac-short", "HMAC_512", "GENERATE_VERIFY_MAC", "external");
    const auto params = getParams(c, pending);
    expectKmsError(c.call("import-key-material",
                          importBody(pending, params, randomBytes(32), std::nullopt, false)),
                   {400, "KMS.0311"}, "32 bytes for an HMAC_512 key");
    const auto again = getParams(c, pending);
    EXPECT_EQ(c.call("import-key-material",
                     importBody(pending, again, randomBytes(64), std::nullopt, false))
                  .status,
              200)
        << "64 bytes are an HMAC_512 key";
}

TEST(KmsMac, CrossDomain) {
    const auto c = demoClient();
    const std::string id = c.createKey("hmac-victim", "HMAC_256", "GENERATE_VERIFY_MAC", "kms");
    const KmsClient mallory(c.port(), server().addCredential("mac-mallory", "macmalloryproject",
                                                             "cn-north-4", "admin"));
    expectKmsError(generateMac(mallory, id, "HMAC_SHA_256", b64(bytes("m"))), kNotFound,
                   "another domain makes a MAC");
    expectKmsError(verifyMac(mallory, id, "HMAC_SHA_256", b64(bytes("m")), std::string(64, '0')),
                   kNotFound, "another domain verifies a MAC");
}

// ---- derive-shared-secret (model/DeriveSharedSecretRequestBody.ts,
// DeriveSharedSecretResponse.ts): ECDH on-token with an EC KEY_AGREEMENT key ----

HttpResult derive(const KmsClient& c, const std::string& id, const std::string& publicKeyB64,
                  const std::string& algorithm = "ECDH") {
    return c.call("derive-shared-secret", jsonBody({{"key_id", id},
                                                    {"key_agreement_algorithm", algorithm},
                                                    {"public_key", publicKeyB64}}));
}

TEST(KmsKeyAgreement, SharedSecretMatchesOpenSsl) {
    const auto c = demoClient();
    for (const std::string spec : {"EC_P256", "EC_P384"}) {
        const std::string id = c.createKey("ecdh-" + spec, spec, "KEY_AGREEMENT", "kms");
        const auto pub = c.call("get-publickey", jsonBody({{"key_id", id}}));
        ASSERT_EQ(pub.status, 200) << pub.body;
        const hsm::Bytes tokenSpki = pemToSpki(pub.str("public_key"));
        const ClientKey mine = generateKey(spec);
        const auto r = derive(c, id, b64(spkiOf(mine)));
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.str("key_id"), id);
        EXPECT_EQ(r.str("key_agreement_algorithm"), "ECDH");
        EXPECT_EQ(unb64(r.str("shared_secret")), ecdh(mine, tokenSpki)) << spec;
        ASSERT_TRUE(r.json->has("ciphertext_recipient"));
    }
}

// An imported EC private key used for key agreement: the token's secret is the one OpenSSL
// gets from the customer's own copy of that key and the peer's public key.
TEST(KmsKeyAgreement, ImportedKeyMatchesOpenSsl) {
    const auto c = demoClient();
    const ClientKey customer = generateKey("EC_P256");
    const std::string id =
        importKey(c, "ecdh-imported", "EC_P256", "KEY_AGREEMENT", {}, customer.pkcs8);
    const auto pub = c.call("get-publickey", jsonBody({{"key_id", id}}));
    ASSERT_EQ(pub.status, 200) << pub.body;
    EXPECT_EQ(pemToSpki(pub.str("public_key")), spkiOf(customer));
    const ClientKey peer = generateKey("EC_P256");
    const auto r = derive(c, id, b64(spkiOf(peer)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(unb64(r.str("shared_secret")), ecdh(customer, spkiOf(peer)));
    EXPECT_EQ(unb64(r.str("shared_secret")), ecdh(peer, spkiOf(customer)));
}

TEST(KmsKeyAgreement, BadInput) {
    const auto c = demoClient();
    const std::string id = c.createKey("ecdh-bad", "EC_P256", "KEY_AGREEMENT", "kms");
    const std::string signer = c.createKey("ecdsa-not-ecdh", "EC_P256", "SIGN_VERIFY", "kms");
    const std::string peer = b64(spkiOf(generateKey("EC_P256")));
    expectKmsError(derive(c, signer, peer), kInvalid, "a SIGN_VERIFY EC key");
    expectKmsError(derive(c, keys().aes, peer), kInvalid, "an AES key");
    expectKmsError(derive(c, id, peer, "ECDH_COFACTOR"), kInvalid, "unknown algorithm");
    expectKmsError(derive(c, id, "%%%"), kInvalid, "public_key not base64");
    expectKmsError(derive(c, id, b64(bytes("not a key"))), kInvalid, "public_key not DER");
    expectKmsError(derive(c, id, b64(spkiOf(generateKey("EC_P384")))), kInvalid,
                   "a P-384 key for a P-256 key");
    expectKmsError(derive(c, id, b64(spkiOf(generateKey("RSA_2048")))), kInvalid,
                   "an RSA public key");
    expectKmsError(
        c.call("derive-shared-secret", R"({"key_id":")" + id +
                                           R"(","key_agreement_algorithm":"ECDH","public_key":")" +
                                           peer + R"(","recipient":{"attestation_document":"x"}})"),
        kInvalid, "recipient (attestation) not supported");
    expectKmsError(c.call("sign", jsonBody({{"key_id", id},
                                            {"message", b64(sha("SHA256", bytes("m")))},
                                            {"signing_algorithm", "ECDSA_SHA_256"}})),
                   kInvalid, "sign with a KEY_AGREEMENT key");
    expectKmsError(c.call("create-key", jsonBody({{"key_alias", "rsa-ecdh"},
                                                  {"key_spec", "RSA_2048"},
                                                  {"key_usage", "KEY_AGREEMENT"}})),
                   kInvalid, "an RSA key for key agreement");
    const KmsClient mallory(c.port(), server().addCredential("ecdh-mallory", "ecdhmalloryproject",
                                                             "cn-north-4", "admin"));
    expectKmsError(derive(mallory, id, peer), kNotFound, "another domain derives");
}

// ---- create-rsa-datakey-pair / create-ec-datakey-pair (model/CreateRsaDatakeyPair*.ts,
// CreateEcDatakeyPair*.ts) ----

HttpResult createPair(const KmsClient& c, const std::string& route, const std::string& keyId,
                      const std::string& spec, const std::optional<std::string>& aad,
                      const std::string& withPlain = "") {
    std::string body = jsonBody(with({{"key_id", keyId}, {"key_spec", spec}}, aad));
    if (!withPlain.empty()) body.insert(body.size() - 1, ",\"with_plain_text\":" + withPlain);
    return c.call(route, body);
}

// The pair's public key is the public half of the private key it returns, and the
// private key's ciphertext opens with decrypt-data under the same AAD only.
TEST(KmsDataKeyPair, PairsMatchAndCiphertextOpens) {
    const auto c = demoClient();
    for (const auto& [route, spec] : {std::pair{"create-rsa-datakey-pair", "RSA_2048"},
                                      std::pair{"create-ec-datakey-pair", "ECC_NIST_P256"},
                                      std::pair{"create-ec-datakey-pair", "ECC_NIST_P384"}}) {
        const auto r = createPair(c, route, keys().aes, spec, "ctx-1");
        ASSERT_EQ(r.status, 200) << spec << ": " << r.body;
        EXPECT_EQ(r.str("key_id"), keys().aes);
        EXPECT_EQ(r.str("key_spec"), spec);
        const hsm::Bytes pkcs8 = unb64(r.str("private_key_plain_text"));
        EXPECT_EQ(spkiOfPkcs8(pkcs8), unb64(r.str("public_key"))) << spec;
        const std::string ct = r.str("private_key_cipher_text");
        const auto opened = decryptData(c, ct, "ctx-1");
        ASSERT_EQ(opened.status, 200) << spec << ": " << opened.body;
        EXPECT_EQ(unb64(opened.str("plain_text_base64")), pkcs8) << spec;
        expectKmsError(decryptData(c, ct, std::nullopt), kInvalid, std::string(spec) + ": no AAD");
        expectKmsError(decryptData(c, ct, "ctx-2"), kInvalid, std::string(spec) + ": other AAD");
    }
    // Without plaintext: no private_key_plain_text, and the ciphertext still holds the key.
    const auto r =
        createPair(c, "create-ec-datakey-pair", keys().aes, "ECC_NIST_P256", std::nullopt, "false");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.json->has("private_key_plain_text")) << r.body;
    const auto opened = decryptData(c, r.str("private_key_cipher_text"), std::nullopt);
    ASSERT_EQ(opened.status, 200) << opened.body;
    EXPECT_EQ(spkiOfPkcs8(unb64(opened.str("plain_text_base64"))), unb64(r.str("public_key")));
}

TEST(KmsDataKeyPair, BadInput) {
    const auto c = demoClient();
    const std::string rsa = "create-rsa-datakey-pair", ec = "create-ec-datakey-pair";
    expectKmsError(createPair(c, rsa, keys().aes, "RSA_1024", std::nullopt), kInvalid, "RSA_1024");
    expectKmsError(createPair(c, rsa, keys().aes, "ECC_NIST_P256", std::nullopt), kInvalid,
                   "an EC spec on the RSA route");
    expectKmsError(createPair(c, ec, keys().aes, "RSA_2048", std::nullopt), kInvalid,
                   "an RSA spec on the EC route");
    expectKmsError(createPair(c, ec, keys().aes, "ECC_SECG_P256K1", std::nullopt), kInvalid,
                   "secp256k1 (not on these tokens)");
    expectKmsError(c.call(ec, jsonBody({{"key_id", keys().aes}})), {400, "KMS.0204"},
                   "key_spec missing");
    expectKmsError(createPair(c, ec, keys().rsa, "ECC_NIST_P256", std::nullopt), kInvalid,
                   "an RSA CMK");
    const std::string mac = c.createKey("pair-hmac", "HMAC_256", "GENERATE_VERIFY_MAC", "kms");
    expectKmsError(createPair(c, ec, mac, "ECC_NIST_P256", std::nullopt), kInvalid, "an HMAC CMK");
    expectKmsError(createPair(c, ec, keys().aes, "ECC_NIST_P256", std::nullopt, "\"yes\""),
                   kInvalid, "with_plain_text a string");
    expectKmsError(createPair(c, ec, keys().aes, "ECC_NIST_P256", std::string(129, 'a')), kInvalid,
                   "129-byte AAD");
    const KmsClient mallory(c.port(), server().addCredential("pair-mallory", "pairmalloryproject",
                                                             "cn-north-4", "admin"));
    expectKmsError(createPair(mallory, ec, keys().aes, "ECC_NIST_P256", std::nullopt), kNotFound,
                   "another domain's CMK");
}

// ---- re-encrypt (KmsClient.ts reEncrypt: POST /v1.0/{project_id}/kms/re-encrypt;
// model/ReEncryptRequestBody.ts, ReEncryptResponse.ts; go model_re_encrypt_request_body.go) ----

HttpResult reEncrypt(const KmsClient& c, const Fields& f) {
    return c.call("re-encrypt", jsonBody(f));
}

std::string sealed(const KmsClient& c, const std::string& keyId, const std::string& plain,
                   const Fields& extra = {}) {
    Fields f{{"key_id", keyId}, {"plain_text", plain}};
    f.insert(f.end(), extra.begin(), extra.end());
    const auto e = c.call("encrypt-data", jsonBody(f));
    EXPECT_EQ(e.status, 200) << e.body;
    return e.str("cipher_text");
}

// The material version a format-4 AES ciphertext names (ciphertext.h).
std::uint32_t materialVersion(const std::string& cipherB64) {
    const hsm::Bytes b = unb64(cipherB64);
    if (b.size() < 41 || b[0] != 4) return 0;
    return (std::uint32_t{b[37]} << 24) | (std::uint32_t{b[38]} << 16) |
           (std::uint32_t{b[39]} << 8) | std::uint32_t{b[40]};
}

const std::string& otherAes() {
    static const std::string id =
        demoClient().createKey("reenc-aes-2", "AES_256", "ENCRYPT_DECRYPT", "kms");
    return id;
}

TEST(KmsReEncrypt, AesToOtherAesKeyWithDestinationAad) {
    const auto c = demoClient();
    const std::string ct =
        sealed(c, keys().aes, "move me", {{"additional_authenticated_data", "src-ctx"}});
    const auto r = reEncrypt(c, {{"cipher_text", ct},
                                 {"source_additional_authenticated_data", "src-ctx"},
                                 {"destination_key_id", otherAes()},
                                 {"destination_additional_authenticated_data", "dst-ctx"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("key_id"), otherAes());
    EXPECT_EQ(r.str("source_key_id"), keys().aes);
    EXPECT_EQ(r.str("source_encryption_algorithm"), "SYMMETRIC_DEFAULT");
    EXPECT_EQ(r.str("destination_encryption_algorithm"), "SYMMETRIC_DEFAULT");
    const std::string out = r.str("cipher_text");
    const auto ok = decryptData(c, out, "dst-ctx");
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.str("key_id"), otherAes());
    EXPECT_EQ(ok.str("plain_text"), "move me");
    expectKmsError(decryptData(c, out, "src-ctx"), kInvalid, "the new ciphertext with source AAD");
    expectKmsError(decryptData(c, out, std::nullopt), kInvalid, "the new ciphertext without AAD");
    // The source ciphertext is untouched and still opens.
    EXPECT_EQ(decryptData(c, ct, "src-ctx").str("plain_text"), "move me");
}

TEST(KmsReEncrypt, SourceAadMustMatch) {
    const auto c = demoClient();
    const std::string ct = sealed(c, keys().aes, "bound", {{"additional_authenticated_data", "a"}});
    const Fields dst{{"destination_key_id", otherAes()}};
    auto with2 = [&](Fields f) {
        f.insert(f.end(), dst.begin(), dst.end());
        return f;
    };
    expectKmsError(
        reEncrypt(c, with2({{"cipher_text", ct}, {"source_additional_authenticated_data", "b"}})),
        kInvalid, "other source AAD");
    expectKmsError(reEncrypt(c, with2({{"cipher_text", ct}})), kInvalid, "no source AAD");
    // The AAD of the other side does not open it either.
    expectKmsError(reEncrypt(c, with2({{"cipher_text", ct},
                                       {"destination_additional_authenticated_data", "a"}})),
                   kInvalid, "the AAD given as the destination's");
}

TEST(KmsReEncrypt, RsaSourceWithSourceKeyIdAndOaepSha256) {
    const auto c = demoClient();
    const std::string ct =
        sealed(c, keys().rsa, "from rsa", {{"encryption_algorithm", "RSAES_OAEP_SHA_256"}});
    const auto r = reEncrypt(c, {{"cipher_text", ct},
                                 {"source_key_id", keys().rsa},
                                 {"source_encryption_algorithm", "RSAES_OAEP_SHA_256"},
                                 {"destination_key_id", keys().aes},
                                 {"destination_additional_authenticated_data", "to-aes"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("source_key_id"), keys().rsa);
    EXPECT_EQ(r.str("source_encryption_algorithm"), "RSAES_OAEP_SHA_256");
    EXPECT_EQ(decryptData(c, r.str("cipher_text"), "to-aes").str("plain_text"), "from rsa");
    // The algorithm named must be the one the ciphertext was made with.
    expectKmsError(reEncrypt(c, {{"cipher_text", ct},
                                 {"source_key_id", keys().rsa},
                                 {"source_encryption_algorithm", "RSAES_OAEP_SHA_1"},
                                 {"destination_key_id", keys().aes}}),
                   kInvalid, "RSA ciphertext named as OAEP-SHA-1");
    // RSA-OAEP binds no AAD: a source AAD for it is refused, naming the source field.
    const auto aad = reEncrypt(c, {{"cipher_text", ct},
                                   {"source_additional_authenticated_data", "x"},
                                   {"destination_key_id", keys().aes}});
    expectKmsError(aad, kInvalid, "source AAD on an RSA ciphertext");
    EXPECT_NE(aad.body.find("source_additional_authenticated_data"), std::string::npos) << aad.body;
}

TEST(KmsReEncrypt, DestinationRsaKeyWithOaep) {
    const auto c = demoClient();
    const std::string ct = sealed(c, keys().aes, "to rsa");
    for (const std::string alg : {"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}) {
        const auto r = reEncrypt(c, {{"cipher_text", ct},
                                     {"destination_key_id", keys().rsa},
                                     {"destination_encryption_algorithm", alg}});
        ASSERT_EQ(r.status, 200) << alg << ": " << r.body;
        EXPECT_EQ(r.str("key_id"), keys().rsa);
        EXPECT_EQ(r.str("destination_encryption_algorithm"), alg);
        const auto d = decryptData(c, r.str("cipher_text"), std::nullopt);
        ASSERT_EQ(d.status, 200) << alg << ": " << d.body;
        EXPECT_EQ(d.str("plain_text"), "to rsa") << alg;
    }
    const auto noAlg = reEncrypt(c, {{"cipher_text", ct}, {"destination_key_id", keys().rsa}});
    expectKmsError(noAlg, kInvalid, "RSA destination with the symmetric default");
    EXPECT_NE(noAlg.body.find("destination_encryption_algorithm"), std::string::npos) << noAlg.body;
    const auto aad = reEncrypt(c, {{"cipher_text", ct},
                                   {"destination_key_id", keys().rsa},
                                   {"destination_encryption_algorithm", "RSAES_OAEP_SHA_256"},
                                   {"destination_additional_authenticated_data", "x"}});
    expectKmsError(aad, kInvalid, "destination AAD with an RSA key");
    EXPECT_NE(aad.body.find("destination_additional_authenticated_data"), std::string::npos)
        << aad.body;
    // More than OAEP-SHA-256 with RSA-2048 takes (190 bytes).
    const std::string longCt = sealed(c, keys().aes, std::string(191, 'p'));
    expectKmsError(reEncrypt(c, {{"cipher_text", longCt},
                                 {"destination_key_id", keys().rsa},
                                 {"destination_encryption_algorithm", "RSAES_OAEP_SHA_256"}}),
                   kInvalid, "content too long for the RSA destination");
}

// After rotate-on-demand, re-encrypting an old ciphertext under the same key moves it to the
// current material version.
TEST(KmsReEncrypt, OldVersionMovesToCurrentVersion) {
    const auto c = demoClient();
    const std::string id = c.createKey("reenc-rot", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string v1 = sealed(c, id, "old material", {{"additional_authenticated_data", "r"}});
    ASSERT_EQ(materialVersion(v1), 1u);
    const auto rot = c.call("rotate-on-demand", jsonBody({{"key_id", id}}));
    ASSERT_EQ(rot.status, 200) << rot.body;
    const auto r = reEncrypt(c, {{"cipher_text", v1},
                                 {"source_key_id", id},
                                 {"source_additional_authenticated_data", "r"},
                                 {"destination_key_id", id},
                                 {"destination_additional_authenticated_data", "r"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("key_id"), id);
    EXPECT_EQ(materialVersion(r.str("cipher_text")), 2u);
    EXPECT_EQ(decryptData(c, r.str("cipher_text"), "r").str("plain_text"), "old material");
}

// What each bad input gets.
TEST(KmsReEncrypt, BadInput) {
    const auto c = demoClient();
    const std::string ct = sealed(c, keys().aes, "x");
    const std::string dst = otherAes();
    const KmsExpect kMissing{400, "KMS.0204"};
    struct Row {
        std::string what;
        Fields fields;
        KmsExpect expect;
    };
    const std::vector<Row> rows{
        {"cipher_text missing", {{"destination_key_id", dst}}, kMissing},
        {"destination_key_id missing", {{"cipher_text", ct}}, kMissing},
        {"cipher_text not base64",
         {{"cipher_text", "%%%not base64"}, {"destination_key_id", dst}},
         kInvalid},
        {"cipher_text empty", {{"cipher_text", ""}, {"destination_key_id", dst}}, kInvalid},
        {"cipher_text not a Keyport ciphertext",
         {{"cipher_text", b64(bytes("hello world!"))}, {"destination_key_id", dst}},
         kInvalid},
        {"destination_key_id not a key ID",
         {{"cipher_text", ct}, {"destination_key_id", "abc"}},
         kInvalid},
        {"destination_key_id unknown",
         {{"cipher_text", ct}, {"destination_key_id", "00000000-0000-4000-8000-000000000000"}},
         kNotFound},
        {"destination algorithm unknown",
         {{"cipher_text", ct},
          {"destination_key_id", dst},
          {"destination_encryption_algorithm", "AES_GCM"}},
         kInvalid},
        {"source algorithm unknown",
         {{"cipher_text", ct}, {"destination_key_id", dst}, {"source_encryption_algorithm", "X"}},
         kInvalid},
        {"source algorithm SM2_ENCRYPT",
         {{"cipher_text", ct},
          {"destination_key_id", dst},
          {"source_encryption_algorithm", "SM2_ENCRYPT"}},
         kInvalid},
        {"destination algorithm SM2_ENCRYPT",
         {{"cipher_text", ct},
          {"destination_key_id", dst},
          {"destination_encryption_algorithm", "SM2_ENCRYPT"}},
         kInvalid},
        {"source algorithm RSA for an AES ciphertext",
         {{"cipher_text", ct},
          {"destination_key_id", dst},
          {"source_encryption_algorithm", "RSAES_OAEP_SHA_256"}},
         kInvalid},
        {"source_key_id of another key",
         {{"cipher_text", ct}, {"destination_key_id", dst}, {"source_key_id", dst}},
         kInvalid},
        {"source_key_id not a key ID",
         {{"cipher_text", ct}, {"destination_key_id", dst}, {"source_key_id", "k1"}},
         kInvalid},
        {"source AAD of 129 bytes",
         {{"cipher_text", ct},
          {"destination_key_id", dst},
          {"source_additional_authenticated_data", std::string(129, 'a')}},
         kInvalid},
        {"destination AAD of 129 bytes",
         {{"cipher_text", ct},
          {"destination_key_id", dst},
          {"destination_additional_authenticated_data", std::string(129, 'a')}},
         kInvalid},
        {"datakey_cipher_length 0",
         {{"cipher_text", ct}, {"destination_key_id", dst}, {"datakey_cipher_length", "0"}},
         kInvalid},
    };
    for (const Row& row : rows) expectKmsError(reEncrypt(c, row.fields), row.expect, row.what);
    const auto sm2 = reEncrypt(c, {{"cipher_text", ct},
                                   {"destination_key_id", dst},
                                   {"source_encryption_algorithm", "SM2_ENCRYPT"}});
    EXPECT_NE(sm2.body.find("SM2"), std::string::npos) << sm2.body;
    const std::string hmac = c.createKey("reenc-hmac", "HMAC_256", "GENERATE_VERIFY_MAC", "kms");
    expectKmsError(reEncrypt(c, {{"cipher_text", ct}, {"destination_key_id", hmac}}), kInvalid,
                   "an HMAC destination key");
    expectKmsError(
        c.call("re-encrypt", R"({"cipher_text":42,"destination_key_id":")" + dst + "\"}"), kInvalid,
        "cipher_text a number");
    // datakey_cipher_length as Huawei's samples send it is accepted.
    EXPECT_EQ(
        reEncrypt(
            c, {{"cipher_text", ct}, {"destination_key_id", dst}, {"datakey_cipher_length", "64"}})
            .status,
        200);
}

// Another domain holding a ciphertext learns nothing and makes nothing: the source key is not
// found from there, nor is a destination key of another domain.
TEST(KmsReEncrypt, CrossDomain) {
    const auto c = demoClient();
    const std::string ct = sealed(c, keys().aes, "not yours");
    const KmsClient mallory(c.port(), server().addCredential("reenc-mallory", "reencmalloryproject",
                                                             "cn-north-4", "admin"));
    const std::string own = mallory.createKey("mallory-aes", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const auto r = reEncrypt(mallory, {{"cipher_text", ct}, {"destination_key_id", own}});
    expectKmsError(r, kNotFound, "another domain's ciphertext");
    EXPECT_EQ(r.body.find("cipher_text\":"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("not yours"), std::string::npos) << r.body;
    const auto named = reEncrypt(
        mallory, {{"cipher_text", ct}, {"source_key_id", keys().aes}, {"destination_key_id", own}});
    expectKmsError(named, kNotFound, "another domain's ciphertext, its key named");
    // Her own ciphertext into the demo domain's key.
    const std::string hers = sealed(mallory, own, "mine");
    const auto into =
        reEncrypt(mallory, {{"cipher_text", hers}, {"destination_key_id", keys().aes}});
    expectKmsError(into, kNotFound, "into another domain's key");
    EXPECT_EQ(into.body.find("cipher_text\":"), std::string::npos) << into.body;
}

// ---- Replication: HMAC and KEY_AGREEMENT keys travel to another region (transfer blobs
// carry generic secrets and EC keys) and work there the same ----

constexpr char kSouthProject[] = "7b0c1d2e3f4a40718293a4b5c6d7e8f9";

HttpResult replicateTo(const KmsClient& c, const std::string& keyId, const std::string& alias) {
    return httpRequest(c.port(), "POST",
                       "/v2/" + c.credential().projectId + "/kms/keys/" + keyId + "/replicate",
                       jsonBody({{"replica_region", "cn-south-1"},
                                 {"replica_project_id", kSouthProject},
                                 {"key_alias", alias}}),
                       {{"X-Auth-Token", c.credential().token}});
}

TEST(KmsReplicaCrypto, HmacAndEcdhKeysWorkOnReplicas) {
    const auto c = demoClient();
    const KmsClient south(c.port(),
                          server().addCredential("demo-domain", kSouthProject, "cn-south-1"));
    const hsm::Bytes key = randomBytes(48);
    const std::string mac =
        importKey(c, "repl-hmac", "HMAC_384", "GENERATE_VERIFY_MAC", key, std::nullopt);
    const auto r = replicateTo(c, mac, "repl-hmac");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto m = generateMac(south, r.str("key_id"), "HMAC_SHA_384", b64(bytes("m")));
    ASSERT_EQ(m.status, 200) << m.body;
    EXPECT_EQ(m.str("mac"), hex(hmac("SHA384", key, bytes("m"))));

    const ClientKey ec = generateKey("EC_P384");
    const std::string agree = importKey(c, "repl-ecdh", "EC_P384", "KEY_AGREEMENT", {}, ec.pkcs8);
    const auto r2 = replicateTo(c, agree, "repl-ecdh");
    ASSERT_EQ(r2.status, 200) << r2.body;
    const ClientKey peer = generateKey("EC_P384");
    const auto d = derive(south, r2.str("key_id"), b64(spkiOf(peer)));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(unb64(d.str("shared_secret")), ecdh(ec, spkiOf(peer)));
}

}  // namespace
}  // namespace keyport::test
