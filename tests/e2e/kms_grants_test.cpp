// Huawei KMS grants over HTTP, with the field names of huaweicloud-sdk-go-v3
// services/kms/v2/model/model_create_grant_request_body.go and model_grants.go (and the
// node SDK's ListGrantsResponse.ts, RevokeGrantRequestBody.ts,
// ListRetirableGrantsResponse.ts): create, list, revoke, retire, list-retirable; and the
// enforcement: a grantee uses the key for the granted operations only, not after revoke or
// retire, and a grant to one domain gives nothing to another.
#include <gtest/gtest.h>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_expect.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

struct Parties {
    Credential b1, b2;  // two credentials of the grantee domain
    Credential c;       // a domain no grant names
};

Parties& parties() {
    static Parties p = [] {
        Parties x;
        x.b1 = server().addCredential("grantee-b", "granteebproject", "cn-north-4", "user");
        x.b2 = server().addCredential("grantee-b", "granteebproject", "cn-north-4", "user");
        x.c = server().addCredential("other-c", "othercproject", "cn-north-4", "admin");
        return x;
    }();
    return p;
}

std::string newKey(const std::string& alias) {
    return demoClient().createKey(alias, "AES_256", "ENCRYPT_DECRYPT", "kms");
}

std::string ops(const std::vector<std::string>& names) {
    std::string out = "[";
    for (const auto& n : names) out += (out.size() > 1 ? "," : "") + ("\"" + n + "\"");
    return out + "]";
}

HttpResult createGrant(const std::string& keyId, const std::string& grantee,
                       const std::string& type, const std::vector<std::string>& operations,
                       const std::string& extra = "") {
    const std::string body = R"({"key_id":")" + keyId + R"(","grantee_principal":")" + grantee +
                             R"(","grantee_principal_type":")" + type + R"(","operations":)" +
                             ops(operations) + extra + "}";
    return demoClient().call("create-grant", body);
}

std::string grantId(const HttpResult& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    return r.str("grant_id");
}

HttpResult encryptAs(const Credential& who, const std::string& keyId) {
    return KmsClient(server().port(), who)
        .call("encrypt-data", jsonBody({{"key_id", keyId}, {"plain_text", "granted"}}));
}

HttpResult revoke(const std::string& keyId, const std::string& grant) {
    return demoClient().call("revoke-grant", jsonBody({{"key_id", keyId}, {"grant_id", grant}}));
}

TEST(KmsGrants, CreateAndListHaveTheModelsFields) {
    const std::string key = newKey("grant-list");
    const std::string g =
        grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data", "describe-key"},
                            R"(,"name":"g-1","retiring_principal":"other-c")"));
    EXPECT_EQ(g.size(), 64u);
    const auto l = demoClient().call("list-grants", jsonBody({{"key_id", key}}));
    ASSERT_EQ(l.status, 200) << l.body;
    auto grants = l.json->getArray("grants");
    ASSERT_EQ(grants->size(), 1u);
    auto o = grants->getObject(0);
    EXPECT_EQ(o->getValue<std::string>("key_id"), key);
    EXPECT_EQ(o->getValue<std::string>("grant_id"), g);
    EXPECT_EQ(o->getValue<std::string>("grantee_principal"), "grantee-b");
    EXPECT_EQ(o->getValue<std::string>("grantee_principal_type"), "domain");
    auto opsOut = o->getArray("operations");
    ASSERT_EQ(opsOut->size(), 2u);
    EXPECT_EQ(opsOut->getElement<std::string>(0), "encrypt-data");
    EXPECT_EQ(opsOut->getElement<std::string>(1), "describe-key");
    EXPECT_EQ(o->getValue<std::string>("issuing_principal"), kDemoAccessKey);
    EXPECT_FALSE(o->getValue<std::string>("creation_date").empty());
    EXPECT_EQ(o->getValue<std::string>("name"), "g-1");
    EXPECT_EQ(o->getValue<std::string>("retiring_principal"), "other-c");
    EXPECT_EQ(l.json->getValue<std::string>("truncated"), "false");
    EXPECT_EQ(l.json->getValue<std::string>("next_marker"), "");
    EXPECT_EQ(l.json->getValue<int>("total"), 1);

    // Paging: limit 1 over two grants.
    grantId(createGrant(key, "grantee-b", "domain", {"decrypt-data"}));
    const auto p1 = demoClient().call("list-grants", jsonBody({{"key_id", key}, {"limit", "1"}}));
    ASSERT_EQ(p1.status, 200) << p1.body;
    EXPECT_EQ(p1.json->getValue<std::string>("truncated"), "true");
    EXPECT_EQ(p1.json->getValue<int>("total"), 2);
    const auto p2 = demoClient().call(
        "list-grants", jsonBody({{"key_id", key},
                                 {"limit", "1"},
                                 {"marker", p1.json->getValue<std::string>("next_marker")}}));
    ASSERT_EQ(p2.status, 200) << p2.body;
    EXPECT_EQ(p2.json->getArray("grants")->getObject(0)->getValue<std::string>("grant_id") == g,
              false);
    EXPECT_EQ(p2.json->getValue<std::string>("truncated"), "false");
}

TEST(KmsGrants, GranteeDomainUsesOnlyTheGrantedOperations) {
    const std::string key = newKey("grant-enforced");
    grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data", "describe-key"}));

    // Granted: encrypt-data and describe-key, from the grantee's own project.
    const auto e = encryptAs(parties().b1, key);
    ASSERT_EQ(e.status, 200) << e.body;
    EXPECT_EQ(e.str("key_id"), key);
    const KmsClient b(server().port(), parties().b1);
    EXPECT_EQ(b.call("describe-key", jsonBody({{"key_id", key}})).status, 200);
    // The owner decrypts what the grantee encrypted.
    const auto d =
        demoClient().call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.str("plain_text"), "granted");

    // Not granted: decrypt-data (a grant exists, it does not cover this) → 403 KMS.0306.
    expectKmsError(b.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}})),
                   {403, "KMS.0306"}, "decrypt-data without the operation");
    expectKmsError(b.call("create-datakey", jsonBody({{"key_id", key}, {"datakey_length", "256"}})),
                   {403, "KMS.0306"}, "create-datakey without the operation");
    // Routes no grant can open stay invisible.
    for (const char* action : {"disable-key", "enable-key", "update-key-description"}) {
        expectKmsError(b.call(action, jsonBody({{"key_id", key}, {"key_description", "x"}})),
                       {404, "KMS.0207"}, action);
    }
    expectKmsError(b.call("list-grants", jsonBody({{"key_id", key}})), {404, "KMS.0207"},
                   "grantee lists the key's grants");
    expectKmsError(
        b.call(
            "create-grant",
            R"({"key_id":")" + key +
                R"(","grantee_principal":"grantee-b","grantee_principal_type":"domain","operations":["decrypt-data"]})"),
        {404, "KMS.0207"}, "grantee grants itself more");
    // A grant to domain B gives nothing to domain C.
    expectKmsError(encryptAs(parties().c, key), {404, "KMS.0207"}, "domain C encrypts");
    // And the owner's key is unchanged.
    EXPECT_EQ(demoClient()
                  .call("describe-key", jsonBody({{"key_id", key}}))
                  .json->getObject("key_info")
                  ->getValue<std::string>("key_state"),
              "2");
}

TEST(KmsGrants, DecryptAndDataKeysThroughAGrant) {
    const std::string key = newKey("grant-decrypt");
    grantId(createGrant(key, "grantee-b", "domain",
                        {"decrypt-data", "create-datakey", "decrypt-datakey"}));
    const KmsClient b(server().port(), parties().b1);
    const auto e =
        demoClient().call("encrypt-data", jsonBody({{"key_id", key}, {"plain_text", "owner"}}));
    ASSERT_EQ(e.status, 200);
    const auto d = b.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.str("plain_text"), "owner");
    const auto dk =
        b.call("create-datakey", jsonBody({{"key_id", key}, {"datakey_length", "256"}}));
    ASSERT_EQ(dk.status, 200) << dk.body;
    const auto back = b.call("decrypt-datakey", jsonBody({{"key_id", key},
                                                          {"cipher_text", dk.str("cipher_text")},
                                                          {"datakey_cipher_length", "32"}}));
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.str("data_key"), dk.str("plain_text"));
    // encrypt-data was not granted.
    expectKmsError(encryptAs(parties().b1, key), {403, "KMS.0306"}, "encrypt not granted");
}

TEST(KmsGrants, RevokedGrantStopsAtOnce) {
    const std::string key = newKey("grant-revoke");
    const std::string g = grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data"}));
    ASSERT_EQ(encryptAs(parties().b1, key).status, 200);
    const auto r = revoke(key, g);
    EXPECT_EQ(r.status, 200) << r.body;
    expectKmsError(encryptAs(parties().b1, key), {404, "KMS.0207"}, "after revoke");
    EXPECT_EQ(demoClient()
                  .call("list-grants", jsonBody({{"key_id", key}}))
                  .json->getArray("grants")
                  ->size(),
              0u);
    // Revoking twice: the grant is gone.
    expectKmsError(revoke(key, g), {400, "KMS.0308"}, "revoke twice");
}

TEST(KmsGrants, UserGrantIsForThatCredentialOnly) {
    const std::string key = newKey("grant-user");
    // grantee_principal_type defaults to user: one credential, by its access key.
    const auto r = demoClient().call(
        "create-grant", R"({"key_id":")" + key + R"(","grantee_principal":")" +
                            parties().b1.accessKey + R"(","operations":["encrypt-data"]})");
    grantId(r);
    EXPECT_EQ(encryptAs(parties().b1, key).status, 200);
    expectKmsError(encryptAs(parties().b2, key), {404, "KMS.0207"}, "other credential of B");
    expectKmsError(encryptAs(parties().c, key), {404, "KMS.0207"}, "domain C");
}

TEST(KmsGrants, RetireByGranteeOrRetiringPrincipal) {
    const KmsClient b(server().port(), parties().b1);
    const KmsClient c(server().port(), parties().c);
    const auto retire = [](const KmsClient& who, const std::string& key, const std::string& g) {
        return who.call("retire-grant", jsonBody({{"key_id", key}, {"grant_id", g}}));
    };
    // A grantee without retire-grant cannot retire; with it, it can, and the grant is gone.
    const std::string key = newKey("grant-retire");
    const std::string plain = grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data"}));
    expectKmsError(retire(b, key, plain), {403, "KMS.0306"}, "grantee without retire-grant");
    // A domain the grant does not name learns nothing.
    expectKmsError(retire(c, key, plain), {404, "KMS.0207"}, "unrelated domain retires");
    const std::string self =
        grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data", "retire-grant"}));
    EXPECT_EQ(retire(b, key, self).status, 200);
    // `plain` still lets B encrypt; revoke it, then B has nothing.
    ASSERT_EQ(encryptAs(parties().b1, key).status, 200);
    ASSERT_EQ(revoke(key, plain).status, 200);
    expectKmsError(encryptAs(parties().b1, key), {404, "KMS.0207"}, "after retire and revoke");

    // The retiring principal (domain C) sees the grant as retirable and retires it.
    const std::string byC = grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data"},
                                                R"(,"retiring_principal":"other-c")"));
    ASSERT_EQ(encryptAs(parties().b1, key).status, 200);
    const auto list = c.call("list-retirable-grants", "{}");
    ASSERT_EQ(list.status, 200) << list.body;
    bool listed = false;
    auto grants = list.json->getArray("grants");
    for (std::size_t i = 0; i < grants->size(); ++i)
        listed |=
            grants->getObject(static_cast<unsigned>(i))->getValue<std::string>("grant_id") == byC;
    EXPECT_TRUE(listed) << list.body;
    EXPECT_EQ(list.json->getValue<std::string>("truncated"), "false");
    // B is not its retiring principal: its retirable list does not hold it.
    EXPECT_EQ(b.call("list-retirable-grants", "{}").body.find(byC), std::string::npos);
    EXPECT_EQ(retire(c, key, byC).status, 200);
    expectKmsError(encryptAs(parties().b1, key), {404, "KMS.0207"}, "after retire by C");
}

TEST(KmsGrants, AnotherDomainCannotSeeOrChangeGrants) {
    const std::string key = newKey("grant-private");
    const std::string g = grantId(createGrant(key, "grantee-b", "domain", {"encrypt-data"}));
    const KmsClient c(server().port(), parties().c);
    expectKmsError(c.call("list-grants", jsonBody({{"key_id", key}})), {404, "KMS.0207"},
                   "list another domain's grants");
    expectKmsError(c.call("revoke-grant", jsonBody({{"key_id", key}, {"grant_id", g}})),
                   {404, "KMS.0207"}, "revoke another domain's grant");
    // Through the owner's project: the project is not theirs.
    expectKmsError(c.callIn(kDemoProject, "list-grants", jsonBody({{"key_id", key}})),
                   {403, "KMS.0307"}, "list in the owner's project");
    // The grant still works for B.
    EXPECT_EQ(encryptAs(parties().b1, key).status, 200);
}

struct BadGrant {
    std::string name;
    std::string body;  // with KEY for the key id
    KmsExpect expect;
};

TEST(KmsGrants, BadInputGetsHuaweiErrors) {
    const std::string key = newKey("grant-bad");
    const std::string ok = R"("grantee_principal":"grantee-b","grantee_principal_type":"domain")";
    const std::vector<BadGrant> rows{
        {"no grantee_principal",
         R"({"key_id":"KEY","operations":["encrypt-data"]})",
         {400, "KMS.0204"}},
        {"grantee_principal with a space",
         R"({"key_id":"KEY","grantee_principal":"a b","operations":["encrypt-data"]})",
         {400, "KMS.0308"}},
        {"grantee_principal of 65 chars",
         R"({"key_id":"KEY","grantee_principal":")" + std::string(65, 'a') +
             R"(","operations":["encrypt-data"]})",
         {400, "KMS.0308"}},
        {"grantee_principal_type admin",
         R"({"key_id":"KEY","grantee_principal":"x","grantee_principal_type":"admin","operations":["encrypt-data"]})",
         {400, "KMS.0308"}},
        {"no operations", R"({"key_id":"KEY",)" + ok + "}", {400, "KMS.0204"}},
        {"empty operations",
         R"({"key_id":"KEY",)" + ok + R"(,"operations":[]})",
         {400, "KMS.0308"}},
        {"only create-grant",
         R"({"key_id":"KEY",)" + ok + R"(,"operations":["create-grant"]})",
         {400, "KMS.0308"}},
        {"sign is not grantable",
         R"({"key_id":"KEY",)" + ok + R"(,"operations":["sign"]})",
         {400, "KMS.0308"}},
        {"operations of numbers",
         R"({"key_id":"KEY",)" + ok + R"(,"operations":[1]})",
         {400, "KMS.0308"}},
        {"name with a space",
         R"({"key_id":"KEY",)" + ok + R"(,"operations":["encrypt-data"],"name":"a b"})",
         {400, "KMS.0308"}},
        {"retiring_principal with *",
         R"({"key_id":"KEY",)" + ok + R"(,"operations":["encrypt-data"],"retiring_principal":"*"})",
         {400, "KMS.0308"}},
        {"malformed key_id",
         R"({"key_id":"nope",)" + ok + R"(,"operations":["encrypt-data"]})",
         {400, "KMS.0205"}},
        {"unknown key",
         R"({"key_id":"00000000-0000-4000-8000-000000000000",)" + ok +
             R"(,"operations":["encrypt-data"]})",
         {404, "KMS.0207"}},
        {"not JSON", "{", {400, "KMS.0202"}},
    };
    for (const auto& row : rows) {
        std::string body = row.body;
        if (auto at = body.find("KEY"); at != std::string::npos) body.replace(at, 3, key);
        expectKmsError(demoClient().call("create-grant", body), row.expect, row.name);
    }
    // Nothing half-made: the key has no grants.
    EXPECT_EQ(
        demoClient().call("list-grants", jsonBody({{"key_id", key}})).json->getValue<int>("total"),
        0);

    const std::vector<std::pair<std::string, KmsExpect>> revokeRows{
        {R"({"key_id":"KEY"})", {400, "KMS.0204"}},
        {R"({"key_id":"KEY","grant_id":"not-hex!"})", {400, "KMS.0308"}},
        {R"({"key_id":"KEY","grant_id":")" + std::string(64, 'a') + R"("})", {400, "KMS.0308"}},
    };
    for (const auto& [b, expect] : revokeRows) {
        std::string body = b;
        body.replace(body.find("KEY"), 3, key);
        expectKmsError(demoClient().call("revoke-grant", body), expect, "revoke-grant " + body);
        expectKmsError(demoClient().call("retire-grant", body), expect, "retire-grant " + body);
    }
    expectKmsError(demoClient().call("list-grants", jsonBody({{"key_id", key}, {"limit", "0"}})),
                   {400, "KMS.0308"}, "list-grants limit 0");
    expectKmsError(demoClient().call("list-grants", jsonBody({{"key_id", key}, {"marker", "zz"}})),
                   {400, "KMS.0308"}, "list-grants unknown marker");
    expectKmsError(demoClient().call("list-grants", "{}"), {400, "KMS.0204"}, "list-grants no key");
    expectKmsError(demoClient().call("list-retirable-grants", jsonBody({{"limit", "101"}})),
                   {400, "KMS.0308"}, "list-retirable-grants limit 101");
}

}  // namespace
}  // namespace keyport::test
