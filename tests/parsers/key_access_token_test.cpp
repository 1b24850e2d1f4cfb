// The key-token reader (NAVER's x-ncp-ocapi-token) on its own: bodies written byte by byte
// from the layout KeyAccessToken::issue writes (magic "KPKT", kind, issued time, bounded
// flag, expiry, 16-byte nonce, four length-prefixed strings), then cut, altered and
// stretched; the text layer ("kpkt1." + base64); and the on-token MAC check with a real
// SoftHSM token. The claims are read before the MAC is checked, so every malformed body
// must be refused here by the reader itself.
#include <gtest/gtest.h>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/tenancy/key_access_token.h"
#include "tests/hsm/softhsm_fixture.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

const char kMagic[] = "4b504b54";  // "KPKT"
const char kIssued[] = "0000000065000000";
const char kExpiry[] = "01 0000000065003840";  // bounded, issued + 4 h
const char kNoEnd[] = "00 0000000000000000";   // "UL"
const char kNonce[] = "00112233445566778899aabbccddeeff";
const std::string kTag(52, 'a');

hsm::Bytes field(std::string_view s) {
    return concat({hsm::Bytes{static_cast<std::uint8_t>(s.size())}, hsm::asBytes(s)});
}

hsm::Bytes body(std::uint8_t kind, const char* expiry = kExpiry, std::string_view tag = kTag,
                std::string_view region = "global") {
    return concat({hex(kMagic), hsm::Bytes{kind}, hex(kIssued), hex(expiry), hex(kNonce),
                   field("demo-domain"), field("p1"), field(region), field(tag)});
}

hsm::Bytes cut(hsm::Bytes b, std::size_t n) {
    b.resize(b.size() - n);
    return b;
}

hsm::Bytes changed(hsm::Bytes b, std::size_t at, std::uint8_t v) {
    b.at(at) = v;
    return b;
}

template <typename Read>
void expectRefused(Read read, const std::string& why) {
    try {
        read();
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::Unauthorized);
        EXPECT_EQ(std::string(e.what()), "the key token is invalid: " + why);
    }
}

struct BodyCase {
    const char* name;
    hsm::Bytes input;
    bool accepted;
    const char* why;
};

void PrintTo(const BodyCase& c, std::ostream* os) {
    *os << c.name;
}

class KeyTokenBody : public ::testing::TestWithParam<BodyCase> {};

TEST_P(KeyTokenBody, GivesTheClaimsOrRejects) {
    const BodyCase& c = GetParam();
    if (!c.accepted) {
        expectRefused([&] { KeyAccessToken::parseBody(c.input); }, c.why);
        return;
    }
    const KeyAccessToken t = KeyAccessToken::parseBody(c.input);
    EXPECT_EQ(t.domainId, "demo-domain");
    EXPECT_EQ(t.projectId, "p1");
    EXPECT_EQ(t.issuedAt, 0x65000000);
    // The fuzz target reads "kpkt1." + base64 of a body and a 32-byte MAC, or a bare body.
    seedCorpus("key_access_token", c.name, c.input);
    const std::string text =
        "kpkt1." + base64Encode(concat({c.input, hsm::Bytes(KeyAccessToken::kMacSize, 0x5a)}));
    seedCorpus("key_access_token", std::string("text") + c.name, hsm::asBytes(text));
}

const std::size_t kStrings = 4 + 1 + 8 + 1 + 8 + 16;  // where the strings start

INSTANTIATE_TEST_SUITE_P(
    Vectors, KeyTokenBody,
    ::testing::Values(
        BodyCase{"Access", body(1), true, nullptr}, BodyCase{"Refresh", body(2), true, nullptr},
        BodyCase{"Unlimited", body(1, kNoEnd), true, nullptr},
        BodyCase{"EmptyTag", body(1, kExpiry, ""), true, nullptr},
        BodyCase{"MagicChanged", changed(body(1), 0, 'X'), false, "not a Keyport key token"},
        BodyCase{"KindZero", body(0), false, "unknown kind"},
        BodyCase{"KindThree", body(3), false, "unknown kind"},
        BodyCase{"BoundedFlagTwo", changed(body(1), 4 + 1 + 8, 2), false, "malformed expiry"},
        BodyCase{"Empty", {}, false, "truncated"},
        BodyCase{"MagicOnly", hex(kMagic), false, "truncated"},
        BodyCase{"CutInNonce", cut(body(1), body(1).size() - kStrings + 4), false, "truncated"},
        BodyCase{"LastStringCutByOne", cut(body(1), 1), false, "truncated"},
        BodyCase{"TagLengthOverEnd", changed(body(1), body(1).size() - 53, 0xff), false,
                 "truncated"},
        BodyCase{"TagLengthShort", changed(body(1), body(1).size() - 53, 50), false,
                 "trailing bytes"},
        BodyCase{"TrailingByte", concat({body(1), hex("00")}), false, "trailing bytes"}),
    [](const auto& p) { return std::string(p.param.name); });

struct TextCase {
    const char* name;
    std::string input;
    std::size_t size;  // decoded bytes, or 0: refused with `why`
    const char* why;
};

void PrintTo(const TextCase& c, std::ostream* os) {
    *os << c.name;
}

class KeyTokenText : public ::testing::TestWithParam<TextCase> {};

TEST_P(KeyTokenText, DecodesOrRejects) {
    const TextCase& c = GetParam();
    if (c.size == 0) {
        expectRefused([&] { KeyAccessToken::decodeText(c.input); }, c.why);
        return;
    }
    EXPECT_EQ(KeyAccessToken::decodeText(c.input).size(), c.size);
}

// 74 bytes: the least body (empty strings) and its MAC.
const std::string kShortest = "kpkt1." + base64Encode(hsm::Bytes(74, 0));

INSTANTIATE_TEST_SUITE_P(
    Vectors, KeyTokenText,
    ::testing::Values(
        TextCase{"Shortest", kShortest, 74, nullptr},
        TextCase{"OneByteTooShort", "kpkt1." + base64Encode(hsm::Bytes(73, 0)), 0, "too short"},
        TextCase{"Empty", "", 0, "not a Keyport key token"},
        TextCase{"PrefixOnly", "kpkt1.", 0, "too short"},
        TextCase{"OtherPrefix", "kpkt2." + kShortest.substr(6), 0, "not a Keyport key token"},
        TextCase{"NoPrefix", kShortest.substr(6), 0, "not a Keyport key token"},
        TextCase{"NotBase64", "kpkt1.!" + kShortest.substr(7), 0, "not base64"},
        TextCase{"Oversized", "kpkt1." + std::string(2043, 'A'), 0, "not a Keyport key token"}),
    [](const auto& p) { return std::string(p.param.name); });

class KeyTokenOnToken : public ::testing::Test {
  protected:
    void SetUp() override {
        region_.name = "global";
        region_.token =
            std::make_unique<hsm::Token>(testModule(), kTestLabel, secret(kTestUserPin));
        region_.mac = region_.token->withOwnerSession([](hsm::Session& s) {
            return hsm::generateGenericSecret(
                s, 32, hsm::policy::customerHmacKey(hsm::Persistence::Session));
        });
    }
    Region region_;
};

TEST_F(KeyTokenOnToken, IssuedTokenVerifiesAndAnyChangedByteIsRefused) {
    KeyAccessToken t;
    t.kind = KeyAccessToken::Kind::Refresh;
    t.domainId = "demo-domain";
    t.projectId = "p1";
    t.region = "global";
    t.keyTag = kTag;
    t.issuedAt = 1000;
    t.expiresAt = 5000;
    const std::string text = t.issue(region_);
    EXPECT_NE(text, t.issue(region_)) << "the nonce makes every token new";
    const KeyAccessToken back = KeyAccessToken::verifyIn(region_, text);
    EXPECT_EQ(back.kind, KeyAccessToken::Kind::Refresh);
    EXPECT_EQ(back.keyTag, kTag);
    EXPECT_EQ(back.expiresAt, std::optional<std::int64_t>(5000));

    const hsm::Bytes raw = KeyAccessToken::decodeText(text);
    for (std::size_t at :
         {std::size_t{5}, std::size_t{14}, std::size_t{30}, raw.size() - 40, raw.size() - 1}) {
        hsm::Bytes altered = raw;
        altered[at] ^= 0x01;
        try {
            KeyAccessToken::verifyIn(region_, "kpkt1." + base64Encode(altered));
            ADD_FAILURE() << "byte " << at << " changed and accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::Unauthorized) << "byte " << at;
        }
    }
    t.region = "KR";
    expectRefused([&] { KeyAccessToken::verifyIn(region_, t.issue(region_)); },
                  "names another region");
}

}  // namespace
}  // namespace keyport::test
