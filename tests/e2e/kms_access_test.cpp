// Tenancy over HTTP, on every KMS route: no or wrong credentials → 401; a project of
// another domain in the path → 403; another domain's key id in our project → 404 (no
// existence leak); a read-only credential cannot write.
#include <gtest/gtest.h>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

const std::vector<std::string> kActions{"create-key",
                                        "describe-key",
                                        "list-keys",
                                        "enable-key",
                                        "disable-key",
                                        "schedule-key-deletion",
                                        "cancel-key-deletion",
                                        "get-parameters-for-import",
                                        "import-key-material",
                                        "delete-imported-key-material",
                                        "encrypt-data",
                                        "decrypt-data",
                                        "create-datakey",
                                        "create-datakey-without-plaintext",
                                        "encrypt-datakey",
                                        "decrypt-datakey",
                                        "sign",
                                        "verify",
                                        "get-publickey",
                                        "gen-random",
                                        "update-key-alias",
                                        "update-key-description"};

struct Fixture {
    Credential mallory;     // another domain
    std::string victimKey;  // a demo-domain key
    std::string victimCiphertext;
};

Fixture& fixture() {
    static Fixture f = [] {
        Fixture x;
        x.mallory =
            server().addCredential("mallory-domain", "malloryproject", "cn-north-4", "admin");
        const auto c = demoClient();
        x.victimKey = c.createKey("victim", "AES_256", "ENCRYPT_DECRYPT", "kms");
        x.victimCiphertext =
            c.call("encrypt-data", jsonBody({{"key_id", x.victimKey}, {"plain_text", "secret"}}))
                .str("cipher_text");
        return x;
    }();
    return f;
}

// A body that would be valid for the action if the key were the caller's.
std::string bodyFor(const std::string& action, const std::string& keyId,
                    const std::string& ciphertext) {
    if (action == "create-key") return jsonBody({{"key_alias", "x"}});
    if (action == "list-keys") return "{}";
    if (action == "gen-random") return jsonBody({{"random_data_length", "64"}});
    if (action == "decrypt-data") return jsonBody({{"cipher_text", ciphertext}});
    if (action == "encrypt-data") return jsonBody({{"key_id", keyId}, {"plain_text", "x"}});
    if (action == "schedule-key-deletion")
        return jsonBody({{"key_id", keyId}, {"pending_days", "7"}});
    if (action == "update-key-alias") return jsonBody({{"key_id", keyId}, {"key_alias", "stolen"}});
    if (action == "update-key-description")
        return jsonBody({{"key_id", keyId}, {"key_description", "x"}});
    if (action == "sign" || action == "verify") {
        return jsonBody({{"key_id", keyId},
                         {"message", b64(sha("SHA256", bytes("m")))},
                         {"signing_algorithm", "RSASSA_PSS_SHA_256"},
                         {"signature", "AAAA"}});
    }
    if (action == "import-key-material") {
        return jsonBody({{"key_id", keyId},
                         {"import_token", std::string(200, 'A')},
                         {"encrypted_key_material", b64(randomBytes(256))}});
    }
    if (action == "encrypt-datakey") {
        const hsm::Bytes dek(32, 0xaa);
        return jsonBody({{"key_id", keyId},
                         {"plain_text", hex(dek) + hex(sha("SHA256", dek))},
                         {"datakey_plain_length", "32"}});
    }
    if (action == "decrypt-datakey") {
        return jsonBody({{"key_id", keyId}, {"cipher_text", hex(unb64(ciphertext))}});
    }
    return jsonBody({{"key_id", keyId}});
}

TEST(KmsAccess, NoOrWrongCredentialsAre401OnEveryRoute) {
    const std::string base = "/v1.0/" + std::string(kDemoProject) + "/kms/";
    for (const auto& action : kActions) {
        const std::string body = bodyFor(action, fixture().victimKey, fixture().victimCiphertext);
        const auto none = httpRequest(server().port(), "POST", base + action, body, {});
        EXPECT_EQ(none.status, 401) << action;
        EXPECT_EQ(none.errorCode(), "KMS.0301") << action;
        const auto wrong =
            httpRequest(server().port(), "POST", base + action, body, {{"X-Auth-Token", "nope"}});
        EXPECT_EQ(wrong.status, 401) << action;
        EXPECT_EQ(wrong.errorCode(), "KMS.0302") << action;
    }
}

TEST(KmsAccess, AnotherDomainsProjectIs403OnEveryRoute) {
    const KmsClient m(server().port(), fixture().mallory);
    for (const auto& action : kActions) {
        const auto r = m.callIn(kDemoProject, action,
                                bodyFor(action, fixture().victimKey, fixture().victimCiphertext));
        EXPECT_EQ(r.status, 403) << action << ": " << r.body;
        EXPECT_EQ(r.errorCode(), "KMS.0307") << action;
    }
    const auto unknown = m.callIn("nosuchproject", "list-keys", "{}");
    EXPECT_EQ(unknown.status, 403);
}

TEST(KmsAccess, AnotherDomainsKeyIs404OnEveryKeyRoute) {
    const KmsClient m(server().port(), fixture().mallory);
    for (const auto& action : kActions) {
        if (action == "create-key" || action == "list-keys" || action == "gen-random") continue;
        const auto r =
            m.call(action, bodyFor(action, fixture().victimKey, fixture().victimCiphertext));
        EXPECT_EQ(r.status, 404) << action << ": " << r.body;
        EXPECT_EQ(r.errorCode(), "KMS.0207") << action;
        // The message must not tell "exists elsewhere" from "does not exist".
        EXPECT_EQ(r.body.find("mallory"), std::string::npos);
    }
    // And nothing changed on the victim's key.
    const auto d = demoClient().call("describe-key", jsonBody({{"key_id", fixture().victimKey}}));
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_alias"), "victim");
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_state"), "2");
    // Tag routes take the key id from the path.
    const std::string tags = "/v1.0/malloryproject/kms/" + fixture().victimKey + "/tags";
    EXPECT_EQ(
        httpRequest(server().port(), "GET", tags, "", {{"X-Auth-Token", fixture().mallory.token}})
            .status,
        404);
    EXPECT_EQ(httpRequest(server().port(), "POST", tags, R"({"tag":{"key":"a","value":"b"}})",
                          {{"X-Auth-Token", fixture().mallory.token}})
                  .status,
              404);
}

TEST(KmsAccess, SameDomainOtherProjectKeyIs404InThisProject) {
    // A key of the domain's cn-south-1 project, addressed through its cn-north-4 project.
    const Credential south = server().addCredential("demo-domain", "demosouthaccess", "cn-south-1");
    const KmsClient s(server().port(), south);
    const std::string southKey = s.createKey("south-key", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const auto r = demoClient().call("describe-key", jsonBody({{"key_id", southKey}}));
    EXPECT_EQ(r.status, 404);
    // But the domain may act in its other project through the path.
    const auto ok =
        demoClient().callIn("demosouthaccess", "describe-key", jsonBody({{"key_id", southKey}}));
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.json->getObject("key_info")->getValue<std::string>("realm"), "cn-south-1");
}

TEST(KmsAccess, ReadOnlyCredentialCanReadButNotWrite) {
    const Credential ro =
        server().addCredential("demo-domain", kDemoProject, "cn-north-4", "readonly");
    const KmsClient r(server().port(), ro);
    EXPECT_EQ(r.call("describe-key", jsonBody({{"key_id", fixture().victimKey}})).status, 200);
    const auto w = r.call("disable-key", jsonBody({{"key_id", fixture().victimKey}}));
    EXPECT_EQ(w.status, 403);
    EXPECT_EQ(w.errorCode(), "KMS.0307");
}

}  // namespace
}  // namespace keyport::test
