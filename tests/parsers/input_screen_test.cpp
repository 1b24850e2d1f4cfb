// The two checks in front of every handler, on their own: requestTargetProblem (the path
// and query's percent-escapes and control bytes, in Router::dispatch) with percentDecoded,
// and screenJson (nesting depth and numbers no parser holds faithfully, before JsonBody).
#include <gtest/gtest.h>

#include <string>

#include "service/api/json.h"
#include "service/api/json_screen.h"
#include "service/api/request_target.h"
#include "service/api/router.h"
#include "service/core/base/errors.h"

namespace keyport::api {
namespace {

struct TargetCase {
    const char* name;
    std::string path, query;
    bool accepted;
};

void PrintTo(const TargetCase& c, std::ostream* os) {
    *os << c.name;
}

class RequestTarget : public ::testing::TestWithParam<TargetCase> {};

TEST_P(RequestTarget, RefusesMalformedEscapesAndControlBytes) {
    const TargetCase& c = GetParam();
    const auto problem = requestTargetProblem(c.path, c.query);
    EXPECT_EQ(!problem.has_value(), c.accepted) << problem.value_or("");
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, RequestTarget,
    ::testing::Values(
        TargetCase{"Plain", "/v1.0/p/kms/create-key", "", true},
        TargetCase{"Escapes", "/v1.0/p/kms/k/tags/cost%20center%2F%e9", "a=%41&b=%7e", true},
        TargetCase{"UpperHex", "/x/%4A%4a", "", true},
        TargetCase{"PlusAndSemicolon", "/x", "a=b+c;d", true},
        TargetCase{"PercentAlone", "/x/%", "", false},
        TargetCase{"PercentAtEnd", "/x/a%", "", false},
        TargetCase{"OneHexDigit", "/x/%4", "", false}, TargetCase{"NonHex", "/x/%zz", "", false},
        TargetCase{"HalfHex", "/x/%g0", "", false}, TargetCase{"EscapedNul", "/x/a%00b", "", false},
        TargetCase{"EscapedEsc", "/x/%1b[31m", "", false},
        TargetCase{"EscapedDel", "/x/%7F", "", false},
        TargetCase{"EscapedNewline", "/x/%0a", "", false},
        TargetCase{"RawControl", std::string("/x/a\x1b", 5), "", false},
        TargetCase{"QueryPercentAlone", "/x", "limit=%", false},
        TargetCase{"QueryNonHex", "/x", "marker=%zz", false},
        TargetCase{"QueryEscapedNul", "/x", "marker=%00", false},
        TargetCase{"QueryRawTab", "/x", "a=\tb", false}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(PercentDecoded, DecodesOrRefuses) {
    EXPECT_EQ(percentDecoded("cost%20center%2d%2F+"), "cost center-/+");
    EXPECT_EQ(percentDecoded(""), "");
    EXPECT_FALSE(percentDecoded("%"));
    EXPECT_FALSE(percentDecoded("a%4"));
    EXPECT_FALSE(percentDecoded("%zz"));
}

TEST(QueryParameters, ReadsAsPocoOrRefuses) {
    const auto q = queryParameters("a=1&b=x+y&c=%41");
    ASSERT_TRUE(q);
    ASSERT_EQ(q->size(), 3u);
    EXPECT_EQ((*q)[1].second, "x y");
    EXPECT_EQ((*q)[2].second, "A");
    EXPECT_FALSE(queryParameters("limit=%zz"));
}

// Router::dispatch refuses a bad target before any route (signature check, handler) runs,
// and the owning dialect shapes the 400.
TEST(RouterTarget, RefusesBeforeAnyHandlerRuns) {
    Router router;
    int handled = 0;
    int shaped400 = 0;
    router.add("GET", "/d/{id}", [&](Request&) {
        ++handled;
        return Response::json(200, "{}");
    });
    router.addDialect([](std::string_view p) { return p.starts_with("/d/"); },
                      [&](int status, const std::string& message) {
                          if (status == 400) ++shaped400;
                          return Response::json(status, quote(message));
                      });
    for (const char* path : {"/d/%zz", "/d/a%", "/d/%00", "/d/%1b"}) {
        Request req;
        req.method = "GET";
        req.path = path;
        EXPECT_EQ(router.dispatch(req).status, 400) << path;
    }
    Request query;
    query.method = "GET";
    query.path = "/d/x";
    query.query = "a=%4";
    EXPECT_EQ(router.dispatch(query).status, 400);
    EXPECT_EQ(handled, 0);
    EXPECT_EQ(shaped400, 5);
    Request good;
    good.method = "GET";
    good.path = "/d/a%20b";
    EXPECT_EQ(router.dispatch(good).status, 200);
    EXPECT_EQ(good.params.at("id"), "a%20b");  // handlers decode their own segments
    EXPECT_EQ(handled, 1);
    const auto templates = router.routeTemplates();
    ASSERT_EQ(templates.size(), 1u);
    EXPECT_EQ(templates[0], std::make_pair(std::string("GET"), std::string("/d/{id}")));
}

// What screenJson makes of a body: "ok", or "error <code> <field>".
struct ScreenCase {
    const char* name;
    std::string body;
    std::string expected;
};

void PrintTo(const ScreenCase& c, std::ostream* os) {
    *os << c.name;
}

std::string screened(const std::string& body) {
    try {
        screenJson(body);
        return "ok";
    } catch (const Error& e) {
        const char* code = e.code() == ErrorCode::MalformedRequest   ? "MalformedRequest"
                           : e.code() == ErrorCode::InvalidParameter ? "InvalidParameter"
                                                                     : "other";
        return std::string("error ") + code + " " + e.field();
    }
}

class JsonScreen : public ::testing::TestWithParam<ScreenCase> {};

TEST_P(JsonScreen, RefusesDepthAndNumbersNoParserHolds) {
    EXPECT_EQ(screened(GetParam().body), GetParam().expected);
}

std::string nested(std::size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, JsonScreen,
    ::testing::Values(
        ScreenCase{"Plain", R"({"limit":10,"key_id":"k"})", "ok"},
        ScreenCase{"Int64Extremes", R"({"a":9223372036854775807,"b":-9223372036854775808})", "ok"},
        // 2^63..2^64-1 pass: parsers hold them as unsigned; optInteger names the field.
        ScreenCase{"UInt64Max", R"({"a":18446744073709551615})", "ok"},
        ScreenCase{"TwoTo64", R"({"limit":18446744073709551616})", "error InvalidParameter limit"},
        ScreenCase{"BelowInt64Min", R"({"offset":-9223372036854775809})",
                   "error InvalidParameter offset"},
        ScreenCase{"ThirtyDigits", R"({"n":123456789012345678901234567890})",
                   "error InvalidParameter n"},
        ScreenCase{"DoubleOverflow", R"({"pending_days":1e400})",
                   "error InvalidParameter pending_days"},
        ScreenCase{"NegativeDoubleOverflow", R"({"x":-1e400})", "error InvalidParameter x"},
        ScreenCase{"Fraction", R"({"n":1.5,"m":1e3,"k":-0.0})", "ok"},
        ScreenCase{"NumbersInStringsIgnored", R"({"a":"1e400","b":"18446744073709551616"})", "ok"},
        ScreenCase{"EscapedQuoteInString", R"({"a":"x\"1e400","b":1})", "ok"},
        ScreenCase{"NamesTheInnermostMember", R"({"tag":{"key":"k","count":1e999}})",
                   "error InvalidParameter count"},
        ScreenCase{"ArrayElementNamesItsMember", R"({"values":[1,2,1e999]})",
                   "error InvalidParameter values"},
        ScreenCase{"TopLevelNumber", "1e999", "error InvalidParameter "},
        ScreenCase{"Depth128", nested(128), "ok"},
        ScreenCase{"Depth129", nested(129), "error MalformedRequest "},
        ScreenCase{"Depth10000Objects",
                   [] {
                       std::string s;
                       for (int i = 0; i < 10000; ++i) s += "{\"a\":";
                       return s + "1" + std::string(10000, '}');
                   }(),
                   "error MalformedRequest "},
        ScreenCase{"BracketsInStringsIgnored", "{\"a\":\"" + std::string(500, '[') + "\"}", "ok"},
        // Not JSON: left to the parser, which refuses it.
        ScreenCase{"Unterminated", R"({"a":"x)", "ok"}, ScreenCase{"Garbage", "not json", "ok"},
        ScreenCase{"LoneMinus", "{\"a\":-}", "ok"}),
    [](const auto& p) { return std::string(p.param.name); });

// JsonBody::parse runs the screen: the field is named whatever parser follows.
TEST(JsonScreen, JsonBodyParseRunsIt) {
    try {
        JsonBody::parse(R"({"datakey_length":18446744073709551616})");
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidParameter);
        EXPECT_EQ(e.field(), "datakey_length");
    }
}

}  // namespace
}  // namespace keyport::api
