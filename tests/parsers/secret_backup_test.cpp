// The CSMS secret backup's layout on its own (backup_format in secret_backup.h): a backup
// written field by field round-trips, and every cut, stretch or altered length is refused
// with the one InvalidParameter error, never a crash. (The MAC is checked on-token, in
// tests/e2e/csms_ops_test.cpp.)
#include <gtest/gtest.h>

#include "service/core/base/errors.h"
#include "service/core/secrets/secret_backup.h"
#include "tests/parsers/vectors.h"

namespace keyport::test {
namespace {

using namespace keyport::backup_format;

Contents sample() {
    Contents c;
    c.secret.domainId = "demo-domain";
    c.secret.name = "db-password";
    c.secret.description = "the database";
    c.secret.secretType = "RDS-FG";
    c.secret.autoRotation = true;
    c.secret.rotationPeriod = "30d";
    c.secret.rotationConfig = "{}";
    c.secret.rotatedMs = 1700000000123;
    c.secret.enterpriseProjectId = "0";
    c.secret.createdMs = 1600000000000;
    c.secret.nextVersion = 3;
    for (int i = 1; i <= 2; ++i) {
        Version v;
        v.v.versionId = "v" + std::to_string(i);
        v.v.seq = i;
        v.v.createdMs = 1600000000000 + i;
        v.v.expireMs = i == 1 ? 1800000000000 : 0;
        v.v.binary = i == 2;
        v.v.iv = hsm::Bytes(12, static_cast<std::uint8_t>(i));
        v.v.ciphertext = hex("00ff10");
        v.transfer = hex("0102 0000001f 0001 aa bb");
        c.versions.push_back(v);
    }
    c.stages = {{"SYSCURRENT", "v2"}, {"SYSPREVIOUS", "v1"}};
    return c;
}

hsm::Bytes withMac(hsm::Bytes unsignedPart) {
    unsignedPart.insert(unsignedPart.end(), kMacSize, 0x5a);
    return unsignedPart;
}

TEST(SecretBackupFormat, RoundTripsEveryField) {
    const Contents c = sample();
    const hsm::Bytes blob = withMac(encodeUnsigned("cn-north-4", c));
    const Framed f = frame(blob);
    EXPECT_EQ(f.region, "cn-north-4");
    EXPECT_EQ(f.signedPart.size(), blob.size() - kMacSize);
    EXPECT_EQ(hsm::Bytes(f.mac.begin(), f.mac.end()), hsm::Bytes(kMacSize, 0x5a));
    const Contents d = decodeBody(f.body);
    EXPECT_EQ(d.secret.domainId, c.secret.domainId);
    EXPECT_EQ(d.secret.name, c.secret.name);
    EXPECT_EQ(d.secret.description, c.secret.description);
    EXPECT_EQ(d.secret.secretType, c.secret.secretType);
    EXPECT_EQ(d.secret.autoRotation, c.secret.autoRotation);
    EXPECT_EQ(d.secret.rotationPeriod, c.secret.rotationPeriod);
    EXPECT_EQ(d.secret.rotationConfig, c.secret.rotationConfig);
    EXPECT_EQ(d.secret.rotatedMs, c.secret.rotatedMs);
    EXPECT_EQ(d.secret.enterpriseProjectId, c.secret.enterpriseProjectId);
    EXPECT_EQ(d.secret.createdMs, c.secret.createdMs);
    EXPECT_EQ(d.secret.nextVersion, c.secret.nextVersion);
    ASSERT_EQ(d.versions.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(d.versions[i].v.versionId, c.versions[i].v.versionId);
        EXPECT_EQ(d.versions[i].v.seq, c.versions[i].v.seq);
        EXPECT_EQ(d.versions[i].v.createdMs, c.versions[i].v.createdMs);
        EXPECT_EQ(d.versions[i].v.expireMs, c.versions[i].v.expireMs);
        EXPECT_EQ(d.versions[i].v.binary, c.versions[i].v.binary);
        EXPECT_EQ(d.versions[i].v.iv, c.versions[i].v.iv);
        EXPECT_EQ(d.versions[i].v.ciphertext, c.versions[i].v.ciphertext);
        EXPECT_EQ(d.versions[i].transfer, c.versions[i].transfer);
    }
    EXPECT_EQ(d.stages, c.stages);
    seedCorpus("secret_backup", "Sample", blob);
}

void expectRefused(hsm::ByteView blob, const std::string& what) {
    try {
        const Framed f = frame(blob);
        decodeBody(f.body);
        ADD_FAILURE() << what << ": accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::InvalidParameter) << what;
        EXPECT_EQ(e.input(), Input::Ciphertext) << what;
    }
}

TEST(SecretBackupFormat, EveryCutIsRefused) {
    const hsm::Bytes unsignedPart = encodeUnsigned("cn-north-4", sample());
    // Cutting the signed part anywhere (the MAC kept in place) leaves a length that overruns.
    for (std::size_t n = 0; n < unsignedPart.size(); ++n) {
        expectRefused(withMac(hsm::Bytes(unsignedPart.begin(),
                                         unsignedPart.begin() + static_cast<std::ptrdiff_t>(n))),
                      "cut at " + std::to_string(n));
    }
    expectRefused({}, "empty");
    expectRefused(hsm::Bytes(kMacSize, 0), "a MAC alone");
}

TEST(SecretBackupFormat, AlteredHeadersAndLengthsAreRefused) {
    const hsm::Bytes good = withMac(encodeUnsigned("r", sample()));
    const auto altered = [&](std::size_t at, std::uint8_t v) {
        hsm::Bytes b = good;
        b[at] = v;
        return b;
    };
    expectRefused(altered(0, 'X'), "magic");
    expectRefused(altered(4, 2), "format version 2");
    expectRefused(altered(4, 0), "format version 0");
    expectRefused(altered(5, 0xff), "region length past the end");
    expectRefused(altered(10, 0xff), "body length past the end");
    // A byte between the body and the MAC.
    hsm::Bytes stretched(good.begin(), good.end() - static_cast<std::ptrdiff_t>(kMacSize));
    stretched.push_back(0);
    expectRefused(withMac(stretched), "trailing byte before the MAC");
    // A body with a byte after its last stage.
    hsm::Bytes body = frame(good).body;
    body.push_back(0);
    hsm::Bytes reframed = concat({hex("4b505342 01 00000001"), bytesOf("r")});
    const auto n = static_cast<std::uint32_t>(body.size());
    for (int i = 3; i >= 0; --i) reframed.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    reframed.insert(reframed.end(), body.begin(), body.end());
    expectRefused(withMac(reframed), "trailing byte in the body");
}

// The encoder's edges as fuzz seeds: nothing at all (empty strings, no versions or stages),
// one version with empty bytes, and a body on its own (the target reads its input both ways).
TEST(SecretBackupFormat, EdgesRoundTrip) {
    const Contents empty;
    const hsm::Bytes emptyBlob = withMac(encodeUnsigned("", empty));
    const Contents e = decodeBody(frame(emptyBlob).body);
    EXPECT_TRUE(e.secret.name.empty() && e.versions.empty() && e.stages.empty());
    seedCorpus("secret_backup", "Empty", emptyBlob);

    Contents one;
    one.secret.name = "n";
    one.versions.push_back(Version{});
    one.versions.back().v.versionId = "v1";
    one.versions.back().v.binary = true;
    one.versions.back().v.expireMs = -1;
    one.stages = {{"SYSCURRENT", "v1"}};
    const hsm::Bytes oneBlob = withMac(encodeUnsigned("cn-south-1", one));
    const Contents o = decodeBody(frame(oneBlob).body);
    ASSERT_EQ(o.versions.size(), 1u);
    EXPECT_TRUE(o.versions[0].v.binary);
    EXPECT_EQ(o.versions[0].v.expireMs, -1);
    EXPECT_TRUE(o.versions[0].v.iv.empty() && o.versions[0].transfer.empty());
    seedCorpus("secret_backup", "OneEmptyVersion", oneBlob);
    seedCorpus("secret_backup", "SampleBodyAlone",
               frame(withMac(encodeUnsigned("r", sample()))).body);
}

// A flag (auto rotation, a version's binary) is 0 or 1 as written: any other byte would read
// as true and write back as 1, a second encoding of the same backup. Found by the fuzz target.
TEST(SecretBackupFormat, AFlagOtherThanZeroOrOneIsRefused) {
    Contents c;
    c.secret.secretType = "";  // every string empty, so the offsets below are fixed
    c.secret.enterpriseProjectId = "";
    c.versions.push_back(Version{});
    const hsm::Bytes good = encodeUnsigned("", c);
    // Frame header 13 bytes; body: four empty strings (16), then the auto rotation flag.
    const std::size_t autoRotation = 13 + 16;
    ASSERT_EQ(good[autoRotation], 0);
    for (const int v : {2, 0x80, 0xff}) {
        hsm::Bytes b = good;
        b[autoRotation] = static_cast<std::uint8_t>(v);
        expectRefused(withMac(b), "auto rotation flag " + std::to_string(v));
    }
    // The version's binary flag: the version id (4), seq, created, expire (24) after the
    // version count, which follows the rotation period and config, rotated ms, enterprise
    // project, created ms and next version.
    const std::size_t binary = autoRotation + 1 + 4 + 4 + 8 + 4 + 8 + 8 + 8 + 4 + 24;
    ASSERT_EQ(good[binary], 0);
    hsm::Bytes b = good;
    b[binary] = 1;
    EXPECT_TRUE(decodeBody(frame(withMac(b)).body).versions.at(0).v.binary);
    b[binary] = 2;
    expectRefused(withMac(b), "binary flag 2");
}

TEST(SecretBackupFormat, AHugeVersionCountIsRefusedWithoutAllocating) {
    Contents c = sample();
    c.versions.clear();
    c.stages.clear();
    hsm::Bytes blob = encodeUnsigned("r", c);
    // The version count is the body's last 16 bytes but 8 (then the stage count): set it huge.
    const std::size_t at = blob.size() - 16;
    for (std::size_t i = 0; i < 8; ++i) blob[at + i] = 0xff;
    expectRefused(withMac(blob), "version count 2^64-1");
}

}  // namespace
}  // namespace keyport::test
