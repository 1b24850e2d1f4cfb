// api::stringify against Poco's own Object::stringify: the fast writer must emit exactly
// Poco's text for every value a handler builds (random strings of every byte, nesting,
// numbers at their limits, null, doubles).
#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <sstream>

#include "service/api/json.h"

namespace keyport::api {
namespace {

std::string poco(const Poco::JSON::Object::Ptr& o) {
    std::ostringstream s;
    o->stringify(s);
    return s.str();
}

std::string randomText(std::mt19937& rng) {
    static const std::vector<std::string> pieces{"a",
                                                 "Z",
                                                 "0",
                                                 " ",
                                                 "\"",
                                                 "\\",
                                                 "/",
                                                 "\x7f",
                                                 "\t",
                                                 "\n",
                                                 "\r",
                                                 "\b",
                                                 "\f",
                                                 std::string(1, '\0'),
                                                 "\x1b[31m",
                                                 "\xc3\xa9",
                                                 "\xe2\x82\xac",
                                                 "\xf0\x9f\x94\x91",
                                                 "\xff",
                                                 "\xc3",
                                                 "\x80\x80",
                                                 "\xed\xa0\x80",
                                                 "plain_text",
                                                 "{}",
                                                 "[]",
                                                 ":",
                                                 ","};
    std::string s;
    const int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
        if (rng() % 3 == 0) {
            s += static_cast<char>(rng() % 256);
        } else {
            s += pieces[rng() % pieces.size()];
        }
    }
    return s;
}

Poco::Dynamic::Var randomValue(std::mt19937& rng, int depth);

Poco::JSON::Object::Ptr randomObject(std::mt19937& rng, int depth, bool ordered) {
    Poco::JSON::Object::Ptr o =
        ordered ? object() : Poco::JSON::Object::Ptr(new Poco::JSON::Object());
    const int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) o->set(randomText(rng), randomValue(rng, depth + 1));
    return o;
}

Poco::Dynamic::Var randomValue(std::mt19937& rng, int depth) {
    switch (rng() % (depth < 3 ? 12 : 10)) {
        case 0:
            return Poco::Dynamic::Var();
        case 1:
            return rng() % 2 == 0;
        case 2:
            return static_cast<int>(rng() % 2000000001u) - 1000000000;  // both signs, no overflow
        case 3:
            return std::numeric_limits<std::int64_t>::min() + static_cast<std::int64_t>(rng() % 3);
        case 4:
            return std::numeric_limits<std::uint64_t>::max() - rng() % 3;
        case 5:
            return static_cast<double>(rng()) / 7.0;
        case 6:
            return std::to_string(rng());
        case 7:
            return static_cast<std::size_t>(rng());
        case 8:
        case 9:
            return randomText(rng);
        case 10:
            return randomObject(rng, depth, rng() % 2 == 0);
        default: {
            Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
            const int n = static_cast<int>(rng() % 5);
            for (int i = 0; i < n; ++i) a->add(randomValue(rng, depth + 1));
            return a;
        }
    }
}

TEST(JsonStringify, KnownObjectIsExact) {
    auto o = object();
    o->set("key_id", std::string("0b0e"));
    o->set("n", 7);
    o->set("big", std::numeric_limits<std::uint64_t>::max());
    o->set("neg", std::int64_t{-42});
    o->set("ok", true);
    o->set("none", Poco::Dynamic::Var());
    o->set("esc", std::string("a\"b\\c\n\x01\x7f/"));
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array();
    a->add(1);
    a->add(std::string("x"));
    a->add(object());
    o->set("list", a);
    EXPECT_EQ(stringify(o),
              R"({"key_id":"0b0e","n":7,"big":18446744073709551615,"neg":-42,"ok":true,)"
              R"("none":null,"esc":"a\"b\\c\n\u0001)"
              "\x7f"
              R"(/","list":[1,"x",{}]})");
}

TEST(JsonStringify, SameTextAsPocoForRandomValues) {
    std::mt19937 rng(12);
    for (int i = 0; i < 20000; ++i) {
        const auto o = randomObject(rng, 0, i % 3 != 0);
        ASSERT_EQ(stringify(o), poco(o)) << "case " << i;
    }
}

TEST(JsonStringify, LargeBodiesGrowTheBuffer) {
    auto o = object();
    const std::string big(100000, 'k');
    o->set("cipher_text", big);
    o->set("plain_text", std::string(5000, '\xe9'));
    EXPECT_EQ(stringify(o), poco(o));
    EXPECT_EQ(stringify(o).size(), poco(o).size());
}

}  // namespace
}  // namespace keyport::api
