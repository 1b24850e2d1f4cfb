// Ciphertext::decode on its own: format 4 (AES-GCM naming its material version), format 1
// (AES-GCM from before rotation: material version 1) and 2/3 (RSA-OAEP) ciphertexts written
// byte by byte from the layout in ciphertext.h, then cut, altered and stretched; and the
// associated data each format binds.
#include <gtest/gtest.h>

#include "service/core/keys/ciphertext.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

constexpr char kKeyId[] = "0d5b4a5e-7f3c-4c1e-9a2b-8e6f1d2c3b4a";

hsm::Bytes ct(std::uint8_t version, std::string_view keyId, std::string_view restHex) {
    return concat({hsm::Bytes{version}, hsm::asBytes(keyId), hex(restHex)});
}

const char kIv[] = "000102030405060708090a0b";
const char kTag[] = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

struct Decoded {
    std::uint8_t version;
    hsm::Bytes iv;
    hsm::Bytes payload;
    std::uint32_t materialVersion = 1;
};

struct CiphertextCase {
    const char* name;
    hsm::Bytes input;
    std::optional<Decoded> expected;  // nullopt: rejected
};

void PrintTo(const CiphertextCase& c, std::ostream* os) {
    *os << c.name;
}

class CiphertextDecode : public ::testing::TestWithParam<CiphertextCase> {};

TEST_P(CiphertextDecode, GivesTheFieldsOrRejects) {
    const CiphertextCase& c = GetParam();
    const auto got = Ciphertext::decode(c.input);
    if (!c.expected) {
        EXPECT_FALSE(got.has_value());
        return;
    }
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->version, c.expected->version);
    EXPECT_EQ(got->keyId, kKeyId);
    EXPECT_EQ(got->iv, c.expected->iv);
    EXPECT_EQ(got->payload, c.expected->payload);
    EXPECT_EQ(got->materialVersion, c.expected->materialVersion);
    EXPECT_TRUE(got->context.empty());
    EXPECT_EQ(got->encode(), c.input) << "encode(decode(x)) must give x back";
    seedCorpus("ciphertext", c.name, c.input);
}

std::string withChar(std::string s, std::size_t at, char c) {
    s.at(at) = c;
    return s;
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, CiphertextDecode,
    ::testing::Values(
        CiphertextCase{"VersionedOneByte",
                       ct(4, kKeyId, std::string("00000001") + kIv + "5a" + kTag),
                       Decoded{4, hex(kIv), hex(std::string("5a") + kTag), 1}},
        CiphertextCase{"VersionedEmptyPlaintext",
                       ct(4, kKeyId, std::string("00000003") + kIv + kTag),
                       Decoded{4, hex(kIv), hex(kTag), 3}},
        CiphertextCase{"VersionedHighVersion", ct(4, kKeyId, std::string("01020304") + kIv + kTag),
                       Decoded{4, hex(kIv), hex(kTag), 0x01020304}},
        CiphertextCase{"VersionedMaxVersion", ct(4, kKeyId, std::string("ffffffff") + kIv + kTag),
                       Decoded{4, hex(kIv), hex(kTag), 0xffffffff}},
        CiphertextCase{"AesGcmOneByte", ct(1, kKeyId, std::string(kIv) + "5a" + kTag),
                       Decoded{1, hex(kIv), hex(std::string("5a") + kTag)}},
        CiphertextCase{"AesGcmEmptyPlaintext", ct(1, kKeyId, std::string(kIv) + kTag),
                       Decoded{1, hex(kIv), hex(kTag)}},
        CiphertextCase{"RsaOaepSha256", ct(2, kKeyId, "c0ffee"), Decoded{2, {}, hex("c0ffee")}},
        CiphertextCase{"RsaOaepSha1", ct(3, kKeyId, "c0ffee"), Decoded{3, {}, hex("c0ffee")}},
        // Wrong version.
        CiphertextCase{"VersionZero", ct(0, kKeyId, std::string(kIv) + kTag), std::nullopt},
        CiphertextCase{"VersionFive", ct(5, kKeyId, std::string("00000001") + kIv + kTag),
                       std::nullopt},
        // Format 4 without a version, with version 0 (versions start at 1), or cut short.
        CiphertextCase{"VersionedNoMaterialVersion", ct(4, kKeyId, ""), std::nullopt},
        CiphertextCase{"VersionedMaterialVersionCut", ct(4, kKeyId, "000001"), std::nullopt},
        CiphertextCase{"VersionedMaterialVersionZero",
                       ct(4, kKeyId, std::string("00000000") + kIv + kTag), std::nullopt},
        CiphertextCase{"VersionedNoIv", ct(4, kKeyId, "00000001"), std::nullopt},
        CiphertextCase{
            "VersionedTagCutByOne",
            ct(4, kKeyId, std::string("00000001") + kIv + std::string(kTag).substr(0, 30)),
            std::nullopt},
        CiphertextCase{"VersionFf", ct(0xff, kKeyId, "c0ffee"), std::nullopt},
        // Truncated.
        CiphertextCase{"Empty", {}, std::nullopt},
        CiphertextCase{"VersionOnly", hex("01"), std::nullopt},
        CiphertextCase{"KeyIdCut", ct(1, std::string_view(kKeyId).substr(0, 35), ""), std::nullopt},
        CiphertextCase{"AesGcmNoIv", ct(1, kKeyId, ""), std::nullopt},
        CiphertextCase{"AesGcmTagCutByOne",
                       ct(1, kKeyId, std::string(kIv) + std::string(kTag).substr(0, 30)),
                       std::nullopt},
        CiphertextCase{"RsaNoBlock", ct(2, kKeyId, ""), std::nullopt},
        // One byte of the key id changed.
        CiphertextCase{"KeyIdDashReplaced",
                       ct(1, withChar(kKeyId, 8, '0'), std::string(kIv) + kTag), std::nullopt},
        CiphertextCase{"KeyIdUpperCase", ct(1, withChar(kKeyId, 0, 'D'), std::string(kIv) + kTag),
                       std::nullopt},
        CiphertextCase{"KeyIdNotHex", ct(1, withChar(kKeyId, 0, 'z'), std::string(kIv) + kTag),
                       std::nullopt},
        CiphertextCase{"KeyIdNul", ct(1, withChar(kKeyId, 3, '\0'), std::string(kIv) + kTag),
                       std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

// The associated data: format 1 keeps exactly what it bound before rotation existed (so old
// ciphertexts verify), format 4 adds the material version after the key id, both then the
// caller's context.
TEST(CiphertextAssociatedData, BindsFormatKeyIdVersionAndContext) {
    Ciphertext legacy;
    legacy.version = Ciphertext::kAesGcm;
    legacy.keyId = kKeyId;
    legacy.context = hex("637478");  // "ctx"
    EXPECT_EQ(legacy.associatedData(),
              concat({hsm::Bytes{1}, hsm::asBytes(kKeyId), hsm::asBytes("ctx")}));

    Ciphertext current = legacy;
    current.version = Ciphertext::kAesGcmVersioned;
    current.materialVersion = 0x0102;
    EXPECT_EQ(current.associatedData(),
              concat({hsm::Bytes{4}, hsm::asBytes(kKeyId), hex("00000102"), hsm::asBytes("ctx")}));
    Ciphertext other = current;
    other.materialVersion = 0x0103;
    EXPECT_NE(other.associatedData(), current.associatedData())
        << "a ciphertext cannot be moved to another material version";
}

}  // namespace
}  // namespace keyport::test
