// Numbers out of range and bad percent-escapes, on every dialect (issue 12, "no 5xx from
// input"): a table per dialect, each row a request with one integer field given a value no
// int64 holds or no integer at all, answered with the dialect's 400 naming the field; bad
// escapes in the path and query answered with the dialect's own bad-request error before
// anything else runs; and a sweep of every route the router has, with bad escapes and hostile
// bodies under a valid credential, none of which may get a 5xx or an answer out of shape.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "service/api/authenticator.h"
#include "service/api/frontend.h"
#include "service/api/idempotency.h"
#include "service/api/ncloud/ncp_api.h"
#include "service/api/router.h"
#include "service/core/services.h"
#include "tests/e2e/csms_client.h"
#include "tests/e2e/exo_client.h"
#include "tests/e2e/kms_expect.h"
#include "tests/e2e/ncp_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr char kExoProject[] = "1e0b1c2d3e4f40718293a4b5c6d7e8a1";
constexpr char kNcpProject[] = "1f0b1c2d3e4f40718293a4b5c6d7e8a2";
constexpr char kNoKey[] = "00000000-0000-4000-8000-000000000000";

// JSON values for an integer field: past INT64_MAX (Poco: UInt64), past UINT64_MAX (Poco 1.11
// reads 2^64 as 0), below INT64_MIN (Poco clamps it), past any double, a fraction, digits
// with a tail, and a digit string past INT64_MAX (Huawei's SDKs send numbers as strings).
const std::vector<std::string> kBadJsonIntegers = {
    "9223372036854775808", "18446744073709551616",   "-9223372036854775809", "1e400", "1.5",
    "\"12abc\"",           "\"9223372036854775808\""};
// The same in a query string.
const std::vector<std::string> kBadQueryIntegers = {
    "9223372036854775808", "18446744073709551616", "-9223372036854775809", "1e400", "1.5", "12abc"};

// A request with "@" where the bad value goes (in the body or the query), and the field the
// answer must name.
struct Row {
    std::string method, path, body, field;
};

std::string filled(std::string text, const std::string& value) {
    const auto at = text.find('@');
    return at == std::string::npos ? text : text.replace(at, 1, value);
}

using Send = std::function<HttpResult(const std::string& method, const std::string& path,
                                      const std::string& body)>;

// Runs every row with every bad value; `expect` checks one answer.
void runTable(const std::vector<Row>& rows, const Send& send,
              const std::function<void(const HttpResult&, const std::string& field,
                                       const std::string& what)>& expect) {
    for (const Row& row : rows) {
        const bool inQuery = row.path.find('@') != std::string::npos;
        for (const std::string& v : inQuery ? kBadQueryIntegers : kBadJsonIntegers) {
            const std::string what = row.method + " " + row.path + " " + row.field + "=" + v;
            const HttpResult r = send(row.method, inQuery ? filled(row.path, v) : row.path,
                                      inQuery ? row.body : filled(row.body, v));
            expect(r, row.field, what);
        }
    }
}

// The answer's message names the field.
void expectNames(const std::string& message, const std::string& field, const std::string& what) {
    EXPECT_NE(message.find(field), std::string::npos) << what << ": " << message;
}

// --- the dialects' clients and error shapes ------------------------------------------------

const Credential& exoCredential() {
    static const Credential c = server().addCredential("demo-domain", kExoProject, "ch-gva-2");
    return c;
}

const Credential& ncpCredential() {
    static const Credential c = server().addCredential("demo-domain", kNcpProject, "global");
    return c;
}

HttpResult kms(const std::string& method, const std::string& path, const std::string& body) {
    return httpRequest(server().port(), method, path, body, {{"X-Auth-Token", kDemoToken}});
}

// Signed as egoscale signs: no signed query arguments, so the signature is the same with or
// without the query (which the signing helper would refuse to read when it is malformed).
HttpResult exo(const std::string& method, const std::string& path, const std::string& body) {
    return exoCall(server().port(), method, path, body,
                   {exoCredential(), path.substr(0, path.find('?')), 0},
                   {{"Host", "api-ch-gva-2.keyport.test"}});
}

HttpResult naver(const std::string& method, const std::string& path, const std::string& body) {
    return ncp(method, path, body, ncpCredential());
}

void expectKmsInvalid(const HttpResult& r, const std::string& field, const std::string& what) {
    expectKmsError(r, {400, "KMS.0308"}, what);
    expectNames(r.str("error_msg"), field, what);
}

void expectCsmsInvalid(const HttpResult& r, const std::string& field, const std::string& what) {
    EXPECT_EQ(r.status, 400) << what << ": " << r.body;
    EXPECT_EQ(r.str("error_code"), "CSMS.0002") << what << ": " << r.body;
    expectNames(r.str("error_msg"), field, what);
}

void expectExoInvalid(const HttpResult& r, const std::string& field, const std::string& what) {
    EXPECT_EQ(r.status, 400) << what << ": " << r.body;
    EXPECT_EQ(r.str("title"), "Bad Request") << what << ": " << r.body;
    expectNames(r.str("detail"), field, what);
}

void expectNcpInvalid(const HttpResult& r, const std::string& field, const std::string& what) {
    expectError(r, 400, "INVALID_REQUEST", what);
    expectNames(r.str("msg"), field, what);
}

std::string kmsPath(const std::string& action) {
    return std::string("/v1.0/") + kDemoProject + "/kms/" + action;
}

std::string csmsPath(const std::string& rest) {
    return std::string("/v1/") + kDemoProject + "/" + rest;
}

std::string kmsKey() {
    static const std::string id =
        demoClient().createKey("ir-kms-key", "AES_256", "ENCRYPT_DECRYPT", "kms");
    return id;
}

std::string exoKey() {
    static const std::string id = [] {
        const auto r = exo("POST", "/v2/kms-key", R"({"name":"ir-exo-key"})");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.str("id");
    }();
    return id;
}

std::string ncpKey(const std::string& name, const std::string& type) {
    const auto r = naver("POST", "/kms/v1/keys",
                         R"({"keyName":")" + name + R"(","keyType":")" + type + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return field(r, "keyTag");
}

// --- the tables ----------------------------------------------------------------------------

// Every integer field of Huawei KMS v1.0 (bodies and the aliases query).
TEST(InputRange, HuaweiKmsIntegerFields) {
    const std::string k = kmsKey();
    const std::string key = R"("key_id":")" + k + R"(",)";
    const std::string hex64 = std::string(128, '0');
    const std::vector<Row> rows = {
        {"POST", kmsPath("list-keys"), R"({"limit":@})", "limit"},
        {"POST", kmsPath("list-keys"), R"({"key_state":@})", "key_state"},
        {"POST", kmsPath("schedule-key-deletion"), "{" + key + R"("pending_days":@})",
         "pending_days"},
        {"POST", kmsPath("update-key-rotation-interval"), "{" + key + R"("rotation_interval":@})",
         "rotation_interval"},
        {"POST", kmsPath("list-grants"), "{" + key + R"("limit":@})", "limit"},
        {"POST", kmsPath("list-retirable-grants"), R"({"limit":@})", "limit"},
        {"POST", kmsPath("import-key-material"),
         "{" + key + R"("import_token":")" + std::string(200, 'A') +
             R"(","encrypted_key_material":")" + std::string(344, 'A') +
             R"(","expiration_time":@})",
         "expiration_time"},
        {"POST", kmsPath("resource_instances/action"), R"({"action":"filter","limit":@})", "limit"},
        {"POST", kmsPath("resource_instances/action"), R"({"action":"filter","offset":@})",
         "offset"},
        {"POST", kmsPath("create-datakey"), "{" + key + R"("datakey_length":@})", "datakey_length"},
        {"POST", kmsPath("create-datakey-without-plaintext"), "{" + key + R"("datakey_length":@})",
         "datakey_length"},
        {"POST", kmsPath("encrypt-datakey"),
         "{" + key + R"("plain_text":")" + hex64 + R"(","datakey_plain_length":@})",
         "datakey_plain_length"},
        {"POST", kmsPath("decrypt-datakey"),
         "{" + key + R"("cipher_text":")" + hex64 + R"(","datakey_cipher_length":@})",
         "datakey_cipher_length"},
        {"POST", kmsPath("gen-random"), R"({"random_data_length":@})", "random_data_length"},
        {"POST", kmsPath("re-encrypt"),
         R"({"cipher_text":"AAAA","destination_key_id":")" + k + R"(","datakey_cipher_length":@})",
         "datakey_cipher_length"},
        {"GET", kmsPath("aliases?limit=@"), "", "limit"},
    };
    runTable(rows, kms, expectKmsInvalid);
    // The key is untouched: none of the refused requests scheduled its deletion.
    const auto d = demoClient().call("describe-key", R"({"key_id":")" + k + "\"}");
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_state"), "2") << d.body;
}

// Every integer field of Huawei CSMS (bodies and the list queries).
TEST(InputRange, HuaweiCsmsIntegerFields) {
    const CsmsClient c(KeyportServer::demo());
    const auto made = c("POST", "secrets", R"({"name":"ir-secret","secret_string":"s"})");
    ASSERT_EQ(made.status, 200) << made.body;
    const std::vector<Row> rows = {
        {"POST", csmsPath("secrets/batch-import"),
         R"({"secrets":[{"name":"ir-batch","secret_string":"s"}],"total":@})", "total"},
        {"POST", csmsPath("secrets/ir-secret/scheduled-deleted-tasks/create"),
         R"({"recovery_window_in_days":@})", "recovery_window_in_days"},
        {"PUT", csmsPath("secrets/ir-secret/versions/v1"), R"({"expire_time":@})", "expire_time"},
        {"POST", csmsPath("csms/resource_instances/action"), R"({"action":"filter","limit":@})",
         "limit"},
        {"POST", csmsPath("csms/resource_instances/action"), R"({"action":"filter","offset":@})",
         "offset"},
        {"POST", csmsPath("csms/generate-password"), R"({"length":@})", "length"},
        {"GET", csmsPath("secrets?limit=@"), "", "limit"},
        {"GET", csmsPath("secrets/ir-secret/versions?limit=@"), "", "limit"},
    };
    runTable(rows, kms, expectCsmsInvalid);
    // Nothing was made or scheduled by a refused request.
    EXPECT_EQ(c("GET", "secrets/ir-batch").status, 404);
    const auto s = c("GET", "secrets/ir-secret");
    ASSERT_EQ(s.status, 200) << s.body;
    EXPECT_EQ(s.json->getObject("secret")->getValue<std::string>("state"), "ENABLED") << s.body;
}

// Every integer field of Exoscale KMS.
TEST(InputRange, ExoscaleIntegerFields) {
    const std::string id = exoKey();
    ASSERT_FALSE(id.empty());
    const std::vector<Row> rows = {
        {"POST", "/v2/kms-key/" + id + "/schedule-deletion", R"({"delay-days":@})", "delay-days"},
        {"POST", "/v2/kms-key/" + id + "/generate-data-key", R"({"bytes-count":@})", "bytes-count"},
        {"POST", "/v2/kms-key/" + id + "/enable-key-rotation", R"({"rotation-period":@})",
         "rotation-period"},
    };
    runTable(rows, exo, expectExoInvalid);
    const auto k = exo("GET", "/v2/kms-key/" + id, "");
    ASSERT_EQ(k.status, 200) << k.body;
    EXPECT_EQ(k.str("status"), "enabled") << k.body;
}

// Every integer field of NAVER Cloud KMS (bodies and the list query).
TEST(InputRange, NaverIntegerFields) {
    const std::string aes = ncpKey("irAes", "AES256");
    const std::string rsa = ncpKey("irRsa", "RSA2048");
    ASSERT_FALSE(aes.empty());
    ASSERT_FALSE(rsa.empty());
    const std::vector<Row> rows = {
        {"POST", "/kms/v1/keys",
         R"({"keyName":"irNew","keyType":"AES256","isAutoRotation":true,"rotationPeriod":@})",
         "rotationPeriod"},
        {"PUT", "/kms/v1/keys/" + aes + "/rotation-period", R"({"rotationPeriod":@})",
         "rotationPeriod"},
        {"POST", "/kms/v1/keys/" + aes + "/create-custom-key", R"({"bits":@})", "bits"},
        {"POST", "/kms/v1/keys/" + rsa + "/get-pub-key", R"({"keyVersion":@})", "keyVersion"},
        {"POST", "/kms/v1/keys/" + aes + "/token-set", R"({"accessTokenHours":@})",
         "accessTokenHours"},
        {"POST", "/kms/v1/keys/" + aes + "/token-set", R"({"refreshTokenHours":@})",
         "refreshTokenHours"},
        {"GET", "/kms/v1/keys?pageNo=@", "", "pageNo"},
        {"GET", "/kms/v1/keys?pageSize=@", "", "pageSize"},
    };
    runTable(rows, naver, expectNcpInvalid);
    EXPECT_EQ(
        naver("GET", "/kms/v1/keys/" + api::ncloud::keyTag("demo-domain", "irNew"), "").status, 404)
        << "a refused create made a key";
}

// Bad escapes: '%' alone, one hex digit, non-hex, and escaped control bytes (NUL, ESC, DEL:
// no id or tag key holds one). In the path and in the query of routes that decode them.
const std::vector<std::string> kBadEscapes = {"%", "%4", "%zz", "%g0", "%00", "%1b", "%7F"};

TEST(InputRange, BadEscapesGetEachDialectsBadRequest) {
    const std::string k = kmsKey();
    const std::string exoId = exoKey();
    for (const std::string& e : kBadEscapes) {
        const std::string what = "escape " + e;
        // Huawei KMS: the tag key of delete-tag is a path segment; aliases reads its query.
        expectKmsError(kms("DELETE", kmsPath(k + "/tags/a" + e), ""), {400, "KMS.0201"},
                       what + " in a KMS tag key");
        expectKmsError(kms("GET", kmsPath("aliases?limit=" + e), ""), {400, "KMS.0201"},
                       what + " in the KMS aliases query");
        expectKmsError(kms("POST", kmsPath("create-key?x=" + e), R"({"key_alias":"ir-never"})"),
                       {400, "KMS.0201"}, what + " in a KMS create-key query");
        // Huawei CSMS: the list query and a tag key in the path.
        for (const auto& path : {csmsPath("secrets?marker=" + e),
                                 csmsPath("csms/" + std::string(kNoKey) + "/tags/a" + e)}) {
            const auto r =
                kms(path.find("/tags/") != std::string::npos ? "DELETE" : "GET", path, "");
            EXPECT_EQ(r.status, 400) << what << " " << path << ": " << r.body;
            EXPECT_EQ(r.str("error_code"), "CSMS.0003") << what << ": " << r.body;
            EXPECT_FALSE(r.str("error_msg").empty()) << what;
        }
        // Exoscale: every route, before the EXO2 signature check (the request is signed).
        for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
                 {"GET", "/v2/kms-key/" + exoId + e},
                 {"GET", "/v2/kms-key?x=" + e},
                 {"POST", "/v2/kms-key/" + exoId + "/encrypt" + e},
                 {"GET", "/v2/zone?x=" + e}}) {
            const auto r = exo(method, path, method == "POST" ? R"({"plaintext":"AA=="})" : "");
            EXPECT_EQ(r.status, 400) << what << " " << path << ": " << r.body;
            EXPECT_EQ(r.str("title"), "Bad Request") << what << ": " << r.body;
        }
        // NAVER: a key tag in the path and the list query.
        expectError(naver("GET", "/kms/v1/keys/a" + e, ""), 400, "INVALID_REQUEST",
                    what + " in a NAVER key tag");
        expectError(naver("GET", "/kms/v1/keys?pageNo=" + e, ""), 400, "INVALID_REQUEST",
                    what + " in the NAVER list query");
    }
    // Well-formed escapes still decode: a tag key sent escaped is found and deleted.
    const auto c = demoClient();
    const auto put = c.call(k + "/tags", R"({"tag":{"key":"ir-tag","value":"v"}})");
    ASSERT_LT(put.status, 300) << put.body;
    const auto del = kms("DELETE", kmsPath(k + "/tags/ir%2Dtag"), "");
    EXPECT_LT(del.status, 300) << del.body;
    const auto tags = kms("GET", kmsPath(k + "/tags"), "");
    ASSERT_EQ(tags.status, 200) << tags.body;
    EXPECT_EQ(tags.body.find("ir-tag"), std::string::npos) << tags.body;
}

// --- the sweep over every route ------------------------------------------------------------

enum class Shape { Kms, Csms, Exoscale, Naver, Plain };

// Which dialect owns a path, as the dialects register themselves with the router.
Shape shapeOf(const std::string& path) {
    if (path.starts_with("/v2/kms-key") || path.starts_with("/v2/operation") ||
        path.starts_with("/v2/zone"))
        return Shape::Exoscale;
    if (path.starts_with("/kms/")) return Shape::Naver;
    if (path.starts_with("/v1.0/") || path.starts_with("/v2/")) return Shape::Kms;
    if (path.starts_with("/v1/")) return Shape::Csms;
    return Shape::Plain;
}

HttpResult sendAs(Shape s, const std::string& method, const std::string& path,
                  const std::string& body) {
    switch (s) {
        case Shape::Exoscale:
            return exo(method, path, body);
        case Shape::Naver:
            return naver(method, path, body);
        case Shape::Kms:
        case Shape::Csms:
            return kms(method, path, body);
        case Shape::Plain:
            break;
    }
    return httpRequest(server().port(), method, path, body, {});
}

// An error answer in the owning dialect's shape; `code` (when given) is its code or title.
void expectShaped(const HttpResult& r, Shape s, const std::string& code, const std::string& what) {
    EXPECT_LT(r.status, 500) << what << ": " << r.body;
    if (r.status < 400 && code.empty()) return;
    ASSERT_TRUE(r.json) << what << ": not a JSON object: " << r.body;
    switch (s) {
        case Shape::Kms:
            EXPECT_EQ(r.errorCode().rfind("KMS.", 0), 0u) << what << ": " << r.body;
            if (!code.empty()) {
                EXPECT_EQ(r.errorCode(), code) << what << ": " << r.body;
            }
            break;
        case Shape::Csms:
            EXPECT_EQ(r.str("error_code").rfind("CSMS.", 0), 0u) << what << ": " << r.body;
            if (!code.empty()) {
                EXPECT_EQ(r.str("error_code"), code) << what << ": " << r.body;
            }
            break;
        case Shape::Exoscale:
            EXPECT_EQ(r.str("status"), std::to_string(r.status)) << what << ": " << r.body;
            EXPECT_FALSE(r.str("detail").empty()) << what << ": " << r.body;
            if (!code.empty()) {
                EXPECT_EQ(r.str("title"), code) << what << ": " << r.body;
            }
            break;
        case Shape::Naver:
            EXPECT_FALSE(r.str("msg").empty()) << what << ": " << r.body;
            if (!code.empty()) {
                EXPECT_EQ(r.str("code"), code) << what << ": " << r.body;
            }
            break;
        case Shape::Plain:
            EXPECT_TRUE(r.json->has("error")) << what << ": " << r.body;
            break;
    }
}

std::string badRequestCode(Shape s) {
    switch (s) {
        case Shape::Kms:
            return "KMS.0201";
        case Shape::Csms:
            return "CSMS.0003";
        case Shape::Exoscale:
            return "Bad Request";
        case Shape::Naver:
            return "INVALID_REQUEST";
        case Shape::Plain:
            break;
    }
    return {};
}

// A path for `pattern` with every {param} filled: the demo project, ids that name nothing
// (the bodies below are refused before any lookup, and nothing real is touched).
std::string concrete(const std::string& pattern, const std::string& lastParam = {}) {
    std::string out;
    std::size_t i = 0;
    const std::size_t last = pattern.rfind('{');
    while (i < pattern.size()) {
        if (pattern[i] != '{') {
            out += pattern[i++];
            continue;
        }
        const std::size_t end = pattern.find('}', i);
        const std::string name = pattern.substr(i + 1, end - i - 1);
        std::string value = name == "project_id"                        ? kDemoProject
                            : name == "keyTag"                          ? std::string(52, 'a')
                            : name == "secret_name" || name == "key"    ? "ir-none"
                            : name == "stage_name" || name == "tag_key" ? "ir-none"
                            : name == "version_id"                      ? "v1"
                            : name == "resource_instances"              ? "resource_instances"
                                                                        : kNoKey;
        if (i == last && !lastParam.empty()) value = lastParam;
        out += value;
        i = end + 1;
    }
    return out;
}

std::vector<std::string> hostileBodies() {
    std::vector<std::string> out = {"not json", "[1,2]", "\"a string\"", "{\"a\":", "{}"};
    out.push_back(std::string(10000, '[') + std::string(10000, ']'));
    std::string objects;
    for (int i = 0; i < 10000; ++i) objects += "{\"a\":";
    out.push_back(objects + "1" + std::string(10000, '}'));
    out.push_back("{\"x\":\"" + std::string(60 * 1024, 'a') + "\"}");  // under the 64 KiB limit
    out.push_back(R"({"limit":1e400,"key_id":18446744073709551616})");
    out.push_back(R"({"name":-9223372036854775809})");
    return out;
}

TEST(InputSweep, EveryRouteAnswersBadEscapesAndHostileBodiesInItsDialect) {
    (void)exoCredential();
    (void)ncpCredential();
    // The router keyportd builds, enumerated in-process over the server's own config (the
    // CLI opens Services beside a running keyportd the same way).
    Services services(Config::load(server().configFile().string()));
    api::Authenticator auth(*services.tenancy);
    api::Idempotency idempotency(*services.db);
    api::Router router;
    api::addAllRoutes(router, services, auth, idempotency);
    const auto templates = router.routeTemplates();
    ASSERT_GT(templates.size(), 100u) << "every dialect's routes";

    const auto bodies = hostileBodies();
    std::size_t requests = 0;
    for (const auto& [method, pattern] : templates) {
        const Shape shape = shapeOf(concrete(pattern));
        const bool hasParam = pattern.find('{') != std::string::npos;
        std::vector<std::string> badPaths = {concrete(pattern) + "?q=%zz",
                                             concrete(pattern) + "?q=%00"};
        if (hasParam) {
            badPaths.push_back(concrete(pattern, "a%zzb"));
            badPaths.push_back(concrete(pattern, "a%00b"));
            badPaths.push_back(concrete(pattern, "a%"));
        } else {
            badPaths.push_back(concrete(pattern) + (pattern == "/" ? "" : "/") + "%4");
        }
        for (const auto& path : badPaths) {
            const std::string what = method + " " + path;
            const Shape owner = shapeOf(path);  // "/v1.0" + "/%4" is the KMS dialect's
            const auto r = sendAs(owner, method, path, "");
            EXPECT_EQ(r.status, 400) << what << ": " << r.body;
            expectShaped(r, owner, badRequestCode(owner), what);
            ++requests;
        }
        if (method == "GET") continue;
        for (const auto& body : bodies) {
            const std::string what = method + " " + pattern + " body " + body.substr(0, 24);
            expectShaped(sendAs(shape, method, concrete(pattern), body), shape, {}, what);
            ++requests;
        }
    }
    std::printf("swept %zu routes with %zu requests\n", templates.size(), requests);
    // The server is still well.
    EXPECT_EQ(httpRequest(server().port(), "GET", "/healthz", "", {}).status, 200);
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    // One region per dialect: Huawei (the demo project), an Exoscale zone, NAVER's global.
    keyport::test::setServerConfig("regions = cn-north-4, ch-gva-2, global\n");
    return RUN_ALL_TESTS();
}
