// base64Decode, hexDecode and isUuid on their own: RFC 4648 §10 vectors, then cut,
// altered, padded wrong, and letters from outside the alphabet.
#include <gtest/gtest.h>

#include "service/core/base/encoding.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

struct TextCase {
    const char* name;
    std::string input;
    std::optional<hsm::Bytes> expected;  // the bytes, or nullopt: rejected
};

void PrintTo(const TextCase& c, std::ostream* os) {
    *os << c.name;
}

class Base64Decode : public ::testing::TestWithParam<TextCase> {};

TEST_P(Base64Decode, GivesTheBytesOrRejects) {
    const TextCase& c = GetParam();
    const auto got = base64Decode(c.input);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (!got) return;
    EXPECT_EQ(*got, *c.expected);
    seedCorpus("encoding", std::string("base64") + c.name, hsm::asBytes(c.input));
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, Base64Decode,
    ::testing::Values(
        // RFC 4648 §10.
        TextCase{"Empty", "", hsm::Bytes{}}, TextCase{"F", "Zg==", bytesOf("f")},
        TextCase{"Fo", "Zm8=", bytesOf("fo")}, TextCase{"Foo", "Zm9v", bytesOf("foo")},
        TextCase{"Foob", "Zm9vYg==", bytesOf("foob")},
        TextCase{"Fooba", "Zm9vYmE=", bytesOf("fooba")},
        TextCase{"Foobar", "Zm9vYmFy", bytesOf("foobar")},
        TextCase{"AllAlphabetEnds", "+/+/", hex("fbffbf")},
        // Pinned leniency: unused bits in the last group are not checked ("Zh==" is "f").
        TextCase{"NonZeroPadBitsAccepted", "Zh==", bytesOf("f")},
        // Truncated.
        TextCase{"MissingPadding", "Zg", std::nullopt},
        TextCase{"OnePadOfTwo", "Zg=", std::nullopt}, TextCase{"CutGroup", "Zm9vY", std::nullopt},
        // One character changed.
        TextCase{"PadInFirstPlace", "=m9v", std::nullopt},
        TextCase{"PadInSecondPlace", "Z=9v", std::nullopt},
        TextCase{"DataAfterPad", "Zm=v", std::nullopt},
        TextCase{"UrlSafeMinus", "Zm9-", std::nullopt},
        TextCase{"UrlSafeUnderscore", "Zm9_", std::nullopt},
        TextCase{"Space", "Zm 9", std::nullopt}, TextCase{"Newline", "Zm9\nYmFy", std::nullopt},
        TextCase{"Nul", std::string("Zm9\0", 4), std::nullopt},
        TextCase{"HighByte", "Zm9\xc3", std::nullopt},
        // Over-long.
        TextCase{"ThreePads", "Z===", std::nullopt},
        TextCase{"PadThenGroup", "Zg==Zm9v", std::nullopt},
        TextCase{"ExtraPadGroup", "Zm9v====", std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

class HexDecode : public ::testing::TestWithParam<TextCase> {};

TEST_P(HexDecode, GivesTheBytesOrRejects) {
    const TextCase& c = GetParam();
    const auto got = hexDecode(c.input);
    ASSERT_EQ(got.has_value(), c.expected.has_value());
    if (!got) return;
    EXPECT_EQ(*got, *c.expected);
    seedCorpus("encoding", std::string("hex") + c.name, hsm::asBytes(c.input));
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, HexDecode,
    ::testing::Values(TextCase{"Empty", "", hsm::Bytes{}},
                      TextCase{"Lower", "00ff7a", hsm::Bytes{0x00, 0xff, 0x7a}},
                      TextCase{"Upper", "00FF7A", hsm::Bytes{0x00, 0xff, 0x7a}},
                      TextCase{"OddLength", "00f", std::nullopt},
                      TextCase{"NotHexG", "0g", std::nullopt},
                      TextCase{"NotHexColonAfterNine", "0:", std::nullopt},
                      TextCase{"NotHexAt", "@0", std::nullopt},
                      TextCase{"Prefix0x", "0x00", std::nullopt},
                      TextCase{"Space", "00 ff", std::nullopt},
                      TextCase{"Nul", std::string("0\0", 2), std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

struct UuidCase {
    const char* name;
    std::string input;
    bool accepted;
};

void PrintTo(const UuidCase& c, std::ostream* os) {
    *os << c.name;
}

class IsUuid : public ::testing::TestWithParam<UuidCase> {};

TEST_P(IsUuid, AcceptsOnlyLowercaseHexWithDashes) {
    EXPECT_EQ(isUuid(GetParam().input), GetParam().accepted);
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, IsUuid,
    ::testing::Values(UuidCase{"Good", "0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4a", true},
                      UuidCase{"Fresh", newUuid(), true},
                      UuidCase{"UpperCase", "0D5B4A5E-7F3C-4C1E-9A2B-8E6F1D2C3B4A", false},
                      // Regression: letters after 'f' were accepted.
                      UuidCase{"LetterG", "gd5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4a", false},
                      UuidCase{"LetterZ", "0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4z", false},
                      UuidCase{"DashMoved", "0d5b4a5e7-f3c-4c1e-9a2b-8e6f1d2c3b4a", false},
                      UuidCase{"Truncated", "0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4", false},
                      UuidCase{"OverLong", "0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4a0", false},
                      UuidCase{"Braced", "{0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b}", false},
                      UuidCase{"Empty", "", false}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace keyport::test
