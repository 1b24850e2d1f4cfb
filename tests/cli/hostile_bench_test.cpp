// `keyport bench hostile`, small: 50 idle and 50 header-trickling connections for 3 s with
// 1 s deadlines, end to end through the real binary. It passes only when the front door
// holds: no normal request fails, p99 under 50 ms, every attack connection closed by the
// server within its deadline, and threads, fds and RSS back to what they were.
#include <gtest/gtest.h>

#include <regex>

#include "tests/cli/cli_runner.h"

namespace keyport::test {
namespace {

TEST(HostileBench, SmallAttackMeetsEveryTarget) {
    CliRunner cli;
    cli.writeConfig("regions = alpha\nhsm.transport_key_bits = 2048\n");
    const auto r = cli.run({"bench", "hostile", "--idle", "50", "--trickle", "50", "--seconds", "3",
                            "--define", "server.header_timeout_ms=1000", "--define",
                            "server.keepalive_timeout_ms=1000"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(r.out.find("MISSED"), std::string::npos) << r.out;
    // Every target was judged (the deadlines fit in the 3 s run), and the attack happened.
    EXPECT_EQ(r.out.find("not judged"), std::string::npos) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("idle +connected 50/50")) &&
                std::regex_search(r.out, std::regex("trickling connected 50/50")))
        << r.out;
    EXPECT_TRUE(
        std::regex_search(r.out, std::regex("trickling connections closed by the server +50/50 ")))
        << r.out;
}

}  // namespace
}  // namespace keyport::test
