// End-to-end tests of `keyport token init/status` and of the CLI's bad-input handling,
// against real SoftHSM tokens in a temp state dir.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/cli/cli_runner.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

const char* kLabRegions[] = {"cn-north-4", "cn-south-1", "ap-southeast-1", "ch-gva-2", "de-fra-1",
                             "KR",         "JPN",        "global"};

// Small and fast: two regions, RSA-2048 transport keys.
void useRegions(CliRunner& cli, const std::string& regions) {
    cli.writeConfig("regions = " + regions + "\nhsm.transport_key_bits = 2048\n");
}
void useTwoRegions(CliRunner& cli) {
    useRegions(cli, "alpha, beta");
}

int lineCount(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

TEST(TokenCli, LabConfigProvisionsEveryRegionAndStatusShowsThem) {
    CliRunner cli;
    auto init = cli.run({"token", "init"});
    ASSERT_EQ(init.exitCode, 0) << init.out;
    for (const char* region : kLabRegions) {
        EXPECT_TRUE(std::regex_search(init.out, std::regex(std::string("(^|\\n)") + region +
                                                           " +token keyport-\\S+ +created")))
            << region << "\n"
            << init.out;
    }

    auto status = cli.run({"token", "status"});
    ASSERT_EQ(status.exitCode, 0) << status.out;
    for (const char* region : kLabRegions) {
        EXPECT_TRUE(std::regex_search(status.out, std::regex(std::string("(^|\\n)") + region +
                                                             " +token keyport-\\S+ +provisioned")))
            << region << "\n"
            << status.out;
    }
    // SoftHSM 2.6.1: OAEP with SHA-1 only; the probe must say so for every region.
    EXPECT_EQ(std::count(status.out.begin(), status.out.end(), '\n') > 0, true);
    std::regex unavailable256(
        "unavailable: rsa-oaep-sha256 \\(C_\\w+ failed: CKR_ARGUMENTS_BAD\\)");
    EXPECT_EQ(
        std::distance(std::sregex_iterator(status.out.begin(), status.out.end(), unavailable256),
                      std::sregex_iterator()),
        8)
        << status.out;
    EXPECT_EQ(status.out.find("unavailable: rsa-oaep-sha1 "), std::string::npos) << status.out;
    EXPECT_EQ(status.out.find("static objects: missing"), std::string::npos) << status.out;
}

TEST(TokenCli, SecondInitChangesNothing) {
    CliRunner cli;
    useTwoRegions(cli);
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    const auto before = cli.tokenFiles();
    ASSERT_GE(before.size(), 2u * 4u);  // per token: generation, token.object/.lock, objects

    auto again = cli.run({"token", "init"});
    ASSERT_EQ(again.exitCode, 0) << again.out;
    EXPECT_NE(again.out.find("alpha            token keyport-alpha                unchanged"),
              std::string::npos)
        << again.out;
    EXPECT_NE(again.out.find("nothing changed"), std::string::npos) << again.out;
    // Same files, byte for byte (SoftHSM itself touches the mtime of `generation` whenever
    // any application loads it; the contents stay).
    EXPECT_EQ(cli.tokenFiles(), before);
}

TEST(TokenCli, PinFilesArePrivate) {
    CliRunner cli;
    useTwoRegions(cli);
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    int pins = 0;
    for (const auto& e : fs::directory_iterator(cli.stateDir() / "pins")) {
        struct stat st {};
        ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u) << e.path();
        ++pins;
    }
    EXPECT_EQ(pins, 4);  // SO and user PIN per region
    struct stat st {};
    ASSERT_EQ(::stat((cli.stateDir() / "pins").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(TokenCli, NewRegionIsAddedWithoutTouchingTheOthers) {
    CliRunner cli;
    useTwoRegions(cli);
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    const auto before = cli.tokenFiles();
    useRegions(cli, "alpha, beta, gamma");
    auto r = cli.run({"token", "init"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("gamma            token keyport-gamma                created"),
              std::string::npos)
        << r.out;
    auto after = cli.tokenFiles();
    for (const auto& [path, contents] : before) {
        ASSERT_TRUE(after.count(path)) << path;
        EXPECT_EQ(after[path], contents) << path;
    }
}

TEST(TokenCli, ForeignTokenWithoutPinFilesIsRefusedAndLeftAlone) {
    CliRunner cli;
    useTwoRegions(cli);
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    // Someone else's token under a label we are configured for: we have no PIN for it.
    const std::string conf = (cli.stateDir() / "softhsm2.conf").string();
    const std::string cmd = "SOFTHSM2_CONF='" + conf +
                            "' softhsm2-util --init-token --free --label keyport-delta "
                            "--so-pin 87654321 --pin 12345678 >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const auto before = cli.tokenFiles();
    useRegions(cli, "alpha, beta, delta");
    auto r = cli.run({"token", "init"});
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("region 'delta' (token 'keyport-delta')"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("PIN file"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("refusing to touch the token"), std::string::npos) << r.out;
    EXPECT_EQ(cli.tokenFiles(), before);
}

TEST(TokenCli, ReinitializeWipesOnlyWhenAsked) {
    CliRunner cli;
    useRegions(cli, "alpha");
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    const auto before = cli.tokenFiles();
    auto r = cli.run({"token", "init", "--reinitialize"});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("reinitialized (created keyport-kek"), std::string::npos) << r.out;
    EXPECT_NE(cli.tokenFiles(), before);  // new KEK: the old objects are gone
    EXPECT_EQ(cli.run({"token", "status"}).exitCode, 0);
}

TEST(TokenCli, StatusReportsAnAbsentRegionAndExitsThree) {
    CliRunner cli;
    useTwoRegions(cli);
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    useRegions(cli, "alpha, beta, gamma");
    auto r = cli.run({"token", "status"});
    EXPECT_EQ(r.exitCode, 3) << r.out;
    EXPECT_NE(r.out.find("gamma            token keyport-gamma                absent"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("alpha            token keyport-alpha                provisioned"),
              std::string::npos)
        << r.out;
}

TEST(TokenCli, WrongPinIsNamed) {
    CliRunner cli;
    useRegions(cli, "alpha");
    ASSERT_EQ(cli.run({"token", "init"}).exitCode, 0);
    const fs::path pin = cli.stateDir() / "pins" / "keyport-alpha.user.pin";
    fs::permissions(pin, fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(pin, std::ios::trunc) << "not-the-pin\n";
    auto status = cli.run({"token", "status"});
    EXPECT_EQ(status.exitCode, 3) << status.out;
    EXPECT_NE(status.out.find("error: C_Login failed: CKR_PIN_INCORRECT (user)"), std::string::npos)
        << status.out;
    auto bench = cli.run({"bench", "hsm", "--seconds", "1"});
    EXPECT_EQ(bench.exitCode, 1) << bench.out;
    EXPECT_EQ(lineCount(bench.out), 1) << bench.out;
    EXPECT_NE(bench.out.find("region 'alpha': C_Login failed: CKR_PIN_INCORRECT"),
              std::string::npos)
        << bench.out;
}

// ---- Bad input: one clear line, non-zero exit, no token created or changed ----

struct BadInput {
    const char* name;
    std::vector<std::string> args;
    bool raw;
    std::vector<std::string> defines;
    int exitCode;
    const char* message;
};

void PrintTo(const BadInput& b, std::ostream* os) {
    *os << b.name;
}

class TokenCliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(TokenCliBadInput, OneLineNamingTheCause) {
    const BadInput& b = GetParam();
    CliRunner cli;
    cli.defines = b.defines;
    auto r = cli.run(b.args, b.raw);
    EXPECT_EQ(r.exitCode, b.exitCode) << r.out;
    EXPECT_NE(r.out.find(b.message), std::string::npos) << r.out;
    if (b.exitCode == 1) {
        EXPECT_EQ(lineCount(r.out), 1) << r.out;
    }
    EXPECT_TRUE(cli.tokenFiles().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TokenCliBadInput,
    ::testing::Values(
        BadInput{"MissingConfig",
                 {"token", "init", "--config", "/nonexistent/keyport.properties"},
                 true,
                 {},
                 1,
                 "keyport: cannot read config file '/nonexistent/keyport.properties'"},
        BadInput{"NoConfigOption",
                 {"token", "init"},
                 true,
                 {},
                 2,
                 "keyport: missing required option --config"},
        BadInput{"UnknownKey",
                 {"token", "init"},
                 false,
                 {"hsm.modul=softhsm2"},
                 1,
                 "keyport: unknown config key 'hsm.modul'"},
        BadInput{"BadTransportBits",
                 {"token", "init"},
                 false,
                 {"hsm.transport_key_bits=1024"},
                 1,
                 "config key 'hsm.transport_key_bits' must be 2048, 3072 or 4096"},
        BadInput{"RegionTokenForUnlistedRegion",
                 {"token", "init"},
                 false,
                 {"region.beta.token=x"},
                 1,
                 "config key 'region.beta.token' names a region not listed in 'regions'"},
        BadInput{"ModuleDoesNotLoad",
                 {"token", "init"},
                 false,
                 {"hsm.module=/nonexistent/libpkcs11.so"},
                 1,
                 "keyport: cannot load PKCS#11 module /nonexistent/libpkcs11.so"},
        BadInput{
            "UnregisteredModule",
            {"token", "status"},
            false,
            {"hsm.module=nosuchmodule"},
            1,
            "keyport: PKCS#11 module 'nosuchmodule' is not registered with p11-kit (registered: "},
        BadInput{"BadDefine",
                 {"token", "init"},
                 false,
                 {"novalue"},
                 1,
                 "keyport: --define expects key=value, got 'novalue'"},
        BadInput{"UnknownOption",
                 {"token", "init", "--frobnicate"},
                 true,
                 {},
                 2,
                 "keyport: unknown option --frobnicate"},
        BadInput{"UnknownCommand",
                 {"token", "wipe"},
                 true,
                 {},
                 2,
                 "keyport: unknown command 'token wipe'"},
        BadInput{"BenchThreadsNotANumber",
                 {"bench", "hsm", "--threads", "many"},
                 false,
                 {},
                 2,
                 "keyport: option --threads must be a number from 1 to 256"},
        BadInput{"BenchAbsentToken",
                 {"bench", "hsm", "--seconds", "1"},
                 false,
                 {},
                 1,
                 "keyport: region 'cn-north-4': no token labelled 'keyport-cn-north-4' (run "
                 "`keyport token init` to provision it)"}),
    [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace keyport::test
