// Unique names under concurrency, on every dialect (issue 11, Exoscale 2): many threads take
// the same name at the same moment; exactly one wins and every other answer is the dialect's
// 4xx naming the conflict — never a 5xx. Keyport tells the database's unique violation by
// SQLite's extended result code in one place (Database::write → UniqueViolation) and each
// service says which name was taken (AliasExists, SecretExists).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <latch>
#include <map>
#include <thread>

#include "service/api/ncloud/ncp_auth.h"
#include "tests/e2e/csms_client.h"
#include "tests/e2e/exo_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr int kThreads = 12;
constexpr char kSouthProject[] = "7a0b1c2d3e4f40718293a4b5c6d7e8f0";

// Runs f(i) on kThreads threads released at once; returns every answer.
std::vector<HttpResult> together(const std::function<HttpResult(int)>& f) {
    std::vector<HttpResult> out(kThreads);
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            out[static_cast<std::size_t>(i)] = f(i);
        });
    }
    for (auto& t : threads) t.join();
    return out;
}

// Exactly one 200; every other answer has `loserStatus` and `code(r)` == `loserCode`.
void expectOneWinner(const std::vector<HttpResult>& answers, int loserStatus,
                     const std::function<std::string(const HttpResult&)>& code,
                     const std::string& loserCode, const std::string& what) {
    int winners = 0;
    for (const auto& r : answers) {
        EXPECT_LT(r.status, 500) << what << ": " << r.body;
        if (r.status == 200) {
            ++winners;
            continue;
        }
        EXPECT_EQ(r.status, loserStatus) << what << ": " << r.body;
        EXPECT_EQ(code(r), loserCode) << what << ": " << r.body;
    }
    EXPECT_EQ(winners, 1) << what;
}

std::string huaweiCode(const HttpResult& r) {
    return r.errorCode();
}
std::string topCode(const HttpResult& r) {
    return r.str("code");
}
std::string title(const HttpResult& r) {
    return r.str("title");
}
std::string csmsCode(const HttpResult& r) {
    return r.str("error_code");
}

std::string unique(const std::string& prefix) {
    static int n = 0;
    return prefix + std::to_string(::getpid() % 10000) + "x" + std::to_string(++n);
}

// Huawei create-key: a taken key_alias is KMS.0308 (invalid parameter "key_alias"), as the
// dialect answers a taken alias without a race (kms_errors.cpp).
TEST(UniqueConflict, HuaweiCreateKeyWithOneAlias) {
    const auto c = demoClient();
    const std::string alias = unique("uc-create-");
    const auto answers = together([&](int) {
        return c.call("create-key", jsonBody({{"key_alias", alias}, {"key_spec", "AES_256"}}));
    });
    expectOneWinner(answers, 400, huaweiCode, "KMS.0308", "create-key, one alias");
}

TEST(UniqueConflict, HuaweiUpdateKeyAliasToOneAlias) {
    const auto c = demoClient();
    std::vector<std::string> ids;
    for (int i = 0; i < kThreads; ++i)
        ids.push_back(c.createKey(unique("uc-rename-"), "AES_256", "ENCRYPT_DECRYPT", "kms"));
    const std::string alias = unique("uc-renamed-");
    const auto answers = together([&](int i) {
        return c.call("update-key-alias", jsonBody({{"key_id", ids[static_cast<std::size_t>(i)]},
                                                    {"key_alias", alias}}));
    });
    expectOneWinner(answers, 400, huaweiCode, "KMS.0308", "update-key-alias, one alias");
}

// v2 replicate: different keys replicated into one project under one alias.
TEST(UniqueConflict, HuaweiReplicateUnderOneAlias) {
    const auto c = demoClient();
    server().addCredential("demo-domain", kSouthProject, "cn-south-1");
    std::vector<std::string> ids;
    for (int i = 0; i < kThreads; ++i)
        ids.push_back(c.createKey(unique("uc-repl-"), "AES_256", "ENCRYPT_DECRYPT", "kms"));
    const std::string alias = unique("uc-replica-");
    const auto answers = together([&](int i) {
        const std::string body = R"({"replica_region":"cn-south-1","replica_project_id":")" +
                                 std::string(kSouthProject) + R"(","key_alias":")" + alias + "\"}";
        return httpRequest(c.port(), "POST",
                           "/v2/" + c.credential().projectId + "/kms/keys/" +
                               ids[static_cast<std::size_t>(i)] + "/replicate",
                           body, {{"X-Auth-Token", c.credential().token}});
    });
    expectOneWinner(answers, 400, huaweiCode, "KMS.0308", "replicate, one alias");
}

// Exoscale create-kms-key: the spec's 400 for a taken name (the dialect's title for
// AliasExists; exo_errors.cpp maps it).
TEST(UniqueConflict, ExoscaleCreateWithOneName) {
    const std::string name = unique("uc-exo-");
    const auto answers = together([&](int) -> HttpResult {
        return exoCall(server().port(), "POST", "/v2/kms-key", R"({"name":")" + name + R"("})",
                       {KeyportServer::demo(), {}, 0});
    });
    int winners = 0;
    for (const auto& r : answers) {
        EXPECT_LT(r.status, 500) << r.body;
        if (r.status == 200) {
            ++winners;
            continue;
        }
        EXPECT_EQ(r.status, 400) << r.body;
        // create-kms-key's spec: 400 "Name Conflict".
        EXPECT_EQ(title(r), "Name Conflict") << r.body;
    }
    EXPECT_EQ(winners, 1);
}

// NAVER create: the documented 409 CONFLICT, also when the names race past the pre-check.
TEST(UniqueConflict, NaverCreateWithOneName) {
    const std::string name = "u" + unique("c").substr(0, 12);
    const auto cred = KeyportServer::demo();
    const auto answers = together([&](int) {
        api::Request r;
        r.method = "POST";
        r.path = "/kms/v1/keys";
        const std::int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
        api::ncloud::sign(r, cred.accessKey, cred.secretKey, ms);
        return httpRequest(server().port(), "POST", "/kms/v1/keys",
                           R"({"keyName":")" + name + R"(","keyType":"AES256"})", r.headers);
    });
    expectOneWinner(answers, 409, topCode, "CONFLICT", "NAVER create, one name");
}

// CSMS: the first secrets of a fresh project all need the default CMK, which the first of
// them creates: every request succeeds (the others use the CMK the winner made).
TEST(UniqueConflict, CsmsFirstSecretsOfAProjectShareTheDefaultCmk) {
    const CsmsClient c(
        server().addCredential("uc-csms-domain", "7b0b1c2d3e4f40718293a4b5c6d7e8f1", "cn-north-4"));
    const auto answers = together([&](int i) {
        return c("POST", "secrets",
                 R"({"name":"first-)" + std::to_string(i) + R"(","secret_string":"s"})");
    });
    for (const auto& r : answers) EXPECT_EQ(r.status, 200) << r.body;
    // One default CMK, not several.
    const KmsClient k(server().port(), c.cred());
    const auto keys = k.call("list-keys", "{}");
    ASSERT_EQ(keys.status, 200) << keys.body;
    EXPECT_EQ(keys.json->getValue<int>("total"), 1) << keys.body;
}

// CSMS: one secret name taken by many requests at once.
TEST(UniqueConflict, CsmsCreateSecretWithOneName) {
    const CsmsClient c(server().addCredential("uc-csms-domain2", "7c0b1c2d3e4f40718293a4b5c6d7e8f2",
                                              "cn-north-4"));
    const auto answers = together(
        [&](int) { return c("POST", "secrets", R"({"name":"one-name","secret_string":"s"})"); });
    int winners = 0;
    for (const auto& r : answers) {
        EXPECT_LT(r.status, 500) << r.body;
        if (r.status == 200) {
            ++winners;
            continue;
        }
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(csmsCode(r).rfind("CSMS.", 0), 0u) << r.body;
    }
    EXPECT_EQ(winners, 1);
}

}  // namespace
}  // namespace keyport::test
