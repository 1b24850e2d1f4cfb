// JsonBody on its own: what parses as a request body, and what each typed accessor gives
// or which error (code and field) it throws.
#include <gtest/gtest.h>

#include <functional>

#include "service/api/json.h"
#include "service/core/base/errors.h"
#include "tests/parsers/vectors.h"

namespace keyport::api {
namespace {

struct ParseCase {
    const char* name;
    std::string body;
    bool accepted;  // else Error(MalformedRequest)
};

void PrintTo(const ParseCase& c, std::ostream* os) {
    *os << c.name;
}

class JsonParse : public ::testing::TestWithParam<ParseCase> {};

TEST_P(JsonParse, TakesOnlyOneJsonObject) {
    const ParseCase& c = GetParam();
    if (c.accepted) {
        EXPECT_NO_THROW(JsonBody::parse(c.body));
        test::seedCorpus("json", c.name, hsm::asBytes(c.body));
        return;
    }
    try {
        JsonBody::parse(c.body);
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::MalformedRequest) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, JsonParse,
    ::testing::Values(
        ParseCase{"EmptyObject", "{}", true},
        ParseCase{"CreateKey", R"({"key_alias":"a","key_spec":"AES_256","origin":"external"})",
                  true},
        ParseCase{"Nested", R"({"tags":[{"key":"k","value":"v"}],"o":{"n":null}})", true},
        ParseCase{"Whitespace", " \t\n{ \"a\" : 1 }\n", true},
        ParseCase{"Unicode", R"({"a":"\u00e9\ud83d\ude00"})", true},
        ParseCase{"Array", "[]", false}, ParseCase{"String", R"("x")", false},
        ParseCase{"Number", "1", false}, ParseCase{"Null", "null", false},
        ParseCase{"Empty", "", false}, ParseCase{"OnlySpace", "  ", false},
        ParseCase{"Truncated", R"({"a":1)", false},
        ParseCase{"TruncatedString", R"({"a":"x)", false},
        ParseCase{"MissingColon", R"({"a" 1})", false}, ParseCase{"SingleQuotes", "{'a':1}", false},
        ParseCase{"TrailingComma", R"({"a":1,})", false}, ParseCase{"UnquotedKey", "{a:1}", false},
        ParseCase{"BadEscape", R"({"a":"\q"})", false},
        ParseCase{"NulByte", std::string("{\"a\":\"\0\"}", 8), false},
        // Poco's parser stops at depth 128, so no body can exhaust the stack.
        ParseCase{"Depth100", "{\"a\":" + std::string(99, '[') + std::string(99, ']') + "}", true},
        ParseCase{"Depth200", "{\"a\":" + std::string(199, '[') + std::string(199, ']') + "}",
                  false},
        ParseCase{"Depth100000",
                  "{\"a\":" + std::string(99999, '[') + std::string(99999, ']') + "}", false},
        ParseCase{"ExcessAfterObject", "{}{}", false},
        ParseCase{"InvalidUtf8", "{\"a\":\"\xff\"}", false}),
    [](const auto& p) { return std::string(p.param.name); });

// What an accessor call on the body gives: the value written out, "absent", or
// "error <code> <field>".
using Accessor = std::function<std::string(const JsonBody&)>;

std::string code(ErrorCode c) {
    switch (c) {
        case ErrorCode::InvalidParameter:
            return "InvalidParameter";
        case ErrorCode::MissingParameter:
            return "MissingParameter";
        case ErrorCode::MalformedRequest:
            return "MalformedRequest";
        default:
            return "other";
    }
}

struct FieldCase {
    const char* name;
    std::string body;
    Accessor call;
    std::string expected;
};

void PrintTo(const FieldCase& c, std::ostream* os) {
    *os << c.name;
}

Accessor optString(std::string f) {
    return [f](const JsonBody& b) {
        auto v = b.optString(f);
        return v ? "\"" + *v + "\"" : std::string("absent");
    };
}
Accessor string(std::string f) {
    return [f](const JsonBody& b) { return "\"" + b.string(f) + "\""; };
}
Accessor integer(std::string f, std::int64_t min, std::int64_t max) {
    return [=](const JsonBody& b) {
        auto v = b.optInteger(f, min, max);
        return v ? std::to_string(*v) : std::string("absent");
    };
}
Accessor boolean(std::string f) {
    return [f](const JsonBody& b) {
        auto v = b.optBool(f);
        return v ? (*v ? "true" : "false") : std::string("absent");
    };
}
Accessor object(std::string f) {
    return [f](const JsonBody& b) {
        auto o = b.object(f);
        return o ? "object of " + std::to_string(o->size()) : std::string("absent");
    };
}
Accessor array(std::string f) {
    return [f](const JsonBody& b) {
        auto a = b.array(f);
        return a ? "array of " + std::to_string(a->size()) : std::string("absent");
    };
}

class JsonField : public ::testing::TestWithParam<FieldCase> {};

TEST_P(JsonField, GivesTheValueOrNamesTheField) {
    const FieldCase& c = GetParam();
    const JsonBody body = JsonBody::parse(c.body);
    std::string got;
    try {
        got = c.call(body);
    } catch (const Error& e) {
        got = "error " + code(e.code()) + " " + e.field();
    }
    EXPECT_EQ(got, c.expected);
}

constexpr std::int64_t kMax = INT64_MAX;
constexpr std::int64_t kMin = INT64_MIN;

INSTANTIATE_TEST_SUITE_P(
    Vectors, JsonField,
    ::testing::Values(
        FieldCase{"String", R"({"a":"x"})", string("a"), "\"x\""},
        FieldCase{"StringEmpty", R"({"a":""})", string("a"), "\"\""},
        FieldCase{"StringAbsent", R"({})", string("a"), "error MissingParameter a"},
        FieldCase{"StringNull", R"({"a":null})", string("a"), "error MissingParameter a"},
        FieldCase{"StringGivenNumber", R"({"a":1})", string("a"), "error InvalidParameter a"},
        FieldCase{"StringGivenBool", R"({"a":true})", optString("a"), "error InvalidParameter a"},
        FieldCase{"StringGivenObject", R"({"a":{}})", optString("a"), "error InvalidParameter a"},
        FieldCase{"OptStringAbsent", R"({"b":"x"})", optString("a"), "absent"},
        FieldCase{"Integer", R"({"n":42})", integer("n", 0, 100), "42"},
        FieldCase{"IntegerAsString", R"({"n":"42"})", integer("n", 0, 100), "42"},
        FieldCase{"IntegerNegative", R"({"n":-7})", integer("n", -10, 10), "-7"},
        FieldCase{"IntegerAtMax", R"({"n":9223372036854775807})", integer("n", kMin, kMax),
                  "9223372036854775807"},
        FieldCase{"IntegerAtMin", R"({"n":-9223372036854775808})", integer("n", kMin, kMax),
                  "-9223372036854775808"},
        FieldCase{"IntegerBelowMin", R"({"n":6})", integer("n", 7, 1096),
                  "error InvalidParameter n"},
        FieldCase{"IntegerAboveMax", R"({"n":"1097"})", integer("n", 7, 1096),
                  "error InvalidParameter n"},
        // Regression: past INT64_MAX Poco holds a UInt64 and its conversion threw
        // Poco::RangeException, which left the handler as a 500.
        FieldCase{"IntegerPastInt64", R"({"n":9223372036854775808})", integer("n", kMin, kMax),
                  "error InvalidParameter n"},
        FieldCase{"IntegerUInt64Max", R"({"n":18446744073709551615})", integer("n", 0, kMax),
                  "error InvalidParameter n"},
        FieldCase{"IntegerStringPastInt64", R"({"n":"9223372036854775808"})",
                  integer("n", kMin, kMax), "error InvalidParameter n"},
        FieldCase{"IntegerFraction", R"({"n":1.5})", integer("n", 0, 10),
                  "error InvalidParameter n"},
        FieldCase{"IntegerExponent", R"({"n":1e3})", integer("n", 0, 10000),
                  "error InvalidParameter n"},
        FieldCase{"IntegerStringSpace", R"({"n":" 4"})", integer("n", 0, 10),
                  "error InvalidParameter n"},
        FieldCase{"IntegerStringPlus", R"({"n":"+4"})", integer("n", 0, 10),
                  "error InvalidParameter n"},
        FieldCase{"IntegerStringEmpty", R"({"n":""})", integer("n", 0, 10),
                  "error InvalidParameter n"},
        FieldCase{"IntegerGivenBool", R"({"n":true})", integer("n", 0, 10),
                  "error InvalidParameter n"},
        FieldCase{"IntegerNull", R"({"n":null})", integer("n", 0, 10), "absent"},
        FieldCase{"Bool", R"({"b":false})", boolean("b"), "false"},
        FieldCase{"BoolGivenString", R"({"b":"true"})", boolean("b"), "error InvalidParameter b"},
        FieldCase{"BoolGivenNumber", R"({"b":1})", boolean("b"), "error InvalidParameter b"},
        FieldCase{"Object", R"({"o":{"x":1,"y":2}})", object("o"), "object of 2"},
        FieldCase{"ObjectGivenArray", R"({"o":[]})", object("o"), "error InvalidParameter o"},
        FieldCase{"ObjectAbsent", R"({})", object("o"), "absent"},
        FieldCase{"Array", R"({"t":[1,2,3]})", array("t"), "array of 3"},
        FieldCase{"ArrayGivenObject", R"({"t":{}})", array("t"), "error InvalidParameter t"},
        FieldCase{"ArrayGivenString", R"({"t":"[]"})", array("t"), "error InvalidParameter t"},
        // Pinned: a repeated name keeps the last value.
        FieldCase{"DuplicateNameLastWins", R"({"a":"1","a":"2"})", string("a"), "\"2\""}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace keyport::api
