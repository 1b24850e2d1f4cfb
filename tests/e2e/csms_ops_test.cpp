// Huawei CSMS operations beyond the basics, against a real keyportd, each checked against the
// SDK's models (huaweicloud-sdk-nodejs-v3 services/csms/v1/model/*.ts, named per test): the
// secret, version, stage and page shapes; version stages and paging; UpdateVersion and
// expiry; DeleteSecretStage; secret tags and resource_instances; RotateSecret;
// GenerateRandomPassword; backup and restore (same and other region, tampered, foreign);
// cross-domain rows; the operations Keyport does not serve.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/e2e/csms_client.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr char kSouthProject[] = "5a0b1c2d3e4f40718293a4b5c6d7e8f9";
constexpr char kOtherProject[] = "9f8e7d6c5b4a40318293a4b5c6d7e8f9";

using Poco::JSON::Object;

using Csms = CsmsClient;

Csms demo() {
    return Csms(KeyportServer::demo());
}
const Csms& south() {
    static const Csms c(server().addCredential("demo-domain", kSouthProject, "cn-south-1"));
    return c;
}
const Csms& other() {
    static const Csms c(server().addCredential("other-domain", kOtherProject, "cn-north-4"));
    return c;
}

std::int64_t epochMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Expect {
    int status;
    std::string code;
};

void expectError(const HttpResult& r, const Expect& e, const std::string& what) {
    EXPECT_EQ(r.status, e.status) << what << ": " << r.body;
    EXPECT_EQ(r.str("error_code"), e.code) << what << ": " << r.body;
    EXPECT_FALSE(r.str("error_msg").empty()) << what;
}

enum class T { String, Number, Bool, Array, Object };

// Every listed field is present, not null, and of its model type.
void expectFields(const Object::Ptr& o, const std::vector<std::pair<std::string, T>>& fields,
                  const std::string& what) {
    ASSERT_TRUE(o) << what;
    for (const auto& [name, type] : fields) {
        ASSERT_TRUE(o->has(name)) << what << " lacks " << name;
        const auto v = o->get(name);
        EXPECT_FALSE(v.isEmpty()) << what << "." << name << " is null";
        switch (type) {
            case T::String:
                EXPECT_TRUE(v.isString()) << what << "." << name;
                break;
            case T::Number:
                EXPECT_TRUE(v.isInteger() && !v.isBoolean()) << what << "." << name;
                break;
            case T::Bool:
                EXPECT_TRUE(v.isBoolean()) << what << "." << name;
                break;
            case T::Array:
                EXPECT_TRUE(o->getArray(name)) << what << "." << name;
                break;
            case T::Object:
                EXPECT_TRUE(o->getObject(name)) << what << "." << name;
                break;
        }
    }
}

// model/Secret.ts
void expectSecret(const Object::Ptr& s, const std::string& what) {
    expectFields(s,
                 {{"id", T::String},
                  {"name", T::String},
                  {"state", T::String},
                  {"kms_key_id", T::String},
                  {"description", T::String},
                  {"create_time", T::Number},
                  {"update_time", T::Number},
                  {"scheduled_delete_time", T::Number},
                  {"secret_type", T::String},
                  {"auto_rotation", T::Bool},
                  {"rotation_period", T::String},
                  {"rotation_config", T::String},
                  {"rotation_time", T::Number},
                  {"next_rotation_time", T::Number},
                  {"event_subscriptions", T::Array},
                  {"enterprise_project_id", T::String}},
                 what);
}

// model/VersionMetadata.ts
void expectVersionMetadata(const Object::Ptr& v, const std::string& what) {
    expectFields(v,
                 {{"id", T::String},
                  {"create_time", T::Number},
                  {"expire_time", T::Number},
                  {"kms_key_id", T::String},
                  {"secret_name", T::String},
                  {"version_stages", T::Array}},
                 what);
}

// model/PageInfo.ts: next_marker, previous_marker, current_count and nothing else.
void expectPageInfo(const Object::Ptr& p, const std::string& what) {
    expectFields(
        p,
        {{"next_marker", T::String}, {"previous_marker", T::String}, {"current_count", T::Number}},
        what);
    EXPECT_FALSE(p->has("total_count")) << what;
}

std::string value(const Csms& c, const std::string& project, const std::string& name,
                  const std::string& version = "latest") {
    const auto r = c.in(project, "GET", "secrets/" + name + "/versions/" + version);
    EXPECT_EQ(r.status, 200) << name << "/" << version << ": " << r.body;
    if (r.status != 200) return {};
    return r.json->getObject("version")->getValue<std::string>("secret_string");
}

std::vector<std::string> stages(const Object::Ptr& meta) {
    std::vector<std::string> out;
    const auto a = meta->getArray("version_stages");
    for (std::size_t i = 0; a && i < a->size(); ++i)
        out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

std::string create(const Csms& c, const std::string& name, const std::string& extra = {}) {
    const auto r =
        c("POST", "secrets",
          R"({"name":")" + name + R"(","secret_string":")" + name + "-v1\"" + extra + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json->getObject("secret")->getValue<std::string>("id") : "";
}

// model/CreateSecretResponse.ts, ShowSecretResponse.ts, UpdateSecretResponse.ts,
// ListSecretsResponse.ts, Stage.ts, ShowSecretVersionResponse.ts, CreateSecretVersionResponse.ts
TEST(CsmsOps, EveryResponseCarriesEveryModelFieldWithItsType) {
    const auto c = demo();
    auto r = c("POST", "secrets",
               R"({"name":"shaped","secret_string":"s","description":"d","secret_type":"COMMON",)"
               R"("auto_rotation":true,"rotation_period":"30d","event_subscriptions":["ev-1"],)"
               R"("enterprise_project_id":"0"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto s = r.json->getObject("secret");
    expectSecret(s, "create");
    EXPECT_EQ(s->getValue<std::string>("secret_type"), "COMMON");
    EXPECT_TRUE(s->getValue<bool>("auto_rotation"));
    EXPECT_EQ(s->getValue<std::string>("rotation_period"), "30d");
    EXPECT_EQ(s->getValue<Poco::Int64>("next_rotation_time"),
              s->getValue<Poco::Int64>("create_time") + 30LL * 86400 * 1000);
    EXPECT_EQ(s->getValue<Poco::Int64>("scheduled_delete_time"), 0);
    EXPECT_EQ(s->getArray("event_subscriptions")->getElement<std::string>(0), "ev-1");
    EXPECT_EQ(r.body.find("null"), std::string::npos) << r.body;

    r = c("GET", "secrets/shaped");
    expectSecret(r.json->getObject("secret"), "describe");
    r = c("PUT", "secrets/shaped", R"({"auto_rotation":false,"rotation_period":"12h"})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectSecret(r.json->getObject("secret"), "update");
    EXPECT_EQ(r.json->getObject("secret")->getValue<std::string>("rotation_period"), "12h");
    EXPECT_EQ(r.json->getObject("secret")->getValue<Poco::Int64>("next_rotation_time"), 0);

    r = c("GET", "secrets?limit=1");
    ASSERT_EQ(r.status, 200) << r.body;
    expectSecret(r.json->getArray("secrets")->getObject(0), "list");
    expectPageInfo(r.json->getObject("page_info"), "list page_info");
    EXPECT_EQ(r.json->getObject("page_info")->getValue<Poco::Int64>("current_count"), 1);
    EXPECT_EQ(r.body.find("null"), std::string::npos) << r.body;

    r = c("GET", "secrets/shaped/versions/latest");
    ASSERT_EQ(r.status, 200);
    expectVersionMetadata(r.json->getObject("version")->getObject("version_metadata"), "get");
    EXPECT_EQ(r.json->getObject("version")
                  ->getObject("version_metadata")
                  ->getValue<std::string>("kms_key_id"),
              s->getValue<std::string>("kms_key_id"));

    r = c("PUT", "secrets/shaped/stages/CANARY", R"({"version_id":"v1"})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectFields(r.json->getObject("stage"),
                 {{"name", T::String},
                  {"update_time", T::Number},
                  {"secret_name", T::String},
                  {"version_id", T::String}},
                 "stage");
    EXPECT_GT(r.json->getObject("stage")->getValue<Poco::Int64>("update_time"), 0);
    r = c("GET", "secrets/shaped/stages/SYSCURRENT");
    EXPECT_GT(r.json->getObject("stage")->getValue<Poco::Int64>("update_time"), 0) << r.body;

    // Bad create inputs: each a CSMS.0002 naming its field, nothing made.
    for (const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
             {"secret_type", R"({"name":"bt","secret_string":"x","secret_type":"OTHER"})"},
             {"rotation_period", R"({"name":"bt","secret_string":"x","rotation_period":"5h"})"},
             {"rotation_period", R"({"name":"bt","secret_string":"x","rotation_period":"x"})"},
             {"auto_rotation", R"({"name":"bt","secret_string":"x","auto_rotation":"yes"})"},
             {"event_subscriptions",
              R"({"name":"bt","secret_string":"x","event_subscriptions":"ev"})"},
             {"event_subscriptions",
              R"({"name":"bt","secret_string":"x","event_subscriptions":["a b"]})"},
         }) {
        r = c("POST", "secrets", body);
        expectError(r, {400, "CSMS.0002"}, what);
        EXPECT_NE(r.body.find(what), std::string::npos) << r.body;
    }
    expectError(c("GET", "secrets/bt"), {404, "CSMS.0005"}, "nothing made");
}

// model/CreateSecretVersionRequestBody.ts (version_stages), ListSecretVersionsRequest.ts
// (limit, marker), ListSecretVersionsResponse.ts
TEST(CsmsOps, VersionStagesAndPaging) {
    const auto c = demo();
    create(c, "staged");
    // A version staged only CANDIDATE leaves SYSCURRENT where it was.
    auto r = c("POST", "secrets/staged/versions",
               R"({"secret_string":"staged-v2","version_stages":["CANDIDATE"]})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectVersionMetadata(r.json->getObject("version_metadata"), "create version");
    EXPECT_EQ(stages(r.json->getObject("version_metadata")), std::vector<std::string>{"CANDIDATE"});
    EXPECT_EQ(value(c, c.cred().projectId, "staged"), "staged-v1");
    EXPECT_EQ(value(c, c.cred().projectId, "staged", "v2"), "staged-v2");
    // SYSCURRENT with a custom stage: the old current becomes SYSPREVIOUS, CANDIDATE moves.
    r = c("POST", "secrets/staged/versions",
          R"({"secret_string":"staged-v3","version_stages":["SYSCURRENT","CANDIDATE"]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(stages(r.json->getObject("version_metadata")),
              (std::vector<std::string>{"CANDIDATE", "SYSCURRENT"}));
    EXPECT_EQ(value(c, c.cred().projectId, "staged"), "staged-v3");
    r = c("GET", "secrets/staged/stages/SYSPREVIOUS");
    EXPECT_EQ(r.json->getObject("stage")->getValue<std::string>("version_id"), "v1") << r.body;

    for (
        const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
            {"empty version_stages", R"({"secret_string":"x","version_stages":[]})"},
            {"version_stages not an array", R"({"secret_string":"x","version_stages":"A"})"},
            {"a stage with a dot", R"({"secret_string":"x","version_stages":["a.b"]})"},
            {"13 stages",
             R"({"secret_string":"x","version_stages":["a","b","c","d","e","f","g","h","i","j","k","l","m"]})"},
        }) {
        expectError(c("POST", "secrets/staged/versions", body), {400, "CSMS.0002"}, what);
    }

    // Paging: limit 2 over v1..v3, then from the marker.
    r = c("GET", "secrets/staged/versions?limit=2");
    ASSERT_EQ(r.status, 200) << r.body;
    auto page = r.json->getObject("page_info");
    expectPageInfo(page, "versions page 1");
    EXPECT_EQ(r.json->getArray("version_metadatas")->size(), 2u);
    EXPECT_EQ(page->getValue<Poco::Int64>("current_count"), 2);
    EXPECT_EQ(page->getValue<std::string>("next_marker"), "v2");
    EXPECT_EQ(page->getValue<std::string>("previous_marker"), "");
    r = c("GET", "secrets/staged/versions?limit=2&marker=v2");
    ASSERT_EQ(r.status, 200) << r.body;
    page = r.json->getObject("page_info");
    EXPECT_EQ(r.json->getArray("version_metadatas")->size(), 1u);
    EXPECT_EQ(r.json->getArray("version_metadatas")->getObject(0)->getValue<std::string>("id"),
              "v3");
    EXPECT_EQ(page->getValue<std::string>("next_marker"), "");
    EXPECT_EQ(page->getValue<std::string>("previous_marker"), "v2");
    expectError(c("GET", "secrets/staged/versions?limit=0"), {400, "CSMS.0002"}, "limit 0");
    expectError(c("GET", "secrets/staged/versions?limit=abc"), {400, "CSMS.0002"}, "limit abc");
    expectError(c("GET", "secrets/staged/versions?marker=v99"), {400, "CSMS.0002"},
                "unknown marker");
}

// model/UpdateVersionRequestBody.ts, UpdateVersionResponse.ts: an expired version is refused.
TEST(CsmsOps, UpdateVersionSetsExpiryAndAnExpiredVersionCannotBeRead) {
    const auto c = demo();
    create(c, "expiring");
    ASSERT_EQ(c("POST", "secrets/expiring/versions", R"({"secret_string":"expiring-v2"})").status,
              200);
    const auto soon = epochMs() + 1500;
    auto r =
        c("PUT", "secrets/expiring/versions/v1", R"({"expire_time":)" + std::to_string(soon) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    expectVersionMetadata(r.json->getObject("version_metadata"), "update version");
    EXPECT_EQ(r.json->getObject("version_metadata")->getValue<Poco::Int64>("expire_time"), soon);
    EXPECT_EQ(value(c, c.cred().projectId, "expiring", "v1"), "expiring-v1") << "not yet";
    std::this_thread::sleep_for(std::chrono::milliseconds(1700));
    expectError(c("GET", "secrets/expiring/versions/v1"), {400, "CSMS.0003"}, "expired version");
    EXPECT_EQ(value(c, c.cred().projectId, "expiring"), "expiring-v2") << "others still read";
    r = c("GET", "secrets/expiring/versions");
    EXPECT_EQ(
        r.json->getArray("version_metadatas")->getObject(0)->getValue<Poco::Int64>("expire_time"),
        soon);

    for (const auto& [what, path, body, expect] :
         std::vector<std::tuple<std::string, std::string, std::string, Expect>>{
             {"expire_time in the past", "v2", R"({"expire_time":1000})", {400, "CSMS.0002"}},
             {"no expire_time", "v2", "{}", {400, "CSMS.0002"}},
             {"expire_time not a number", "v2", R"({"expire_time":"soon"})", {400, "CSMS.0002"}},
             {"unknown version", "v9", R"({"expire_time":99999999999999})", {404, "CSMS.0005"}},
         }) {
        expectError(c("PUT", "secrets/expiring/versions/" + path, body), expect, what);
    }
    expectError(other().in(c.cred().projectId, "PUT", "secrets/expiring/versions/v2",
                           R"({"expire_time":99999999999999})"),
                {403, "CSMS.0403"}, "another domain");
}

// DeleteSecretStage (model/DeleteSecretStageResponse.ts is empty: 204).
TEST(CsmsOps, DeleteSecretStage) {
    const auto c = demo();
    create(c, "destaged");
    ASSERT_EQ(c("PUT", "secrets/destaged/stages/BLUE", R"({"version_id":"v1"})").status, 200);
    auto r = c("DELETE", "secrets/destaged/stages/BLUE");
    EXPECT_EQ(r.status, 204) << r.body;
    expectError(c("GET", "secrets/destaged/stages/BLUE"), {404, "CSMS.0005"}, "removed stage");
    expectError(c("DELETE", "secrets/destaged/stages/BLUE"), {404, "CSMS.0005"}, "twice");
    expectError(c("DELETE", "secrets/destaged/stages/SYSCURRENT"), {400, "CSMS.0105"},
                "SYSCURRENT");
    expectError(c("DELETE", "secrets/destaged/stages/SYSPREVIOUS"), {400, "CSMS.0105"},
                "SYSPREVIOUS");
    expectError(c("DELETE", "secrets/destaged/stages/a.b"), {400, "CSMS.0002"}, "bad name");
    expectError(other().in(c.cred().projectId, "DELETE", "secrets/destaged/stages/X"),
                {403, "CSMS.0403"}, "another domain");
}

// CreateSecretTagRequestBody.ts, ListSecretTagsResponse.ts, TagItem.ts,
// BatchCreateOrDeleteTagsRequestBody.ts, ListResourceInstancesRequestBody.ts,
// ListResourceInstancesResponse.ts, ActionResources.ts, ListProjectSecretsTagsResponse.ts
TEST(CsmsOps, SecretTags) {
    const auto c = demo();
    const std::string id = create(c, "tagged");
    create(c, "tagged-too");
    auto r = c("POST", "csms/" + id + "/tags", R"({"tag":{"key":"cost center","value":"ops"}})");
    EXPECT_EQ(r.status, 204) << r.body;
    r = c(
        "POST", "csms/" + id + "/tags/action",
        R"({"action":"create","tags":[{"key":"env","value":"prod"},{"key":"team","value":"a"}]})");
    EXPECT_EQ(r.status, 204) << r.body;
    // The secret's name works where its id is asked for.
    EXPECT_EQ(c("POST", "csms/tagged-too/tags", R"({"tag":{"key":"env","value":"dev"}})").status,
              204);

    r = c("GET", "csms/" + id + "/tags");
    ASSERT_EQ(r.status, 200) << r.body;
    expectFields(r.json, {{"tags", T::Array}, {"sys_tags", T::Array}}, "list tags");
    const auto tags = r.json->getArray("tags");
    ASSERT_EQ(tags->size(), 3u) << r.body;
    expectFields(tags->getObject(0), {{"key", T::String}, {"value", T::String}}, "tag");
    EXPECT_EQ(tags->getObject(0)->getValue<std::string>("key"), "cost center");

    // Delete by a percent-encoded key, then a batch delete.
    EXPECT_EQ(c("DELETE", "csms/" + id + "/tags/cost%20center").status, 204);
    expectError(c("DELETE", "csms/" + id + "/tags/cost%20center"), {404, "CSMS.0005"},
                "deleted tag");
    EXPECT_EQ(
        c("POST", "csms/" + id + "/tags/action", R"({"action":"delete","tags":[{"key":"team"}]})")
            .status,
        204);
    r = c("GET", "csms/" + id + "/tags");
    EXPECT_EQ(r.json->getArray("tags")->size(), 1u) << r.body;

    // resource_instances: filter by tag values and by name; count.
    r = c("POST", "csms/resource_instances/action",
          R"({"action":"filter","tags":[{"key":"env","values":["prod"]}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectFields(r.json, {{"resources", T::Array}, {"total_count", T::Number}}, "filter");
    ASSERT_EQ(r.json->getArray("resources")->size(), 1u) << r.body;
    const auto res = r.json->getArray("resources")->getObject(0);
    expectFields(res,
                 {{"resource_id", T::String},
                  {"resource_detail", T::Object},
                  {"resource_name", T::String},
                  {"tags", T::Array},
                  {"sys_tags", T::Array}},
                 "resource");
    EXPECT_EQ(res->getValue<std::string>("resource_id"), id);
    expectSecret(res->getObject("resource_detail"), "resource_detail");
    r = c("POST", "csms/resource_instances/action",
          R"({"action":"count","tags":[{"key":"env","values":[]}]})");
    EXPECT_EQ(r.json->getValue<Poco::Int64>("total_count"), 2) << r.body;
    r = c("POST", "csms/resource_instances/action",
          R"({"action":"filter","limit":"1","offset":"1","tags":[{"key":"env","values":[]}]})");
    ASSERT_EQ(r.json->getArray("resources")->size(), 1u) << r.body;
    EXPECT_EQ(r.json->getArray("resources")->getObject(0)->getValue<std::string>("resource_name"),
              "tagged-too");
    r = c("POST", "csms/resource_instances/action",
          R"({"action":"filter","matches":[{"key":"resource_name","value":"too"}]})");
    EXPECT_EQ(r.json->getValue<Poco::Int64>("total_count"), 1) << r.body;

    // Project tags: every key with its values.
    r = c("GET", "csms/tags");
    ASSERT_EQ(r.status, 200) << r.body;
    bool sawEnv = false;
    const auto all = r.json->getArray("tags");
    for (std::size_t i = 0; i < all->size(); ++i) {
        const auto t = all->getObject(static_cast<unsigned>(i));
        expectFields(t, {{"key", T::String}, {"values", T::Array}}, "project tag");
        if (t->getValue<std::string>("key") == "env") {
            sawEnv = true;
            std::set<std::string> values;
            for (std::size_t k = 0; k < t->getArray("values")->size(); ++k)
                values.insert(
                    t->getArray("values")->getElement<std::string>(static_cast<unsigned>(k)));
            EXPECT_EQ(values, (std::set<std::string>{"dev", "prod"}));
        }
    }
    EXPECT_TRUE(sawEnv) << r.body;

    std::string many = R"({"action":"create","tags":[)";
    for (int i = 0; i < 21; ++i)
        many += std::string(i ? "," : "") + R"({"key":"k)" + std::to_string(i) + "\"}";
    many += "]}";
    for (const auto& [what, method, path, body, expect] :
         std::vector<std::tuple<std::string, std::string, std::string, std::string, Expect>>{
             {"no tag", "POST", "csms/" + id + "/tags", "{}", {400, "CSMS.0002"}},
             {"key too long",
              "POST",
              "csms/" + id + "/tags",
              R"({"tag":{"key":")" + std::string(129, 'k') + R"(","value":"v"}})",
              {400, "CSMS.0002"}},
             {"key with =",
              "POST",
              "csms/" + id + "/tags",
              R"({"tag":{"key":"a=b"}})",
              {400, "CSMS.0002"}},
             {"value not a string",
              "POST",
              "csms/" + id + "/tags",
              R"({"tag":{"key":"a","value":3}})",
              {400, "CSMS.0002"}},
             {"unknown action",
              "POST",
              "csms/" + id + "/tags/action",
              R"({"action":"merge","tags":[{"key":"a"}]})",
              {400, "CSMS.0002"}},
             {"21 tags", "POST", "csms/" + id + "/tags/action", many, {400, "CSMS.0002"}},
             {"unknown secret",
              "GET",
              "csms/00000000-0000-4000-8000-000000000000/tags",
              "",
              {404, "CSMS.0005"}},
             {"filter without action",
              "POST",
              "csms/resource_instances/action",
              "{}",
              {400, "CSMS.0002"}},
             {"filter limit 0",
              "POST",
              "csms/resource_instances/action",
              R"({"action":"filter","limit":"0"})",
              {400, "CSMS.0002"}},
             {"filter bad match key",
              "POST",
              "csms/resource_instances/action",
              R"({"action":"filter","matches":[{"key":"name","value":"x"}]})",
              {400, "CSMS.0002"}},
             {"not resource_instances",
              "POST",
              "csms/other/action",
              R"({"action":"count"})",
              {404, "CSMS.0005"}},
         }) {
        expectError(c(method, path, body), expect, what);
    }
    r = c("GET", "csms/" + id + "/tags");
    EXPECT_EQ(r.json->getArray("tags")->size(), 1u) << "bad inputs changed nothing: " << r.body;

    // Another domain: not in its own project, refused in ours, and its filter sees nothing.
    expectError(other()("GET", "csms/" + id + "/tags"), {404, "CSMS.0005"}, "other: list");
    expectError(other()("POST", "csms/" + id + "/tags", R"({"tag":{"key":"x"}})"),
                {404, "CSMS.0005"}, "other: tag");
    expectError(other()("DELETE", "csms/" + id + "/tags/env"), {404, "CSMS.0005"}, "other: untag");
    expectError(other().in(c.cred().projectId, "GET", "csms/" + id + "/tags"), {403, "CSMS.0403"},
                "other: our project");
    r = other()("POST", "csms/resource_instances/action", R"({"action":"count"})");
    EXPECT_EQ(r.json->getValue<Poco::Int64>("total_count"), 0) << r.body;
}

// model/RotateSecretResponse.ts. CSMS rotates only its rotated types (RDS-FG, GaussDB-FG);
// a COMMON secret is refused. Keyport's rotation value is a 32-character random password.
TEST(CsmsOps, RotateSecret) {
    const auto c = demo();
    create(c, "common-one");
    expectError(c("POST", "secrets/common-one/rotate"), {400, "CSMS.0003"}, "COMMON");
    create(c, "rds-one", R"(,"secret_type":"RDS-FG")");
    auto r = c("POST", "secrets/rds-one/rotate");
    ASSERT_EQ(r.status, 200) << r.body;
    expectFields(
        r.json,
        {{"version_id", T::String}, {"secret_name", T::String}, {"rotation_task_id", T::String}},
        "rotate");
    EXPECT_EQ(r.str("version_id"), "v2");
    EXPECT_EQ(r.str("secret_name"), "rds-one");
    const std::string rotated = value(c, c.cred().projectId, "rds-one");
    EXPECT_EQ(rotated.size(), 32u);
    EXPECT_NE(rotated, "rds-one-v1");
    r = c("GET", "secrets/rds-one/stages/SYSPREVIOUS");
    EXPECT_EQ(r.json->getObject("stage")->getValue<std::string>("version_id"), "v1");
    r = c("GET", "secrets/rds-one");
    EXPECT_GT(r.json->getObject("secret")->getValue<Poco::Int64>("rotation_time"), 0) << r.body;
    expectError(c("POST", "secrets/nope/rotate"), {404, "CSMS.0005"}, "unknown secret");
    expectError(other().in(c.cred().projectId, "POST", "secrets/rds-one/rotate"),
                {403, "CSMS.0403"}, "another domain");
}

bool anyOf(const std::string& s, const std::string& set) {
    return s.find_first_of(set) != std::string::npos;
}

// model/CreatePasswordRequestBody.ts, GenerateRandomPasswordResponse.ts
TEST(CsmsOps, GenerateRandomPassword) {
    const auto c = demo();
    auto r = c("POST", "csms/generate-password", "{}");
    ASSERT_EQ(r.status, 200) << r.body;
    expectFields(r.json, {{"password", T::String}}, "password");
    const std::string first = r.str("password");
    EXPECT_EQ(first.size(), 32u);
    EXPECT_NE(c("POST", "csms/generate-password", "{}").str("password"), first);
    const std::string lower = "abcdefghijklmnopqrstuvwxyz", upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                      digits = "0123456789", punct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    for (int i = 0; i < 20; ++i) {
        r = c("POST", "csms/generate-password",
              R"({"length":8,"exclude_punctuation":true,"exclude_characters":"aeiou0"})");
        ASSERT_EQ(r.status, 200) << r.body;
        const std::string p = r.str("password");
        EXPECT_EQ(p.size(), 8u);
        EXPECT_TRUE(anyOf(p, lower) && anyOf(p, upper) && anyOf(p, digits)) << p;
        EXPECT_FALSE(anyOf(p, punct) || anyOf(p, "aeiou0 ")) << p;
    }
    r = c("POST", "csms/generate-password",
          R"({"length":64,"exclude_lowercase":true,"exclude_uppercase":true,)"
          R"("exclude_punctuation":true,"include_space":true})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(anyOf(r.str("password"), lower + upper + punct)) << r.str("password");
    EXPECT_TRUE(anyOf(r.str("password"), " ")) << "space required when included";

    for (
        const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
            {"length 7", R"({"length":7})"},
            {"length 129", R"({"length":129})"},
            {"length a word", R"({"length":"long"})"},
            {"every class excluded",
             R"({"exclude_lowercase":true,"exclude_uppercase":true,"exclude_numbers":true,"exclude_punctuation":true})"},
            {"a required class excluded by characters",
             R"({"exclude_lowercase":true,"exclude_uppercase":true,"exclude_punctuation":true,"exclude_characters":"0123456789"})"},
            {"exclude_lowercase not a bool", R"({"exclude_lowercase":"yes"})"},
        }) {
        expectError(c("POST", "csms/generate-password", body), {400, "CSMS.0002"}, what);
    }
}

std::string backupOf(const Csms& c, const std::string& name) {
    const auto r = c("POST", "secrets/" + name + "/backup");
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    expectFields(r.json, {{"secret_blob", T::String}}, "backup");
    return r.str("secret_blob");
}

HttpResult restoreIn(const Csms& c, const std::string& project, const std::string& blob) {
    return c.in(project, "POST", "secrets/restore", R"({"secret_blob":")" + blob + "\"}");
}

// DownloadSecretBlobResponse.ts, UploadSecretBlobRequestBody.ts, UploadSecretBlobResponse.ts
TEST(CsmsOps, BackupDeleteRestoreInTheSameAndAnotherRegion) {
    const auto c = demo();
    create(c, "kept");
    ASSERT_EQ(c("POST", "secrets/kept/versions", R"({"secret_string":"kept-v2"})").status, 200);
    ASSERT_EQ(c("PUT", "secrets/kept/stages/GOLD", R"({"version_id":"v1"})").status, 200);
    const std::string blob = backupOf(c, "kept");
    ASSERT_FALSE(blob.empty());
    EXPECT_EQ(blob.find("kept-v"), std::string::npos);
    EXPECT_EQ(unb64(blob).size() > 0, true);

    // Restoring over the live secret is a conflict, and changes nothing.
    expectError(restoreIn(c, c.cred().projectId, blob), {400, "CSMS.0003"}, "name taken");

    ASSERT_EQ(c("DELETE", "secrets/kept").status, 204);
    auto r = restoreIn(c, c.cred().projectId, blob);
    ASSERT_EQ(r.status, 200) << r.body;
    expectSecret(r.json->getObject("secret"), "restore");
    EXPECT_EQ(r.json->getObject("secret")->getValue<std::string>("name"), "kept");
    EXPECT_EQ(value(c, c.cred().projectId, "kept"), "kept-v2");
    EXPECT_EQ(value(c, c.cred().projectId, "kept", "v1"), "kept-v1");
    r = c("GET", "secrets/kept/stages/GOLD");
    EXPECT_EQ(r.json->getObject("stage")->getValue<std::string>("version_id"), "v1") << r.body;
    // New versions continue the numbering.
    r = c("POST", "secrets/kept/versions", R"({"secret_string":"kept-v3"})");
    EXPECT_EQ(r.json->getObject("version_metadata")->getValue<std::string>("id"), "v3") << r.body;

    // The same blob restores in another region of the domain, under that region's CMK.
    r = restoreIn(south(), kSouthProject, blob);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json->getObject("secret")->getValue<std::string>("region"), "cn-south-1");
    EXPECT_EQ(value(south(), kSouthProject, "kept"), "kept-v2");
    EXPECT_EQ(value(south(), kSouthProject, "kept", "v1"), "kept-v1");
    const auto k =
        KmsClient(server().port(), south().cred())
            .call("describe-key",
                  jsonBody({{"key_id",
                             r.json->getObject("secret")->getValue<std::string>("kms_key_id")}}));
    EXPECT_EQ(k.json->getObject("key_info")->getValue<std::string>("realm"), "cn-south-1");
}

TEST(CsmsOps, TamperedForeignAndMalformedBackupsAreRefusedAndWriteNothing) {
    const auto c = demo();
    create(c, "guarded");
    const std::string blob = backupOf(c, "guarded");
    ASSERT_EQ(c("DELETE", "secrets/guarded").status, 204);

    hsm::Bytes raw = unb64(blob);
    ASSERT_GT(raw.size(), 100u);
    for (const std::size_t at : {std::size_t{10}, raw.size() / 2, raw.size() - 1}) {
        hsm::Bytes bad = raw;
        bad[at] ^= 0x01;
        expectError(restoreIn(c, c.cred().projectId, b64(bad)), {400, "CSMS.0002"},
                    "byte " + std::to_string(at) + " flipped");
    }
    hsm::Bytes cut(raw.begin(), raw.end() - 40);
    expectError(restoreIn(c, c.cred().projectId, b64(cut)), {400, "CSMS.0002"}, "truncated");
    expectError(restoreIn(c, c.cred().projectId, "!!!"), {400, "CSMS.0002"}, "not base64");
    expectError(restoreIn(c, c.cred().projectId, b64(randomBytes(300))), {400, "CSMS.0002"},
                "random bytes");
    expectError(c("POST", "secrets/restore", "{}"), {400, "CSMS.0002"}, "no secret_blob");
    // Another domain cannot restore it into its own project, nor into ours.
    auto r = restoreIn(other(), kOtherProject, blob);
    expectError(r, {400, "CSMS.0002"}, "another domain's blob");
    EXPECT_EQ(r.body.find("guarded"), std::string::npos) << "says nothing about it: " << r.body;
    expectError(restoreIn(other(), c.cred().projectId, blob), {403, "CSMS.0403"},
                "into our project");
    expectError(other()("GET", "secrets/guarded"), {404, "CSMS.0005"}, "nothing written there");
    expectError(c("GET", "secrets/guarded"), {404, "CSMS.0005"}, "nothing written here");
    // The genuine blob still restores.
    ASSERT_EQ(restoreIn(c, c.cred().projectId, blob).status, 200);
    EXPECT_EQ(value(c, c.cred().projectId, "guarded"), "guarded-v1");
}

// Another domain reaches none of this domain's secrets on any of these routes: in its own
// project the name does not exist (404), in ours the project is not its (403).
TEST(CsmsOps, AnotherDomainCannotReadTagBackUpRestoreIntoOrDelete) {
    const auto c = demo();
    create(c, "private");
    for (const auto& [method, path, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "secrets/private", ""},
             {"GET", "secrets/private/versions/latest", ""},
             {"POST", "secrets/private/backup", ""},
             {"DELETE", "secrets/private", ""},
             {"POST", "secrets/private/scheduled-deleted-tasks/create",
              R"({"recovery_window_in_days":7})"},
             {"POST", "secrets/private/scheduled-deleted-tasks/cancel", ""},
             {"DELETE", "secrets/private/stages/X", ""},
             {"POST", "secrets/private/rotate", ""},
         }) {
        expectError(other()(method, path, body), {404, "CSMS.0005"}, "own project: " + path);
        expectError(other().in(c.cred().projectId, method, path, body), {403, "CSMS.0403"},
                    "our project: " + method + " " + path);
    }
    EXPECT_EQ(value(c, c.cred().projectId, "private"), "private-v1") << "untouched";
}

TEST(CsmsOps, ScheduleDeletionBadInput) {
    const auto c = demo();
    create(c, "sched");
    for (const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
             {"6 days", R"({"recovery_window_in_days":6})"},
             {"31 days", R"({"recovery_window_in_days":31})"},
             {"a word", R"({"recovery_window_in_days":"week"})"},
         }) {
        const auto r = c("POST", "secrets/sched/scheduled-deleted-tasks/create", body);
        expectError(r, {400, "CSMS.0002"}, what);
        EXPECT_NE(r.body.find("recovery_window_in_days"), std::string::npos) << r.body;
    }
    auto r = c("POST", "secrets/sched/scheduled-deleted-tasks/create", "{}");
    ASSERT_EQ(r.status, 200) << "default 30 days: " << r.body;
    const auto s = r.json->getObject("secret");
    expectSecret(s, "scheduled");
    EXPECT_GE(s->getValue<Poco::Int64>("scheduled_delete_time"),
              s->getValue<Poco::Int64>("update_time") + 30LL * 86400 * 1000);
    expectError(c("POST", "secrets/sched/backup"), {400, "CSMS.0103"}, "backup while pending");
    expectError(c("POST", "secrets/sched/rotate"), {400, "CSMS.0103"}, "rotate while pending");
    ASSERT_EQ(c("POST", "secrets/sched/scheduled-deleted-tasks/cancel").status, 200);
    EXPECT_EQ(value(c, c.cred().projectId, "sched"), "sched-v1");
}

// model/ImportSecretsRequest.ts, BatchImportSecretsResponse.ts, ErrorInfo.ts: each secret
// on its own; the failed ones are named, the others readable.
TEST(CsmsOps, BatchImportSecrets) {
    const auto c = demo();
    create(c, "imp-taken");
    auto r = c("POST", "secrets/batch-import",
               R"({"total":3,"secrets":[{"name":"imp-a","secret_string":"a"},)"
               R"({"name":"imp-taken","secret_string":"b"},)"
               R"({"name":"imp-c","secret_binary":"AAEC","secret_type":"COMMON"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectFields(r.json,
                 {{"error_list", T::Array},
                  {"total", T::Number},
                  {"success", T::Number},
                  {"failed", T::Number}},
                 "batch import");
    EXPECT_EQ(r.json->getValue<Poco::Int64>("total"), 3);
    EXPECT_EQ(r.json->getValue<Poco::Int64>("success"), 2);
    EXPECT_EQ(r.json->getValue<Poco::Int64>("failed"), 1);
    const auto errors = r.json->getArray("error_list");
    ASSERT_EQ(errors->size(), 1u);
    expectFields(errors->getObject(0), {{"name", T::String}, {"error_msg", T::String}}, "error");
    EXPECT_EQ(errors->getObject(0)->getValue<std::string>("name"), "imp-taken");
    EXPECT_EQ(value(c, c.cred().projectId, "imp-a"), "a");
    EXPECT_EQ(value(c, c.cred().projectId, "imp-taken"), "imp-taken-v1") << "left alone";
    r = c("GET", "secrets/imp-c/versions/latest");
    EXPECT_EQ(unb64(r.json->getObject("version")->getValue<std::string>("secret_binary")),
              (hsm::Bytes{0, 1, 2}));
    for (const auto& [what, body] : std::vector<std::pair<std::string, std::string>>{
             {"no secrets", "{}"},
             {"empty secrets", R"({"secrets":[]})"},
             {"total mismatch", R"({"total":2,"secrets":[{"name":"imp-x","secret_string":"x"}]})"},
         }) {
        expectError(c("POST", "secrets/batch-import", body), {400, "CSMS.0002"}, what);
    }
    expectError(c("GET", "secrets/imp-x"), {404, "CSMS.0005"}, "nothing made");
    expectError(other().in(c.cred().projectId, "POST", "secrets/batch-import",
                           R"({"secrets":[{"name":"imp-o","secret_string":"x"}]})"),
                {403, "CSMS.0403"}, "another domain into our project");
}

// Operations of CsmsClient.ts that Keyport does not serve answer the dialect's 404.
TEST(CsmsOps, OperationsNotServedAnswerTheDialects404) {
    const auto c = demo();
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/" + c.cred().projectId + "/csms/events"},
             {"POST", "/v1/" + c.cred().projectId + "/csms/events"},
             {"GET", "/v1/" + c.cred().projectId + "/csms/events/e1"},
             {"GET", "/v1/" + c.cred().projectId + "/csms/notification-records"},
             {"GET", "/v1/" + c.cred().projectId + "/csms/tasks"},
             {"POST", "/v1/" + c.cred().projectId + "/csms/grants"},
             {"GET", "/v1/" + c.cred().projectId + "/csms/grants"},
             {"GET", "/v1/csms/users"},
             {"GET", "/v1/csms/agencies"},
             {"GET", "/v1/csms/function-templates"},
         }) {
        const auto r =
            httpRequest(server().port(), method, path, "{}", {{"X-Auth-Token", c.cred().token}});
        expectError(r, {404, "CSMS.0005"}, method + " " + path);
    }
}

}  // namespace
}  // namespace keyport::test
