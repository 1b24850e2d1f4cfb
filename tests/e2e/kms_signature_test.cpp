// SDK-HMAC-SHA256 as Huawei's SDKs sign: the canonical request against the spec text, then
// over HTTP — one byte changed in body, path, query, a signed header or the date → 401;
// outside the 15-minute window → 401 KMS.0303.
#include <gtest/gtest.h>

#include "service/api/huawei/sdk_hmac.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

using api::Request;
namespace huawei = api::huawei;

std::string host() {
    return "127.0.0.1:" + std::to_string(server().port());
}

Request signedRequest(const std::string& path, const std::string& query, const std::string& body,
                      std::int64_t when, const std::string& secret = kDemoSecretKey) {
    Request r;
    r.method = "POST";
    r.path = path;
    r.query = query;
    r.body = body;
    r.headers = {
        {"Host", host()}, {"Content-Type", "application/json"}, {"X-Custom", "signed value"}};
    huawei::sign(r, kDemoAccessKey, secret, when);
    return r;
}

HttpResult send(const Request& r) {
    return httpRequest(server().port(), r.method, r.path + (r.query.empty() ? "" : "?" + r.query),
                       r.body, r.headers);
}

void setHeader(Request& r, const std::string& name, const std::string& value) {
    for (auto& [n, v] : r.headers) {
        if (n == name) v = value;
    }
}

TEST(SdkHmac, CanonicalRequestFollowsTheSpec) {
    Request r;
    r.method = "POST";
    r.path = "/v1.0/p1/kms/a%3Ab c";
    r.query = "b=2&a=x+y&a=1";
    r.body = "{}";
    r.headers = {{"Host", "kms.example"},
                 {"X-Sdk-Date", "20261122T120000Z"},
                 {"Content-Type", " application/json "}};
    const std::string canonical =
        huawei::canonicalRequest(r, {"content-type", "host", "x-sdk-date"});
    EXPECT_EQ(canonical,
              "POST\n"
              "/v1.0/p1/kms/a%253Ab%20c/\n"  // wire segments escaped again, trailing '/'
              "a=1&a=x%20y&b=2\n"            // sorted, '+' read as space, escaped
              "content-type:application/json\n"
              "host:kms.example\n"
              "x-sdk-date:20261122T120000Z\n"
              "\n"
              "content-type;host;x-sdk-date\n"
              "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");  // sha256("{}")
    EXPECT_EQ(huawei::stringToSign(canonical, "20261122T120000Z"),
              "SDK-HMAC-SHA256\n20261122T120000Z\n" + hex(sha("SHA256", bytes(canonical))));
    EXPECT_EQ(huawei::parseSdkDate("20261122T120000Z"), 1795348800);
    EXPECT_FALSE(huawei::parseSdkDate("2026-11-22T12:00:00Z"));
}

TEST(SdkHmac, ParserRefusesMalformedHeaders) {
    const std::string sig = std::string(64, 'a');
    EXPECT_TRUE(huawei::parseAuthorization(
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + sig));
    for (const std::string& bad : std::vector<std::string>{
             "SDK-HMAC-SHA1 Access=AK, SignedHeaders=host, Signature=" + sig,
             "SDK-HMAC-SHA256 SignedHeaders=host, Signature=" + sig,
             "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host",
             "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=zz" + sig.substr(2),
             "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + sig.substr(2),
             "SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host, Signature=" + sig,
             "SDK-HMAC-SHA256 ",
             "",
         }) {
        EXPECT_FALSE(huawei::parseAuthorization(bad)) << bad;
    }
}

TEST(SdkHmac, SignedRequestsAreAcceptedAndEveryChangedByteIs401) {
    const auto c = demoClient();
    const std::string keyId = c.createKey("signed", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string tagsPath = "/v1.0/" + std::string(kDemoProject) + "/kms/" + keyId + "/tags";
    const std::string body = R"({"tag":{"key":"k","value":"v"}})";
    const std::int64_t now = nowSeconds();

    const Request good = signedRequest(tagsPath, "x=1", body, now);
    const auto ok = send(good);
    ASSERT_EQ(ok.status, 200) << ok.body;

    auto expect401 = [](const Request& r, const std::string& what) {
        const auto res = send(r);
        EXPECT_EQ(res.status, 401) << what << ": " << res.body;
        EXPECT_EQ(res.errorCode(), "KMS.0302") << what;
    };
    Request r = good;
    r.body[r.body.size() - 3] = 'w';
    expect401(r, "body");
    r = good;
    r.path[r.path.size() - 6] =
        r.path[r.path.size() - 6] == 'a' ? 'b' : 'a';  // another key id, still routed
    expect401(r, "path");
    r = good;
    r.query = "x=2";
    expect401(r, "query");
    r = good;
    setHeader(r, "X-Custom", "signed valuf");
    expect401(r, "signed header");
    r = good;
    setHeader(r, "X-Sdk-Date", huawei::formatSdkDate(now + 1));
    expect401(r, "date");
    expect401(signedRequest(tagsPath, "x=1", body, now, "wrong secret"), "secret");
    r = good;
    for (auto& [n, v] : r.headers) {
        if (n == "Authorization") v.replace(v.find("Access=") + 7, 3, "XYZ");
    }
    expect401(r, "access key");
    // An unsigned header may change freely.
    r = good;
    r.headers.emplace_back("X-Unsigned", "anything");
    EXPECT_EQ(send(r).status, 200);
}

TEST(SdkHmac, FifteenMinuteSkewWindow) {
    const std::string path = "/v1.0/" + std::string(kDemoProject) + "/kms/list-keys";
    EXPECT_EQ(send(signedRequest(path, "", "{}", nowSeconds() - 14 * 60)).status, 200);
    EXPECT_EQ(send(signedRequest(path, "", "{}", nowSeconds() + 14 * 60)).status, 200);
    for (std::int64_t off : {-16 * 60, 16 * 60}) {
        const auto r = send(signedRequest(path, "", "{}", nowSeconds() + off));
        EXPECT_EQ(r.status, 401) << off;
        EXPECT_EQ(r.errorCode(), "KMS.0303") << off;
    }
}

}  // namespace
}  // namespace keyport::test
