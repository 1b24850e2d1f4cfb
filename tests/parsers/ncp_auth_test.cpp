// NAVER signature v2 on its own: the signed message written by hand from API.md §4 and the
// signature computed with `openssl dgst -sha256 -hmac … -binary | base64`.
#include <gtest/gtest.h>

#include "service/api/ncloud/ncp_auth.h"
#include "tests/parsers/vectors.h"

namespace keyport::api::ncloud {
namespace {

Request request(std::string method, std::string path, std::string query) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    return r;
}

TEST(NcpSignatureKnownAnswer, HeadersAndSignature) {
    Request req = request("GET", "/kms/v1/keys/abc", "x=1");
    sign(req, "NCPAK", "ncp-secret", 1767225600000);
    ASSERT_EQ(req.headers.size(), 3u);
    EXPECT_EQ(req.header("x-ncp-apigw-timestamp"), "1767225600000");
    EXPECT_EQ(req.header("x-ncp-iam-access-key"), "NCPAK");
    EXPECT_EQ(req.header("x-ncp-apigw-signature-v2"),
              "FLatRnjq8VsSHkM4ifxuickhpJwgOXjrcm8PAa+NqiM=");
    test::seedCorpus("ncp_auth", "KnownAnswer",
                     hsm::asBytes("GET\n/kms/v1/keys/abc\nx=1\n1767225600000\nNCPAK"));
}

struct MessageCase {
    const char* name;
    Request req;
    std::string timestamp;
    std::string accessKey;
    std::string message;
};

void PrintTo(const MessageCase& c, std::ostream* os) {
    *os << c.name;
}

class NcpMessage : public ::testing::TestWithParam<MessageCase> {};

TEST_P(NcpMessage, IsMethodUriTimestampAccessKey) {
    const MessageCase& c = GetParam();
    EXPECT_EQ(signatureMessage(c.req, c.timestamp, c.accessKey), c.message);
    test::seedCorpus("ncp_auth", c.name,
                     hsm::asBytes(c.req.method + "\n" + c.req.path + "\n" + c.req.query + "\n" +
                                  c.timestamp + "\n" + c.accessKey));
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, NcpMessage,
    ::testing::Values(MessageCase{"WithQuery", request("GET", "/kms/v1/keys/abc", "x=1"),
                                  "1767225600000", "AK",
                                  "GET /kms/v1/keys/abc?x=1\n1767225600000\nAK"},
                      MessageCase{"NoQueryNoQuestionMark", request("POST", "/kms/v1/keys", ""), "1",
                                  "AK", "POST /kms/v1/keys\n1\nAK"},
                      // The URI is signed as sent: no decoding, no reordering.
                      MessageCase{"QueryAsSent", request("GET", "/kms/v1/keys", "b=2&a=%41"), "1",
                                  "AK", "GET /kms/v1/keys?b=2&a=%41\n1\nAK"},
                      MessageCase{"PathAsSent", request("GET", "/kms/v1/keys/a%2Fb", ""), "1", "AK",
                                  "GET /kms/v1/keys/a%2Fb\n1\nAK"},
                      MessageCase{"EmptyEverything", request("", "", ""), "", "", " \n\n"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(NcpMessage, EveryPartIsSigned) {
    const Request base = request("GET", "/kms/v1/keys/abc", "x=1");
    const std::string m = signatureMessage(base, "1767225600000", "AK");
    EXPECT_NE(signatureMessage(request("PUT", base.path, base.query), "1767225600000", "AK"), m);
    EXPECT_NE(
        signatureMessage(request("GET", "/kms/v1/keys/abd", base.query), "1767225600000", "AK"), m);
    EXPECT_NE(signatureMessage(request("GET", base.path, "x=2"), "1767225600000", "AK"), m);
    EXPECT_NE(signatureMessage(base, "1767225600001", "AK"), m);
    EXPECT_NE(signatureMessage(base, "1767225600000", "AL"), m);
}

}  // namespace
}  // namespace keyport::api::ncloud
