// Exoscale EXO2-HMAC-SHA256 on its own: known-answer messages written by hand from API.md
// §3 (signature computed with `openssl dgst -sha256 -hmac … -binary | base64`), then the
// Authorization header parser as a vector table.
#include <gtest/gtest.h>

#include "service/api/exoscale/exo_auth.h"
#include "tests/parsers/vectors.h"

namespace keyport::api::exoscale {
namespace {

Request request(std::string method, std::string path, std::string query, std::string body) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    r.body = std::move(body);
    return r;
}

TEST(Exo2KnownAnswer, MessageAndSignature) {
    Request req = request("POST", "/v2/kms-key", "", R"({"name":"k"})");
    EXPECT_EQ(exo2Message(req, {}, 1767225600),
              "POST /v2/kms-key\n{\"name\":\"k\"}\n\n\n1767225600");
    sign(req, "EXOkey", "exo-secret", 1767225600);
    ASSERT_EQ(req.headers.size(), 1u);
    EXPECT_EQ(req.headers[0].second,
              "EXO2-HMAC-SHA256 credential=EXOkey,expires=1767225600,"
              "signature=4xTptR/rR/g6yn440B1PG60SqvsPpJEDBXtZvJuN+BI=");
    test::seedCorpus("exo2", "KnownAnswer",
                     hsm::asBytes(req.headers[0].second + "\nPOST\n/v2/kms-key\n\n" + req.body));
}

struct MessageCase {
    const char* name;
    std::string query;
    std::vector<std::string> signedArgs;
    std::string valuesLine;  // the third line of the message
};

void PrintTo(const MessageCase& c, std::ostream* os) {
    *os << c.name;
}

class Exo2Message : public ::testing::TestWithParam<MessageCase> {};

TEST_P(Exo2Message, SignsTheNamedQueryValuesSortedByName) {
    const MessageCase& c = GetParam();
    const Request req = request("GET", "/v2/kms-key", c.query, "");
    EXPECT_EQ(exo2Message(req, c.signedArgs, 42), "GET /v2/kms-key\n\n" + c.valuesLine + "\n\n42");
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, Exo2Message,
    ::testing::Values(MessageCase{"NoQuery", "", {}, ""},
                      MessageCase{"UnsignedArgsLeftOut", "a=1&b=2", {}, ""},
                      MessageCase{"SortedByName", "b=2&a=1&c=3", {"b", "a"}, "12"},
                      MessageCase{"SignedButAbsent", "a=1", {"a", "z"}, "1"},
                      MessageCase{"ValuesDecoded", "a=x%20y", {"a"}, "x y"},
                      MessageCase{"PlusIsSpace", "a=x+y", {"a"}, "x y"},
                      MessageCase{"EncodedPlus", "a=%2B", {"a"}, "+"},
                      MessageCase{"RepeatedNameFirstWins", "a=1&a=2", {"a"}, "1"},
                      MessageCase{"EmptyValue", "a=&b=2", {"a", "b"}, "2"}),
    [](const auto& p) { return std::string(p.param.name); });

// Regression: a query that is not valid percent-encoding threw Poco::SyntaxException out of
// exo2Message (a 500 from authenticate); now it is an invalid signature.
struct BadQueryCase {
    const char* name;
    std::string query;
};

void PrintTo(const BadQueryCase& c, std::ostream* os) {
    *os << c.name;
}

class Exo2BadQuery : public ::testing::TestWithParam<BadQueryCase> {};

TEST_P(Exo2BadQuery, IsAnInvalidSignature) {
    const Request req = request("GET", "/v2/kms-key", GetParam().query, "");
    try {
        exo2Message(req, {"a"}, 42);
        FAIL() << "accepted";
    } catch (const AuthError& e) {
        EXPECT_EQ(e.kind(), AuthFailure::Invalid);
    }
}

INSTANTIATE_TEST_SUITE_P(Vectors, Exo2BadQuery,
                         ::testing::Values(BadQueryCase{"NotHex", "a=%zz"},
                                           BadQueryCase{"TruncatedEscape", "a=%4"},
                                           BadQueryCase{"LonePercent", "a=%"}),
                         [](const auto& p) { return std::string(p.param.name); });

struct HeaderCase {
    const char* name;
    std::string header;
    std::optional<Exo2Authorization> expected;  // nullopt: rejected
};

void PrintTo(const HeaderCase& c, std::ostream* os) {
    *os << c.name;
}

Exo2Authorization exo2(std::vector<std::string> args = {}) {
    return Exo2Authorization{"EXOkey", std::move(args), 1767225600, "c2ln"};
}

class Exo2Header : public ::testing::TestWithParam<HeaderCase> {};

TEST_P(Exo2Header, GivesTheFieldsOrRejects) {
    const HeaderCase& c = GetParam();
    const auto got = parseExo2(c.header);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (!got) return;
    EXPECT_EQ(got->credential, c.expected->credential);
    EXPECT_EQ(got->signedQueryArgs, c.expected->signedQueryArgs);
    EXPECT_EQ(got->expires, c.expected->expires);
    EXPECT_EQ(got->signatureB64, c.expected->signatureB64);
    test::seedCorpus("exo2", c.name, hsm::asBytes(c.header + "\nGET\n/v2/kms-key\na=1&b=2\n"));
}

const std::string kScheme = "EXO2-HMAC-SHA256 ";

INSTANTIATE_TEST_SUITE_P(
    Vectors, Exo2Header,
    ::testing::Values(
        HeaderCase{"AsEgoscaleSends",
                   kScheme + "credential=EXOkey,expires=1767225600,signature=c2ln", exo2()},
        HeaderCase{
            "SignedQueryArgs",
            kScheme + "credential=EXOkey,signed-query-args=a;b,expires=1767225600,signature=c2ln",
            exo2({"a", "b"})},
        HeaderCase{"SpacesAroundFields",
                   kScheme + "credential = EXOkey , expires=1767225600 , signature=c2ln", exo2()},
        // Pinned: an empty list names one empty argument (which no query has).
        HeaderCase{
            "EmptySignedQueryArgs",
            kScheme + "credential=EXOkey,signed-query-args=,expires=1767225600,signature=c2ln",
            exo2({""})},
        HeaderCase{"LongestExpires",
                   kScheme + "credential=EXOkey,expires=999999999999,signature=c2ln",
                   Exo2Authorization{"EXOkey", {}, 999999999999, "c2ln"}},
        // Wrong scheme ("version").
        HeaderCase{"Exo1Scheme", "EXO1-HMAC-SHA256 credential=EXOkey,expires=1,signature=c2ln",
                   std::nullopt},
        HeaderCase{"LowerCaseScheme", "exo2-hmac-sha256 credential=EXOkey,expires=1,signature=c2ln",
                   std::nullopt},
        // Truncated.
        HeaderCase{"Empty", "", std::nullopt}, HeaderCase{"SchemeOnly", kScheme, std::nullopt},
        HeaderCase{"NoExpires", kScheme + "credential=EXOkey,signature=c2ln", std::nullopt},
        HeaderCase{"NoSignature", kScheme + "credential=EXOkey,expires=1767225600", std::nullopt},
        HeaderCase{"NoCredential", kScheme + "expires=1767225600,signature=c2ln", std::nullopt},
        HeaderCase{"EmptyExpires", kScheme + "credential=EXOkey,expires=,signature=c2ln",
                   std::nullopt},
        // One byte changed.
        HeaderCase{"ExpiresNotDigits",
                   kScheme + "credential=EXOkey,expires=17672256O0,signature=c2ln", std::nullopt},
        HeaderCase{"ExpiresNegative", kScheme + "credential=EXOkey,expires=-1,signature=c2ln",
                   std::nullopt},
        HeaderCase{"ExpiresHighByte", kScheme + "credential=EXOkey,expires=1\xb2,signature=c2ln",
                   std::nullopt},
        HeaderCase{"UnknownField", kScheme + "credential=EXOkey,expires=1,signature=c2ln,x=1",
                   std::nullopt},
        HeaderCase{"FieldWithoutEquals", kScheme + "credential=EXOkey,expires=1,signature",
                   std::nullopt},
        HeaderCase{"UpperCaseFieldName", kScheme + "Credential=EXOkey,expires=1,signature=c2ln",
                   std::nullopt},
        // Over-long.
        HeaderCase{"Expires13Digits",
                   kScheme + "credential=EXOkey,expires=1000000000000,signature=c2ln",
                   std::nullopt},
        HeaderCase{"TrailingComma", kScheme + "credential=EXOkey,expires=1,signature=c2ln,",
                   std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace keyport::api::exoscale
