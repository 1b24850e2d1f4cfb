// The EXO2 `expires` bound on its own (issue 11, Exoscale 7): a signature must not have
// expired and must not expire further ahead than the configured lifetime, as a table.
#include <gtest/gtest.h>

#include "service/api/exoscale/exo_auth.h"

namespace keyport::api::exoscale {
namespace {

constexpr std::int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kMax = 900;         // the default of exoscale.signature_max_lifetime_seconds

struct ExpiresCase {
    const char* name;
    std::int64_t expires;
    bool accepted;
};

class ExpiresBound : public testing::TestWithParam<ExpiresCase> {};

TEST_P(ExpiresBound, AcceptsOnlyNowUpToTheLifetime) {
    const auto& c = GetParam();
    if (c.accepted) {
        EXPECT_NO_THROW(checkExpires(c.expires, kNow, kMax));
        return;
    }
    try {
        checkExpires(c.expires, kNow, kMax);
        ADD_FAILURE() << "expires=" << c.expires << " was accepted";
    } catch (const AuthError& e) {
        EXPECT_EQ(e.kind(), AuthFailure::Expired);
        EXPECT_NE(std::string(e.what()).find(c.expires < kNow ? "has expired" : "too far ahead"),
                  std::string::npos)
            << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, ExpiresBound,
    testing::Values(ExpiresCase{"Now", kNow, true},
                    // What Exoscale's clients send: ten minutes ahead.
                    ExpiresCase{"TenMinutesAhead", kNow + 600, true},
                    ExpiresCase{"AtTheBound", kNow + kMax, true},
                    ExpiresCase{"OneSecondPastTheBound", kNow + kMax + 1, false},
                    ExpiresCase{"OneSecondAgo", kNow - 1, false}, ExpiresCase{"Zero", 0, false},
                    // The measurement: year 33658 was accepted.
                    ExpiresCase{"Year33658", 999999999999, false}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(ExpiresBound, TheLifetimeIsTheConfiguredOne) {
    EXPECT_NO_THROW(checkExpires(kNow + 3600, kNow, 3600));
    EXPECT_THROW(checkExpires(kNow + 3601, kNow, 3600), AuthError);
    EXPECT_THROW(checkExpires(kNow + 2, kNow, 1), AuthError);
}

}  // namespace
}  // namespace keyport::api::exoscale
