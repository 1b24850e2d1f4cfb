// The Huawei body readers that take more than one field, on their own: the bytes a
// ciphertext is bound to (additional_authenticated_data / encryption_context), the KMS and
// CSMS tag filters and grant principals. Accepted rows seed the json fuzz target, which
// runs the same readers on any body.
#include <gtest/gtest.h>

#include <functional>

#include "service/api/huawei/csms_api.h"
#include "service/api/huawei/kms_call.h"
#include "service/core/base/errors.h"
#include "tests/parsers/vectors.h"

namespace keyport::api::huawei {
namespace {

struct AadCase {
    const char* name;
    std::string body;
    std::optional<std::string> bound;  // else Error(InvalidParameter)
};

void PrintTo(const AadCase& c, std::ostream* os) {
    *os << c.name;
}

class AssociatedData : public ::testing::TestWithParam<AadCase> {};

TEST_P(AssociatedData, BindsOrRefuses) {
    const AadCase& c = GetParam();
    const JsonBody body = JsonBody::parse(c.body);
    if (c.bound) {
        EXPECT_EQ(associatedData(body), *c.bound);
        test::seedCorpus("json", std::string("aad") + c.name, hsm::asBytes(c.body));
    } else {
        try {
            associatedData(body);
            ADD_FAILURE() << "accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::InvalidParameter);
        }
    }
}

const std::string nul(1, '\0');

INSTANTIATE_TEST_SUITE_P(
    Huawei, AssociatedData,
    ::testing::Values(
        AadCase{"None", "{}", ""},
        AadCase{"EmptyAad", R"({"additional_authenticated_data":""})", ""},
        AadCase{"Aad", R"({"additional_authenticated_data":"order-17"})", "order-17"},
        AadCase{"EmptyContext", R"({"encryption_context":{}})", ""},
        AadCase{"ContextSorted", R"({"encryption_context":{"b":"2","a":"1"}})",
                nul + R"({"a":"1","b":"2"})"},
        AadCase{"ContextEscapes", R"({"encryption_context":{"q\"":"\n\u00e9"}})",
                nul + "{\"q\\\"\":\"\\n\xc3\xa9\"}"},
        AadCase{"Both", R"({"additional_authenticated_data":"x","encryption_context":{"a":"1"}})",
                std::nullopt},
        AadCase{"ContextNumber", R"({"encryption_context":{"a":1}})", std::nullopt},
        AadCase{"AadLeadingNul", R"({"additional_authenticated_data":"\u0000x"})", std::nullopt},
        AadCase{"AadTooLong",
                R"({"additional_authenticated_data":")" + std::string(129, 'a') + R"("})",
                std::nullopt},
        AadCase{"ContextTooLong",
                R"({"encryption_context":{"a":")" + std::string(8200, 'a') + R"("}})",
                std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

struct FilterCase {
    const char* name;
    std::string body;
    bool kmsAccepts;
    bool csmsAccepts;
};

void PrintTo(const FilterCase& c, std::ostream* os) {
    *os << c.name;
}

class TagFilters : public ::testing::TestWithParam<FilterCase> {};

bool accepts(const std::function<void()>& f) {
    try {
        f();
        return true;
    } catch (const Error& e) {
        EXPECT_TRUE(e.code() == ErrorCode::InvalidParameter ||
                    e.code() == ErrorCode::MissingParameter);
        return false;
    }
}

TEST_P(TagFilters, ReadOrRefuse) {
    const FilterCase& c = GetParam();
    const JsonBody body = JsonBody::parse(c.body);
    EXPECT_EQ(accepts([&] { tagFilter(body); }), c.kmsAccepts) << "KMS";
    EXPECT_EQ(accepts([&] { secretTagFilter(body); }), c.csmsAccepts) << "CSMS";
    if (c.kmsAccepts || c.csmsAccepts)
        test::seedCorpus("json", std::string("tags") + c.name, hsm::asBytes(c.body));
}

INSTANTIATE_TEST_SUITE_P(
    Huawei, TagFilters,
    ::testing::Values(
        FilterCase{"Empty", "{}", true, true},
        FilterCase{"KeyAndValues",
                   R"({"action":"filter","tags":[{"key":"env","values":["prod","dev"]}],)"
                   R"("matches":[{"key":"resource_name","value":"db"}]})",
                   true, true},
        FilterCase{"NotAnObject", R"({"tags":["env"]})", false, false},
        FilterCase{"KeyNotAString", R"({"tags":[{"key":1}]})", false, false},
        FilterCase{"ValueNotAString", R"({"tags":[{"key":"a","values":[1]}]})", false, false},
        FilterCase{"KmsKeyTwice", R"({"tags":[{"key":"a"},{"key":"a"}]})", false, true},
        FilterCase{"KmsBadKeyCharacter", R"({"tags":[{"key":"a=b"}]})", false, true},
        FilterCase{"ElevenKeys",
                   R"({"tags":[{"key":"a"},{"key":"b"},{"key":"c"},{"key":"d"},{"key":"e"},)"
                   R"({"key":"f"},{"key":"g"},{"key":"h"},{"key":"i"},{"key":"j"},{"key":"k"}]})",
                   false, false},
        FilterCase{"MatchOtherKey", R"({"matches":[{"key":"name","value":"x"}]})", false, false}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(GrantPrincipal, TakesOneToSixtyFourOfTheIdAlphabet) {
    EXPECT_EQ(checkedPrincipal("AKID_0-x", "grantee_principal"), "AKID_0-x");
    EXPECT_EQ(checkedPrincipal(std::string(64, 'a'), "grantee_principal"), std::string(64, 'a'));
    for (const std::string& bad :
         {std::string(), std::string(65, 'a'), std::string("a b"), std::string("a/b"),
          std::string("a\0b", 3), std::string("\xc3\xa9")}) {
        try {
            checkedPrincipal(bad, "retiring_principal");
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::InvalidParameter);
        }
    }
    test::seedCorpus(
        "json", "grantPrincipals",
        hsm::asBytes(R"({"key_id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f",)"
                     R"("grantee_principal":"AKID_0-x","grantee_principal_type":"user",)"
                     R"("operations":["encrypt-data"],"retiring_principal":"d1"})"));
}

}  // namespace
}  // namespace keyport::api::huawei
