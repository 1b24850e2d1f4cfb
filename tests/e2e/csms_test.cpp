// Huawei CSMS over HTTP against a real keyportd: string and binary secrets byte for byte,
// versions and stages, the default CMK, a disabled CMK, no plaintext in the database,
// replica secrets across regions (read in the target, propagation, read-only, restart,
// kill -9 mid-replication), deletion at once and scheduled, isolation and a bad-input table.
// csms_ops_test.cpp covers the rest of the SDK's operations.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/e2e/csms_client.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

// The demo domain's project in cn-south-1 (replicas land there).
constexpr char kSouthProject[] = "5a0b1c2d3e4f40718293a4b5c6d7e8f9";

using Csms = CsmsClient;

Csms demo() {
    return Csms(KeyportServer::demo());
}

const Credential& south() {
    static const Credential c = server().addCredential("demo-domain", kSouthProject, "cn-south-1");
    return c;
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

std::string latest(const Csms& c, const std::string& project, const std::string& name) {
    const auto r = c.in(project, "GET", "secrets/" + name + "/versions/latest");
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    return r.json->getObject("version")->getValue<std::string>("secret_string");
}

std::vector<std::string> stagesOf(const HttpResult& r) {
    std::vector<std::string> out;
    auto a = r.json->getObject("version_metadata")->getArray("version_stages");
    for (std::size_t i = 0; i < a->size(); ++i)
        out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

TEST(Csms, StringAndBinarySecretsRoundTripByteForByte) {
    const auto c = demo();
    const std::string text = "p@ss wörd \"quoted\" \\ and a newline\n";
    auto r =
        c("POST", "secrets",
          jsonBody(
              {{"name", "db-password"}, {"secret_string", text}, {"description", "the database"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto secret = r.json->getObject("secret");
    EXPECT_EQ(secret->getValue<std::string>("name"), "db-password");
    EXPECT_EQ(secret->getValue<std::string>("state"), "ENABLED");
    EXPECT_EQ(secret->getValue<std::string>("replica_role"), "PRIMARY");
    EXPECT_EQ(latest(c, c.cred().projectId, "db-password"), text);

    // The default CMK was made in the project on first use, under its documented alias.
    const auto k = demoClient().call(
        "describe-key", jsonBody({{"key_id", secret->getValue<std::string>("kms_key_id")}}));
    ASSERT_EQ(k.status, 200) << k.body;
    EXPECT_EQ(k.json->getObject("key_info")->getValue<std::string>("key_alias"), "csms/default");

    hsm::Bytes binary = randomBytes(300);
    binary[0] = 0;
    binary[150] = 0;
    r = c("POST", "secrets", R"({"name":"tls-key","secret_binary":")" + b64(binary) + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto v = c("GET", "secrets/tls-key/versions/v1");
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(unb64(v.json->getObject("version")->getValue<std::string>("secret_binary")), binary);
    EXPECT_FALSE(v.json->getObject("version")->has("secret_string"));
}

TEST(Csms, VersionsAndStages) {
    const auto c = demo();
    ASSERT_EQ(c("POST", "secrets", R"({"name":"rotating","secret_string":"one"})").status, 200);
    auto r = c("POST", "secrets/rotating/versions", R"({"secret_string":"two"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json->getObject("version_metadata")->getValue<std::string>("id"), "v2");
    EXPECT_EQ(stagesOf(r), std::vector<std::string>{"SYSCURRENT"});
    EXPECT_EQ(latest(c, c.cred().projectId, "rotating"), "two");

    r = c("GET", "secrets/rotating/versions/v1");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json->getObject("version")->getValue<std::string>("secret_string"), "one");
    EXPECT_EQ(r.json->getObject("version")
                  ->getObject("version_metadata")
                  ->getArray("version_stages")
                  ->getElement<std::string>(0),
              "SYSPREVIOUS");

    r = c("GET", "secrets/rotating/versions");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json->getArray("version_metadatas")->size(), 2u);

    // A custom stage, then SYSCURRENT moved back: the old current becomes SYSPREVIOUS.
    r = c("PUT", "secrets/rotating/stages/CANARY", R"({"version_id":"v1"})");
    ASSERT_EQ(r.status, 200) << r.body;
    r = c("GET", "secrets/rotating/stages/CANARY");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json->getObject("stage")->getValue<std::string>("version_id"), "v1");
    ASSERT_EQ(c("PUT", "secrets/rotating/stages/SYSCURRENT", R"({"version_id":"v1"})").status, 200);
    EXPECT_EQ(latest(c, c.cred().projectId, "rotating"), "one");
    r = c("GET", "secrets/rotating/stages/SYSPREVIOUS");
    EXPECT_EQ(r.json->getObject("stage")->getValue<std::string>("version_id"), "v2");
}

TEST(Csms, ADisabledCmkStopsNewVersionsWithAClearError) {
    const auto c = demo();
    const auto kms = demoClient();
    const std::string cmk = kms.createKey("secrets-cmk", "AES_256", "ENCRYPT_DECRYPT", "kms");
    auto r = c("POST", "secrets",
               R"({"name":"own-cmk","secret_string":"x","kms_key_id":")" + cmk + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json->getObject("secret")->getValue<std::string>("kms_key_id"), cmk);

    ASSERT_EQ(kms.call("disable-key", jsonBody({{"key_id", cmk}})).status, 200);
    r = c("POST", "secrets/own-cmk/versions", R"({"secret_string":"y"})");
    expectError(r, {400, "CSMS.0003"}, "new version under a disabled CMK");
    EXPECT_NE(r.body.find("disabled"), std::string::npos) << r.body;
    expectError(c("GET", "secrets/own-cmk/versions/latest"), {400, "CSMS.0003"},
                "read under a disabled CMK");
    ASSERT_EQ(kms.call("enable-key", jsonBody({{"key_id", cmk}})).status, 200);
    EXPECT_EQ(c("POST", "secrets/own-cmk/versions", R"({"secret_string":"y"})").status, 200);
    EXPECT_EQ(latest(c, c.cred().projectId, "own-cmk"), "y");

    // A signing key, or a key of another project, is refused naming the field.
    const std::string ec = kms.createKey("not-for-secrets", "EC_P256", "SIGN_VERIFY", "kms");
    r = c("POST", "secrets",
          R"({"name":"bad-cmk","secret_string":"x","kms_key_id":")" + ec + R"("})");
    expectError(r, {400, "CSMS.0002"}, "EC key as CMK");
    EXPECT_NE(r.body.find("kms_key_id"), std::string::npos);
    EXPECT_EQ(c("GET", "secrets/bad-cmk").status, 404) << "nothing half-made";
}

TEST(Csms, TheDatabaseHoldsNoPlaintext) {
    const auto c = demo();
    const std::string marker = "KEYPORT-PLAINTEXT-CANARY-" + hex(randomBytes(16));
    ASSERT_EQ(
        c("POST", "secrets", R"({"name":"canary","secret_string":")" + marker + R"("})").status,
        200);
    ASSERT_EQ(
        c("POST", "secrets/canary/versions", R"({"secret_string":")" + marker + R"(-2"})").status,
        200);
    EXPECT_EQ(latest(c, c.cred().projectId, "canary"), marker + "-2");
    for (const auto& suffix : {"", "-wal"}) {
        const auto file = server().databaseFile().string() + suffix;
        if (!std::filesystem::exists(file)) continue;
        std::ifstream in(file, std::ios::binary);
        const std::string content((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
        EXPECT_GT(content.size(), 0u);
        EXPECT_EQ(content.find(marker), std::string::npos) << "plaintext found in " << file;
    }
}

TEST(Csms, ReplicaInAnotherRegion) {
    const auto c = demo();
    const Csms southC(south());
    ASSERT_EQ(c("POST", "secrets", R"({"name":"replicated","secret_string":"first"})").status, 200);
    ASSERT_EQ(c("POST", "secrets/replicated/versions", R"({"secret_string":"second"})").status,
              200);
    auto r = c("POST", "secrets/replicated/replicas", R"({"region":"cn-south-1"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string replicaId = r.str("replica_id");
    EXPECT_EQ(replicaId.size(), 36u);

    // Read in the target region, in the domain's project there.
    EXPECT_EQ(latest(southC, kSouthProject, "replicated"), "second");
    r = southC.in(kSouthProject, "GET", "secrets/replicated/versions/v1");
    EXPECT_EQ(r.json->getObject("version")->getValue<std::string>("secret_string"), "first");
    r = southC.in(kSouthProject, "GET", "secrets/replicated");
    auto rs = r.json->getObject("secret");
    EXPECT_EQ(rs->getValue<std::string>("replica_role"), "REPLICA");
    EXPECT_EQ(rs->getValue<std::string>("id"), replicaId);
    EXPECT_EQ(rs->getValue<std::string>("region"), "cn-south-1");
    EXPECT_EQ(rs->getObject("primary")->getValue<std::string>("region"), "cn-north-4");
    // The replica's versions are under a CMK of its own region.
    const std::string southCmk = rs->getValue<std::string>("kms_key_id");
    const auto k =
        KmsClient(server().port(), south()).call("describe-key", jsonBody({{"key_id", southCmk}}));
    ASSERT_EQ(k.status, 200) << k.body;
    EXPECT_EQ(k.json->getObject("key_info")->getValue<std::string>("realm"), "cn-south-1");

    // Describe on the primary lists the replica and its sync state.
    r = c("GET", "secrets/replicated");
    auto replicas = r.json->getObject("secret")->getArray("replicas");
    ASSERT_EQ(replicas->size(), 1u);
    EXPECT_EQ(replicas->getObject(0)->getValue<std::string>("region"), "cn-south-1");
    EXPECT_EQ(replicas->getObject(0)->getValue<std::string>("sync_state"), "SYNCED");

    // A version added to the primary appears in the replica.
    ASSERT_EQ(c("POST", "secrets/replicated/versions", R"({"secret_string":"third"})").status, 200);
    EXPECT_EQ(latest(southC, kSouthProject, "replicated"), "third");

    // The replica is read-only.
    for (const auto& [method, path, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"POST", "secrets/replicated/versions", R"({"secret_string":"x"})"},
             {"PUT", "secrets/replicated", R"({"description":"x"})"},
             {"DELETE", "secrets/replicated", ""},
             {"PUT", "secrets/replicated/stages/SYSCURRENT", R"({"version_id":"v1"})"},
             {"POST", "secrets/replicated/replicas", R"({"region":"ap-southeast-1"})"}}) {
        r = southC.in(kSouthProject, method, path, body);
        expectError(r, {400, "CSMS.0003"}, method + " " + path + " on a replica");
        EXPECT_NE(r.body.find("read-only"), std::string::npos) << r.body;
    }

    // Twice to one region, to its own region, to a region without a project, unknown region.
    expectError(c("POST", "secrets/replicated/replicas", R"({"region":"cn-south-1"})"),
                {400, "CSMS.0003"}, "second replica in one region");
    expectError(c("POST", "secrets/replicated/replicas", R"({"region":"cn-north-4"})"),
                {400, "CSMS.0003"}, "replica in its own region");
    r = c("POST", "secrets/replicated/replicas", R"({"region":"ap-southeast-1"})");
    expectError(r, {400, "CSMS.0003"}, "no project in the region");
    EXPECT_NE(r.body.find("no project"), std::string::npos) << r.body;
    expectError(c("POST", "secrets/replicated/replicas", R"({"region":"mars-1"})"),
                {400, "CSMS.0002"}, "unknown region");

    // Replica reads survive a restart.
    server().restart();
    EXPECT_EQ(latest(southC, kSouthProject, "replicated"), "third");
    EXPECT_EQ(latest(c, c.cred().projectId, "replicated"), "third");
}

TEST(Csms, KillNineDuringReplicationLeavesAllOrNothing) {
    const auto c = demo();
    const Csms southC(south());
    for (int round = 0; round < 4; ++round) {
        const std::string name = "crash-" + std::to_string(round);
        ASSERT_EQ(c("POST", "secrets", R"({"name":")" + name + R"(","secret_string":"a"})").status,
                  200);
        for (int v = 0; v < 5; ++v) {
            ASSERT_EQ(c("POST", "secrets/" + name + "/versions",
                        R"({"secret_string":"v)" + std::to_string(v) + "\"}")
                          .status,
                      200);
        }
        std::thread replicate([&] {
            try {
                c("POST", "secrets/" + name + "/replicas", R"({"region":"cn-south-1"})");
            } catch (const std::exception&) {
                // The server died under the request: that is the point.
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * round));
        server().kill9();
        replicate.join();
        server().start();
        const auto primary = c("GET", "secrets/" + name);
        ASSERT_EQ(primary.status, 200);
        const auto replicas = primary.json->getObject("secret")->getArray("replicas");
        const auto r = southC.in(kSouthProject, "GET", "secrets/" + name + "/versions");
        if (replicas->size() == 0) {
            EXPECT_EQ(r.status, 404) << "no replica, and nothing of it in the target: " << r.body;
        } else {
            EXPECT_EQ(replicas->getObject(0)->getValue<std::string>("sync_state"), "SYNCED");
            ASSERT_EQ(r.status, 200);
            EXPECT_EQ(r.json->getArray("version_metadatas")->size(), 6u);
            EXPECT_EQ(latest(southC, kSouthProject, name), "v4");
        }
    }
}

TEST(Csms, KillNineDuringVersionPropagationKeepsReplicasInSync) {
    const auto c = demo();
    const Csms southC(south());
    ASSERT_EQ(c("POST", "secrets", R"({"name":"propagated","secret_string":"base"})").status, 200);
    ASSERT_EQ(c("POST", "secrets/propagated/replicas", R"({"region":"cn-south-1"})").status, 200);
    for (int round = 0; round < 3; ++round) {
        std::thread writer([&] {
            try {
                for (int v = 0; v < 50; ++v) {
                    c("POST", "secrets/propagated/versions",
                      R"({"secret_string":"r)" + std::to_string(v) + "\"}");
                }
            } catch (const std::exception&) {
                // The server died under a request: that is the point.
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(30 + 20 * round));
        server().kill9();
        writer.join();
        server().start();
        const auto p = c("GET", "secrets/propagated/versions");
        const auto r = southC.in(kSouthProject, "GET", "secrets/propagated/versions");
        ASSERT_EQ(p.status, 200);
        ASSERT_EQ(r.status, 200);
        EXPECT_EQ(p.json->getArray("version_metadatas")->size(),
                  r.json->getArray("version_metadatas")->size());
        EXPECT_EQ(latest(c, c.cred().projectId, "propagated"),
                  latest(southC, kSouthProject, "propagated"));
        const auto d = c("GET", "secrets/propagated");
        EXPECT_EQ(d.json->getObject("secret")
                      ->getArray("replicas")
                      ->getObject(0)
                      ->getValue<std::string>("sync_state"),
                  "SYNCED");
    }
}

// model/DeleteSecretForScheduleRequestBody.ts, RestoreSecretResponse.ts: a scheduled deletion
// refuses values and writes meanwhile (CSMS.0103), is cancelled back to ENABLED, and ends with
// the secret gone (the test server's recovery day is 1 s; the sweeper runs every second).
TEST(Csms, ScheduledDeletionThenGone) {
    const auto c = demo();
    ASSERT_EQ(c("POST", "secrets", R"({"name":"short-lived","secret_string":"x"})").status, 200);
    auto r = c("POST", "secrets/short-lived/scheduled-deleted-tasks/create",
               R"({"recovery_window_in_days":7})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json->getObject("secret")->getValue<std::string>("state"), "PENDING_DELETE");
    EXPECT_GT(r.json->getObject("secret")->getValue<Poco::Int64>("scheduled_delete_time"), 0);
    expectError(c("GET", "secrets/short-lived/versions/latest"), {400, "CSMS.0103"},
                "read while pending deletion");
    expectError(c("POST", "secrets/short-lived/versions", R"({"secret_string":"y"})"),
                {400, "CSMS.0103"}, "write while pending deletion");
    expectError(c("PUT", "secrets/short-lived", R"({"description":"y"})"), {400, "CSMS.0103"},
                "update while pending deletion");
    expectError(c("POST", "secrets/short-lived/scheduled-deleted-tasks/create",
                  R"({"recovery_window_in_days":7})"),
                {400, "CSMS.0103"}, "scheduled twice");
    r = c("POST", "secrets/short-lived/scheduled-deleted-tasks/cancel");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json->getObject("secret")->getValue<std::string>("state"), "ENABLED");
    EXPECT_EQ(r.json->getObject("secret")->getValue<Poco::Int64>("scheduled_delete_time"), 0);
    EXPECT_EQ(latest(c, c.cred().projectId, "short-lived"), "x");
    expectError(c("POST", "secrets/short-lived/scheduled-deleted-tasks/cancel"), {400, "CSMS.0108"},
                "cancel without a scheduled deletion");
    ASSERT_EQ(c("POST", "secrets/short-lived/scheduled-deleted-tasks/create",
                R"({"recovery_window_in_days":7})")
                  .status,
              200);
    for (int i = 0; i < 200 && c("GET", "secrets/short-lived").status != 404; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    expectError(c("GET", "secrets/short-lived"), {404, "CSMS.0005"}, "gone after the window");
    EXPECT_EQ(c("POST", "secrets", R"({"name":"short-lived","secret_string":"again"})").status, 200)
        << "the name is free again";
}

// DELETE secrets/{name} deletes at once (model/DeleteSecretResponse.ts is empty: 204), the
// name is reusable at once and nothing of the old secret shows through; the replicas go too.
TEST(Csms, DeleteIsImmediateAndTheNameIsReusable) {
    const auto c = demo();
    const Csms southC(south());
    ASSERT_EQ(c("POST", "secrets", R"({"name":"gone-now","secret_string":"old"})").status, 200);
    ASSERT_EQ(c("POST", "secrets/gone-now/versions", R"({"secret_string":"old-2"})").status, 200);
    ASSERT_EQ(c("POST", "secrets/gone-now/replicas", R"({"region":"cn-south-1"})").status, 200);
    expectError(southC.in(kSouthProject, "DELETE", "secrets/gone-now"), {400, "CSMS.0003"},
                "delete of a replica");
    auto r = c("DELETE", "secrets/gone-now");
    EXPECT_EQ(r.status, 204) << r.body;
    EXPECT_TRUE(r.body.empty()) << r.body;
    expectError(c("GET", "secrets/gone-now"), {404, "CSMS.0005"}, "deleted secret");
    expectError(southC.in(kSouthProject, "GET", "secrets/gone-now"), {404, "CSMS.0005"},
                "its replica");
    expectError(c("DELETE", "secrets/gone-now"), {404, "CSMS.0005"}, "deleted twice");
    r = c("POST", "secrets", R"({"name":"gone-now","secret_string":"new"})");
    ASSERT_EQ(r.status, 200) << r.body;
    r = c("GET", "secrets/gone-now/versions");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json->getArray("version_metadatas")->size(), 1u) << "no old versions: " << r.body;
    EXPECT_EQ(latest(c, c.cred().projectId, "gone-now"), "new");
    expectError(c("GET", "secrets/gone-now/versions/v2"), {404, "CSMS.0005"}, "old version");
    // Keyport's own .../restore is gone (no SDK method calls it).
    expectError(c("POST", "secrets/gone-now/restore"), {404, "CSMS.0005"}, "the old restore");
}

TEST(Csms, IsolationAcrossDomainsAndProjects) {
    const auto c = demo();
    ASSERT_EQ(c("POST", "secrets", R"({"name":"mine","secret_string":"x"})").status, 200);
    const Csms other(
        server().addCredential("other-domain", "9f8e7d6c5b4a40318293a4b5c6d7e8f9", "cn-north-4"));
    // Another domain's project in the path: 403; our own project, same name: not there.
    expectError(other.in(c.cred().projectId, "GET", "secrets/mine"), {403, "CSMS.0403"},
                "other domain's project");
    expectError(other("GET", "secrets/mine"), {404, "CSMS.0005"}, "same name in another domain");
    expectError(other.in(c.cred().projectId, "GET", "secrets/mine/versions/latest"),
                {403, "CSMS.0403"}, "other domain's value");
    const auto list = other("GET", "secrets");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json->getArray("secrets")->size(), 0u);
    expectError(
        httpRequest(server().port(), "GET", "/v1/" + c.cred().projectId + "/secrets/mine", "", {}),
        {401, "CSMS.0401"}, "no credential");
    const Csms readOnly(
        server().addCredential("demo-domain", c.cred().projectId, "cn-north-4", "readonly"));
    EXPECT_EQ(latest(readOnly, c.cred().projectId, "mine"), "x");
    expectError(readOnly("POST", "secrets/mine/versions", R"({"secret_string":"y"})"),
                {403, "CSMS.0403"}, "read-only credential writes");
}

TEST(Csms, BadInputTable) {
    const auto c = demo();
    ASSERT_EQ(c("POST", "secrets", R"({"name":"exists","secret_string":"x"})").status, 200);
    struct Case {
        std::string what, method, path, body;
        Expect expect;
    };
    const std::string big(32 * 1024 + 1, 'x');
    const std::vector<Case> cases = {
        {"malformed JSON", "POST", "secrets", R"({"name":)", {400, "CSMS.0004"}},
        {"name with a space",
         "POST",
         "secrets",
         R"({"name":"a b","secret_string":"x"})",
         {400, "CSMS.0002"}},
        {"name of 65 characters",
         "POST",
         "secrets",
         R"({"name":")" + std::string(65, 'n') + R"(","secret_string":"x"})",
         {400, "CSMS.0002"}},
        {"name not a string",
         "POST",
         "secrets",
         R"({"name":7,"secret_string":"x"})",
         {400, "CSMS.0002"}},
        {"value over 32 KiB",
         "POST",
         "secrets",
         R"({"name":"big","secret_string":")" + big + R"("})",
         {400, "CSMS.0002"}},
        {"both string and binary",
         "POST",
         "secrets",
         R"({"name":"both","secret_string":"x","secret_binary":"eA=="})",
         {400, "CSMS.0002"}},
        {"neither string nor binary",
         "POST",
         "secrets",
         R"({"name":"neither"})",
         {400, "CSMS.0002"}},
        {"binary not base64",
         "POST",
         "secrets",
         R"({"name":"nb64","secret_binary":"!!!"})",
         {400, "CSMS.0002"}},
        {"empty value",
         "POST",
         "secrets",
         R"({"name":"empty","secret_string":""})",
         {400, "CSMS.0002"}},
        {"unknown kms_key_id",
         "POST",
         "secrets",
         R"({"name":"nokey","secret_string":"x","kms_key_id":"00000000-0000-4000-8000-000000000000"})",
         {400, "CSMS.0002"}},
        {"duplicate name",
         "POST",
         "secrets",
         R"({"name":"exists","secret_string":"x"})",
         {400, "CSMS.0003"}},
        {"unknown secret", "GET", "secrets/nope", "", {404, "CSMS.0005"}},
        {"unknown version", "GET", "secrets/exists/versions/v99", "", {404, "CSMS.0005"}},
        {"unknown stage", "GET", "secrets/exists/stages/NOPE", "", {404, "CSMS.0005"}},
        {"stage to an unknown version",
         "PUT",
         "secrets/exists/stages/X",
         R"({"version_id":"v9"})",
         {404, "CSMS.0005"}},
        {"bad stage name",
         "PUT",
         "secrets/exists/stages/a.b",
         R"({"version_id":"v1"})",
         {400, "CSMS.0002"}},
        {"unknown region",
         "POST",
         "secrets/exists/replicas",
         R"({"region":"nowhere"})",
         {400, "CSMS.0002"}},
        {"replica without region", "POST", "secrets/exists/replicas", "{}", {400, "CSMS.0002"}},
        {"bad list limit", "GET", "secrets?limit=0", "", {400, "CSMS.0002"}},
        {"unknown route", "GET", "secrets/exists/nothing-here", "", {404, "CSMS.0005"}},
        {"wrong method", "PATCH", "secrets/exists", "{}", {405, "CSMS.0003"}},
    };
    for (const auto& k : cases) expectError(c(k.method, k.path, k.body), k.expect, k.what);
    // None of them made anything.
    const auto list = c("GET", "secrets?limit=200");
    for (const auto* n : {"a b", "big", "both", "neither", "nb64", "empty", "nokey"}) {
        EXPECT_EQ(list.body.find(std::string("\"name\":\"") + n + "\""), std::string::npos) << n;
    }
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig("secrets.recovery_day_seconds = 1");
    return RUN_ALL_TESTS();
}
