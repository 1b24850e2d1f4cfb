// The Huawei KMS bad-input table: each malformed or hostile request and the exact status
// and error_code it gets. None may give a 5xx or leave a half-made key.
#include <gtest/gtest.h>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_expect.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::size_t keyCount(const KmsClient& c) {
    return static_cast<std::size_t>(std::stoul(c.call("list-keys", "{}").str("total")));
}

// An external AES key with fresh import parameters, for the import cases.
struct Pending {
    std::string id;
    ImportParams params;
};

Pending pending(const KmsClient& c, const std::string& alias, const std::string& spec = "AES_256",
                const std::string& usage = "ENCRYPT_DECRYPT") {
    const std::string id = c.createKey(alias, spec, usage, "external");
    return Pending{id, getParams(c, id)};
}

std::string withField(std::string body, const std::string& name, const std::string& value) {
    const auto at = body.find("\"" + name + "\":\"");
    const auto start = at + name.size() + 4;
    const auto end = body.find('"', start);
    return body.replace(start, end - start, value);
}

TEST(KmsBadInput, RequestShape) {
    const auto c = demoClient();
    const std::size_t before = keyCount(c);
    expectKmsError(c.call("create-key", "{\"key_alias\":"), {400, "KMS.0202"}, "malformed JSON");
    expectKmsError(c.call("create-key", "[1,2]"), {400, "KMS.0202"}, "JSON array body");
    expectKmsError(c.call("create-key", ""), {400, "KMS.0202"}, "empty body");
    expectKmsError(c.call("create-key", R"({"key_alias":42})"), {400, "KMS.0308"},
                   "alias of wrong type");
    expectKmsError(c.call("create-key", R"({"key_alias":"ok","key_spec":7})"), {400, "KMS.0308"},
                   "spec of wrong type");
    expectKmsError(c.call("create-key", R"({"key_alias":"ok","key_spec":"AES_512"})"),
                   {400, "KMS.0308"}, "unknown key_spec");
    expectKmsError(c.call("create-key", R"({"key_alias":"bad alias!"})"), {400, "KMS.0308"},
                   "alias pattern");
    expectKmsError(c.call("create-key", R"({"key_spec":"AES_256"})"), {400, "KMS.0204"},
                   "alias missing");
    expectKmsError(
        c.call("create-key",
               R"({"key_alias":"ec-enc","key_spec":"EC_P256","key_usage":"ENCRYPT_DECRYPT"})"),
        {400, "KMS.0308"}, "EC key for encryption");
    expectKmsError(c.call("create-key", R"({"key_alias":"o","origin":"cloud"})"), {400, "KMS.0308"},
                   "unknown origin");
    expectKmsError(c.call("describe-key", R"({"key_id":"not-a-key-id"})"), {400, "KMS.0205"},
                   "bad key_id pattern");
    expectKmsError(c.call("describe-key", R"({"key_id":"00000000-0000-4000-8000-000000000000"})"),
                   {404, "KMS.0207"}, "unknown key");
    expectKmsError(c.call("describe-key", "{}"), {400, "KMS.0204"}, "key_id missing");
    expectKmsError(
        c.call("schedule-key-deletion", R"({"key_id":"00000000-0000-4000-8000-000000000000",
                "pending_days":"6"})"),
        {400, "KMS.0308"}, "pending_days out of range");
    expectKmsError(c.call("create-key", R"({"key_alias":"s","sequence":"short"})"),
                   {400, "KMS.0206"}, "bad sequence");
    expectKmsError(c.call("gen-random", R"({"random_data_length":"12"})"), {400, "KMS.0308"},
                   "random bits not bytes");
    expectKmsError(c.call("no-such-action", "{}"), {404, "KMS.0201"}, "unknown action");
    expectKmsError(
        httpRequest(c.port(), "GET", "/v1.0/" + c.credential().projectId + "/kms/create-key", "",
                    {{"X-Auth-Token", c.credential().token}}),
        {405, "KMS.0201"}, "wrong method");
    EXPECT_EQ(keyCount(c), before) << "a refused create-key made a key";
}

// Core names inputs neutrally; the KMS dialect must tell its client about the fields the
// client sent (plain_text, cipher_text), with the rule's limit.
TEST(KmsBadInput, ErrorsNameHuaweiFields) {
    const auto c = demoClient();
    const std::string rsa = c.createKey("err-fields-rsa", "RSA_2048", "ENCRYPT_DECRYPT", "kms");
    auto r = c.call("encrypt-data", jsonBody({{"key_id", rsa},
                                              {"plain_text", std::string(191, 'x')},
                                              {"encryption_algorithm", "RSAES_OAEP_SHA_256"}}));
    expectKmsError(r, {400, "KMS.0308"}, "plaintext over the RSA-2048 OAEP-SHA-256 limit");
    const std::string tooLong = r.json->getObject("error")->getValue<std::string>("error_msg");
    EXPECT_NE(tooLong.find("\"plain_text\""), std::string::npos) << tooLong;
    EXPECT_NE(tooLong.find("at most 190 bytes"), std::string::npos) << tooLong;

    r = c.call("decrypt-data", jsonBody({{"cipher_text", b64(hsm::Bytes(64, 7))}}));
    expectKmsError(r, {400, "KMS.0308"}, "a ciphertext Keyport never made");
    const std::string notOurs = r.json->getObject("error")->getValue<std::string>("error_msg");
    EXPECT_NE(notOurs.find("cipher_text is not a Keyport ciphertext"), std::string::npos)
        << notOurs;
}

TEST(KmsBadInput, BodyOverTheLimitIs413) {
    const auto c = demoClient();
    const std::string big = "{\"key_alias\":\"" + std::string(70 * 1024, 'a') + "\"}";
    expectKmsError(c.call("create-key", big), {413, "KMS.0203"}, "body over the limit");
}

TEST(KmsBadInput, ImportToken) {
    const auto c = demoClient();
    const hsm::Bytes material = randomBytes(32);
    const Pending p = pending(c, "bad-token");
    const std::string good = importBody(p.id, p.params, material, std::nullopt, false);

    expectKmsError(c.call("import-key-material",
                          withField(good, "import_token", p.params.importToken.substr(0, 150))),
                   {400, "KMS.0308"}, "import_token too short");
    std::string notB64 = p.params.importToken;
    notB64[10] = '!';
    expectKmsError(c.call("import-key-material", withField(good, "import_token", notB64)),
                   {400, "KMS.0308"}, "import_token not base64");
    hsm::Bytes raw = unb64(p.params.importToken);
    raw[raw.size() / 2] ^= 1;
    expectKmsError(c.call("import-key-material", withField(good, "import_token", b64(raw))),
                   {400, "KMS.0308"}, "import_token tampered");

    // A token issued for another key.
    const Pending other = pending(c, "bad-token-other");
    const auto r =
        c.call("import-key-material", withField(good, "import_token", other.params.importToken));
    expectKmsError(r, {400, "KMS.0308"}, "import_token for another key");
    EXPECT_NE(r.body.find("another key"), std::string::npos) << r.body;

    // Nothing was imported by any of these.
    const auto d = c.call("describe-key", jsonBody({{"key_id", p.id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_state"), "5");
    // The good request still works afterwards.
    EXPECT_EQ(c.call("import-key-material", good).status, 200);
}

TEST(KmsBadInput, ImportTokenOfAnotherProject) {
    const auto c = demoClient();
    const Pending p = pending(c, "bad-token-project");
    // Same domain, another project (in cn-south-1): its key, its token, our import.
    const Credential south =
        server().addCredential("demo-domain", "demosouthproject", "cn-south-1");
    const KmsClient s(server().port(), south);
    const Pending theirs = pending(s, "theirs");
    const auto r =
        c.call("import-key-material",
               withField(importBody(p.id, p.params, randomBytes(32), std::nullopt, false),
                         "import_token", theirs.params.importToken));
    expectKmsError(r, {400, "KMS.0308"}, "import_token of another project");
}

TEST(KmsBadInput, ExpiredImportToken) {
    // A server whose import tokens live one second.
    KeyportServer short_lived("import.token_validity_seconds = 1\n");
    const KmsClient c(short_lived.port(), KeyportServer::demo());
    const Pending p = pending(c, "expired-token");
    const std::int64_t deadline = p.params.expiresAt;
    while (nowSeconds() <= deadline) ::usleep(100 * 1000);
    const auto r = c.call("import-key-material",
                          importBody(p.id, p.params, randomBytes(32), std::nullopt, false));
    expectKmsError(r, {400, "KMS.0308"}, "expired import_token");
    EXPECT_NE(r.body.find("expired"), std::string::npos) << r.body;
}

TEST(KmsBadInput, EncryptedKeyMaterial) {
    const auto c = demoClient();
    const Pending p = pending(c, "bad-material");
    const hsm::Bytes material = randomBytes(32);

    // Encrypted to another public key: unwrap fails on-token.
    const ClientKey stranger = generateKey("RSA_2048");
    const auto foreign = oaepEncrypt(spkiOf(stranger), material, false);
    expectKmsError(
        c.call("import-key-material", jsonBody({{"key_id", p.id},
                                                {"import_token", p.params.importToken},
                                                {"encrypted_key_material", b64(foreign)}})),
        {400, "KMS.0311"}, "material for another public key");
    // The wrong OAEP hash (token says SHA-1, client used SHA-256).
    expectKmsError(
        c.call("import-key-material", importBody(p.id, p.params, material, std::nullopt, true)),
        {400, "KMS.0311"}, "wrong OAEP hash");
    // Wrong length (not a ciphertext of the wrapping key's size).
    expectKmsError(c.call("import-key-material",
                          jsonBody({{"key_id", p.id},
                                    {"import_token", p.params.importToken},
                                    {"encrypted_key_material", b64(randomBytes(300))}})),
                   {400, "KMS.0308"}, "material of the wrong length");
    expectKmsError(c.call("import-key-material",
                          jsonBody({{"key_id", p.id},
                                    {"import_token", p.params.importToken},
                                    {"encrypted_key_material", std::string(344, '*')}})),
                   {400, "KMS.0308"}, "material not base64");
    // A 16-byte AES key for an AES_256 key.
    expectKmsError(c.call("import-key-material",
                          importBody(p.id, p.params, randomBytes(16), std::nullopt, false)),
                   {400, "KMS.0311"}, "AES-128 material for AES_256");
    // encrypted_privatekey on a symmetric key.
    expectKmsError(c.call("import-key-material",
                          importBody(p.id, p.params, {}, generateKey("EC_P256").pkcs8, false)),
                   {400, "KMS.0308"}, "private key for an AES key");
    const auto d = c.call("describe-key", jsonBody({{"key_id", p.id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_state"), "5");
}

TEST(KmsBadInput, EncryptedPrivateKey) {
    const auto c = demoClient();
    const Pending p = pending(c, "bad-ec", "EC_P256", "SIGN_VERIFY");
    expectKmsError(c.call("import-key-material",
                          importBody(p.id, p.params, {}, generateKey("EC_P384").pkcs8, false)),
                   {400, "KMS.0311"}, "P-384 private key for EC_P256");
    expectKmsError(c.call("import-key-material",
                          importBody(p.id, p.params, {}, generateKey("RSA_2048").pkcs8, false)),
                   {400, "KMS.0311"}, "RSA private key for EC_P256");
    expectKmsError(c.call("import-key-material",
                          importBody(p.id, p.params, randomBytes(32), std::nullopt, false)),
                   {400, "KMS.0204"}, "no encrypted_privatekey for an EC key");
    const Pending r = pending(c, "bad-rsa", "RSA_3072", "SIGN_VERIFY");
    expectKmsError(c.call("import-key-material",
                          importBody(r.id, r.params, {}, generateKey("RSA_2048").pkcs8, false)),
                   {400, "KMS.0311"}, "RSA-2048 private key for RSA_3072");
    const auto d = c.call("describe-key", jsonBody({{"key_id", p.id}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_state"), "5");
}

TEST(KmsBadInput, ImportIntoAKmsKeyOrWithoutOaepSha256Support) {
    const auto c = demoClient();
    const std::string kmsKey = c.createKey("not-external", "AES_256", "ENCRYPT_DECRYPT", "kms");
    expectKmsError(c.call("get-parameters-for-import", jsonBody({{"key_id", kmsKey}})),
                   {400, "KMS.0309"}, "parameters for a kms-origin key");
    // With the host-assisted path off (the built-in default), OAEP-SHA-256 is refused on
    // SoftHSM and the message names the algorithm that works.
    KeyportServer strict("import.host_assisted_oaep = false\n");
    const KmsClient s(strict.port(), KeyportServer::demo());
    const std::string id = s.createKey("strict", "AES_256", "ENCRYPT_DECRYPT", "external");
    const auto r = s.call("get-parameters-for-import",
                          jsonBody({{"key_id", id}, {"wrapping_algorithm", "RSAES_OAEP_SHA_256"}}));
    expectKmsError(r, {400, "KMS.0308"}, "OAEP-SHA-256 without host assistance");
    EXPECT_NE(r.body.find("RSAES_OAEP_SHA_1"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace keyport::test
