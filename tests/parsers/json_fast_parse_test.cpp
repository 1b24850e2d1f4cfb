// fastParseObject against Poco::JSON::Parser: whatever the fast parser accepts, Poco accepts
// too and builds the same tree (same names, value types and values); everything else the
// fast parser leaves to Poco (null). Inputs: generated documents and byte mutations of them.
#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <random>

#include "service/api/json.h"
#include "service/api/json_fast_parse.h"
#include "service/api/json_screen.h"
#include "service/core/base/errors.h"

namespace keyport::api {
namespace {

std::string describe(const Poco::Dynamic::Var& v) {
    const std::type_info& t = v.type();
    if (v.isEmpty()) return "N";
    if (t == typeid(Poco::JSON::Object::Ptr)) {
        const auto o = v.extract<Poco::JSON::Object::Ptr>();
        std::string out = "O{";
        for (const auto& n : o->getNames()) out += quote(n) + ":" + describe(o->get(n)) + ",";
        return out + "}";
    }
    if (t == typeid(Poco::JSON::Array::Ptr)) {
        const auto a = v.extract<Poco::JSON::Array::Ptr>();
        std::string out = "A[";
        for (std::size_t i = 0; i < a->size(); ++i)
            out += describe(a->get(static_cast<unsigned>(i))) + ",";
        return out + "]";
    }
    if (t == typeid(std::string)) return "S" + quote(v.extract<std::string>());
    if (t == typeid(Poco::Int64)) return "I" + std::to_string(v.extract<Poco::Int64>());
    if (t == typeid(Poco::UInt64)) return "U" + std::to_string(v.extract<Poco::UInt64>());
    if (t == typeid(bool)) return v.extract<bool>() ? "Btrue" : "Bfalse";
    return std::string("?") + t.name() + ":" + v.toString();
}

std::optional<std::string> poco(const std::string& in) {
    try {
        Poco::JSON::Parser p;
        const auto v = p.parse(in);
        if (v.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
        return describe(v);
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

struct Gen {
    std::mt19937 rng{7};
    unsigned pick(unsigned n) { return static_cast<unsigned>(rng() % n); }

    std::string ws() {
        static const char* w[] = {"", "", "", " ", "\n", "\t", "\r\n  ", "\f", "\v"};
        return w[pick(9)];
    }
    std::string str() {
        static const std::vector<std::string> pieces{
            "a",       "key_id", "0",        " ",       "/",       "\x7f",
            "\\\"",    "\\\\",   "\\n",      "\\u0041", "\\u00e9", "\\ud83d\\udd11",
            "\\ud800", "\\x",    "\xc3\xa9", "\xff",    "\t",      std::string(1, '\0'),
            "~",       "{",      "]"};
        std::string s = "\"";
        const unsigned n = pick(6);
        for (unsigned i = 0; i < n; ++i) s += pick(3) == 0 ? pieces[pick(21)] : "abc";
        return s + "\"";
    }
    std::string number() {
        static const char* nums[] = {"0",
                                     "-0",
                                     "7",
                                     "-12",
                                     "01",
                                     "1.5",
                                     "1e3",
                                     "-1E-2",
                                     "123456789012345678",
                                     "-123456789012345678",
                                     "1234567890123456789",
                                     "9223372036854775807",
                                     "9223372036854775808",
                                     "-9223372036854775808",
                                     "18446744073709551615",
                                     "18446744073709551616",
                                     "-",
                                     "+1",
                                     "1.",
                                     ".5",
                                     "00"};
        return nums[pick(21)];
    }
    std::string value(int depth) {
        switch (pick(depth < 20 ? 9 : 6)) {
            case 0:
                return str();
            case 1:
                return number();
            case 2:
                return pick(2) ? "true" : "false";
            case 3:
                return "null";
            case 4:
                return str();
            case 5:
                return number();
            case 6:
            case 7:
                return obj(depth + 1);
            default: {
                std::string s = "[" + ws();
                const unsigned n = pick(4);
                for (unsigned i = 0; i < n; ++i)
                    s += (i ? "," + ws() : "") + value(depth + 1) + ws();
                return s + "]";
            }
        }
    }
    std::string obj(int depth) {
        std::string s = "{" + ws();
        const unsigned n = pick(5);
        for (unsigned i = 0; i < n; ++i) {
            s += (i ? "," + ws() : "") + (pick(4) == 0 ? std::string("\"dup\"") : str()) + ws() +
                 ":" + ws() + value(depth) + ws();
        }
        return s + "}";
    }
    std::string mutate(std::string s) {
        const unsigned edits = 1 + pick(3);
        for (unsigned e = 0; e < edits && !s.empty(); ++e) {
            const std::size_t at = pick(static_cast<unsigned>(s.size()));
            static const char bytes[] = "{}[]\",:0-ae \\\x01\xff";
            const char b = pick(4) == 0 ? static_cast<char>(pick(256)) : bytes[pick(16)];
            switch (pick(3)) {
                case 0:
                    s[at] = b;
                    break;
                case 1:
                    s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), b);
                    break;
                default:
                    s.erase(at, 1);
            }
        }
        return s;
    }
};

void check(const std::string& in, int& fastAccepted) {
    const auto fast = fastParseObject(in);
    if (!fast) return;
    ++fastAccepted;
    const auto reference = poco(in);
    ASSERT_TRUE(reference.has_value()) << "fast accepted what Poco refuses: " << quote(in);
    ASSERT_EQ(describe(Poco::Dynamic::Var(fast)), *reference) << quote(in);
}

TEST(JsonFastParse, SameTreeAsPocoOrLeftToPoco) {
    Gen g;
    int accepted = 0;
    int mutatedAccepted = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::string doc = g.ws() + g.obj(0) + g.ws();
        check(doc, accepted);
        check(g.mutate(doc), mutatedAccepted);
    }
    // The subset is most bodies: a generator this rich still lands in it often.
    EXPECT_GT(accepted, 2000);
    EXPECT_GT(mutatedAccepted, 200);
}

TEST(JsonFastParse, TypicalBodiesTakeTheFastPath) {
    for (const std::string& in : std::vector<std::string>{
             R"({"key_id":"0b0e0c0b-0e0c-40aa-8bb0-c0d0e0f01234","plain_text":"kkkk"})",
             R"({"a":1,"b":2,"c":true,"d":false,"e":null,"f":[1,"x",{"g":[]}]})", std::string("{}"),
             std::string(" {\n\t\"a\" : 123456789012345678 } ")}) {
        const auto fast = fastParseObject(in);
        ASSERT_TRUE(fast) << in;
        EXPECT_EQ(describe(Poco::Dynamic::Var(fast)), *poco(in));
    }
}

TEST(JsonFastParse, LeavesEverythingOutsideItsSubsetToPoco) {
    for (const std::string& in : std::vector<std::string>{
             R"({"a":"\n"})", "{\"a\":\"\xc3\xa9\"}", R"({"a":1.5})", R"({"a":1e3})", R"({"a":-1})",
             R"({"a":1234567890123456789})", R"({"a":01})", R"({"a":1,})", R"({"a":1}x)", R"([1])",
             R"("s")", "", "{", R"({"a" 1})", R"({"a":tru})", "\xef\xbb\xbf{}", "{\"a\":\"\x01\"}",
             "{\f}"}) {
        EXPECT_FALSE(fastParseObject(in)) << quote(in);
    }
    // Deep nesting goes to Poco too.
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += R"({"a":)";
    deep += "1";
    for (int i = 0; i < 40; ++i) deep += "}";
    EXPECT_FALSE(fastParseObject(deep));
}

TEST(JsonFastParse, JsonBodyReadsFastParsedFields) {
    const auto b = JsonBody::parse(R"({"s":"text","n":42,"t":true,"z":null,"o":{"k":"v"}})");
    EXPECT_EQ(b.string("s"), "text");
    EXPECT_EQ(b.optInteger("n", 0, 100), 42);
    EXPECT_EQ(b.optBool("t"), true);
    EXPECT_FALSE(b.has("z"));
    EXPECT_EQ(b.object("o")->getValue<std::string>("k"), "v");
    EXPECT_THROW(b.optInteger("s", 0, 1), keyport::Error);
}

}  // namespace
}  // namespace keyport::api

namespace keyport::api {
namespace {

// screenJson's string skipping (memchr for the quote, then for a backslash before it):
// escaped backslashes and quotes end or continue a string where JSON says.
TEST(JsonScreenStrings, EscapesEndStringsWhereJsonSays) {
    EXPECT_THROW(screenJson(R"({"a":"x\\","n":1e400})"), keyport::Error);  // \\ then the end
    EXPECT_NO_THROW(screenJson(R"({"a":"x\\\"1e400"})"));                  // \\ \" : 1e400 is text
    EXPECT_NO_THROW(screenJson(R"({"a":"\"\"\"","b":1})"));
    EXPECT_THROW(screenJson(R"({"a":"\"","b":[1e999]})"), keyport::Error);
    EXPECT_NO_THROW(screenJson("{\"a\":\"x\\"));  // unterminated: the parser says so
    EXPECT_NO_THROW(screenJson("{\"a\":\"x\\\""));
    EXPECT_NO_THROW(screenJson(std::string("{\"a\":\"") + std::string(5000, 'k') + "\"}"));
}

}  // namespace
}  // namespace keyport::api
