// Shamir over GF(256) (service/core/ceremony/shamir.h) against FIPS-197's field vectors and
// a split derived by hand; every M-subset rebuilds, fewer shares leave every secret byte
// equally likely; the share-file and manifest formats round-trip and refuse any changed byte.
#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <string>

#include "service/core/ceremony/backup_bundle.h"
#include "service/core/ceremony/shamir.h"
#include "service/core/ceremony/share_file.h"
#include "service/core/ceremony/strict_lines.h"

namespace keyport::test {
namespace {

using namespace keyport::shamir;
using ceremony::CeremonyFileError;

hsm::SecretBytes bytesOf(std::initializer_list<std::uint8_t> b) {
    const hsm::Bytes v(b);
    return hsm::SecretBytes(hsm::ByteView(v));
}

// A fixed "RNG" that hands out the given bytes in order.
RandomSource fixedRandom(hsm::Bytes bytes) {
    return [bytes](std::size_t n) {
        EXPECT_EQ(n, bytes.size());
        return hsm::SecretBytes(hsm::ByteView(bytes));
    };
}

// Not the token's RNG (these tests need no token): a seeded Mersenne Twister is enough to
// exercise reconstruction; the secrecy property is tested exhaustively below.
RandomSource counterRandom() {
    return [](std::size_t n) {
        static std::mt19937 rng(20261202);
        hsm::SecretBytes out(n);
        for (auto& b : out.reveal()) b = static_cast<std::uint8_t>(rng() & 0xff);
        return out;
    };
}

hsm::Bytes plain(const hsm::SecretBytes& s) {
    const auto v = s.reveal();
    return hsm::Bytes(v.begin(), v.end());
}

TEST(GaloisField, Fips197Vectors) {
    EXPECT_EQ(gfMul(0x57, 0x83), 0xc1);  // FIPS-197 4.2
    EXPECT_EQ(gfMul(0x57, 0x13), 0xfe);  // FIPS-197 4.2.1
    EXPECT_EQ(gfInv(0x53), 0xca);        // FIPS-197 5.1.1
    EXPECT_EQ(gfInv(0), 0);
    for (unsigned a = 1; a < 256; ++a) {
        EXPECT_EQ(gfMul(static_cast<std::uint8_t>(a), gfInv(static_cast<std::uint8_t>(a))), 1) << a;
    }
}

// f(x) = 1 + 2x + 3x^2 by hand: f(1) = 1^2^3 = 0; f(2) = 1 ^ 4 ^ 3*4 = 1^4^0c = 09;
// f(3) = 1 ^ 2*3 ^ 3*(3*3) = 1 ^ 6 ^ 3*5 = 1^6^0f = 08.
TEST(Shamir, SplitMatchesHandDerivedVector) {
    const auto shares = split(bytesOf({0x01}), 3, 3, fixedRandom({0x02, 0x03}));
    ASSERT_EQ(shares.size(), 3u);
    EXPECT_EQ(shares[0].index, 1);
    EXPECT_EQ(plain(shares[0].value), hsm::Bytes{0x00});
    EXPECT_EQ(plain(shares[1].value), hsm::Bytes{0x09});
    EXPECT_EQ(plain(shares[2].value), hsm::Bytes{0x08});
    EXPECT_EQ(plain(combine(shares)), hsm::Bytes{0x01});
}

TEST(Shamir, EveryThresholdSubsetRebuilds) {
    hsm::SecretBytes secret(32);
    for (std::size_t i = 0; i < 32; ++i) secret.reveal()[i] = static_cast<std::uint8_t>(i * 7 + 1);
    for (unsigned n = 2; n <= 6; ++n) {
        for (unsigned m = 2; m <= n; ++m) {
            const auto shares = split(secret, n, m, counterRandom());
            for (unsigned mask = 1; mask < (1u << n); ++mask) {
                std::vector<Share> subset;
                for (unsigned i = 0; i < n; ++i) {
                    if (mask & (1u << i)) {
                        subset.push_back(
                            {shares[i].index, hsm::SecretBytes(shares[i].value.reveal())});
                    }
                }
                const auto rebuilt = combine(subset);
                if (subset.size() >= m) {
                    EXPECT_EQ(plain(rebuilt), plain(secret))
                        << m << "-of-" << n << " mask " << mask;
                } else {
                    EXPECT_NE(plain(rebuilt), plain(secret))
                        << m << "-of-" << n << " mask " << mask;
                }
            }
        }
    }
}

// Two shares of a 3-of-N split: for every candidate secret byte exactly one pair of
// coefficients yields exactly these two shares, so they say nothing about the secret.
TEST(Shamir, FewerThanThresholdSharesFitEverySecretEqually) {
    const std::uint8_t y1 = 0x5a, y2 = 0xc3;  // shares at x = 1 and x = 2
    for (unsigned s = 0; s < 256; ++s) {
        unsigned fits = 0;
        for (unsigned a1 = 0; a1 < 256; ++a1) {
            for (unsigned a2 = 0; a2 < 256; ++a2) {
                const auto f = [&](std::uint8_t x) {
                    return static_cast<std::uint8_t>(
                        s ^ gfMul(static_cast<std::uint8_t>(a1), x) ^
                        gfMul(static_cast<std::uint8_t>(a2), gfMul(x, x)));
                };
                if (f(1) == y1 && f(2) == y2) ++fits;
            }
        }
        ASSERT_EQ(fits, 1u) << "secret byte " << s;
    }
}

TEST(Shamir, RefusesBadArguments) {
    const auto secret = bytesOf({1, 2, 3});
    EXPECT_THROW(split(secret, 3, 4, counterRandom()), std::invalid_argument);
    EXPECT_THROW(split(secret, 256, 2, counterRandom()), std::invalid_argument);
    EXPECT_THROW(split(secret, 3, 0, counterRandom()), std::invalid_argument);
    EXPECT_THROW(split(hsm::SecretBytes(), 3, 2, counterRandom()), std::invalid_argument);
    auto shares = split(secret, 3, 2, counterRandom());
    std::vector<Share> twice;
    twice.push_back({shares[0].index, hsm::SecretBytes(shares[0].value.reveal())});
    twice.push_back({shares[0].index, hsm::SecretBytes(shares[0].value.reveal())});
    EXPECT_THROW(combine(twice), std::invalid_argument);
    std::vector<Share> zero;
    zero.push_back({0, bytesOf({1, 2, 3})});
    EXPECT_THROW(combine(zero), std::invalid_argument);
    EXPECT_THROW(combine(std::vector<Share>{}), std::invalid_argument);
}

ceremony::ShareFile sampleShare() {
    ceremony::ShareFile f;
    f.backupId = "00112233445566778899aabbccddeeff";
    f.region = "cn-north-4";
    f.tokenLabel = "keyport-cn-north-4";
    f.threshold = 3;
    f.shares = 5;
    f.custodian = "Alice Example";
    f.share.index = 2;
    f.share.value = hsm::SecretBytes(32);
    for (std::size_t i = 0; i < 32; ++i) f.share.value.reveal()[i] = static_cast<std::uint8_t>(i);
    return f;
}

TEST(ShareFile, RoundTrips) {
    auto f = sampleShare();
    const auto text = ceremony::renderShareFile(f);
    const auto back = ceremony::parseShareFile(text, "share");
    EXPECT_EQ(back.backupId, f.backupId);
    EXPECT_EQ(back.region, f.region);
    EXPECT_EQ(back.tokenLabel, f.tokenLabel);
    EXPECT_EQ(back.threshold, 3u);
    EXPECT_EQ(back.shares, 5u);
    EXPECT_EQ(back.custodian, "Alice Example");
    EXPECT_EQ(back.share.index, 2);
    EXPECT_EQ(plain(back.share.value), plain(f.share.value));
    EXPECT_EQ(back.check, f.check);
    EXPECT_EQ(f.check.size(), 16u);
}

TEST(ShareFile, EveryChangedByteIsRefused) {
    auto f = sampleShare();
    const auto text = ceremony::renderShareFile(f);
    const std::string good(text.revealString());
    for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = bad[i] == 'a' ? 'b' : 'a';
        try {
            ceremony::parseShareFile(hsm::SecretBytes::fromString(bad), "share-2");
            ADD_FAILURE() << "byte " << i << " changed was accepted";
        } catch (const CeremonyFileError& e) {
            const std::string what = e.what();
            EXPECT_EQ(what.rfind("share-2", 0), 0u) << what;
            // Outside the check line (and the newline that starts it) the message says
            // what happened.
            if (i + 1 < good.rfind("check: ")) {
                EXPECT_NE(what.find("check value does not match"), std::string::npos) << what;
            }
        }
    }
}

struct BadShareRow {
    const char* name;
    std::string from, to;
};

TEST(ShareFile, StrictFormatRows) {
    auto f = sampleShare();
    const std::string good(ceremony::renderShareFile(f).revealString());
    // Edits that keep a valid check value (recomputed) must still be refused by the format.
    const BadShareRow rows[] = {
        {"index beyond shares", "index: 2\n", "index: 6\n"},
        {"index zero", "index: 2\n", "index: 0\n"},
        {"threshold above shares", "threshold: 3\n", "threshold: 6\n"},
        {"leading zero", "threshold: 3\n", "threshold: 03\n"},
        {"short backup id", "backup-id: 00112233445566778899aabbccddeeff\n", "backup-id: 0011\n"},
        {"uppercase share hex", "share: 00", "share: 0A"},
        {"unknown version", "keyport-backup-share 1\n", "keyport-backup-share 2\n"},
        {"missing custodian", "custodian: Alice Example\n", ""},
        {"extra line", "shares: 5\n", "shares: 5\nnote: hi\n"},
    };
    for (const auto& row : rows) {
        std::string bad = good;
        const auto at = bad.find(row.from);
        ASSERT_NE(at, std::string::npos) << row.name;
        bad.replace(at, row.from.size(), row.to);
        // Re-seal the edited text with a correct check value.
        const auto checkAt = bad.rfind("check: ");
        bad = bad.substr(0, checkAt) +
              "check: " + ceremony::sha256Hex(hsm::asBytes(bad.substr(0, checkAt))).substr(0, 16) +
              "\n";
        EXPECT_THROW(ceremony::parseShareFile(hsm::SecretBytes::fromString(bad), "s"),
                     CeremonyFileError)
            << row.name;
    }
}

ceremony::BackupManifest sampleManifest() {
    ceremony::BackupManifest m;
    m.backupId = "00112233445566778899aabbccddeeff";
    m.region = "cn-north-4";
    m.tokenLabel = "keyport-cn-north-4";
    m.created = "2026-12-02T00:31:12Z";
    m.threshold = 2;
    m.shares = 3;
    m.custodians = {"a", "b b", "c"};
    m.backupKeyCheck = "a1b2c3";
    m.objects.push_back({"keyport-kek",
                         CKO_SECRET_KEY,
                         CKK_AES,
                         {0x01, 0x02},
                         ceremony::BackupObject::Form::Wrapped,
                         hsm::Bytes(40, 0xab)});
    m.objects.push_back({"keyport-transport",
                         CKO_PUBLIC_KEY,
                         CKK_RSA,
                         {},
                         ceremony::BackupObject::Form::Spki,
                         hsm::Bytes(300, 0x30)});
    m.notBackedUp = {"keyport-mac"};
    return m;
}

TEST(Manifest, RoundTripsAndRefusesAnyChangedByte) {
    const auto text = ceremony::renderManifest(sampleManifest());
    const auto m = ceremony::parseManifest(text, "manifest");
    EXPECT_EQ(ceremony::renderManifest(m), text);
    ASSERT_EQ(m.objects.size(), 2u);
    EXPECT_EQ(m.objects[0].id, (hsm::Bytes{0x01, 0x02}));
    EXPECT_EQ(m.objects[1].form, ceremony::BackupObject::Form::Spki);
    EXPECT_EQ(m.notBackedUp, std::vector<std::string>{"keyport-mac"});
    for (std::size_t i = 0; i < text.size(); i += 7) {
        std::string bad = text;
        bad[i] = bad[i] == '0' ? '1' : '0';
        EXPECT_THROW(ceremony::parseManifest(bad, "manifest"), CeremonyFileError) << i;
    }
    EXPECT_THROW(ceremony::parseManifest(text + "x\n", "manifest"), CeremonyFileError);
    EXPECT_THROW(ceremony::parseManifest(text.substr(0, text.size() - 1), "manifest"),
                 CeremonyFileError);
}

}  // namespace
}  // namespace keyport::test
