// Huawei's own SDK against a real keyportd: runs tests/huawei_sdk/conformance.js (Huawei's npm
// core signs, sends and parses every request) with credentials of two domains, and fails when
// it does. Beside it, the KMS dialect defects the SDK found, pinned over plain HTTP.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr char kProjectA[] = "5dc0b1a2c3d44e5f8a9b0c1d2e3f4a5b";
constexpr char kReplicaA[] = "5dc0b1a2c3d44e5f8a9b0c1d2e3f4a5c";
constexpr char kProjectB[] = "6ed1c2b3d4e54f609bac1d2e3f4a5b6c";

struct Domains {
    Credential a, replica, b;
};

const Domains& domains() {
    static const Domains d{
        server().addCredential("sdk-domain-a", kProjectA, "cn-north-4"),
        server().addCredential("sdk-domain-a", kReplicaA, "cn-south-1"),
        server().addCredential("sdk-domain-b", kProjectB, "cn-north-4"),
    };
    return d;
}

TEST(HuaweiSdk, ConformanceSuitePasses) {
    const Domains& d = domains();
    const std::string endpoint = "http://127.0.0.1:" + std::to_string(server().port());
    const std::pair<const char*, std::string> vars[] = {
        {"KEYPORT_ENDPOINT", endpoint},
        {"KEYPORT_AK", d.a.accessKey},
        {"KEYPORT_SK", d.a.secretKey},
        {"KEYPORT_PROJECT_ID", d.a.projectId},
        {"KEYPORT_REGION", d.a.region},
        {"KEYPORT_OTHER_AK", d.b.accessKey},
        {"KEYPORT_OTHER_SK", d.b.secretKey},
        {"KEYPORT_OTHER_PROJECT_ID", d.b.projectId},
        {"KEYPORT_REPLICA_REGION", d.replica.region},
        {"KEYPORT_REPLICA_PROJECT_ID", d.replica.projectId},
        {"NODE_PATH", KEYPORT_SDK_NODE_MODULES},
    };
    for (const auto& [name, value] : vars) ::setenv(name, value.c_str(), 1);
    // KEYPORT_SDK_NODE picks another node binary (e.g. Debian 12's Node 18) for the run.
    const char* node = std::getenv("KEYPORT_SDK_NODE");
    const std::string command = std::string("'") + (node ? node : KEYPORT_NODE) + "' '" +
                                KEYPORT_SDK_SUITE + "/conformance.js' 2>&1";
    const int rc = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(rc)) << "node did not exit normally";
    EXPECT_EQ(WEXITSTATUS(rc), 0) << "the conformance table above names the failing rows";
}

// Defect 2: the code sits where the SDK's exception parser reads it (top level), beside the
// documented nested object.
TEST(HuaweiSdk, ErrorsCarryTheCodeAtTheTopLevel) {
    const auto c = demoClient();
    const auto r = c.call("describe-key", jsonBody({{"key_id", "not-a-key"}}));
    ASSERT_EQ(r.status, 400) << r.body;
    ASSERT_TRUE(r.json);
    EXPECT_EQ(r.json->getValue<std::string>("error_code"), "KMS.0205");
    EXPECT_FALSE(r.json->getValue<std::string>("error_msg").empty());
    EXPECT_EQ(r.errorCode(), "KMS.0205");  // the nested object stays
    const auto unknownRoute = c.call("no-such-operation", "{}");
    EXPECT_EQ(unknownRoute.status, 404);
    ASSERT_TRUE(unknownRoute.json) << unknownRoute.body;
    EXPECT_EQ(unknownRoute.json->getValue<std::string>("error_code"), "KMS.0201");
}

// Defect 3: model/UpdateKeyAliasResponse.ts and UpdateKeyDescriptionResponse.ts.
TEST(HuaweiSdk, UpdateAliasAndDescriptionAnswerKeyInfo) {
    const auto c = demoClient();
    const std::string id =
        c.createKey("sdk-upd-" + std::to_string(::getpid()), "AES_256", "ENCRYPT_DECRYPT", "kms");
    const auto a = c.call("update-key-alias",
                          jsonBody({{"key_id", id}, {"key_alias", "sdk-upd-renamed-" + id}}));
    ASSERT_EQ(a.status, 200) << a.body;
    auto info = a.json->getObject("key_info");
    ASSERT_TRUE(info) << a.body;
    EXPECT_EQ(info->getValue<std::string>("key_id"), id);
    EXPECT_EQ(info->getValue<std::string>("key_alias"), "sdk-upd-renamed-" + id);
    const auto d =
        c.call("update-key-description", jsonBody({{"key_id", id}, {"key_description", "d2"}}));
    ASSERT_EQ(d.status, 200) << d.body;
    info = d.json->getObject("key_info");
    ASSERT_TRUE(info) << d.body;
    EXPECT_EQ(info->getValue<std::string>("key_description"), "d2");
    // Bad input still gets the 400 naming the field.
    const auto bad =
        c.call("update-key-alias", jsonBody({{"key_id", id}, {"key_alias", "no spaces"}}));
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.errorCode(), "KMS.0308");
}

// Defect 4: key_state and key_spec narrow the listing; total counts the matches.
TEST(HuaweiSdk, ListKeysHonoursStateAndSpecFilters) {
    const auto c =
        server().addCredential("sdk-list-domain", "7fe2d3c4e5f6407182a3b4c5d6e7f809", "cn-north-4");
    const KmsClient k(server().port(), c);
    const std::string aes = k.createKey("l-aes", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string ec = k.createKey("l-ec", "EC_P256", "SIGN_VERIFY", "kms");
    const std::string ext = k.createKey("l-ext", "AES_256", "ENCRYPT_DECRYPT", "external");
    // Keys created in the same millisecond list in id order: compare as sorted sets.
    const auto ids = [](const HttpResult& r) {
        std::vector<std::string> out;
        auto a = r.json->getArray("keys");
        for (std::size_t i = 0; i < a->size(); ++i)
            out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    const auto pending = k.call("list-keys", jsonBody({{"key_state", "5"}}));
    ASSERT_EQ(pending.status, 200) << pending.body;
    EXPECT_EQ(ids(pending), std::vector<std::string>{ext});
    EXPECT_EQ(pending.json->getValue<int>("total"), 1);
    const auto enabled = k.call("list-keys", R"({"key_state":2})");
    EXPECT_EQ(ids(enabled), sorted({aes, ec}));
    const auto ecOnly = k.call("list-keys", jsonBody({{"key_spec", "EC_P256"}}));
    EXPECT_EQ(ids(ecOnly), std::vector<std::string>{ec});
    const auto all = k.call("list-keys", jsonBody({{"key_spec", "ALL"}, {"limit", "2"}}));
    EXPECT_EQ(ids(all).size(), 2u);
    EXPECT_EQ(all.str("truncated"), "true");
    EXPECT_EQ(all.json->getValue<int>("total"), 3);
    const auto both = k.call("list-keys", jsonBody({{"key_spec", "AES_256"}, {"key_state", "2"}}));
    EXPECT_EQ(ids(both), std::vector<std::string>{aes});
    const auto otherEnterprise = k.call("list-keys", jsonBody({{"enterprise_project_id", "ep-1"}}));
    EXPECT_TRUE(ids(otherEnterprise).empty());
    // Bad filters: a 400 naming the field, never an empty success.
    for (const auto& body : {jsonBody({{"key_state", "9"}}), jsonBody({{"key_state", "two"}}),
                             jsonBody({{"key_spec", "AES_512"}}), jsonBody({{"limit", "0"}})}) {
        const auto r = k.call("list-keys", body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.errorCode(), "KMS.0308") << body;
    }
    // Another domain's listing never shows these keys.
    const auto theirs = demoClient().call("list-keys", jsonBody({{"key_state", "5"}}));
    for (const auto& id : ids(theirs)) EXPECT_NE(id, ext);
}

// Defect 8: every KeyDetails field, each a string (model/KeyDetails.ts), none null.
TEST(HuaweiSdk, KeyInfoCarriesEveryKeyDetailsField) {
    const auto c = demoClient();
    const std::string id = c.createKey("sdk-fields-" + std::to_string(::getpid()), "AES_256",
                                       "ENCRYPT_DECRYPT", "kms");
    const auto r = c.call("describe-key", jsonBody({{"key_id", id}}));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto info = r.json->getObject("key_info");
    for (const char* f :
         {"key_id", "domain_id", "key_alias", "realm", "key_spec", "key_usage", "key_description",
          "creation_date", "scheduled_deletion_date", "key_state", "default_key_flag", "key_type",
          "expiration_time", "origin", "key_rotation_enabled", "sys_enterprise_project_id",
          "keystore_id", "key_label", "partition_type"}) {
        ASSERT_TRUE(info->has(f)) << f << " missing in " << r.body;
        EXPECT_TRUE(info->get(f).isString()) << f << " is not a string in " << r.body;
    }
    EXPECT_EQ(info->getValue<std::string>("key_rotation_enabled"), "false");
}

// The info routes (model/ListSupportRegionsResponse.ts, ShowUserInstancesResponse.ts,
// ShowUserQuotasResponse.ts, ShowVersion(s)Response.ts): counts follow the project's keys,
// another domain's project is refused, other methods get the dialect's 405.
TEST(HuaweiSdk, InfoRoutesAnswerForTheCallersProjectOnly) {
    const auto c =
        server().addCredential("sdk-info-domain", "8a0f1e2d3c4b45a69788a9b0c1d2e3f4", "cn-north-4");
    const KmsClient k(server().port(), c);
    const Headers auth{{"X-Auth-Token", c.token}};
    const std::string base = "/v1.0/" + c.projectId + "/kms/";
    const auto count = [&] {
        const auto r = httpRequest(k.port(), "GET", base + "user-instances", "", auth);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json->getValue<int>("instance_num");
    };
    EXPECT_EQ(count(), 0);
    k.createKey("info-1", "AES_256", "ENCRYPT_DECRYPT", "kms");
    EXPECT_EQ(count(), 1);
    const auto quotas = httpRequest(k.port(), "GET", base + "user-quotas", "", auth);
    ASSERT_EQ(quotas.status, 200) << quotas.body;
    const auto resources = quotas.json->getObject("quotas")->getArray("resources");
    ASSERT_EQ(resources->size(), 2u);
    EXPECT_EQ(resources->getObject(0)->getValue<std::string>("type"), "CMK");
    EXPECT_EQ(resources->getObject(0)->getValue<int>("used"), 1);
    const auto regions =
        httpRequest(k.port(), "GET", "/v2/" + c.projectId + "/kms/regions", "", auth);
    ASSERT_EQ(regions.status, 200) << regions.body;
    EXPECT_EQ(regions.json->getArray("regions")->size(), 3u);  // the test config's regions
    // Another domain's project: 403, never its counts.
    const auto theirs = httpRequest(
        k.port(), "GET", "/v1.0/" + std::string(kDemoProject) + "/kms/user-instances", "", auth);
    EXPECT_EQ(theirs.status, 403) << theirs.body;
    ASSERT_TRUE(theirs.json);
    EXPECT_EQ(theirs.json->getValue<std::string>("error_code"), "KMS.0307");
    // No credential: 401; a POST: 405 in the dialect's shape.
    EXPECT_EQ(httpRequest(k.port(), "GET", base + "user-quotas", "", {}).status, 401);
    const auto post = httpRequest(k.port(), "POST", base + "user-quotas", "{}", auth);
    EXPECT_EQ(post.status, 405);
    ASSERT_TRUE(post.json) << post.body;
    EXPECT_EQ(post.json->getValue<std::string>("error_code"), "KMS.0201");
    // The version documents need no credential.
    const auto versions = httpRequest(k.port(), "GET", "/", "", {});
    ASSERT_EQ(versions.status, 200) << versions.body;
    EXPECT_EQ(versions.json->getArray("versions")->size(), 2u);
    const auto v1 = httpRequest(k.port(), "GET", "/v1.0", "", {});
    ASSERT_EQ(v1.status, 200) << v1.body;
    EXPECT_EQ(v1.json->getObject("version")->getValue<std::string>("id"), "v1.0");
}

}  // namespace
}  // namespace keyport::test
