// Every dialect's requests in the audit trail: for Huawei KMS, Huawei CSMS, Exoscale and
// NAVER, a success, a 401, a 403 or another domain's 404, an unknown object's 404 (and an
// import's unwrap path) each leave exactly one record, found by the X-Request-Id the response
// echoed, with the dialect, route template, principal, objects, status and error code; and
// nothing the clients sent or received as a secret (tokens, secret keys, plaintexts,
// ciphertexts, signatures, the import token, key material, secret values) is anywhere in the
// audit dir.
#include <gtest/gtest.h>

#include <set>

#include "service/api/exoscale/exo_auth.h"
#include "service/api/huawei/sdk_hmac.h"
#include "service/api/ncloud/ncp_auth.h"
#include "tests/e2e/audit_trail_client.h"
#include "tests/e2e/import_helpers.h"

namespace keyport::test {
namespace {

constexpr char kOtherProject[] = "5a0b1c2d3e4f40718293a4b5c6d7e8f9";
constexpr char kUnknownUuid[] = "00000000-0000-4000-8000-00000000abcd";

// Everything that must never reach the audit dir; every test adds what it sent or received.
std::vector<std::string>& secrets() {
    static std::vector<std::string> s{kDemoToken, kDemoSecretKey};
    return s;
}
void secret(const std::string& s) {
    ASSERT_GE(s.size(), 8u) << "too short to grep for: " << s;
    secrets().push_back(s);
}

const Credential& otherDomain() {
    static const Credential c = [] {
        Credential x = server().addCredential("audit-other-domain", kOtherProject, "cn-north-4");
        secret(x.token);
        secret(x.secretKey);
        return x;
    }();
    return c;
}

const Credential& readOnly() {
    static const Credential c = [] {
        Credential x =
            server().addCredential("demo-domain", kDemoProject, "cn-north-4", "readonly");
        secret(x.token);
        secret(x.secretKey);
        return x;
    }();
    return c;
}

struct Principal {
    std::string domain, project, accessKey, role;
};
const Principal kNoOne{};
Principal principalOf(const Credential& c, const std::string& role) {
    return Principal{c.domainId, c.projectId, c.accessKey, role};
}
Principal demo() {
    return principalOf(KeyportServer::demo(), "admin");
}

struct Expect {
    std::string dialect;
    std::string route;  // "" : no route matched (the record has none)
    int status;
    std::string errorCode;  // "" : none
    Principal principal;
    std::vector<std::pair<std::string, std::string>> objects;  // exactly these, in any order
};

void expectRecord(const Reply& r, const Expect& e, const std::string& what,
                  const std::string& unwrapPath = {}) {
    SCOPED_TRACE(what + " (" + r.requestId + "): " + r.body.substr(0, 300));
    EXPECT_EQ(r.status, e.status);
    const auto records = recordsFor(r.requestId);
    ASSERT_EQ(records.size(), 1u) << "exactly one record per request";
    const auto& rec = records[0];
    EXPECT_EQ(rec->optValue<std::string>("dialect", ""), e.dialect);
    EXPECT_EQ(rec->optValue<std::string>("route", ""), e.route);
    EXPECT_EQ(rec->optValue<int>("status", 0), e.status);
    EXPECT_EQ(rec->optValue<std::string>("error_code", ""), e.errorCode);
    EXPECT_EQ(rec->optValue<std::string>("peer", ""), "127.0.0.1");
    EXPECT_FALSE(rec->optValue<std::string>("method", "").empty());
    const auto p = rec->getObject("principal");
    if (e.principal.accessKey.empty()) {
        EXPECT_FALSE(p) << "no principal before authentication";
    } else {
        ASSERT_TRUE(p) << "the principal";
        EXPECT_EQ(p->optValue<std::string>("domain_id", ""), e.principal.domain);
        EXPECT_EQ(p->optValue<std::string>("project_id", ""), e.principal.project);
        EXPECT_EQ(p->optValue<std::string>("access_key", ""), e.principal.accessKey);
        EXPECT_EQ(p->optValue<std::string>("role", ""), e.principal.role);
    }
    std::set<std::pair<std::string, std::string>> got, want(e.objects.begin(), e.objects.end());
    if (const auto objects = rec->getArray("objects")) {
        for (std::size_t i = 0; i < objects->size(); ++i) {
            const auto o = objects->getObject(static_cast<unsigned>(i));
            ASSERT_TRUE(o);
            got.emplace(o->getValue<std::string>("kind"), o->getValue<std::string>("id"));
        }
    }
    EXPECT_EQ(got, want) << "the objects";
    EXPECT_EQ(rec->optValue<std::string>("unwrap_path", ""), unwrapPath);
    EXPECT_TRUE(rec->has("latency_ms"));
    EXPECT_EQ(rec->optValue<std::string>("prev", "").size(), 64u);
}

// ---- Huawei KMS (X-Auth-Token) ----

const std::string kKmsBase = std::string("/v1.0/") + kDemoProject + "/kms/";
const std::string kKmsRoute = "/v1.0/{project_id}/kms/";

Reply kms(const std::string& action, const std::string& body, const std::string& token = kDemoToken,
          const std::string& project = kDemoProject) {
    Headers h;
    if (!token.empty()) h.emplace_back("X-Auth-Token", token);
    return send("POST", "/v1.0/" + project + "/kms/" + action, body, h);
}

std::string kmsKey(const std::string& alias, const std::string& origin = "kms") {
    const auto r = kms("create-key", jsonBody({{"key_alias", alias},
                                               {"key_spec", "AES_256"},
                                               {"key_usage", "ENCRYPT_DECRYPT"},
                                               {"origin", origin}}));
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string id = r.json->getObject("key_info")->getValue<std::string>("key_id");
    expectRecord(r,
                 {"huawei-kms",
                  kKmsRoute + "create-key",
                  200,
                  "",
                  demo(),
                  {{"key_id", id}, {"alias", alias}}},
                 "create-key");
    return id;
}

TEST(AuditKms, SuccessRefusalsAndUnknownKey) {
    const std::string id = kmsKey("audit-kms-key");
    const std::string plain = b64(randomBytes(32));
    secret(plain);
    auto r = kms("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", plain}}));
    ASSERT_EQ(r.status, 200) << r.body;
    secret(r.str("cipher_text"));
    expectRecord(r, {"huawei-kms", kKmsRoute + "encrypt-data", 200, "", demo(), {{"key_id", id}}},
                 "encrypt-data");

    r = kms("decrypt-data", jsonBody({{"cipher_text", r.str("cipher_text")}}));
    ASSERT_EQ(r.status, 200) << r.body;
    expectRecord(r, {"huawei-kms", kKmsRoute + "decrypt-data", 200, "", demo(), {{"key_id", id}}},
                 "decrypt-data");

    r = kms("describe-key", jsonBody({{"key_id", id}}), "");
    expectRecord(r, {"huawei-kms", kKmsRoute + "describe-key", 401, "KMS.0301", kNoOne, {}},
                 "no credentials");
    r = kms("describe-key", jsonBody({{"key_id", id}}), "not-a-token-anyone-has-0123456789");
    expectRecord(r, {"huawei-kms", kKmsRoute + "describe-key", 401, "KMS.0302", kNoOne, {}},
                 "an unknown token");
    // Another domain's project in the path: 403, the caller named.
    r = kms("describe-key", jsonBody({{"key_id", id}}), kDemoToken, kOtherProject);
    expectRecord(r, {"huawei-kms", kKmsRoute + "describe-key", 403, "KMS.0307", demo(), {}},
                 "another domain's project");
    // Another domain's key: not found, the key and the caller named.
    const Credential& other = otherDomain();
    r = kms("describe-key", jsonBody({{"key_id", id}}), other.token, other.projectId);
    expectRecord(r,
                 {"huawei-kms",
                  kKmsRoute + "describe-key",
                  404,
                  "KMS.0207",
                  principalOf(other, "user"),
                  {{"key_id", id}}},
                 "another domain's key");
    r = kms("describe-key", jsonBody({{"key_id", kUnknownUuid}}));
    expectRecord(r,
                 {"huawei-kms",
                  kKmsRoute + "describe-key",
                  404,
                  "KMS.0207",
                  demo(),
                  {{"key_id", kUnknownUuid}}},
                 "an unknown key");
    // A read-only credential writing: 403 before any key is looked at.
    r = kms("disable-key", jsonBody({{"key_id", id}}), readOnly().token);
    expectRecord(r,
                 {"huawei-kms",
                  kKmsRoute + "disable-key",
                  403,
                  "KMS.0307",
                  principalOf(readOnly(), "readonly"),
                  {}},
                 "read-only write");
    // No such route: the dialect's 404, no route template.
    r = kms("no-such-action", "{}");
    expectRecord(r, {"huawei-kms", "", 404, "KMS.0201", kNoOne, {}}, "no such route");
    // A grant to the other domain: its id is an object of the record; the grantee's use of
    // it names the grantee and the key.
    r = kms("create-grant",
            R"({"key_id":")" + id +
                R"(","grantee_principal":"audit-other-domain",)"
                R"("grantee_principal_type":"domain","operations":["describe-key"]})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectRecord(r,
                 {"huawei-kms",
                  kKmsRoute + "create-grant",
                  200,
                  "",
                  demo(),
                  {{"key_id", id}, {"grant_id", r.str("grant_id")}}},
                 "create-grant");
    r = kms("describe-key", jsonBody({{"key_id", id}}), other.token, other.projectId);
    expectRecord(r,
                 {"huawei-kms",
                  kKmsRoute + "describe-key",
                  200,
                  "",
                  principalOf(other, "user"),
                  {{"key_id", id}}},
                 "describe-key under the grant");
    // ... and the scope it acted in: the key owner's, not the caller's own.
    const auto granted = recordsFor(r.requestId);
    ASSERT_EQ(granted.size(), 1u);
    const auto acting = granted[0]->getObject("principal");
    ASSERT_TRUE(acting);
    EXPECT_EQ(acting->optValue<std::string>("acting_domain_id", ""),
              KeyportServer::demo().domainId);
    EXPECT_EQ(acting->optValue<std::string>("acting_project_id", ""),
              KeyportServer::demo().projectId);
    // A call in its own scope names no acting scope.
    const auto own = recordsFor(kms("describe-key", jsonBody({{"key_id", id}})).requestId);
    ASSERT_EQ(own.size(), 1u);
    EXPECT_FALSE(own[0]->getObject("principal")->has("acting_domain_id"));
}

// AK/SK signing (SDK-HMAC-SHA256): the record names the access key that signed, never the
// signature; a wrong signature names no one.
TEST(AuditKms, SignedRequestsNameTheirAccessKey) {
    const std::string id = kmsKey("audit-kms-signed");
    const Credential& other = otherDomain();
    for (const bool good : {true, false}) {
        api::Request signedReq;
        signedReq.method = "POST";
        signedReq.path = "/v1.0/" + other.projectId + "/kms/describe-key";
        signedReq.body = jsonBody({{"key_id", id}});
        signedReq.headers = {{"Host", "127.0.0.1:" + std::to_string(server().port())},
                             {"Content-Type", "application/json"}};
        api::huawei::sign(signedReq, other.accessKey,
                          good ? other.secretKey : other.secretKey + "-wrong", nowSeconds());
        for (const auto& [n, v] : signedReq.headers) {
            if (n == "Authorization") secret(v.substr(v.find("Signature=") + 10));
        }
        const Reply r = send("POST", signedReq.path, signedReq.body, signedReq.headers);
        if (good) {
            expectRecord(r,
                         {"huawei-kms",
                          kKmsRoute + "describe-key",
                          404,
                          "KMS.0207",
                          principalOf(other, "user"),
                          {{"key_id", id}}},
                         "signed, another domain's key");
        } else {
            expectRecord(r, {"huawei-kms", kKmsRoute + "describe-key", 401, "KMS.0302", kNoOne, {}},
                         "a wrong signature");
        }
    }
}

TEST(AuditKms, ImportRecordsItsUnwrapPath) {
    for (const bool sha256 : {false, true}) {
        const std::string what = sha256 ? "OAEP-SHA-256 (host-assisted)" : "OAEP-SHA-1";
        const std::string id = kmsKey(sha256 ? "audit-import-256" : "audit-import-1", "external");
        const KmsClient c = demoClient();
        const ImportParams p = getParams(c, id, sha256 ? "RSAES_OAEP_SHA_256" : "RSAES_OAEP_SHA_1");
        secret(p.importToken);
        const hsm::Bytes material = randomBytes(32);
        secret(b64(material));
        secret(hex(material));
        const std::string body = importBody(id, p, material, std::nullopt, sha256);
        const auto parsed = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        secret(parsed->getValue<std::string>("encrypted_key_material"));
        const auto r = kms("import-key-material", body);
        ASSERT_EQ(r.status, 200) << what << ": " << r.body;
        expectRecord(
            r, {"huawei-kms", kKmsRoute + "import-key-material", 200, "", demo(), {{"key_id", id}}},
            what, sha256 ? "host-assisted" : "on-token");
    }
}

// ---- Huawei CSMS (X-Auth-Token) ----

const std::string kCsmsRoute = "/v1/{project_id}/";

Reply csms(const std::string& method, const std::string& path, const std::string& body = {},
           const std::string& token = kDemoToken, const std::string& project = kDemoProject) {
    Headers h;
    if (!token.empty()) h.emplace_back("X-Auth-Token", token);
    return send(method, "/v1/" + project + "/" + path, body, h);
}

TEST(AuditCsms, SuccessRefusalsAndUnknownSecret) {
    const std::string value = "audit-secret-value-" + hex(randomBytes(16));
    secret(value);
    auto r =
        csms("POST", "secrets", R"({"name":"audit-secret","secret_string":")" + value + R"("})");
    ASSERT_EQ(r.status, 200) << r.body;
    expectRecord(
        r,
        {"huawei-csms", kCsmsRoute + "secrets", 200, "", demo(), {{"secret_name", "audit-secret"}}},
        "create-secret");
    r = csms("GET", "secrets/audit-secret/versions/latest");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_NE(r.body.find(value), std::string::npos) << "the value came back";
    expectRecord(r,
                 {"huawei-csms",
                  kCsmsRoute + "secrets/{secret_name}/versions/{version_id}",
                  200,
                  "",
                  demo(),
                  {{"secret_name", "audit-secret"}, {"version_id", "latest"}}},
                 "show-secret-version");

    r = csms("GET", "secrets/audit-secret", {}, "");
    expectRecord(r,
                 {"huawei-csms",
                  kCsmsRoute + "secrets/{secret_name}",
                  401,
                  "CSMS.0401",
                  kNoOne,
                  {{"secret_name", "audit-secret"}}},
                 "no credentials");
    r = csms("GET", "secrets/audit-secret", {}, kDemoToken, kOtherProject);
    expectRecord(r,
                 {"huawei-csms",
                  kCsmsRoute + "secrets/{secret_name}",
                  403,
                  "CSMS.0403",
                  demo(),
                  {{"secret_name", "audit-secret"}}},
                 "another domain's project");
    const Credential& other = otherDomain();
    r = csms("GET", "secrets/audit-secret", {}, other.token, other.projectId);
    EXPECT_EQ(r.status, 404) << r.body;
    expectRecord(r,
                 {"huawei-csms",
                  kCsmsRoute + "secrets/{secret_name}",
                  404,
                  r.str("error_code"),
                  principalOf(other, "user"),
                  {{"secret_name", "audit-secret"}}},
                 "another domain's secret");
    EXPECT_TRUE(r.str("error_code").starts_with("CSMS.")) << r.body;
    r = csms("GET", "secrets/no-such-secret");
    EXPECT_EQ(r.status, 404) << r.body;
    expectRecord(r,
                 {"huawei-csms",
                  kCsmsRoute + "secrets/{secret_name}",
                  404,
                  r.str("error_code"),
                  demo(),
                  {{"secret_name", "no-such-secret"}}},
                 "an unknown secret");
}

// ---- Exoscale (EXO2-HMAC-SHA256) ----

Reply exo(const std::string& method, const std::string& path, const std::string& body = {},
          const Credential* cred = nullptr) {
    api::Request signedReq;
    signedReq.method = method;
    signedReq.path = path;
    signedReq.body = body;
    Headers h{{"Host", "api-cn-north-4.keyport.test"}};
    if (cred) {
        api::exoscale::sign(signedReq, cred->accessKey, cred->secretKey, nowSeconds() + 600);
        for (const auto& [n, v] : signedReq.headers) {
            h.emplace_back(n, v);
            if (const auto at = v.find("signature="); at != std::string::npos)
                secret(v.substr(at + 10));
        }
    }
    return send(method, path, body, h);
}

TEST(AuditExoscale, SuccessRefusalsAndUnknownObjects) {
    const Credential d = KeyportServer::demo();
    auto r = exo("POST", "/v2/kms-key", R"({"name":"audit-exo-key","multi-zone":false})", &d);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string id = r.str("id");
    expectRecord(r, {"exoscale", "/v2/kms-key", 200, "", demo(), {{"key_id", id}}},
                 "create-kms-key");
    const std::string plain = b64(randomBytes(32));
    secret(plain);
    r = exo("POST", "/v2/kms-key/" + id + "/encrypt", R"({"plaintext":")" + plain + "\"}", &d);
    ASSERT_EQ(r.status, 200) << r.body;
    secret(r.str("ciphertext"));
    expectRecord(r, {"exoscale", "/v2/kms-key/{id}/encrypt", 200, "", demo(), {{"key_id", id}}},
                 "encrypt");

    r = exo("GET", "/v2/kms-key/" + id);
    expectRecord(r, {"exoscale", "/v2/kms-key/{id}", 401, "unauthorized", kNoOne, {{"key_id", id}}},
                 "no signature");
    const Credential ro = readOnly();
    r = exo("POST", "/v2/kms-key/" + id + "/disable", "", &ro);
    expectRecord(r,
                 {"exoscale",
                  "/v2/kms-key/{id}/disable",
                  403,
                  "forbidden",
                  principalOf(ro, "readonly"),
                  {{"key_id", id}}},
                 "read-only write");
    const Credential other = otherDomain();
    r = exo("GET", "/v2/kms-key/" + id, "", &other);
    expectRecord(r,
                 {"exoscale",
                  "/v2/kms-key/{id}",
                  400,
                  "key-not-found",
                  principalOf(other, "user"),
                  {{"key_id", id}}},
                 "another domain's key");
    r = exo("GET", std::string("/v2/kms-key/") + kUnknownUuid, "", &d);
    expectRecord(
        r,
        {"exoscale", "/v2/kms-key/{id}", 400, "key-not-found", demo(), {{"key_id", kUnknownUuid}}},
        "an unknown key");
    r = exo("GET", std::string("/v2/operation/") + kUnknownUuid, "", &d);
    expectRecord(r,
                 {"exoscale",
                  "/v2/operation/{id}",
                  404,
                  "not-found",
                  demo(),
                  {{"operation_id", kUnknownUuid}}},
                 "an unknown operation");
    r = exo("GET", "/v2/kms-key/" + id + "/no-such", "", &d);
    expectRecord(r, {"exoscale", "", 404, "not-found", kNoOne, {}}, "no such route");
}

// ---- NAVER Cloud (signature v2) ----

Reply ncp(const std::string& method, const std::string& path, const std::string& body = {},
          const Credential* cred = nullptr) {
    api::Request signedReq;
    signedReq.method = method;
    signedReq.path = path;
    Headers h;
    if (cred) {
        api::ncloud::sign(signedReq, cred->accessKey, cred->secretKey, nowSeconds() * 1000);
        for (const auto& [n, v] : signedReq.headers) {
            h.emplace_back(n, v);
            if (Poco::icompare(n, std::string("x-ncp-apigw-signature-v2")) == 0) secret(v);
        }
    }
    return send(method, path, body, h);
}

std::string ncpData(const Reply& r, const std::string& name) {
    if (!r.json || !r.json->getObject("data")) return {};
    return r.json->getObject("data")->optValue<std::string>(name, "");
}

TEST(AuditNcloud, SuccessRefusalsAndUnknownKey) {
    const Credential d = KeyportServer::demo();
    auto r = ncp("POST", "/kms/v1/keys", R"({"keyName":"audit-ncp-key","keyType":"AES256"})", &d);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string tag = ncpData(r, "keyTag");
    ASSERT_FALSE(tag.empty()) << r.body;
    expectRecord(r, {"ncloud", "/kms/v1/keys", 200, "", demo(), {{"key_tag", tag}}}, "create");
    const std::string plain = b64(randomBytes(32));
    secret(plain);
    r = ncp("POST", "/kms/v1/keys/" + tag + "/encrypt", R"({"plaintext":")" + plain + "\"}", &d);
    ASSERT_EQ(r.status, 200) << r.body;
    secret(ncpData(r, "ciphertext"));
    expectRecord(r,
                 {"ncloud", "/kms/v1/keys/{keyTag}/encrypt", 200, "", demo(), {{"key_tag", tag}}},
                 "encrypt");

    r = ncp("GET", "/kms/v1/keys/" + tag);
    expectRecord(
        r, {"ncloud", "/kms/v1/keys/{keyTag}", 401, "UNAUTHORIZED", kNoOne, {{"key_tag", tag}}},
        "no signature");
    const Credential ro = readOnly();
    r = ncp("POST", "/kms/v1/keys/" + tag + "/disable", "", &ro);
    expectRecord(r,
                 {"ncloud",
                  "/kms/v1/keys/{keyTag}/disable",
                  403,
                  "FORBIDDEN",
                  principalOf(ro, "readonly"),
                  {{"key_tag", tag}}},
                 "read-only write");
    const Credential other = otherDomain();
    r = ncp("GET", "/kms/v1/keys/" + tag, "", &other);
    expectRecord(r,
                 {"ncloud",
                  "/kms/v1/keys/{keyTag}",
                  404,
                  "NOT_FOUND",
                  principalOf(other, "user"),
                  {{"key_tag", tag}}},
                 "another domain's key");
    const std::string unknown(52, 'a');
    r = ncp("GET", "/kms/v1/keys/" + unknown, "", &d);
    expectRecord(
        r, {"ncloud", "/kms/v1/keys/{keyTag}", 404, "NOT_FOUND", demo(), {{"key_tag", unknown}}},
        "an unknown key");
}

// Last (gtest runs a binary's tests in file order): nothing secret anywhere in the audit dir.
TEST(AuditZ, NothingSecretIsRecorded) {
    const auto files = filesUnder(auditDir());
    ASSERT_FALSE(files.empty()) << "the audit dir has the trail";
    ASSERT_GT(secrets().size(), 15u) << "the tests above collected what to look for";
    for (const auto& [path, text] : files) {
        for (const auto& s : secrets()) {
            EXPECT_EQ(text.find(s), std::string::npos) << path << " holds " << s;
        }
    }
}

}  // namespace
}  // namespace keyport::test
