// TransferBlob::decode on its own: v1 blobs written byte by byte from the layout in
// transfer_blob.h, then cut, altered and stretched.
#include <gtest/gtest.h>

#include "service/core/replication/transfer_blob.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

struct Decoded {
    hsm::Hash oaepHash;
    CK_KEY_TYPE keyType;
    hsm::Bytes wrappedEphemeral;
    hsm::Bytes wrappedKey;
};

struct BlobCase {
    const char* name;
    hsm::Bytes input;
    std::optional<Decoded> expected;  // nullopt: rejected
};

void PrintTo(const BlobCase& c, std::ostream* os) {
    *os << c.name;
}

class TransferBlobDecode : public ::testing::TestWithParam<BlobCase> {};

TEST_P(TransferBlobDecode, GivesTheFieldsOrRejects) {
    const BlobCase& c = GetParam();
    const auto got = TransferBlob::decode(c.input);
    if (!c.expected) {
        EXPECT_FALSE(got.has_value());
        return;
    }
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->oaepHash, c.expected->oaepHash);
    EXPECT_EQ(got->keyType, c.expected->keyType);
    EXPECT_EQ(got->wrappedEphemeral, c.expected->wrappedEphemeral);
    EXPECT_EQ(got->wrappedKey, c.expected->wrappedKey);
    EXPECT_EQ(got->encode(), c.input) << "encode(decode(x)) must give x back";
    seedCorpus("transfer_blob", c.name, c.input);
}

hsm::Bytes maxEphemeral() {  // length field 0xffff, 65 535 bytes of ephemeral, 1 of key
    hsm::Bytes b = hex("01 01 0000001f ffff");
    b.resize(8 + 0xffff, 0xee);
    b.push_back(0x77);
    return b;
}

INSTANTIATE_TEST_SUITE_P(
    Vectors, TransferBlobDecode,
    ::testing::Values(
        // version | hash | key type (CKK_AES = 0x1f) | n | ephemeral (n) | key (rest)
        BlobCase{"Sha256Aes", hex("01 02 0000001f 0003 aabbcc dd"),
                 Decoded{hsm::Hash::Sha256, CKK_AES, hex("aabbcc"), hex("dd")}},
        BlobCase{"Sha1Aes", hex("01 01 0000001f 0001 aa ddeeff"),
                 Decoded{hsm::Hash::Sha1, CKK_AES, hex("aa"), hex("ddeeff")}},
        BlobCase{"Sha1GenericSecret", hex("01 01 00000010 0002 aabb cc"),
                 Decoded{hsm::Hash::Sha1, CKK_GENERIC_SECRET, hex("aabb"), hex("cc")}},
        BlobCase{"LongestEphemeral", maxEphemeral(),
                 Decoded{hsm::Hash::Sha1, CKK_AES, hsm::Bytes(0xffff, 0xee), hex("77")}},
        // The key type is carried, not checked here (importKey's template decides).
        BlobCase{"KeyTypeByteChangedIsCarried", hex("01 02 0100001f 0003 aabbcc dd"),
                 Decoded{hsm::Hash::Sha256, 0x0100001f, hex("aabbcc"), hex("dd")}},
        // Wrong version or hash.
        BlobCase{"VersionZero", hex("00 02 0000001f 0003 aabbcc dd"), std::nullopt},
        BlobCase{"VersionTwo", hex("02 02 0000001f 0003 aabbcc dd"), std::nullopt},
        BlobCase{"HashZero", hex("01 00 0000001f 0003 aabbcc dd"), std::nullopt},
        BlobCase{"HashThree", hex("01 03 0000001f 0003 aabbcc dd"), std::nullopt},
        // Truncated at every boundary.
        BlobCase{"Empty", {}, std::nullopt}, BlobCase{"VersionOnly", hex("01"), std::nullopt},
        BlobCase{"HeaderWithoutLength", hex("01 02 0000001f 00"), std::nullopt},
        BlobCase{"HeaderOnly", hex("01 02 0000001f 0003"), std::nullopt},
        BlobCase{"EphemeralCut", hex("01 02 0000001f 0003 aabb"), std::nullopt},
        BlobCase{"NoWrappedKey", hex("01 02 0000001f 0003 aabbcc"), std::nullopt},
        // Length field altered.
        BlobCase{"EphemeralLengthZero", hex("01 02 0000001f 0000 aabbcc dd"), std::nullopt},
        BlobCase{"EphemeralLengthOverRest", hex("01 02 0000001f 0004 aabbcc dd"), std::nullopt},
        BlobCase{"EphemeralLengthMaxOnShortBlob", hex("01 02 0000001f ffff aabbcc dd"),
                 std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace keyport::test
