// The Exoscale KMS dialect against a real keyportd: keys and crypto with encryption context,
// asynchronous replication with persisted operations (including kill -9 while pending →
// "interrupted"), EXO2-HMAC-SHA256 vectors, zone selection, isolation and bad input.
#include <gtest/gtest.h>

#include <thread>

#include "service/api/exoscale/exo_auth.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr char kSouthProject[] = "8a0b1c2d3e4f40718293a4b5c6d7e8f9";

void ensureSouthProject() {
    static const Credential c = server().addCredential("demo-domain", kSouthProject, "cn-south-1");
    (void)c;
}

// Signs as Exoscale's SDKs do, for the zone named in the Host header.
HttpResult exo(const std::string& method, const std::string& path, const std::string& body = {},
               const std::string& zone = "cn-north-4",
               const Credential& cred = KeyportServer::demo(),
               std::int64_t expires = nowSeconds() + 600) {
    api::Request r;
    r.method = method;
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) r.query = path.substr(q + 1);
    r.body = body;
    api::exoscale::sign(r, cred.accessKey, cred.secretKey, expires);
    r.headers.emplace_back("Host", "api-" + zone + ".keyport.test");
    return httpRequest(server().port(), method, path, body, r.headers);
}

struct Expect {
    int status;
    std::string title;
};

void expectProblem(const HttpResult& r, const Expect& e, const std::string& what) {
    EXPECT_EQ(r.status, e.status) << what << ": " << r.body;
    EXPECT_EQ(r.str("title"), e.title) << what << ": " << r.body;
    EXPECT_FALSE(r.str("detail").empty()) << what;
    EXPECT_FALSE(r.str("type").empty()) << what;
}

std::string createKey(const std::string& name, bool multiZone,
                      const std::string& zone = "cn-north-4") {
    const auto r = exo(
        "POST", "/v2/kms-key",
        R"({"name":")" + name + R"(","multi-zone":)" + (multiZone ? "true" : "false") + "}", zone);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.str("id");
}

HttpResult poll(const std::string& opId, const std::string& zone = "cn-north-4") {
    HttpResult r;
    for (int i = 0; i < 200; ++i) {
        r = exo("GET", "/v2/operation/" + opId, "", zone);
        if (r.status != 200 || r.str("state") != "pending") return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return r;
}

TEST(Exoscale, KeyLifecycleAndCryptoWithContext) {
    const std::string id = createKey("exo-lifecycle", false);
    auto r = exo("GET", "/v2/kms-key/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("name"), "exo-lifecycle");
    EXPECT_EQ(r.str("status"), "enabled");
    EXPECT_EQ(r.str("usage"), "encrypt-decrypt");
    EXPECT_EQ(r.str("origin-zone"), "cn-north-4");
    EXPECT_NE(exo("GET", "/v2/kms-key").body.find(id), std::string::npos);

    const std::string ctx = b64(bytes("tenant=42"));
    r = exo("POST", "/v2/kms-key/" + id + "/encrypt",
            R"({"plaintext":")" + b64(bytes("hello exoscale")) + R"(","encryption-context":")" +
                ctx + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string ct = r.str("ciphertext");
    r = exo("POST", "/v2/kms-key/" + id + "/decrypt",
            R"({"ciphertext":")" + ct + R"(","encryption-context":")" + ctx + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(unb64(r.str("plaintext")), bytes("hello exoscale"));
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/decrypt",
                      R"({"ciphertext":")" + ct + R"(","encryption-context":")" +
                          b64(bytes("tenant=43")) + R"("})"),
                  {400, "Bad Request"}, "wrong encryption context");
    expectProblem(
        exo("POST", "/v2/kms-key/" + id + "/decrypt", R"({"ciphertext":")" + ct + R"("})"),
        {400, "Bad Request"}, "missing encryption context");

    r = exo("POST", "/v2/kms-key/" + id + "/generate-data-key", R"({"bytes-count":48})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(unb64(r.str("plaintext")).size(), 48u);
    const auto back = exo("POST", "/v2/kms-key/" + id + "/decrypt",
                          R"({"ciphertext":")" + r.str("ciphertext") + R"("})");
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.str("plaintext"), r.str("plaintext"));

    EXPECT_EQ(exo("POST", "/v2/kms-key/" + id + "/disable").str("status"), "success");
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/encrypt", R"({"plaintext":"eA=="})"),
                  {400, "Key is Disabled"}, "encrypt with a disabled key");
    EXPECT_EQ(exo("POST", "/v2/kms-key/" + id + "/enable").status, 200);
    EXPECT_EQ(exo("POST", "/v2/kms-key/" + id + "/schedule-deletion", R"({"delay-days":7})").status,
              200);
    EXPECT_EQ(exo("GET", "/v2/kms-key/" + id).str("status"), "pending-deletion");
    EXPECT_EQ(exo("POST", "/v2/kms-key/" + id + "/cancel-deletion").status, 200);
}

TEST(Exoscale, ReplicateWithAnOperation) {
    ensureSouthProject();
    const std::string id = createKey("exo-multizone", true);
    const auto e = exo("POST", "/v2/kms-key/" + id + "/encrypt",
                       R"({"plaintext":")" + b64(bytes("zone to zone")) + "\"}");
    ASSERT_EQ(e.status, 200);

    auto op = exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})");
    ASSERT_EQ(op.status, 200) << op.body;
    EXPECT_EQ(op.str("state"), "pending");
    const auto done = poll(op.str("id"));
    ASSERT_EQ(done.str("state"), "success") << done.body;
    const std::string replica = done.json->getObject("reference")->getValue<std::string>("id");

    // In the target zone: the replica, which decrypts the source's ciphertext.
    auto r = exo("GET", "/v2/kms-key/" + replica, "", "cn-south-1");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("origin-zone"), "cn-north-4");
    r = exo("POST", "/v2/kms-key/" + replica + "/decrypt",
            R"({"ciphertext":")" + e.str("ciphertext") + "\"}", "cn-south-1");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(unb64(r.str("plaintext")), bytes("zone to zone"));
    r = exo("GET", "/v2/kms-key/" + id);
    EXPECT_NE(r.body.find("\"replicas\":[\"cn-south-1\"]"), std::string::npos) << r.body;

    expectProblem(exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})"),
                  {400, "Conflict"}, "already replicated there");
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"nowhere-1"})"),
                  {400, "Invalid Argument"}, "unknown zone");
    const std::string single = createKey("exo-single", false);
    expectProblem(exo("POST", "/v2/kms-key/" + single + "/replicate", R"({"zone":"cn-south-1"})"),
                  {400, "Not Multizone"}, "not multi-zone");
    // A zone where the domain has no project: the operation fails, saying why.
    op = exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"ap-southeast-1"})");
    ASSERT_EQ(op.status, 200);
    const auto failed = poll(op.str("id"));
    EXPECT_EQ(failed.str("state"), "failure");
    EXPECT_EQ(failed.str("reason"), "forbidden");
}

TEST(Exoscale, KillNineWhilePendingEndsInterrupted) {
    ensureSouthProject();
    const std::string id = createKey("exo-interrupted", true);
    // The test server holds each operation 1.5 s before running it (operations.start_delay_ms).
    const auto op = exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})");
    ASSERT_EQ(op.status, 200);
    EXPECT_EQ(op.str("state"), "pending");
    server().kill9();
    server().start();
    const auto r = poll(op.str("id"));
    EXPECT_EQ(r.str("state"), "failure") << r.body;
    EXPECT_EQ(r.str("reason"), "interrupted");
    // Nothing was half-made: replicating again works.
    const auto again =
        poll(exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})").str("id"));
    EXPECT_EQ(again.str("state"), "success") << again.body;
}

TEST(Exoscale, SignatureVectors) {
    const std::string path = "/v2/kms-key";
    const std::string body = R"({"name":"exo-signed"})";
    api::Request r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    const auto cred = KeyportServer::demo();
    api::exoscale::sign(r, cred.accessKey, cred.secretKey, nowSeconds() + 300);
    EXPECT_EQ(httpRequest(server().port(), "POST", path, body, r.headers).status, 200);
    const std::string auth = r.headers.back().second;
    auto send = [&](const std::string& p, const std::string& b, const std::string& a) {
        return httpRequest(server().port(), "POST", p, b, {{"Authorization", a}});
    };
    std::string b2 = body;
    b2[10] ^= 1;
    expectProblem(send(path, b2, auth), {401, "Unauthorized"}, "body changed");
    expectProblem(send("/v2/kms-keys", body, auth), {404, "Not Found"},
                  "path changed (no such route)");
    std::string a2 = auth;
    a2[a2.find("expires=") + 9] ^= 1;
    expectProblem(send(path, body, a2), {401, "Unauthorized"}, "expires changed");
    std::string a3 = auth;
    a3[a3.size() - 5] = a3[a3.size() - 5] == 'A' ? 'B' : 'A';
    expectProblem(send(path, body, a3), {401, "Unauthorized"}, "signature changed");
    expectProblem(exo("GET", "/v2/kms-key", "", "cn-north-4", cred, nowSeconds() - 1),
                  {401, "Unauthorized"}, "expired");
    expectProblem(httpRequest(server().port(), "GET", "/v2/kms-key", "", {}), {401, "Unauthorized"},
                  "no credential");
}

// Core names inputs neutrally; Exoscale's client sent `ciphertext`, and a refused
// replication of a single-zone key is "Not Multizone" as the spec titles it.
TEST(Exoscale, ErrorsNameExoscaleFields) {
    const std::string id = createKey("exo-err-fields", false);
    auto r = exo("POST", "/v2/kms-key/" + id + "/decrypt",
                 R"({"ciphertext":")" + b64(hsm::Bytes(64, 7)) + "\"}");
    expectProblem(r, {400, "Bad Request"}, "a ciphertext Keyport never made");
    EXPECT_EQ(r.str("detail").rfind("ciphertext ", 0), 0u) << r.body;
    EXPECT_EQ(r.str("detail").find("cipher_text"), std::string::npos) << r.body;

    r = exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})");
    expectProblem(r, {400, "Not Multizone"}, "replicate a single-zone key");
    EXPECT_EQ(r.str("detail").find("not-multizone"), std::string::npos) << r.body;
}

TEST(Exoscale, IsolationAndBadInput) {
    const std::string id = createKey("exo-isolated", true);
    const auto other = server().addCredential("exo-other-domain",
                                              "8f8e7d6c5b4a40318293a4b5c6d7e8f9", "cn-north-4");
    expectProblem(exo("GET", "/v2/kms-key/" + id, "", "cn-north-4", other), {400, "Key Not Found"},
                  "another domain's key");
    for (const auto& [action, body] : std::vector<std::pair<std::string, std::string>>{
             {"enable", ""},
             {"disable", ""},
             {"schedule-deletion", R"({"delay-days":7})"},
             {"cancel-deletion", ""},
             {"encrypt", R"({"plaintext":"eA=="})"},
             {"decrypt", R"({"ciphertext":"AAAA"})"},
             {"generate-data-key", "{}"}}) {
        expectProblem(exo("POST", "/v2/kms-key/" + id + "/" + action, body, "cn-north-4", other),
                      {400, "Key Not Found"}, "another domain's key, " + action);
    }
    expectProblem(exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})",
                      "cn-north-4", other),
                  {400, "Key Not Found"}, "another domain's key, replicate");
    const auto op = exo("POST", "/v2/kms-key/" + id + "/replicate", R"({"zone":"cn-south-1"})");
    expectProblem(exo("GET", "/v2/operation/" + op.str("id"), "", "cn-north-4", other),
                  {404, "Not Found"}, "another domain's operation");

    struct Case {
        std::string what, method, path, body;
        Expect expect;
    };
    const std::vector<Case> cases = {
        {"malformed JSON", "POST", "/v2/kms-key", R"({"name":)", {400, "Bad Request"}},
        {"name missing", "POST", "/v2/kms-key", "{}", {400, "Bad Request"}},
        {"name not a string", "POST", "/v2/kms-key", R"({"name":1})", {400, "Bad Request"}},
        {"unknown usage",
         "POST",
         "/v2/kms-key",
         R"({"name":"u","usage":"sign-verify"})",
         {400, "Bad Request"}},
        {"id not a UUID", "GET", "/v2/kms-key/nope", "", {400, "Bad Request"}},
        {"unknown key",
         "GET",
         "/v2/kms-key/00000000-0000-4000-8000-000000000000",
         "",
         {400, "Key Not Found"}},
        {"plaintext not base64",
         "POST",
         "/v2/kms-key/" + id + "/encrypt",
         R"({"plaintext":"!!"})",
         {400, "Bad Request"}},
        {"plaintext missing", "POST", "/v2/kms-key/" + id + "/encrypt", "{}", {400, "Bad Request"}},
        {"ciphertext garbage",
         "POST",
         "/v2/kms-key/" + id + "/decrypt",
         R"({"ciphertext":"AAAA"})",
         {400, "Bad Request"}},
        {"delay-days 3",
         "POST",
         "/v2/kms-key/" + id + "/schedule-deletion",
         R"({"delay-days":3})",
         {400, "Bad Request"}},
        {"bytes-count 0",
         "POST",
         "/v2/kms-key/" + id + "/generate-data-key",
         R"({"bytes-count":0})",
         {400, "Bad Request"}},
        {"zone missing", "POST", "/v2/kms-key/" + id + "/replicate", "{}", {400, "Bad Request"}},
        {"unknown operation",
         "GET",
         "/v2/operation/00000000-0000-4000-8000-000000000000",
         "",
         {404, "Not Found"}},
        {"unknown route", "GET", "/v2/kms-key/" + id + "/nothing", "", {404, "Not Found"}},
        {"wrong method", "DELETE", "/v2/kms-key/" + id, "", {405, "Method Not Allowed"}},
    };
    for (const auto& k : cases) expectProblem(exo(k.method, k.path, k.body), k.expect, k.what);
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig("operations.start_delay_ms = 1500");
    return RUN_ALL_TESTS();
}
