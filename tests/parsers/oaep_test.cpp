// oaepDecode on its own: blocks made by OpenSSL's RSA-OAEP (encrypt, then raw RSA decrypt
// gives the padded block), then truncated, altered, decoded with the wrong hash.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <functional>
#include <memory>

#include "service/core/tokens/oaep.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Ctx = std::unique_ptr<EVP_PKEY_CTX, CtxFree>;

EVP_PKEY* rsa2048() {
    static Pkey key(EVP_RSA_gen(2048));
    return key.get();
}

const EVP_MD* md(hsm::Hash h) {
    return h == hsm::Hash::Sha1 ? EVP_sha1() : EVP_sha256();
}

// The 256-byte OAEP block of `message` as OpenSSL pads it (random seed), with `label`.
hsm::Bytes opensslBlock(hsm::ByteView message, hsm::Hash hash, std::string_view label = {}) {
    Ctx enc(EVP_PKEY_CTX_new(rsa2048(), nullptr));
    EXPECT_EQ(EVP_PKEY_encrypt_init(enc.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(enc.get(), RSA_PKCS1_OAEP_PADDING), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_oaep_md(enc.get(), md(hash)), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_mgf1_md(enc.get(), md(hash)), 1);
    if (!label.empty()) {
        auto* l = static_cast<unsigned char*>(OPENSSL_memdup(label.data(), label.size()));
        EXPECT_EQ(EVP_PKEY_CTX_set0_rsa_oaep_label(enc.get(), l, static_cast<int>(label.size())),
                  1);
    }
    hsm::Bytes ct(256);
    std::size_t ctLen = ct.size();
    EXPECT_EQ(EVP_PKEY_encrypt(enc.get(), ct.data(), &ctLen, message.data(), message.size()), 1);

    Ctx dec(EVP_PKEY_CTX_new(rsa2048(), nullptr));
    EXPECT_EQ(EVP_PKEY_decrypt_init(dec.get()), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(dec.get(), RSA_NO_PADDING), 1);
    hsm::Bytes block(256);
    std::size_t blockLen = block.size();
    EXPECT_EQ(EVP_PKEY_decrypt(dec.get(), block.data(), &blockLen, ct.data(), ctLen), 1);
    EXPECT_EQ(blockLen, 256u);
    return block;
}

hsm::Bytes message(std::size_t n) {
    hsm::Bytes m(n);
    for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::uint8_t>(0xa5 ^ i);
    return m;
}

hsm::Bytes flip(hsm::Bytes b, std::size_t at) {
    b.at(at) ^= 0x01;
    return b;
}

struct OaepCase {
    const char* name;
    hsm::Hash decodeWith;
    std::function<hsm::Bytes()> block;
    std::optional<hsm::Bytes> expected;  // the message, or nullopt: rejected
};

void PrintTo(const OaepCase& c, std::ostream* os) {
    *os << c.name;
}

class OaepDecode : public ::testing::TestWithParam<OaepCase> {};

TEST_P(OaepDecode, GivesTheMessageOrRejects) {
    const OaepCase& c = GetParam();
    const hsm::Bytes block = c.block();
    const auto got = oaepDecode(block, c.decodeWith);
    if (!c.expected) {
        EXPECT_FALSE(got.has_value());
        return;
    }
    ASSERT_TRUE(got.has_value());
    const auto m = got->reveal();
    EXPECT_EQ(hsm::Bytes(m.begin(), m.end()), *c.expected);
    hsm::Bytes seed{static_cast<std::uint8_t>(c.decodeWith == hsm::Hash::Sha1 ? 0 : 1)};
    seedCorpus("oaep", c.name, concat({seed, block}));
}

using hsm::Hash;
constexpr std::size_t kMax256 = 256 - 2 * 32 - 2;  // 190: the longest message for SHA-256
constexpr std::size_t kMax1 = 256 - 2 * 20 - 2;    // 214 for SHA-1

INSTANTIATE_TEST_SUITE_P(
    Vectors, OaepDecode,
    ::testing::Values(
        // Good.
        OaepCase{"Sha256Key32", Hash::Sha256,
                 [] { return opensslBlock(message(32), Hash::Sha256); }, message(32)},
        OaepCase{"Sha1Key32", Hash::Sha1, [] { return opensslBlock(message(32), Hash::Sha1); },
                 message(32)},
        OaepCase{"Sha256EmptyMessage", Hash::Sha256, [] { return opensslBlock({}, Hash::Sha256); },
                 hsm::Bytes{}},
        OaepCase{"Sha256LongestMessage", Hash::Sha256,
                 [] { return opensslBlock(message(kMax256), Hash::Sha256); }, message(kMax256)},
        OaepCase{"Sha1LongestMessage", Hash::Sha1,
                 [] { return opensslBlock(message(kMax1), Hash::Sha1); }, message(kMax1)},
        // Wrong hash (the "version" of an OAEP block) and a label we never use.
        OaepCase{"Sha1BlockDecodedAsSha256", Hash::Sha256,
                 [] { return opensslBlock(message(32), Hash::Sha1); }, std::nullopt},
        OaepCase{"Sha256BlockDecodedAsSha1", Hash::Sha1,
                 [] { return opensslBlock(message(32), Hash::Sha256); }, std::nullopt},
        OaepCase{"NonEmptyLabel", Hash::Sha256,
                 [] { return opensslBlock(message(32), Hash::Sha256, "label"); }, std::nullopt},
        // One byte changed: the leading zero, the masked seed, the masked lHash, the
        // separator region, the message.
        OaepCase{"LeadingByteNotZero", Hash::Sha256,
                 [] { return flip(opensslBlock(message(32), Hash::Sha256), 0); }, std::nullopt},
        OaepCase{"SeedByteChanged", Hash::Sha256,
                 [] { return flip(opensslBlock(message(32), Hash::Sha256), 5); }, std::nullopt},
        OaepCase{"LHashByteChanged", Hash::Sha256,
                 [] { return flip(opensslBlock(message(32), Hash::Sha256), 1 + 32 + 3); },
                 std::nullopt},
        OaepCase{"PaddingByteChanged", Hash::Sha256,
                 [] { return flip(opensslBlock(message(32), Hash::Sha256), 256 - 32 - 10); },
                 std::nullopt},
        OaepCase{"LastMessageByteChanged", Hash::Sha256,
                 [] { return flip(opensslBlock(message(32), Hash::Sha256), 255); }, std::nullopt},
        // Truncated, over-long, empty, too short for any message.
        OaepCase{"TruncatedByOneByte", Hash::Sha256,
                 [] {
                     auto b = opensslBlock(message(32), Hash::Sha256);
                     b.pop_back();
                     return b;
                 },
                 std::nullopt},
        OaepCase{"ExtraLeadingZero", Hash::Sha256,
                 [] {
                     auto b = opensslBlock(message(32), Hash::Sha256);
                     b.insert(b.begin(), 0);
                     return b;
                 },
                 std::nullopt},
        OaepCase{"ExtraTrailingByte", Hash::Sha256,
                 [] {
                     auto b = opensslBlock(message(32), Hash::Sha256);
                     b.push_back(0);
                     return b;
                 },
                 std::nullopt},
        OaepCase{"Empty", Hash::Sha256, [] { return hsm::Bytes{}; }, std::nullopt},
        OaepCase{"ShorterThanTwoHashesPlusTwo", Hash::Sha256, [] { return hsm::Bytes(65, 0); },
                 std::nullopt},
        OaepCase{"AllZeroBlock", Hash::Sha256, [] { return hsm::Bytes(256, 0); }, std::nullopt}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace keyport::test
