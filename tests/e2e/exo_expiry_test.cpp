// How far ahead an EXO2-HMAC-SHA256 signature may expire, against a real keyportd with the
// default bound (exoscale.signature_max_lifetime_seconds = 900; issue 11, Exoscale 7): what
// Exoscale's clients send (ten minutes ahead) works, year 33658 and the bound + 1 s get 401.
#include <gtest/gtest.h>

#include "tests/e2e/exo_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

constexpr std::int64_t kBound = 900;

ExoResult listKeys(std::int64_t expires) {
    return exoCall(server().port(), "GET", "/v2/kms-key", "", {KeyportServer::demo(), {}, expires});
}

void expectRefused(const ExoResult& r, const std::string& phrase, const std::string& what) {
    EXPECT_EQ(r.status, 401) << what << ": " << r.body;
    EXPECT_EQ(r.str("title"), "Unauthorized") << what << ": " << r.body;
    EXPECT_NE(r.str("detail").find(phrase), std::string::npos) << what << ": " << r.body;
}

TEST(ExoSignatureExpiry, TenMinutesAheadIsAccepted) {
    const auto r = listKeys(nowSeconds() + 600);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(listKeys(nowSeconds() + kBound).status, 200);  // the server's clock only moves on
}

TEST(ExoSignatureExpiry, Year33658IsRefused) {
    expectRefused(listKeys(999999999999), "too far ahead", "expires in year 33658");
}

TEST(ExoSignatureExpiry, OneSecondPastTheBoundIsRefused) {
    // Refused only if keyportd reads the same second as the test did; a second that ticks
    // between the two makes the row ambiguous, so it is sent again (a few times at most).
    for (int attempt = 0; attempt < 5; ++attempt) {
        const std::int64_t before = nowSeconds();
        const auto r = listKeys(before + kBound + 1);
        if (nowSeconds() != before) continue;
        expectRefused(r, "too far ahead", "expires = now + 901 s");
        EXPECT_NE(r.str("detail").find("900 seconds"), std::string::npos) << r.body;
        return;
    }
    FAIL() << "the clock ticked during every attempt";
}

TEST(ExoSignatureExpiry, ExpiredIsRefused) {
    expectRefused(listKeys(nowSeconds() - 1), "has expired", "expired a second ago");
}

}  // namespace
}  // namespace keyport::test
