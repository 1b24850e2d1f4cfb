// The NAVER Cloud KMS key lifecycle against a real keyportd, each route per its API 2.0 page
// (security-kms2-key-info, -key-list, -create-key, -enable-key, -disable-key,
// -request-key-deletion, -cancel-key-deletion, update-key-name, -update-memo, -rotate-key,
// -key-version-list, -enable-auto-rotation, -disable-auto-rotation, -rotation-period): the
// documented fields, state changes seen in get and list, a bad-input table and another
// domain's credential getting NOT_FOUND on every route.
#include <gtest/gtest.h>

#include "service/api/ncloud/ncp_api.h"
#include "service/core/base/encoding.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/ncp_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::int64_t nowMs() {
    return nowSeconds() * 1000;
}

std::string createKey(const std::string& name, const std::string& extra = "",
                      const std::string& type = "AES256",
                      const Credential& cred = KeyportServer::demo()) {
    const auto r = ncp("POST", "/kms/v1/keys",
                       R"({"keyName":")" + name + R"(","keyType":")" + type +
                           R"(","protectionType":"COMMON_HSM")" + extra + "}",
                       cred);
    EXPECT_EQ(r.status, 200) << r.body;
    return field(r, "keyTag");
}

HttpResult getKey(const std::string& tag, const Credential& cred = KeyportServer::demo()) {
    return ncp("GET", "/kms/v1/keys/" + tag, {}, cred);
}

std::string encrypt(const std::string& tag, const std::string& plain) {
    const auto r = ncp("POST", "/kms/v1/keys/" + tag + "/encrypt",
                       R"({"plaintext":")" + b64(bytes(plain)) + "\"}");
    return r.status == 200 ? field(r, "ciphertext") : std::string();
}

// A domain of its own, so list counts are this test's alone.
Credential freshDomain(const std::string& domain, const std::string& project) {
    return server().addCredential(domain, project, "global");
}

TEST(NcloudKeys, GetKeyHasTheDocumentedFields) {
    const std::int64_t before = nowMs();
    const std::string tag =
        createKey("docFields", R"(,"memo":"m1","isAutoRotation":true,"rotationPeriod":30)");
    const auto g = getKey(tag);
    ASSERT_EQ(g.status, 200) << g.body;
    auto d = dataOf(g);
    ASSERT_TRUE(d);
    for (const char* name :
         {"keyId", "keyTag", "keyName", "nrn", "baseUrl", "keyType", "status", "keystoreId",
          "currentVersion", "protectionType", "memo", "isConvergent", "isAutoRotation",
          "rotationPeriod", "nextRotationDate", "registerDate"})
        EXPECT_TRUE(d->has(name)) << name << " missing: " << g.body;
    for (const char* gone : {"keyStatus", "createdDate", "region"})
        EXPECT_FALSE(d->has(gone)) << gone << " is not NAVER's: " << g.body;
    EXPECT_TRUE(d->get("keyId").isInteger()) << g.body;
    EXPECT_TRUE(d->get("keystoreId").isInteger()) << g.body;
    EXPECT_EQ(field(g, "keyTag"), tag);
    EXPECT_EQ(field(g, "keyName"), "docFields");
    EXPECT_EQ(field(g, "nrn"), "nrn:PUB:KMS::demo-domain:Key/" + tag);
    EXPECT_EQ(field(g, "baseUrl"), "https://ocapi.ncloud.com");
    EXPECT_EQ(field(g, "keyType"), "AES256");
    EXPECT_EQ(field(g, "status"), "ENABLE");
    EXPECT_EQ(field(g, "currentVersion"), "1");
    EXPECT_EQ(field(g, "protectionType"), "COMMON_HSM");
    EXPECT_EQ(field(g, "memo"), "m1");
    EXPECT_EQ(field(g, "isConvergent"), "false");
    EXPECT_EQ(field(g, "isAutoRotation"), "true");
    EXPECT_EQ(field(g, "rotationPeriod"), "30");
    const std::int64_t registered = d->getValue<std::int64_t>("registerDate");
    EXPECT_GE(registered, before - 1000);
    EXPECT_LE(registered, nowMs() + 1000);
    const std::int64_t next = d->getValue<std::int64_t>("nextRotationDate");
    EXPECT_NEAR(static_cast<double>(next - registered), 30.0 * 86400000, 5000.0) << g.body;
    // The same key id every time (it is derived, not made up per answer).
    EXPECT_EQ(dataOf(getKey(tag))->get("keyId").toString(), d->get("keyId").toString());

    // Without auto rotation: NAVER's default period, no next date; ECDSA typed truthfully.
    const std::string plain = createKey("docPlain");
    EXPECT_EQ(field(getKey(plain), "isAutoRotation"), "false");
    EXPECT_EQ(field(getKey(plain), "rotationPeriod"), "90");
    EXPECT_FALSE(dataOf(getKey(plain))->has("nextRotationDate"));
    const std::string ec = createKey("docEcdsa", "", "ECDSA");
    EXPECT_EQ(field(getKey(ec), "keyType"), "ECDSA");
    // protectionType BASIC is accepted and kept on the token all the same.
    const auto basic = ncp("POST", "/kms/v1/keys",
                           R"({"keyName":"docBasic","keyType":"AES256","protectionType":"BASIC"})");
    ASSERT_EQ(basic.status, 200) << basic.body;
    EXPECT_EQ(field(basic, "protectionType"), "COMMON_HSM");
}

TEST(NcloudKeys, ListPagesAndShowsStateChanges) {
    const Credential cred = freshDomain("ncp-list-domain", "c1f0a1b2c3d440718293a4b5c6d7e8f9");
    const std::string a = createKey("listA", "", "AES256", cred);
    const std::string b = createKey("listB", "", "RSA2048", cred);
    const std::string c = createKey("listC", "", "ECDSA", cred);
    auto all = ncp("GET", "/kms/v1/keys", {}, cred);
    ASSERT_EQ(all.status, 200) << all.body;
    EXPECT_EQ(field(all, "totalCount"), "3");
    EXPECT_EQ(field(all, "currentPageNo"), "1");
    EXPECT_EQ(field(all, "totalPageNo"), "1");
    ASSERT_EQ(dataOf(all)->getArray("KeyList")->size(), 3u);

    const auto p1 = ncp("GET", "/kms/v1/keys?pageNo=1&pageSize=2", {}, cred);
    const auto p2 = ncp("GET", "/kms/v1/keys?pageNo=2&pageSize=2", {}, cred);
    const auto p3 = ncp("GET", "/kms/v1/keys?pageNo=3&pageSize=2", {}, cred);
    ASSERT_EQ(p1.status, 200) << p1.body;
    EXPECT_EQ(dataOf(p1)->getArray("KeyList")->size(), 2u);
    EXPECT_EQ(dataOf(p2)->getArray("KeyList")->size(), 1u);
    EXPECT_EQ(dataOf(p3)->getArray("KeyList")->size(), 0u);
    EXPECT_EQ(field(p2, "totalPageNo"), "2");
    EXPECT_EQ(field(p2, "currentPageNo"), "2");
    std::set<std::string> seen;
    for (const auto* p : {&p1, &p2})
        for (const auto& v : *dataOf(*p)->getArray("KeyList"))
            seen.insert(v.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("keyTag"));
    EXPECT_EQ(seen, (std::set<std::string>{a, b, c}));

    // A state change shows in the list.
    ASSERT_EQ(ncp("POST", "/kms/v1/keys/" + b + "/disable", {}, cred).status, 200);
    all = ncp("GET", "/kms/v1/keys", {}, cred);
    for (const auto& v : *dataOf(all)->getArray("KeyList")) {
        const auto o = v.extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(o->getValue<std::string>("status"),
                  o->getValue<std::string>("keyTag") == b ? "DISABLE" : "ENABLE");
    }
    // The demo domain's keys are not in this domain's list, nor the other way round.
    const auto demoList = ncp("GET", "/kms/v1/keys?pageSize=200");
    ASSERT_EQ(demoList.status, 200) << demoList.body;
    EXPECT_EQ(demoList.body.find(a), std::string::npos);
}

TEST(NcloudKeys, EnableDisableAndDeletion) {
    const std::string tag = createKey("lifeKey");
    const std::string ct = encrypt(tag, "before");
    ASSERT_FALSE(ct.empty());

    auto r = ncp("POST", "/kms/v1/keys/" + tag + "/disable");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "keyTag"), tag);
    EXPECT_EQ(field(r, "status"), "DISABLE");
    EXPECT_GE(dataOf(r)->getValue<std::int64_t>("statusDate"), nowMs() - 5000);
    EXPECT_EQ(field(getKey(tag), "status"), "DISABLE");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/encrypt",
                    R"({"plaintext":")" + b64(bytes("x")) + "\"}"),
                422, "UNPROCESSABLE_ENTITY", "encrypt with a disabled key");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/disable"), 422, "UNPROCESSABLE_ENTITY",
                "disable twice");

    r = ncp("POST", "/kms/v1/keys/" + tag + "/enable");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "status"), "ENABLE");
    EXPECT_EQ(field(getKey(tag), "status"), "ENABLE");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/enable"), 422, "UNPROCESSABLE_ENTITY",
                "enable twice");

    const std::int64_t asked = nowMs();
    r = ncp("POST", "/kms/v1/keys/" + tag + "/request-deletion");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "status"), "REVOKE");
    auto g = getKey(tag);
    EXPECT_EQ(field(g, "status"), "REVOKE");
    ASSERT_TRUE(dataOf(g)->has("destroyDate")) << g.body;
    EXPECT_NEAR(static_cast<double>(dataOf(g)->getValue<std::int64_t>("destroyDate") - asked),
                72.0 * 3600 * 1000, 5000.0);
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/request-deletion"), 422,
                "UNPROCESSABLE_ENTITY", "deletion requested twice");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/enable"), 422, "UNPROCESSABLE_ENTITY",
                "enable while pending deletion");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/disable"), 422, "UNPROCESSABLE_ENTITY",
                "disable while pending deletion");

    r = ncp("POST", "/kms/v1/keys/" + tag + "/cancel-deletion");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "status"), "DISABLE");
    g = getKey(tag);
    EXPECT_EQ(field(g, "status"), "DISABLE");
    EXPECT_FALSE(dataOf(g)->has("destroyDate")) << g.body;
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/cancel-deletion"), 422,
                "UNPROCESSABLE_ENTITY", "cancel with nothing pending");
    ASSERT_EQ(ncp("POST", "/kms/v1/keys/" + tag + "/enable").status, 200);
    const auto d =
        ncp("POST", "/kms/v1/keys/" + tag + "/decrypt", R"({"ciphertext":")" + ct + "\"}");
    EXPECT_EQ(d.status, 200) << d.body;
}

TEST(NcloudKeys, NameAndMemo) {
    const std::string tag = createKey("oldName");
    auto r = ncp("PUT", "/kms/v1/keys/" + tag + "/name", R"({"keyName":"newName"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "keyTag"), tag);
    EXPECT_EQ(field(r, "keyName"), "newName");
    EXPECT_EQ(field(getKey(tag), "keyName"), "newName");
    const auto list = ncp("GET", "/kms/v1/keys?pageSize=200");
    EXPECT_NE(list.body.find("\"newName\""), std::string::npos);
    // The old name's keyTag is still this key's, so the old name stays taken.
    expectError(ncp("POST", "/kms/v1/keys", R"({"keyName":"oldName","keyType":"AES256"})"), 409,
                "CONFLICT", "a new key under a renamed key's first name");
    createKey("otherName");
    expectError(ncp("PUT", "/kms/v1/keys/" + tag + "/name", R"({"keyName":"otherName"})"), 409,
                "CONFLICT", "rename onto a taken name");

    r = ncp("PUT", "/kms/v1/keys/" + tag + "/memo", R"({"memo":"a new memo"})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "memo"), "a new memo");
    EXPECT_EQ(field(getKey(tag), "memo"), "a new memo");
    r = ncp("PUT", "/kms/v1/keys/" + tag + "/memo", R"({"memo":""})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(getKey(tag), "memo"), "");
}

TEST(NcloudKeys, RotateAndVersions) {
    const std::string tag = createKey("rotKey");
    const std::string v1 = encrypt(tag, "version one");
    auto r = ncp("POST", "/kms/v1/keys/" + tag + "/rotate");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "keyTag"), tag);
    EXPECT_EQ(field(r, "version"), "2");
    EXPECT_GE(dataOf(r)->getValue<std::int64_t>("rotatedDate"), nowMs() - 5000);
    EXPECT_EQ(field(getKey(tag), "currentVersion"), "2");
    const auto versions = ncp("GET", "/kms/v1/keys/" + tag + "/versions");
    ASSERT_EQ(versions.status, 200) << versions.body;
    EXPECT_EQ(field(versions, "currentVersion"), "2");
    const auto list = dataOf(versions)->getArray("versionList");
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->getObject(0)->getValue<int>("version"), 1);
    EXPECT_EQ(list->getObject(1)->getValue<int>("version"), 2);
    EXPECT_EQ(list->getObject(1)->getValue<std::string>("status"), "ENABLE");
    // The version-1 ciphertext still decrypts.
    const auto d =
        ncp("POST", "/kms/v1/keys/" + tag + "/decrypt", R"({"ciphertext":")" + v1 + "\"}");
    EXPECT_EQ(d.status, 200) << d.body;
    // Versions inherit the key's status.
    ASSERT_EQ(ncp("POST", "/kms/v1/keys/" + tag + "/disable").status, 200);
    const auto off = ncp("GET", "/kms/v1/keys/" + tag + "/versions");
    EXPECT_EQ(dataOf(off)->getArray("versionList")->getObject(0)->getValue<std::string>("status"),
              "DISABLE");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/rotate"), 422, "UNPROCESSABLE_ENTITY",
                "rotate a disabled key");
    // Keyport makes new material versions for symmetric keys only.
    const std::string rsa = createKey("rotRsa", "", "RSA2048");
    expectError(ncp("POST", "/kms/v1/keys/" + rsa + "/rotate"), 422, "UNPROCESSABLE_ENTITY",
                "rotate an RSA key");
}

TEST(NcloudKeys, AutoRotationSettings) {
    const std::string tag = createKey("autoKey");
    auto r = ncp("POST", "/kms/v1/keys/" + tag + "/enable-auto-rotation");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "isAutoRotation"), "true");
    EXPECT_EQ(field(r, "rotationPeriod"), "90");
    EXPECT_TRUE(dataOf(r)->has("nextRotationDate")) << r.body;
    EXPECT_EQ(field(getKey(tag), "isAutoRotation"), "true");

    r = ncp("PUT", "/kms/v1/keys/" + tag + "/rotation-period", R"({"rotationPeriod":10})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "rotationPeriod"), "10");
    const auto g = getKey(tag);
    EXPECT_EQ(field(g, "rotationPeriod"), "10");
    EXPECT_EQ(field(g, "nextRotationDate"), field(r, "nextRotationDate"));

    // A manual rotation does not move the automatic schedule (guide kms-version).
    ASSERT_EQ(ncp("POST", "/kms/v1/keys/" + tag + "/rotate").status, 200);
    EXPECT_EQ(field(getKey(tag), "nextRotationDate"), field(r, "nextRotationDate"));
    EXPECT_EQ(field(getKey(tag), "currentVersion"), "2");

    r = ncp("POST", "/kms/v1/keys/" + tag + "/disable-auto-rotation");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(field(r, "isAutoRotation"), "false");
    EXPECT_EQ(field(getKey(tag), "isAutoRotation"), "false");
    EXPECT_FALSE(dataOf(getKey(tag))->has("nextRotationDate"));
    expectError(ncp("PUT", "/kms/v1/keys/" + tag + "/rotation-period", R"({"rotationPeriod":5})"),
                400, "INVALID_REQUEST", "period with auto rotation off");
    EXPECT_EQ(field(getKey(tag), "rotationPeriod"), "10") << "a refused change changes nothing";
}

HttpResult withToken(const std::string& method, const std::string& path, const std::string& token,
                     const std::string& body = {}) {
    return httpRequest(server().port(), method, path, body,
                       {{"x-ncp-ocapi-token", token}, {"Host", "ocapi.keyport.test"}});
}

// security-kms2-token-set / -token-renew / -token-access-token, then the access token on
// encrypt and decrypt (security-kms2-overview: Token Auth API).
TEST(NcloudKeys, TokenAuth) {
    const std::string tag = createKey("tokenKey");
    const std::string other = createKey("tokenOther");
    auto set = ncp("POST", "/kms/v1/keys/" + tag + "/token-set",
                   R"({"accessTokenHours":1,"refreshTokenHours":"24"})");
    ASSERT_EQ(set.status, 200) << set.body;
    const std::string access = field(set, "accessToken");
    const std::string refresh = field(set, "refreshToken");
    ASSERT_FALSE(access.empty());
    ASSERT_FALSE(refresh.empty());
    EXPECT_NE(access, refresh);

    const std::string plain = b64(bytes("by token"));
    auto e = withToken("POST", "/kms/v1/keys/" + tag + "/encrypt", access,
                       R"({"plaintext":")" + plain + "\"}");
    ASSERT_EQ(e.status, 200) << e.body;
    const std::string ct = field(e, "ciphertext");
    auto d = withToken("POST", "/kms/v1/keys/" + tag + "/decrypt", access,
                       R"({"ciphertext":")" + ct + "\"}");
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(field(d, "plaintext"), plain);
    // Every route of the Token Auth API takes the access token: re-encrypt
    // (security-kms2-token-reencrypt) and get-pub-key (security-kms2-token-public-key) too.
    auto re = withToken("POST", "/kms/v1/keys/" + tag + "/re-encrypt", access,
                        R"({"ciphertext":")" + ct + "\"}");
    EXPECT_EQ(re.status, 200) << re.body;
    const std::string ecTag = createKey("tokenEc", "", "ECDSA");
    auto ecSet = ncp("POST", "/kms/v1/keys/" + ecTag + "/token-set", "{}");
    ASSERT_EQ(ecSet.status, 200) << ecSet.body;
    auto pub = withToken("POST", "/kms/v1/keys/" + ecTag + "/get-pub-key",
                         field(ecSet, "accessToken"), "{}");
    EXPECT_EQ(pub.status, 200) << pub.body;
    // The signed account path decrypts what the token made: same key, same project.
    EXPECT_EQ(
        ncp("POST", "/kms/v1/keys/" + tag + "/decrypt", R"({"ciphertext":")" + ct + "\"}").status,
        200);

    // A refresh token makes new access tokens and new sets; the old set keeps working.
    auto a2 = withToken("POST", "/kms/v1/keys/" + tag + "/access-token", refresh,
                        R"({"accessTokenHours":"UL"})");
    ASSERT_EQ(a2.status, 200) << a2.body;
    EXPECT_EQ(withToken("POST", "/kms/v1/keys/" + tag + "/encrypt", field(a2, "accessToken"),
                        R"({"plaintext":")" + plain + "\"}")
                  .status,
              200);
    auto renewed = withToken("PUT", "/kms/v1/keys/" + tag + "/token-set", refresh, "{}");
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    EXPECT_FALSE(field(renewed, "accessToken").empty());
    EXPECT_EQ(withToken("POST", "/kms/v1/keys/" + tag + "/encrypt", access,
                        R"({"plaintext":")" + plain + "\"}")
                  .status,
              200);

    // What each wrong use gets.
    // One bit of the MAC changed (on the bytes: a base64 character can differ in padding
    // bits only and still decode to the same token).
    hsm::Bytes raw = *base64Decode(std::string_view(access).substr(6));
    raw[raw.size() - 5] ^= 0x01;
    const std::string forged = "kpkt1." + base64Encode(raw);
    const std::vector<
        std::tuple<std::string, std::string, std::string, std::string, int, std::string>>
        cases = {
            {"access token on another key", "POST", "/kms/v1/keys/" + other + "/encrypt", access,
             404, "NOT_FOUND"},
            {"refresh token on encrypt", "POST", "/kms/v1/keys/" + tag + "/encrypt", refresh, 401,
             "UNAUTHORIZED"},
            {"access token on access-token", "POST", "/kms/v1/keys/" + tag + "/access-token",
             access, 401, "UNAUTHORIZED"},
            {"token on get key", "GET", "/kms/v1/keys/" + tag, access, 401, "UNAUTHORIZED"},
            {"token on disable", "POST", "/kms/v1/keys/" + tag + "/disable", access, 401,
             "UNAUTHORIZED"},
            {"token on create token set", "POST", "/kms/v1/keys/" + tag + "/token-set", refresh,
             401, "UNAUTHORIZED"},
            {"forged token", "POST", "/kms/v1/keys/" + tag + "/encrypt", forged, 401,
             "UNAUTHORIZED"},
            {"garbage token", "POST", "/kms/v1/keys/" + tag + "/encrypt", "abc", 401,
             "UNAUTHORIZED"},
            {"empty token", "POST", "/kms/v1/keys/" + tag + "/encrypt", "", 401, "UNAUTHORIZED"},
            {"truncated token", "POST", "/kms/v1/keys/" + tag + "/encrypt", access.substr(0, 40),
             401, "UNAUTHORIZED"},
            {"prefix only", "POST", "/kms/v1/keys/" + tag + "/encrypt", "kpkt1.", 401,
             "UNAUTHORIZED"},
            {"oversized token", "POST", "/kms/v1/keys/" + tag + "/encrypt",
             "kpkt1." + std::string(3000, 'A'), 401, "UNAUTHORIZED"},
        };
    for (const auto& [what, method, path, token, status, code] : cases) {
        expectError(withToken(method, path, token, R"({"plaintext":")" + plain + "\"}"), status,
                    code, what);
    }
    EXPECT_EQ(field(getKey(tag), "status"), "ENABLE") << "a token could not disable the key";

    // Bad hours.
    for (const char* body : {R"({"accessTokenHours":0})", R"({"accessTokenHours":17521})",
                             R"({"refreshTokenHours":"x"})", R"({"accessTokenHours":true})"}) {
        expectError(ncp("POST", "/kms/v1/keys/" + tag + "/token-set", body), 400, "INVALID_REQUEST",
                    body);
    }

    // Another domain cannot mint tokens for this key; its own token cannot reach this key.
    const Credential x = freshDomain("ncp-token-domain", "e3f0a1b2c3d440718293a4b5c6d7e8f9");
    expectError(ncp("POST", "/kms/v1/keys/" + tag + "/token-set", "{}", x), 404, "NOT_FOUND",
                "other domain mints a token");
    const std::string theirs = createKey("theirKey", "", "AES256", x);
    const auto theirSet = ncp("POST", "/kms/v1/keys/" + theirs + "/token-set", "{}", x);
    ASSERT_EQ(theirSet.status, 200) << theirSet.body;
    const auto cross = withToken("POST", "/kms/v1/keys/" + tag + "/decrypt",
                                 field(theirSet, "accessToken"), R"({"ciphertext":")" + ct + "\"}");
    expectError(cross, 404, "NOT_FOUND", "other domain's token on this key");
    EXPECT_EQ(cross.body.find("by token"), std::string::npos);
}

struct BadInput {
    std::string what, method, path, body;
    int status;
    std::string code;
};

TEST(NcloudKeys, BadInputTable) {
    const std::string tag = createKey("badInput");
    const std::string k = "/kms/v1/keys/" + tag;
    const std::string create = "/kms/v1/keys";
    const std::vector<BadInput> cases = {
        {"protectionType XYZ", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","protectionType":"XYZ"})", 400, "INVALID_REQUEST"},
        {"protectionType not a string", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","protectionType":1})", 400, "INVALID_REQUEST"},
        {"isAutoRotation a string", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","isAutoRotation":"yes"})", 400, "INVALID_REQUEST"},
        {"rotationPeriod 0", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","isAutoRotation":true,"rotationPeriod":0})", 400,
         "INVALID_REQUEST"},
        {"rotationPeriod 731", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","isAutoRotation":true,"rotationPeriod":731})", 400,
         "INVALID_REQUEST"},
        {"rotationPeriod text", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","isAutoRotation":true,"rotationPeriod":"x"})", 400,
         "INVALID_REQUEST"},
        {"rotationPeriod without isAutoRotation", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","rotationPeriod":30})", 400, "INVALID_REQUEST"},
        {"isAutoRotation on RSA2048", "POST", create,
         R"({"keyName":"bad1","keyType":"RSA2048","isAutoRotation":true})", 400, "INVALID_REQUEST"},
        {"memo of 101 characters", "POST", create,
         R"({"keyName":"bad1","keyType":"AES256","memo":")" + std::string(101, 'm') + "\"}", 400,
         "INVALID_REQUEST"},
        {"pageSize 0", "GET", "/kms/v1/keys?pageSize=0", "", 400, "INVALID_REQUEST"},
        {"pageSize 201", "GET", "/kms/v1/keys?pageSize=201", "", 400, "INVALID_REQUEST"},
        {"pageNo 0", "GET", "/kms/v1/keys?pageNo=0", "", 400, "INVALID_REQUEST"},
        {"pageNo text", "GET", "/kms/v1/keys?pageNo=abc", "", 400, "INVALID_REQUEST"},
        {"pageNo negative", "GET", "/kms/v1/keys?pageNo=-1", "", 400, "INVALID_REQUEST"},
        {"name body not JSON", "PUT", k + "/name", "not json", 400, "INVALID_REQUEST"},
        {"name missing", "PUT", k + "/name", "{}", 400, "INVALID_REQUEST"},
        {"name starts with a digit", "PUT", k + "/name", R"({"keyName":"1abc"})", 400,
         "INVALID_REQUEST"},
        {"name too long", "PUT", k + "/name", R"({"keyName":"abcdefghijklmnop"})", 400,
         "INVALID_REQUEST"},
        {"memo missing", "PUT", k + "/memo", "{}", 400, "INVALID_REQUEST"},
        {"memo a number", "PUT", k + "/memo", R"({"memo":5})", 400, "INVALID_REQUEST"},
        {"memo of 101 characters", "PUT", k + "/memo",
         R"({"memo":")" + std::string(101, 'm') + "\"}", 400, "INVALID_REQUEST"},
        {"rotationPeriod missing", "PUT", k + "/rotation-period", "{}", 400, "INVALID_REQUEST"},
        {"rotationPeriod 0", "PUT", k + "/rotation-period", R"({"rotationPeriod":0})", 400,
         "INVALID_REQUEST"},
        {"rotationPeriod 731", "PUT", k + "/rotation-period", R"({"rotationPeriod":731})", 400,
         "INVALID_REQUEST"},
        {"wrong method on enable", "GET", k + "/enable", "", 405, "INVALID_REQUEST"},
        {"wrong method on name", "POST", k + "/name", R"({"keyName":"abc"})", 405,
         "INVALID_REQUEST"},
    };
    for (const auto& c : cases)
        expectError(ncp(c.method, c.path, c.body), c.status, c.code, c.what);
    // Nothing half-made: the refused creates left no key, the refused edits changed nothing.
    expectError(getKey(api::ncloud::keyTag("demo-domain", "bad1")), 404, "NOT_FOUND",
                "a refused create leaves no key");
    const auto g = getKey(tag);
    EXPECT_EQ(field(g, "keyName"), "badInput");
    EXPECT_EQ(field(g, "rotationPeriod"), "90");

    // Every keyTag route answers NOT_FOUND for a tag that names nothing.
    const std::string none = "/kms/v1/keys/" + std::string(52, '0');
    for (const auto& [method, suffix, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "", ""},
             {"POST", "/enable", ""},
             {"POST", "/disable", ""},
             {"POST", "/request-deletion", ""},
             {"POST", "/cancel-deletion", ""},
             {"PUT", "/name", R"({"keyName":"abc"})"},
             {"PUT", "/memo", R"({"memo":"x"})"},
             {"POST", "/rotate", ""},
             {"GET", "/versions", ""},
             {"POST", "/enable-auto-rotation", ""},
             {"POST", "/disable-auto-rotation", ""},
             {"PUT", "/rotation-period", R"({"rotationPeriod":30})"}})
        expectError(ncp(method, none + suffix, body), 404, "NOT_FOUND", "unknown tag " + suffix);
}

// Another domain's credential, signed correctly, on every route with this domain's tag:
// NAVER's not-found, never data, and nothing changes.
TEST(NcloudKeys, AnotherDomainGetsNotFound) {
    const std::string tag = createKey("crossKey");
    const Credential other = freshDomain("ncp-other-domain", "d2f0a1b2c3d440718293a4b5c6d7e8f9");
    const std::string k = "/kms/v1/keys/" + tag;
    for (const auto& [method, suffix, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "", ""},
             {"POST", "/enable", ""},
             {"POST", "/disable", ""},
             {"POST", "/request-deletion", ""},
             {"POST", "/cancel-deletion", ""},
             {"PUT", "/name", R"({"keyName":"stolen"})"},
             {"PUT", "/memo", R"({"memo":"stolen"})"},
             {"POST", "/rotate", ""},
             {"GET", "/versions", ""},
             {"POST", "/enable-auto-rotation", ""},
             {"POST", "/disable-auto-rotation", ""},
             {"PUT", "/rotation-period", R"({"rotationPeriod":30})"}}) {
        const auto r = ncp(method, k + suffix, body, other);
        expectError(r, 404, "NOT_FOUND", "other domain " + method + " " + suffix);
        EXPECT_EQ(r.body.find("crossKey"), std::string::npos) << r.body;
    }
    const auto list = ncp("GET", "/kms/v1/keys?pageSize=200", {}, other);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find(tag), std::string::npos) << list.body;
    const auto g = getKey(tag);
    EXPECT_EQ(field(g, "status"), "ENABLE");
    EXPECT_EQ(field(g, "keyName"), "crossKey");
    EXPECT_EQ(field(g, "memo"), "");
    EXPECT_EQ(field(g, "currentVersion"), "1");
    EXPECT_EQ(field(g, "isAutoRotation"), "false");
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig("regions = global, KR, JPN\ndemo.region = global");
    return RUN_ALL_TESTS();
}
