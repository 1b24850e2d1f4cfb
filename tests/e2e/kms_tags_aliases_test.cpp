// Huawei KMS tag queries, batch tags and aliases over HTTP, with the field names of
// huaweicloud-sdk-nodejs-v3 services/kms/v2/model: ListKmsTagsResponse.ts, Tag.ts,
// TagItem.ts, ListKmsByTagsRequestBody.ts, ListKmsByTagsResponse.ts, ActionResources.ts,
// BatchCreateKmsTagsRequestBody.ts, CreateAliasRequestBody.ts, CreateAliasResponse.ts,
// AssociateAliasRequestBody.ts, DeleteAliasRequestBody.ts, ListAliasesRequest.ts,
// ListAliasResponseBody.ts, AliasEntity.ts. Each route: a positive case, bad-input rows
// and what each gets, and another domain that sees and changes nothing.
#include <gtest/gtest.h>

#include "tests/e2e/kms_expect.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

const Credential& mallory() {
    static const Credential m =
        server().addCredential("tags-mallory", "tagsmalloryproject", "cn-north-4", "admin");
    return m;
}

HttpResult as(const Credential& who, const std::string& method, const std::string& project,
              const std::string& rest, const std::string& body = "") {
    return httpRequest(server().port(), method, "/v1.0/" + project + "/kms/" + rest, body,
                       {{"X-Auth-Token", who.token}});
}

HttpResult demo(const std::string& method, const std::string& rest, const std::string& body = "") {
    return as(KeyportServer::demo(), method, kDemoProject, rest, body);
}

std::string newKey(const std::string& alias) {
    return demoClient().createKey(alias, "AES_256", "ENCRYPT_DECRYPT", "kms");
}

HttpResult batch(const std::string& key, const std::string& action, const std::string& tags) {
    return demo("POST", key + "/tags/action",
                R"({"action":")" + action + R"(","tags":)" + tags + "}");
}

std::size_t count(const std::string& body) {
    const auto r = demo("POST", "resource_instances/action", body);
    EXPECT_EQ(r.status, 200) << body << ": " << r.body;
    return r.json ? r.json->getValue<std::size_t>("total_count") : 0;
}

TEST(KmsTags, BatchCreateQueryAndDelete) {
    const std::string key = newKey("tagged-one");
    const std::string other = newKey("tagged-two");
    auto r =
        batch(key, "create", R"([{"key":"env","value":"prod"},{"key":"team","value":"blue"}])");
    EXPECT_EQ(r.status, 204) << r.body;
    ASSERT_EQ(batch(other, "create", R"([{"key":"env","value":"dev"}])").status, 204);

    // The key's tags, as the existing per-key route shows them.
    const auto own = demo("GET", key + "/tags");
    ASSERT_EQ(own.status, 200);
    EXPECT_EQ(own.json->getArray("tags")->size(), 2u);

    // GET kms/tags: every tag key of the project with its values.
    const auto all = demo("GET", "tags");
    ASSERT_EQ(all.status, 200) << all.body;
    bool sawEnv = false;
    auto tags = all.json->getArray("tags");
    for (std::size_t i = 0; i < tags->size(); ++i) {
        auto t = tags->getObject(static_cast<unsigned>(i));
        if (t->getValue<std::string>("key") != "env") continue;
        sawEnv = true;
        auto values = t->getArray("values");
        ASSERT_EQ(values->size(), 2u);
        EXPECT_EQ(values->getElement<std::string>(0), "dev");
        EXPECT_EQ(values->getElement<std::string>(1), "prod");
    }
    EXPECT_TRUE(sawEnv) << all.body;

    // Filter: env=prod names the one key, with its detail and tags.
    const auto f = demo("POST", "resource_instances/action",
                        R"({"action":"filter","tags":[{"key":"env","values":["prod"]}]})");
    ASSERT_EQ(f.status, 200) << f.body;
    EXPECT_EQ(f.json->getValue<int>("total_count"), 1);
    auto res = f.json->getArray("resources");
    ASSERT_EQ(res->size(), 1u);
    auto item = res->getObject(0);
    EXPECT_EQ(item->getValue<std::string>("resource_id"), key);
    EXPECT_EQ(item->getValue<std::string>("resource_name"), "tagged-one");
    EXPECT_EQ(item->getObject("resource_detail")->getValue<std::string>("key_id"), key);
    EXPECT_EQ(item->getArray("tags")->size(), 2u);
    // Values of one key are alternatives; keys all must match.
    EXPECT_EQ(count(R"({"action":"count","tags":[{"key":"env","values":["prod","dev"]}]})"), 2u);
    EXPECT_EQ(
        count(
            R"({"action":"count","tags":[{"key":"env","values":[]},{"key":"team","values":["blue"]}]})"),
        1u);
    EXPECT_EQ(count(R"({"action":"count","tags":[{"key":"env","values":["qa"]}]})"), 0u);
    EXPECT_EQ(
        count(
            R"({"action":"count","tags":[{"key":"env"}],"matches":[{"key":"resource_name","value":"tagged-t"}]})"),
        1u);
    // Paging a filter: offset 1, limit 1 gives the second of two.
    const auto page =
        demo("POST", "resource_instances/action",
             R"({"action":"filter","limit":"1","offset":"1","tags":[{"key":"env","values":[]}]})");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.json->getValue<int>("total_count"), 2);
    ASSERT_EQ(page.json->getArray("resources")->size(), 1u);
    EXPECT_EQ(page.json->getArray("resources")->getObject(0)->getValue<std::string>("resource_id"),
              other);

    // Delete by key (the value does not matter), then the query no longer finds it.
    EXPECT_EQ(batch(key, "delete", R"([{"key":"env"},{"key":"absent"}])").status, 204);
    EXPECT_EQ(count(R"({"action":"count","tags":[{"key":"env","values":["prod"]}]})"), 0u);
    EXPECT_EQ(demo("GET", key + "/tags").json->getArray("tags")->size(), 1u);
}

TEST(KmsTags, BadInputGetsHuaweiErrors) {
    const std::string key = newKey("tag-bad");
    const std::vector<std::tuple<std::string, std::string, KmsExpect>> batchRows{
        {"action update", R"({"action":"update","tags":[{"key":"a"}]})", {400, "KMS.0308"}},
        {"no action", R"({"tags":[{"key":"a"}]})", {400, "KMS.0204"}},
        {"no tags", R"({"action":"create"})", {400, "KMS.0204"}},
        {"empty tags", R"({"action":"create","tags":[]})", {400, "KMS.0308"}},
        {"tag without key", R"({"action":"create","tags":[{"value":"v"}]})", {400, "KMS.0204"}},
        {"key of 37",
         R"({"action":"create","tags":[{"key":")" + std::string(37, 'k') + R"("}]})",
         {400, "KMS.0308"}},
        {"key with =", R"({"action":"create","tags":[{"key":"a=b"}]})", {400, "KMS.0308"}},
        {"key with a tab", R"({"action":"create","tags":[{"key":"a\tb"}]})", {400, "KMS.0308"}},
        {"value of 44",
         R"({"action":"create","tags":[{"key":"a","value":")" + std::string(44, 'v') + R"("}]})",
         {400, "KMS.0308"}},
        {"key twice", R"({"action":"create","tags":[{"key":"a"},{"key":"a"}]})", {400, "KMS.0308"}},
        {"tags not objects", R"({"action":"create","tags":["a"]})", {400, "KMS.0308"}},
    };
    for (const auto& [name, body, expect] : batchRows)
        expectKmsError(demo("POST", key + "/tags/action", body), expect, name);
    // 36 Unicode characters are a valid key (Huawei counts characters, not bytes).
    std::string wide;
    for (int i = 0; i < 36; ++i) wide += "\xc3\xa9";
    EXPECT_EQ(batch(key, "create", R"([{"key":")" + wide + R"("}])").status, 204);
    // 20 tags per key at most: 19 more fit, one after that does not (and nothing is added).
    std::string nineteen = "[";
    for (int i = 0; i < 19; ++i)
        nineteen += (i ? "," : "") + ("{\"key\":\"k" + std::to_string(i) + "\"}");
    EXPECT_EQ(batch(key, "create", nineteen + "]").status, 204);
    expectKmsError(batch(key, "create", R"([{"key":"one-too-many"}])"), {400, "KMS.0308"},
                   "21st tag");
    EXPECT_EQ(demo("GET", key + "/tags").json->getArray("tags")->size(), 20u);
    expectKmsError(demo("POST", "00000000-0000-4000-8000-000000000000/tags/action",
                        R"({"action":"create","tags":[{"key":"a"}]})"),
                   {404, "KMS.0207"}, "unknown key");
    expectKmsError(
        demo("POST", "not-a-key/tags/action", R"({"action":"create","tags":[{"key":"a"}]})"),
        {400, "KMS.0205"}, "malformed key id");

    const std::vector<std::tuple<std::string, std::string, KmsExpect>> queryRows{
        {"no action", R"({})", {400, "KMS.0204"}},
        {"action list", R"({"action":"list"})", {400, "KMS.0308"}},
        {"limit 0", R"({"action":"filter","limit":"0"})", {400, "KMS.0308"}},
        {"limit 1001", R"({"action":"filter","limit":"1001"})", {400, "KMS.0308"}},
        {"offset -1", R"({"action":"filter","offset":"-1"})", {400, "KMS.0308"}},
        {"tag key empty",
         R"({"action":"filter","tags":[{"key":"","values":[]}]})",
         {400, "KMS.0308"}},
        {"tag value of 44",
         R"({"action":"filter","tags":[{"key":"a","values":[")" + std::string(44, 'v') + R"("]}]})",
         {400, "KMS.0308"}},
        {"values not strings",
         R"({"action":"filter","tags":[{"key":"a","values":[1]}]})",
         {400, "KMS.0308"}},
        {"11 tag keys",
         [] {
             std::string t = R"({"action":"count","tags":[)";
             for (int i = 0; i < 11; ++i)
                 t += (i ? "," : "") + ("{\"key\":\"k" + std::to_string(i) + "\",\"values\":[]}");
             return t + "]}";
         }(),
         {400, "KMS.0308"}},
        {"match on another field",
         R"({"action":"filter","matches":[{"key":"key_id","value":"x"}]})",
         {400, "KMS.0308"}},
        {"empty match value",
         R"({"action":"filter","matches":[{"key":"resource_name","value":""}]})",
         {400, "KMS.0308"}},
    };
    for (const auto& [name, body, expect] : queryRows)
        expectKmsError(demo("POST", "resource_instances/action", body), expect, name);
}

// The per-key create route (CreateKmsTagRequestBody.ts) applies the same TagItem rule as the
// batch route: lengths in Unicode characters, so 36 two-byte characters (72 bytes) are a
// valid key and 43 a valid value; one more of either is refused.
TEST(KmsTags, PerKeyCreateCountsCharacters) {
    const std::string key = newKey("tag-wide");
    const auto wide = [](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += "\xc3\xa9";
        return s;
    };
    const auto create = [&](const std::string& k, const std::string& v) {
        return demo("POST", key + "/tags",
                    R"({"tag":{"key":")" + k + R"(","value":")" + v + R"("}})");
    };
    const auto ok = create(wide(36), wide(43));
    EXPECT_LT(ok.status, 300) << ok.body;
    const auto listed = demo("GET", key + "/tags");
    ASSERT_TRUE(listed.json) << listed.body;
    EXPECT_EQ(listed.json->getArray("tags")->size(), 1u) << listed.body;
    expectKmsError(create(wide(37), "v"), {400, "KMS.0308"}, "key of 37 characters");
    expectKmsError(create("k", wide(44)), {400, "KMS.0308"}, "value of 44 characters");
    expectKmsError(create("a*b", "v"), {400, "KMS.0308"}, "key with *");
}

TEST(KmsTags, AnotherDomainSeesAndChangesNothing) {
    const std::string key = newKey("tag-private");
    ASSERT_EQ(batch(key, "create", R"([{"key":"secret-tag","value":"v"}])").status, 204);
    const auto tags = as(mallory(), "GET", mallory().projectId, "tags");
    ASSERT_EQ(tags.status, 200);
    EXPECT_EQ(tags.body.find("secret-tag"), std::string::npos) << tags.body;
    const auto q = as(mallory(), "POST", mallory().projectId, "resource_instances/action",
                      R"({"action":"filter","tags":[{"key":"secret-tag","values":[]}]})");
    ASSERT_EQ(q.status, 200);
    EXPECT_EQ(q.json->getValue<int>("total_count"), 0);
    expectKmsError(as(mallory(), "POST", mallory().projectId, key + "/tags/action",
                      R"({"action":"delete","tags":[{"key":"secret-tag"}]})"),
                   {404, "KMS.0207"}, "delete another domain's tag");
    expectKmsError(as(mallory(), "POST", kDemoProject, key + "/tags/action",
                      R"({"action":"delete","tags":[{"key":"secret-tag"}]})"),
                   {403, "KMS.0307"}, "through the owner's project");
    expectKmsError(as(mallory(), "GET", kDemoProject, "tags"), {403, "KMS.0307"},
                   "the owner's project tags");
    EXPECT_EQ(demo("GET", key + "/tags").json->getArray("tags")->size(), 1u);
}

HttpResult createAlias(const std::string& key, const std::string& alias) {
    return demo("POST", "aliases", R"({"key_id":")" + key + R"(","alias":")" + alias + R"("})");
}

HttpResult listAliases(const std::string& query) {
    return demo("GET", "aliases" + query);
}

TEST(KmsAliases, CreateAssociateListDelete) {
    const std::string key = newKey("aliased-one");
    const std::string key2 = newKey("aliased-two");
    const auto c = createAlias(key, "alias/app-primary");
    ASSERT_EQ(c.status, 201) << c.body;
    EXPECT_EQ(c.str("domain_id"), "demo-domain");
    EXPECT_EQ(c.str("key_id"), key);
    EXPECT_EQ(c.str("alias"), "alias/app-primary");
    EXPECT_EQ(c.str("alias_urn"), "kms:cn-north-4:demo-domain:alias:alias/app-primary");
    EXPECT_EQ(c.str("create_time").size(), 20u) << c.body;  // 2024-04-01T00:00:00Z
    EXPECT_FALSE(c.str("update_time").empty());

    auto l = listAliases("?key_id=" + key);
    ASSERT_EQ(l.status, 200) << l.body;
    ASSERT_EQ(l.json->getArray("aliases")->size(), 1u);
    EXPECT_EQ(l.json->getArray("aliases")->getObject(0)->getValue<std::string>("alias"),
              "alias/app-primary");
    EXPECT_EQ(l.json->getObject("page_info")->getValue<int>("current_count"), 1);
    EXPECT_EQ(l.json->getObject("page_info")->getValue<std::string>("next_marker"), "");

    // Move it to the second key.
    const auto a = demo("POST", "alias/associate",
                        R"({"alias":"alias/app-primary","target_key_id":")" + key2 + R"("})");
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(a.str("key_id"), key2);
    EXPECT_EQ(listAliases("?key_id=" + key).json->getArray("aliases")->size(), 0u);
    EXPECT_EQ(listAliases("?key_id=" + key2).json->getArray("aliases")->size(), 1u);

    // Paging by name.
    ASSERT_EQ(createAlias(key, "page-a").status, 201);
    ASSERT_EQ(createAlias(key, "page-b").status, 201);
    ASSERT_EQ(createAlias(key, "page-c").status, 201);
    const auto p1 = listAliases("?key_id=" + key + "&limit=2");
    ASSERT_EQ(p1.status, 200) << p1.body;
    EXPECT_EQ(p1.json->getArray("aliases")->size(), 2u);
    const std::string next = p1.json->getObject("page_info")->getValue<std::string>("next_marker");
    EXPECT_EQ(next, "page-b");
    const auto p2 = listAliases("?key_id=" + key + "&limit=2&marker=" + next);
    ASSERT_EQ(p2.json->getArray("aliases")->size(), 1u);
    EXPECT_EQ(p2.json->getArray("aliases")->getObject(0)->getValue<std::string>("alias"), "page-c");

    // Delete (DeleteAliasRequestBody: aliases + key_id), all or none.
    expectKmsError(demo("DELETE", "aliases",
                        R"({"key_id":")" + key + R"(","aliases":["page-a","alias/app-primary"]})"),
                   {400, "KMS.0308"}, "one alias of another key");
    EXPECT_EQ(listAliases("?key_id=" + key).json->getArray("aliases")->size(), 3u);
    const auto d =
        demo("DELETE", "aliases", R"({"key_id":")" + key + R"(","aliases":["page-a","page-b"]})");
    EXPECT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(listAliases("?key_id=" + key).json->getArray("aliases")->size(), 1u);

    // An alias is not a key id on crypto routes (Huawei's key_id is a key ID only).
    expectKmsError(demoClient().call("encrypt-data", jsonBody({{"key_id", "alias/app-primary"},
                                                               {"plain_text", "x"}})),
                   {400, "KMS.0205"}, "alias as key_id");
}

TEST(KmsAliases, BadInputGetsHuaweiErrors) {
    const std::string key = newKey("alias-bad");
    ASSERT_EQ(createAlias(key, "taken").status, 201);
    const std::vector<std::tuple<std::string, std::string, std::string, KmsExpect>> rows{
        {"POST", "aliases", R"({"key_id":"KEY"})", {400, "KMS.0204"}},
        {"POST", "aliases", R"({"alias":"x"})", {400, "KMS.0204"}},
        {"POST", "aliases", R"({"key_id":"KEY","alias":"has space"})", {400, "KMS.0308"}},
        {"POST",
         "aliases",
         R"({"key_id":"KEY","alias":")" + std::string(256, 'a') + R"("})",
         {400, "KMS.0308"}},
        {"POST", "aliases", R"({"key_id":"KEY","alias":"taken"})", {400, "KMS.0308"}},
        {"POST", "aliases", R"({"key_id":"bad","alias":"x"})", {400, "KMS.0205"}},
        {"POST",
         "aliases",
         R"({"key_id":"00000000-0000-4000-8000-000000000000","alias":"x"})",
         {404, "KMS.0207"}},
        {"POST",
         "alias/associate",
         R"({"alias":"nosuch","target_key_id":"KEY"})",
         {400, "KMS.0308"}},
        {"POST",
         "alias/associate",
         R"({"alias":"taken","target_key_id":"bad"})",
         {400, "KMS.0308"}},
        {"POST", "alias/associate", R"({"alias":"taken"})", {400, "KMS.0204"}},
        {"DELETE", "aliases", R"({"key_id":"KEY"})", {400, "KMS.0204"}},
        {"DELETE", "aliases", R"({"key_id":"KEY","aliases":[]})", {400, "KMS.0308"}},
        {"DELETE", "aliases", R"({"key_id":"KEY","aliases":["nosuch"]})", {400, "KMS.0308"}},
        {"DELETE", "aliases", R"({"key_id":"KEY","aliases":[7]})", {400, "KMS.0308"}},
        {"GET", "aliases?limit=0", "", {400, "KMS.0308"}},
        {"GET", "aliases?limit=101", "", {400, "KMS.0308"}},
        {"GET", "aliases?limit=x", "", {400, "KMS.0308"}},
        {"GET", "aliases?key_id=bad", "", {400, "KMS.0205"}},
    };
    for (const auto& [method, rest, b, expect] : rows) {
        std::string body = b;
        if (auto at = body.find("KEY"); at != std::string::npos) body.replace(at, 3, key);
        expectKmsError(demo(method, rest, body), expect, method + " " + rest + " " + body);
    }
    // The taken alias still names its key.
    EXPECT_EQ(listAliases("?key_id=" + key).json->getArray("aliases")->size(), 1u);
}

TEST(KmsAliases, AnotherDomainSeesAndChangesNothing) {
    const std::string key = newKey("alias-private");
    ASSERT_EQ(createAlias(key, "private-alias").status, 201);
    const auto l = as(mallory(), "GET", mallory().projectId, "aliases");
    ASSERT_EQ(l.status, 200);
    EXPECT_EQ(l.body.find("private-alias"), std::string::npos) << l.body;
    expectKmsError(as(mallory(), "GET", mallory().projectId, "aliases?key_id=" + key),
                   {404, "KMS.0207"}, "list another domain's key's aliases");
    expectKmsError(as(mallory(), "POST", mallory().projectId, "aliases",
                      R"({"key_id":")" + key + R"(","alias":"mine"})"),
                   {404, "KMS.0207"}, "alias another domain's key");
    const std::string mine = KmsClient(server().port(), mallory())
                                 .createKey("mallory-key", "AES_256", "ENCRYPT_DECRYPT", "kms");
    expectKmsError(as(mallory(), "POST", mallory().projectId, "alias/associate",
                      R"({"alias":"private-alias","target_key_id":")" + mine + R"("})"),
                   {400, "KMS.0308"}, "move another domain's alias");
    expectKmsError(as(mallory(), "DELETE", mallory().projectId, "aliases",
                      R"({"key_id":")" + key + R"(","aliases":["private-alias"]})"),
                   {404, "KMS.0207"}, "delete another domain's alias");
    expectKmsError(as(mallory(), "GET", kDemoProject, "aliases"), {403, "KMS.0307"},
                   "the owner's project");
    // The same name is free in another project: aliases are per project.
    EXPECT_EQ(as(mallory(), "POST", mallory().projectId, "aliases",
                 R"({"key_id":")" + mine + R"(","alias":"private-alias"})")
                  .status,
              201);
    EXPECT_EQ(listAliases("?key_id=" + key)
                  .json->getArray("aliases")
                  ->getObject(0)
                  ->getValue<std::string>("key_id"),
              key);
}

// Every route of this change, as kms_access_test does for the older ones: no credentials →
// 401 KMS.0301; another domain's credential in this domain's project → 403 KMS.0307.
TEST(KmsTagsAliasesGrants, NoCredentialsAre401AndAnotherDomainsProjectIs403) {
    const std::string key = newKey("route-table");
    const std::vector<std::tuple<std::string, std::string, std::string>> routes{
        {"GET", "tags", ""},
        {"POST", "resource_instances/action", R"({"action":"count"})"},
        {"POST", key + "/tags/action", R"({"action":"create","tags":[{"key":"a"}]})"},
        {"POST", "aliases", R"({"key_id":")" + key + R"(","alias":"r"})"},
        {"GET", "aliases", ""},
        {"DELETE", "aliases", R"({"key_id":")" + key + R"(","aliases":["r"]})"},
        {"POST", "alias/associate", R"({"alias":"r","target_key_id":")" + key + R"("})"},
        {"POST", "create-grant",
         R"({"key_id":")" + key +
             R"(","grantee_principal":"x","grantee_principal_type":"domain","operations":["encrypt-data"]})"},
        {"POST", "list-grants", R"({"key_id":")" + key + R"("})"},
        {"POST", "revoke-grant", R"({"key_id":")" + key + R"(","grant_id":"ab"})"},
        {"POST", "retire-grant", R"({"key_id":")" + key + R"(","grant_id":"ab"})"},
        {"POST", "list-retirable-grants", "{}"},
    };
    for (const auto& [method, rest, body] : routes) {
        const auto none =
            httpRequest(server().port(), method,
                        "/v1.0/" + std::string(kDemoProject) + "/kms/" + rest, body, {});
        expectKmsError(none, {401, "KMS.0301"}, method + " " + rest + " without credentials");
        expectKmsError(as(mallory(), method, kDemoProject, rest, body), {403, "KMS.0307"},
                       method + " " + rest + " in another domain's project");
    }
    // Nothing was written on the way: no tag, no alias, no grant.
    EXPECT_EQ(demo("GET", key + "/tags").json->getArray("tags")->size(), 0u);
    EXPECT_EQ(listAliases("?key_id=" + key).json->getArray("aliases")->size(), 0u);
    EXPECT_EQ(
        demoClient().call("list-grants", jsonBody({{"key_id", key}})).json->getValue<int>("total"),
        0);
}

// sequence (every request body model above has it) makes these writes idempotent too.
TEST(KmsTagsAliasesGrants, SequenceRepeatsTheFirstAnswer) {
    const std::string key = newKey("sequenced");
    const std::string body =
        R"({"key_id":")" + key +
        R"(","grantee_principal":"seq-domain","grantee_principal_type":"domain",)"
        R"("operations":["encrypt-data"],"sequence":"919c82d4-8046-4722-9094-35c3c6524cff"})";
    const auto first = demoClient().call("create-grant", body);
    const auto again = demoClient().call("create-grant", body);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(
        demoClient().call("list-grants", jsonBody({{"key_id", key}})).json->getValue<int>("total"),
        1);
    const std::string tags =
        R"({"action":"create","tags":[{"key":"s","value":"1"}],"sequence":"919c82d4-8046-4722-9094-35c3c6524d00"})";
    EXPECT_EQ(demo("POST", key + "/tags/action", tags).status, 204);
    EXPECT_EQ(demo("POST", key + "/tags/action", tags).status, 204);
}

}  // namespace
}  // namespace keyport::test
