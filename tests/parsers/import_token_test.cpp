// The import-token reader on its own: bodies written byte by byte from the layout that
// ImportToken::issue writes (magic "KPIT", version 1, algorithm, issued and expiry time,
// 16-byte nonce, four length-prefixed strings), then cut, altered and stretched; and the
// on-token MAC check with a real SoftHSM token.
#include <gtest/gtest.h>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/import/import_token.h"
#include "tests/hsm/softhsm_fixture.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

const char kMagicV1[] = "4b504954 01";                      // "KPIT", version 1
const char kTimes[] = "0000000065000000 0000000065015180";  // issued, issued + 24 h
const char kNonce[] = "00112233445566778899aabbccddeeff";
const char kKeyId[] = "0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4a";

hsm::Bytes field(std::string_view s) {
    return concat({hsm::Bytes{static_cast<std::uint8_t>(s.size())}, hsm::asBytes(s)});
}

// A v1 body: `alg` is the algorithm byte, then the four strings.
hsm::Bytes body(std::uint8_t alg, std::string_view key = kKeyId, std::string_view project = "p1",
                std::string_view region = "cn-north-4", std::string_view pair = "pair-7") {
    return concat({hex(kMagicV1), hsm::Bytes{alg}, hex(kTimes), hex(kNonce), field(key),
                   field(project), field(region), field(pair)});
}

hsm::Bytes cut(hsm::Bytes b, std::size_t n) {
    b.resize(b.size() - n);
    return b;
}

hsm::Bytes changed(hsm::Bytes b, std::size_t at, std::uint8_t v) {
    b.at(at) = v;
    return b;
}

struct BodyCase {
    const char* name;
    hsm::Bytes input;
    std::optional<ImportToken> expected;  // or rejected with Error(ImportTokenInvalid, why)
    const char* why;
};

void PrintTo(const BodyCase& c, std::ostream* os) {
    *os << c.name;
}

ImportToken claims(WrappingAlgorithm alg, std::string key = kKeyId,
                   std::string region = "cn-north-4") {
    ImportToken t;
    t.keyId = std::move(key);
    t.projectId = "p1";
    t.region = std::move(region);
    t.pairId = "pair-7";
    t.algorithm = alg;
    t.issuedAt = 0x65000000;
    t.expiresAt = 0x65015180;
    return t;
}

// The one way the reader refuses: ImportTokenInvalid about the import token, saying why.
template <typename Read>
void expectRefused(Read read, const std::string& why) {
    try {
        read();
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::ImportTokenInvalid);
        EXPECT_EQ(std::string(e.what()), "is invalid: " + why);
        EXPECT_EQ(e.input(), Input::ImportToken);
    }
}

class ImportTokenBody : public ::testing::TestWithParam<BodyCase> {};

TEST_P(ImportTokenBody, GivesTheClaimsOrRejects) {
    const BodyCase& c = GetParam();
    if (!c.expected) {
        expectRefused([&] { ImportToken::parseBody(c.input); }, c.why);
        return;
    }
    const ImportToken t = ImportToken::parseBody(c.input);
    EXPECT_EQ(t.keyId, c.expected->keyId);
    EXPECT_EQ(t.projectId, c.expected->projectId);
    EXPECT_EQ(t.region, c.expected->region);
    EXPECT_EQ(t.pairId, c.expected->pairId);
    EXPECT_EQ(t.algorithm, c.expected->algorithm);
    EXPECT_EQ(t.issuedAt, c.expected->issuedAt);
    EXPECT_EQ(t.expiresAt, c.expected->expiresAt);
    // The fuzz target reads a body followed by a 32-byte MAC, as base64 text.
    const std::string text = base64Encode(concat({c.input, hsm::Bytes(32, 0x5a)}));
    seedCorpus("import_token", c.name, hsm::asBytes(text));
    seedCorpus("import_token", std::string("body") + c.name, c.input);
}

using WA = WrappingAlgorithm;
const std::size_t kNonceEnd = 4 + 1 + 1 + 16 + 16;  // where the strings start

INSTANTIATE_TEST_SUITE_P(
    Vectors, ImportTokenBody,
    ::testing::Values(
        BodyCase{"Sha256", body(2), claims(WA::RsaOaepSha256), nullptr},
        BodyCase{"Sha1", body(1), claims(WA::RsaOaepSha1), nullptr},
        BodyCase{"EmptyStrings", body(2, "", "", "", ""),
                 [] {
                     ImportToken empty = claims(WA::RsaOaepSha256, "", "");
                     empty.projectId = empty.pairId = "";
                     return empty;
                 }(),
                 nullptr},
        BodyCase{"LongestKeyId", body(2, std::string(255, 'k')),
                 claims(WA::RsaOaepSha256, std::string(255, 'k')), nullptr},
        // Wrong magic, version, algorithm.
        BodyCase{"MagicChanged", changed(body(2), 0, 'X'), std::nullopt, "bad format"},
        BodyCase{"VersionZero", changed(body(2), 4, 0), std::nullopt, "unknown version"},
        BodyCase{"VersionTwo", changed(body(2), 4, 2), std::nullopt, "unknown version"},
        BodyCase{"AlgorithmZero", body(0), std::nullopt, "unknown algorithm"},
        BodyCase{"AlgorithmThree", body(3), std::nullopt, "unknown algorithm"},
        // Truncated.
        BodyCase{"Empty", {}, std::nullopt, "truncated"},
        BodyCase{"MagicOnly", hex("4b504954"), std::nullopt, "truncated"},
        BodyCase{"CutInTimes", cut(body(2), body(2).size() - 10), std::nullopt, "truncated"},
        BodyCase{"CutAfterNonce", cut(body(2), body(2).size() - kNonceEnd), std::nullopt,
                 "truncated"},
        BodyCase{"LastStringCutByOne", cut(body(2), 1), std::nullopt, "truncated"},
        BodyCase{"LastStringMissing", cut(body(2), 7), std::nullopt, "truncated"},
        // A length byte changed: over the end, or short so bytes are left over.
        BodyCase{"KeyIdLengthOverEnd", changed(body(2), kNonceEnd, 0xff), std::nullopt,
                 "truncated"},
        BodyCase{"PairLengthShort", changed(body(2), body(2).size() - 7, 5), std::nullopt,
                 "trailing bytes"},
        // Over-long.
        BodyCase{"TrailingByte", concat({body(2), hex("00")}), std::nullopt, "trailing bytes"}),
    [](const auto& p) { return std::string(p.param.name); });

struct TextCase {
    const char* name;
    std::string input;
    std::size_t size;  // of the decoded bytes, or 0: rejected with Error(ImportTokenInvalid, why)
    const char* why;
};

void PrintTo(const TextCase& c, std::ostream* os) {
    *os << c.name;
}

class ImportTokenText : public ::testing::TestWithParam<TextCase> {};

TEST_P(ImportTokenText, DecodesOrRejects) {
    const TextCase& c = GetParam();
    if (c.size == 0) {
        expectRefused([&] { ImportToken::decodeText(c.input); }, c.why);
        return;
    }
    EXPECT_EQ(ImportToken::decodeText(c.input).size(), c.size);
}

// 70 bytes: magic, version, algorithm, times, nonce, MAC — the least a body+MAC can be.
const std::string kShortest = base64Encode(hsm::Bytes(70, 0));

INSTANTIATE_TEST_SUITE_P(
    Vectors, ImportTokenText,
    ::testing::Values(TextCase{"Shortest", kShortest, 70, nullptr},
                      TextCase{"Issued", base64Encode(concat({body(2), hsm::Bytes(32, 0)})),
                               body(2).size() + 32, nullptr},
                      TextCase{"OneByteTooShort", base64Encode(hsm::Bytes(69, 0)), 0, "too short"},
                      TextCase{"Empty", "", 0, "too short"},
                      TextCase{"NotBase64", "!" + kShortest.substr(1), 0, "not base64"},
                      TextCase{"Base64Url", "-" + kShortest.substr(1), 0, "not base64"},
                      TextCase{"Truncated", kShortest.substr(0, kShortest.size() - 1), 0,
                               "not base64"},
                      TextCase{"Whitespace", " " + kShortest.substr(1), 0, "not base64"}),
    [](const auto& p) { return std::string(p.param.name); });

// The whole of verify against a real token: a token it issued is accepted, one byte
// changed anywhere is refused before the claims are read.
class ImportTokenOnToken : public ::testing::Test {
  protected:
    void SetUp() override {
        region_.name = "cn-north-4";
        region_.token =
            std::make_unique<hsm::Token>(testModule(), kTestLabel, secret(kTestUserPin));
        region_.mac = region_.token->withOwnerSession([](hsm::Session& s) {
            return hsm::generateGenericSecret(
                s, 32, hsm::policy::customerHmacKey(hsm::Persistence::Session));
        });
    }
    Region region_;
};

TEST_F(ImportTokenOnToken, IssuedTokenVerifiesAndAnyChangedByteIsRefused) {
    ImportToken claims0 = claims(WA::RsaOaepSha1);
    // Pair ids are UUIDs: with them any region name gives Huawei's 200-character floor.
    claims0.pairId = "5f0e9c1a-3b2d-4e8f-a7c6-1d2e3f4a5b6c";
    claims0.region = "KR";
    const std::string text = claims0.issue(region_);
    EXPECT_GE(text.size(), 200u);
    const ImportToken back = ImportToken::verify(region_, text);
    EXPECT_EQ(back.keyId, claims0.keyId);
    EXPECT_EQ(back.region, claims0.region);
    EXPECT_EQ(back.pairId, claims0.pairId);
    EXPECT_EQ(back.algorithm, WA::RsaOaepSha1);
    EXPECT_EQ(back.expiresAt, claims0.expiresAt);

    const hsm::Bytes raw = *base64Decode(text);
    for (std::size_t at :
         {std::size_t{0}, std::size_t{5}, std::size_t{30}, raw.size() - 40, raw.size() - 1}) {
        hsm::Bytes altered = raw;
        altered[at] ^= 0x01;
        try {
            ImportToken::verify(region_, base64Encode(altered));
            ADD_FAILURE() << "byte " << at << " changed and accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::ImportTokenInvalid);
            EXPECT_STREQ(e.what(), "is invalid: not issued by this region, or altered")
                << "byte " << at;
        }
    }
}

}  // namespace
}  // namespace keyport::test
