// The NAVER Cloud KMS dialect against a real keyportd with regions global, KR and JPN: keys
// by keyTag, ncpkms:v1: ciphertexts, migrate of a global key (success, conflict, bad region,
// the global key gone, old ciphertexts still decrypting), signature v2 vectors and skew,
// isolation and bad input.
#include <gtest/gtest.h>

#include "service/api/ncloud/ncp_auth.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::int64_t nowMs() {
    return nowSeconds() * 1000;
}

void ensureRegionalProjects() {
    static const bool done = [] {
        server().addCredential("demo-domain", "9a0b1c2d3e4f40718293a4b5c6d7e8f9", "KR");
        server().addCredential("demo-domain", "9b0b1c2d3e4f40718293a4b5c6d7e8f9", "JPN");
        return true;
    }();
    (void)done;
}

std::string hostFor(const std::string& region) {
    if (region == "KR") return "ocapi-kr.keyport.test";
    if (region == "JPN") return "ocapi-jp.keyport.test";
    return "ocapi.keyport.test";
}

HttpResult ncp(const std::string& method, const std::string& path, const std::string& body = {},
               const std::string& region = "global", const Credential& cred = KeyportServer::demo(),
               std::int64_t when = nowMs()) {
    api::Request r;
    r.method = method;
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) r.query = path.substr(q + 1);
    api::ncloud::sign(r, cred.accessKey, cred.secretKey, when);
    r.headers.emplace_back("Host", hostFor(region));
    return httpRequest(server().port(), method, path, body, r.headers);
}

std::string data(const HttpResult& r, const std::string& field) {
    if (!r.json || !r.json->has("data")) return {};
    return r.json->getObject("data")->get(field).toString();
}

void expectError(const HttpResult& r, int status, const std::string& code,
                 const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    EXPECT_EQ(r.str("code"), code) << what << ": " << r.body;
    EXPECT_FALSE(r.str("msg").empty()) << what;
}

std::string createKey(const std::string& name, const std::string& region = "global",
                      const std::string& type = "AES256") {
    const auto r =
        ncp("POST", "/kms/v1/keys",
            R"({"keyName":")" + name + R"(","keyType":")" + type + R"(","memo":"m"})", region);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.str("code"), "SUCCESS");
    return data(r, "keyTag");
}

std::string encrypt(const std::string& tag, const std::string& plain,
                    const std::string& region = "global") {
    const auto r = ncp("POST", "/kms/v1/keys/" + tag + "/encrypt",
                       R"({"plaintext":")" + b64(bytes(plain)) + "\"}", region);
    EXPECT_EQ(r.status, 200) << r.body;
    return data(r, "ciphertext");
}

HttpResult decrypt(const std::string& tag, const std::string& ct,
                   const std::string& region = "global") {
    return ncp("POST", "/kms/v1/keys/" + tag + "/decrypt", R"({"ciphertext":")" + ct + "\"}",
               region);
}

// Core names inputs neutrally; NAVER's client sent `plaintext` and `ciphertext`, so that
// is what its errors must say (not Huawei's plain_text / cipher_text).
TEST(Ncloud, ErrorsNameNaverFields) {
    const std::string rsa = createKey("errFieldsRsa", "global", "RSA2048");
    auto r = ncp("POST", "/kms/v1/keys/" + rsa + "/encrypt",
                 R"({"plaintext":")" + b64(hsm::Bytes(191, 'x')) + "\"}");
    expectError(r, 400, "INVALID_REQUEST", "plaintext over the RSA-2048 limit");
    EXPECT_EQ(r.str("msg").rfind("plaintext is too long", 0), 0u) << r.body;
    EXPECT_NE(r.str("msg").find("at most 190 bytes"), std::string::npos) << r.body;
    EXPECT_EQ(r.str("msg").find("plain_text"), std::string::npos) << r.body;

    const std::string aes = createKey("errFieldsAes");
    r = decrypt(aes, "ncpkms:v1:" + b64(hsm::Bytes(64, 7)));
    expectError(r, 400, "INVALID_REQUEST", "a ciphertext Keyport never made");
    EXPECT_EQ(r.str("msg").rfind("ciphertext ", 0), 0u) << r.body;
    EXPECT_EQ(r.str("msg").find("cipher_text"), std::string::npos) << r.body;
}

TEST(Ncloud, KeysAndCiphertexts) {
    const std::string tag = createKey("alpha");
    EXPECT_EQ(tag.size(), 52u);
    const auto g = ncp("GET", "/kms/v1/keys/" + tag);
    ASSERT_EQ(g.status, 200) << g.body;
    EXPECT_EQ(data(g, "keyName"), "alpha");
    EXPECT_EQ(data(g, "baseUrl"), "https://ocapi.ncloud.com");
    const std::string ct = encrypt(tag, "naver secret");
    EXPECT_EQ(ct.rfind("ncpkms:v1:", 0), 0u) << ct;
    const auto d = decrypt(tag, ct);
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(unb64(data(d, "plaintext")), bytes("naver secret"));
    const std::string rsa = createKey("rsakey", "global", "RSA2048");
    EXPECT_EQ(unb64(data(decrypt(rsa, encrypt(rsa, "via rsa")), "plaintext")), bytes("via rsa"));
}

TEST(Ncloud, MigrateMovesTheGlobalKey) {
    ensureRegionalProjects();
    const std::string tag = createKey("moving");
    const std::string before = encrypt(tag, "made before migrate");
    const auto m = ncp("POST", "/kms/v1/keys/" + tag + "/migrate", R"({"targetRegion":"KR"})");
    ASSERT_EQ(m.status, 200) << m.body;
    EXPECT_EQ(m.str("code"), "SUCCESS");
    EXPECT_EQ(data(m, "keyTag"), tag);
    EXPECT_EQ(data(m, "targetRegion"), "KR");
    expectError(ncp("GET", "/kms/v1/keys/" + tag), 404, "NOT_FOUND", "the global key is gone");
    const auto k = ncp("GET", "/kms/v1/keys/" + tag, "", "KR");
    ASSERT_EQ(k.status, 200) << k.body;
    EXPECT_EQ(data(k, "baseUrl"), "https://ocapi-kr.ncloud.com");
    const auto d = decrypt(tag, before, "KR");
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(unb64(data(d, "plaintext")), bytes("made before migrate"));
    EXPECT_EQ(unb64(data(decrypt(tag, encrypt(tag, "after", "KR"), "KR"), "plaintext")),
              bytes("after"));
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/migrate", R"({"targetRegion":"JPN"})", "KR"),
                400, "INVALID_REQUEST", "migrating a key that is not global");
}

TEST(Ncloud, MigrateConflictChangesNothing) {
    ensureRegionalProjects();
    createKey("dup", "JPN");
    const std::string tag = createKey("dup");
    const std::string ct = encrypt(tag, "still here");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/migrate", R"({"targetRegion":"JPN"})"), 409,
                "CONFLICT", "a key of that name in the target");
    EXPECT_EQ(unb64(data(decrypt(tag, ct), "plaintext")), bytes("still here"))
        << "the global key is untouched";
    EXPECT_EQ(data(ncp("GET", "/kms/v1/keys/" + tag), "baseUrl"), "https://ocapi.ncloud.com");
    for (const auto& bad : {"US", "global", "kr", ""}) {
        expectError(ncp("POST", "/kms/v1/keys/" + tag + "/migrate",
                        R"({"targetRegion":")" + std::string(bad) + "\"}"),
                    400, "INVALID_REQUEST", std::string("targetRegion ") + bad);
    }
}

TEST(Ncloud, SignatureV2) {
    const std::string tag = createKey("signed");
    const auto cred = KeyportServer::demo();
    api::Request r;
    r.method = "GET";
    r.path = "/kms/v1/keys/" + tag;
    r.query = "x=1";
    api::ncloud::sign(r, cred.accessKey, cred.secretKey, nowMs());
    const std::string full = r.path + "?x=1";
    EXPECT_EQ(httpRequest(server().port(), "GET", full, "", r.headers).status, 200);
    auto mutate = [&](const std::string& header, auto change) {
        auto h = r.headers;
        for (auto& [n, v] : h) {
            if (n == header) change(v);
        }
        return h;
    };
    expectError(httpRequest(server().port(), "GET", r.path + "?x=2", "", r.headers), 401,
                "UNAUTHORIZED", "query changed");
    expectError(httpRequest(server().port(), "GET", full, "",
                            mutate("x-ncp-apigw-timestamp",
                                   [](std::string& v) { v.back() = v.back() == '1' ? '2' : '1'; })),
                401, "UNAUTHORIZED", "timestamp changed");
    expectError(httpRequest(server().port(), "GET", full, "",
                            mutate("x-ncp-apigw-signature-v2",
                                   [](std::string& v) { v[0] = v[0] == 'A' ? 'B' : 'A'; })),
                401, "UNAUTHORIZED", "signature changed");
    expectError(ncp("GET", "/kms/v1/keys/" + tag, "", "global", cred, nowMs() - 6 * 60 * 1000), 401,
                "UNAUTHORIZED", "6 minutes old");
    EXPECT_EQ(ncp("GET", "/kms/v1/keys/" + tag, "", "global", cred, nowMs() - 4 * 60 * 1000).status,
              200)
        << "4 minutes is inside the window";
    expectError(httpRequest(server().port(), "GET", r.path, "", {}), 401, "UNAUTHORIZED",
                "no credential");
}

TEST(Ncloud, IsolationAndBadInput) {
    const std::string tag = createKey("isolated");
    const std::string ct = encrypt(tag, "x");
    const auto other =
        server().addCredential("ncp-other", "9c0b1c2d3e4f40718293a4b5c6d7e8f9", "global");
    expectError(ncp("GET", "/kms/v1/keys/" + tag, "", "global", other), 404, "NOT_FOUND",
                "another domain, get");
    ASSERT_EQ(decrypt(tag, ct).status, 200);
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/decrypt", R"({"ciphertext":")" + ct + "\"}",
                    "global", other),
                404, "NOT_FOUND", "another domain, decrypt");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/migrate", R"({"targetRegion":"KR"})",
                    "global", other),
                404, "NOT_FOUND", "another domain, migrate");
    expectError(
        ncp("POST", "/kms/v1/keys/" + tag + "/encrypt", R"({"plaintext":"eA=="})", "global", other),
        404, "NOT_FOUND", "another domain, encrypt");
    struct Case {
        std::string what, method, path, body;
        int status;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"malformed JSON", "POST", "/kms/v1/keys", R"({"keyName":)", 400, "INVALID_REQUEST"},
        {"name too short", "POST", "/kms/v1/keys", R"({"keyName":"ab","keyType":"AES256"})", 400,
         "INVALID_REQUEST"},
        {"name starts with a digit", "POST", "/kms/v1/keys",
         R"({"keyName":"1abc","keyType":"AES256"})", 400, "INVALID_REQUEST"},
        {"name too long", "POST", "/kms/v1/keys",
         R"({"keyName":"abcdefghijklmnop","keyType":"AES256"})", 400, "INVALID_REQUEST"},
        {"unknown keyType", "POST", "/kms/v1/keys", R"({"keyName":"abc","keyType":"DES"})", 400,
         "INVALID_REQUEST"},
        {"duplicate name", "POST", "/kms/v1/keys", R"({"keyName":"isolated","keyType":"AES256"})",
         409, "CONFLICT"},
        {"unknown tag", "GET", "/kms/v1/keys/0000", "", 404, "NOT_FOUND"},
        {"plaintext not base64", "POST", "/kms/v1/keys/" + tag + "/encrypt",
         R"({"plaintext":"!!"})", 400, "INVALID_REQUEST"},
        {"ciphertext without prefix", "POST", "/kms/v1/keys/" + tag + "/decrypt",
         R"({"ciphertext":"AAAA"})", 400, "INVALID_REQUEST"},
        {"ciphertext garbage", "POST", "/kms/v1/keys/" + tag + "/decrypt",
         R"({"ciphertext":"ncpkms:v1:AAAA"})", 400, "INVALID_REQUEST"},
        {"targetRegion missing", "POST", "/kms/v1/keys/" + tag + "/migrate", "{}", 400,
         "INVALID_REQUEST"},
        {"unknown route", "GET", "/kms/v1/nothing", "", 404, "NOT_FOUND"},
    };
    for (const auto& k : cases)
        expectError(ncp(k.method, k.path, k.body), k.status, k.code, k.what);
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig("regions = global, KR, JPN\ndemo.region = global");
    return RUN_ALL_TESTS();
}
