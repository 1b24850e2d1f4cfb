// Huawei KMS v2 replicate against a real keyportd: every key_spec proven across regions with
// OpenSSL (ciphertexts decrypt with the other member, replica signatures verify with the
// primary's public key), expiry shared by the group, the relation in describe-key, and each
// refusal with its status and code.
#include <gtest/gtest.h>

#include <thread>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_expect.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr char kSouthProject[] = "6a0b1c2d3e4f40718293a4b5c6d7e8f9";

const KmsClient& south() {
    static const KmsClient c(server().port(),
                             server().addCredential("demo-domain", kSouthProject, "cn-south-1"));
    return c;
}

HttpResult replicate(const KmsClient& c, const std::string& keyId, const std::string& region,
                     const std::string& project, const std::string& alias,
                     const std::string& extra = {}) {
    const std::string body = R"({"replica_region":")" + region + R"(","replica_project_id":")" +
                             project + R"(","key_alias":")" + alias + "\"" + extra + "}";
    return httpRequest(c.port(), "POST",
                       "/v2/" + c.credential().projectId + "/kms/keys/" + keyId + "/replicate",
                       body, {{"X-Auth-Token", c.credential().token}});
}

std::string replicaOf(const std::string& keyId, const std::string& alias) {
    south();  // registers the domain's project in cn-south-1 first
    const auto r = replicate(demoClient(), keyId, "cn-south-1", kSouthProject, alias);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("region"), "cn-south-1");
    EXPECT_EQ(r.str("domain_id"), "demo-domain");
    return r.str("key_id");
}

void expectPortableCiphertexts(const KmsClient& a, const std::string& idA, const KmsClient& b,
                               const std::string& idB, const std::string& algorithm) {
    for (int direction = 0; direction < 2; ++direction) {
        const KmsClient& enc = direction == 0 ? a : b;
        const KmsClient& dec = direction == 0 ? b : a;
        const std::string& encId = direction == 0 ? idA : idB;
        const std::string& decId = direction == 0 ? idB : idA;
        const std::string plain = "portable across regions " + std::to_string(direction);
        const auto e = enc.call("encrypt-data", jsonBody({{"key_id", encId},
                                                          {"plain_text", plain},
                                                          {"encryption_algorithm", algorithm}}));
        ASSERT_EQ(e.status, 200) << e.body;
        const auto d = dec.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")},
                                                          {"encryption_algorithm", algorithm}}));
        ASSERT_EQ(d.status, 200) << d.body;
        EXPECT_EQ(d.str("plain_text"), plain);
        EXPECT_EQ(d.str("key_id"), decId) << "decrypted by the member in the caller's region";
    }
}

void expectReplicaSignsForPrimary(const KmsClient& primary, const std::string& primaryId,
                                  const std::string& replicaId, const std::string& algorithm,
                                  const std::string& scheme, const std::string& md) {
    const hsm::Bytes digest = sha(md, bytes("signed in another region"));
    const auto s = south().call("sign", jsonBody({{"key_id", replicaId},
                                                  {"message", b64(digest)},
                                                  {"signing_algorithm", algorithm},
                                                  {"message_type", "DIGEST"}}));
    ASSERT_EQ(s.status, 200) << s.body;
    const auto pk = primary.call("get-publickey", jsonBody({{"key_id", primaryId}}));
    ASSERT_EQ(pk.status, 200) << pk.body;
    EXPECT_TRUE(
        verifySignature(pk.str("public_key"), scheme, md, digest, unb64(s.str("signature")), true))
        << "the replica's signature does not verify with the primary's public key";
}

TEST(KmsReplication, AesGeneratedAndImported) {
    const auto c = demoClient();
    const std::string gen = c.createKey("repl-aes", "AES_256", "ENCRYPT_DECRYPT", "kms");
    expectPortableCiphertexts(c, gen, south(), replicaOf(gen, "repl-aes"), "SYMMETRIC_DEFAULT");
    const std::string imp = importKey(c, "repl-aes-imported", "AES_256", "ENCRYPT_DECRYPT",
                                      randomBytes(32), std::nullopt);
    expectPortableCiphertexts(c, imp, south(), replicaOf(imp, "repl-aes-imported"),
                              "SYMMETRIC_DEFAULT");
}

TEST(KmsReplication, EveryAsymmetricSpec) {
    const auto c = demoClient();
    for (const std::string spec : {"RSA_2048", "RSA_3072", "RSA_4096"}) {
        SCOPED_TRACE(spec);
        const ClientKey signer = generateKey(spec);
        const std::string s =
            importKey(c, "repl-sign-" + spec, spec, "SIGN_VERIFY", {}, signer.pkcs8);
        expectReplicaSignsForPrimary(c, s, replicaOf(s, "repl-sign-" + spec), "RSASSA_PSS_SHA_256",
                                     "PSS", "SHA256");
        const ClientKey enc = generateKey(spec);
        const std::string e =
            importKey(c, "repl-enc-" + spec, spec, "ENCRYPT_DECRYPT", {}, enc.pkcs8);
        expectPortableCiphertexts(c, e, south(), replicaOf(e, "repl-enc-" + spec),
                                  "RSAES_OAEP_SHA_256");
    }
    for (const auto& [spec, md] :
         {std::pair<std::string, std::string>{"EC_P256", "SHA256"}, {"EC_P384", "SHA384"}}) {
        SCOPED_TRACE(spec);
        const std::string id = c.createKey("repl-" + spec, spec, "SIGN_VERIFY", "kms");
        expectReplicaSignsForPrimary(c, id, replicaOf(id, "repl-" + spec),
                                     "ECDSA_" + md.substr(0, 3) + "_" + md.substr(3), "ECDSA", md);
    }
}

TEST(KmsReplication, DescribeShowsTheRelationBothWays) {
    const auto c = demoClient();
    const std::string id = c.createKey("repl-describe", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string rid = replicaOf(id, "repl-describe-replica");
    auto d = c.call("describe-key", jsonBody({{"key_id", id}}));
    auto info = d.json->getObject("key_info");
    EXPECT_EQ(info->getValue<std::string>("replica_role"), "PRIMARY");
    ASSERT_EQ(info->getArray("replicas")->size(), 1u);
    EXPECT_EQ(info->getArray("replicas")->getObject(0)->getValue<std::string>("key_id"), rid);
    EXPECT_EQ(info->getArray("replicas")->getObject(0)->getValue<std::string>("region"),
              "cn-south-1");
    d = south().call("describe-key", jsonBody({{"key_id", rid}}));
    info = d.json->getObject("key_info");
    EXPECT_EQ(info->getValue<std::string>("replica_role"), "REPLICA");
    EXPECT_EQ(info->getValue<std::string>("realm"), "cn-south-1");
    EXPECT_EQ(info->getValue<std::string>("key_alias"), "repl-describe-replica");
    EXPECT_EQ(info->getObject("primary_key")->getValue<std::string>("key_id"), id);
    // A replica is a key of its own: disabling it leaves the primary alone.
    ASSERT_EQ(south().call("disable-key", jsonBody({{"key_id", rid}})).status, 200);
    EXPECT_EQ(c.call("describe-key", jsonBody({{"key_id", id}}))
                  .json->getObject("key_info")
                  ->getValue<std::string>("key_state"),
              "2");
}

TEST(KmsReplication, AReplicaOfAnImportedKeyExpiresWithIt) {
    const auto c = demoClient();
    const std::string id = c.createKey("repl-expiring", "AES_256", "ENCRYPT_DECRYPT", "external");
    const ImportParams p = getParams(c, id);
    const hsm::Bytes material = randomBytes(32);
    const auto r = c.call("import-key-material",
                          importBody(id, p, material, std::nullopt, false, nowSeconds() + 3));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string rid = replicaOf(id, "repl-expiring");
    const auto expiration = [](const KmsClient& k, const std::string& key) {
        return k.call("describe-key", jsonBody({{"key_id", key}}))
            .json->getObject("key_info")
            ->getValue<std::string>("expiration_time");
    };
    EXPECT_FALSE(expiration(c, id).empty());
    EXPECT_EQ(expiration(south(), rid), expiration(c, id))
        << "the replica carries the same expiration_time";
    std::this_thread::sleep_for(std::chrono::seconds(4));
    for (const auto& [client, key] :
         {std::pair<const KmsClient*, std::string>{&c, id}, {&south(), rid}}) {
        const auto e =
            client->call("encrypt-data", jsonBody({{"key_id", key}, {"plain_text", "x"}}));
        expectKmsError(e, {400, "KMS.0211"}, "encrypt after expiry");
    }
    // Deleting the primary's (expired) material and importing it again brings back the
    // primary only: nothing resurrects the replica.
    ASSERT_EQ(c.call("import-key-material",
                     importBody(id, getParams(c, id), material, std::nullopt, false))
                  .status,
              200);
    EXPECT_EQ(c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}})).status, 200);
    expectKmsError(south().call("encrypt-data", jsonBody({{"key_id", rid}, {"plain_text", "x"}})),
                   {400, "KMS.0211"}, "the replica stays without material");
}

TEST(KmsReplication, Refusals) {
    const auto c = demoClient();
    const std::string id = c.createKey("repl-refusals", "AES_256", "ENCRYPT_DECRYPT", "kms");
    south();  // the domain's project in cn-south-1 exists from here on
    const auto other = server().addCredential("repl-other-domain",
                                              "7a0b1c2d3e4f40718293a4b5c6d7e8f9", "cn-south-1");
    expectKmsError(replicate(c, id, "cn-north-4", kDemoProject, "x"), {400, "KMS.0308"},
                   "to its own region");
    expectKmsError(replicate(c, id, "mars-1", kSouthProject, "x"), {400, "KMS.0308"},
                   "to an unknown region");
    expectKmsError(replicate(c, id, "cn-south-1", other.projectId, "x"), {403, "KMS.0307"},
                   "to another domain's project");
    expectKmsError(replicate(c, id, "ap-southeast-1", kSouthProject, "x"), {400, "KMS.0308"},
                   "project in another region than replica_region");
    expectKmsError(replicate(c, id, "cn-south-1", kSouthProject, "bad alias!"), {400, "KMS.0308"},
                   "alias pattern");
    expectKmsError(replicate(c, id, "cn-south-1", kSouthProject, "x",
                             R"(,"tags":[{"key":"a=b","value":"v"}])"),
                   {400, "KMS.0308"}, "tag key with '='");
    expectKmsError(
        httpRequest(
            c.port(), "POST", "/v2/" + std::string(kDemoProject) + "/kms/keys/" + id + "/replicate",
            R"({"key_alias":"x","replica_project_id":"p"})", {{"X-Auth-Token", kDemoToken}}),
        {400, "KMS.0204"}, "replica_region missing");
    expectKmsError(replicate(c, "not-a-key", "cn-south-1", kSouthProject, "x"), {400, "KMS.0205"},
                   "bad key id");
    expectKmsError(
        replicate(c, "00000000-0000-4000-8000-000000000000", "cn-south-1", kSouthProject, "x"),
        {404, "KMS.0207"}, "unknown key");

    const std::string pending =
        c.createKey("repl-pending", "AES_256", "ENCRYPT_DECRYPT", "external");
    expectKmsError(replicate(c, pending, "cn-south-1", kSouthProject, "x"), {400, "KMS.0211"},
                   "no material (state 5)");
    const std::string disabled = c.createKey("repl-disabled", "AES_256", "ENCRYPT_DECRYPT", "kms");
    ASSERT_EQ(c.call("disable-key", jsonBody({{"key_id", disabled}})).status, 200);
    expectKmsError(replicate(c, disabled, "cn-south-1", kSouthProject, "x"), {400, "KMS.0209"},
                   "disabled key");

    const auto first =
        replicate(c, id, "cn-south-1", kSouthProject, "repl-refusals",
                  R"(,"key_description":"replica","tags":[{"key":"team","value":"blue"}])");
    ASSERT_EQ(first.status, 200) << first.body;
    auto again = replicate(c, id, "cn-south-1", kSouthProject, "repl-refusals-2");
    expectKmsError(again, {400, "KMS.0313"}, "second replica in the same region");
    EXPECT_NE(again.body.find("already has a replica"), std::string::npos) << again.body;
    const auto tags =
        httpRequest(c.port(), "GET",
                    "/v1.0/" + std::string(kSouthProject) + "/kms/" + first.str("key_id") + "/tags",
                    "", {{"X-Auth-Token", south().credential().token}});
    EXPECT_NE(tags.body.find("blue"), std::string::npos) << tags.body;

    // Another domain cannot replicate (or see) our key: 404, no existence leak.
    const KmsClient otherClient(server().port(), other);
    expectKmsError(replicate(otherClient, id, "cn-north-4", other.projectId, "x"),
                   {404, "KMS.0207"}, "another domain's key id");
    // Nor decrypt our ciphertexts through its own keys.
    const auto e = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "secret"}}));
    expectKmsError(
        otherClient.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}})),
        {404, "KMS.0207"}, "another domain decrypting");
}

}  // namespace
}  // namespace keyport::test
