// Config: defaults, --define overrides, and a ConfigError naming the key for each bad value.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "service/core/base/config.h"

namespace keyport {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
        std::replace(name.begin(), name.end(), '/', '_');
        file_ = fs::temp_directory_path() /
                ("keyport-config-" + std::to_string(::getpid()) + "-" + name + ".properties");
    }
    void TearDown() override { fs::remove(file_); }

    std::string write(const std::string& text) {
        std::ofstream(file_) << text;
        return file_.string();
    }

    fs::path file_;
};

TEST_F(ConfigTest, ShippedLabConfigHasEveryRegion) {
    const Config c = Config::load(KEYPORT_SOURCE_DIR "/config/keyport.properties");
    std::vector<std::string> names;
    for (const auto& r : c.regions) names.push_back(r.name);
    EXPECT_EQ(names, (std::vector<std::string>{"cn-north-4", "cn-south-1", "ap-southeast-1",
                                               "ch-gva-2", "de-fra-1", "KR", "JPN", "global"}));
    EXPECT_EQ(c.region("KR").tokenLabel, "keyport-kr");
    EXPECT_EQ(c.module, "softhsm2");
    EXPECT_TRUE(c.manageSoftHsm);
    EXPECT_EQ(c.transportKeyBits, 3072u);
    EXPECT_EQ(c.stateDir, (fs::current_path() / "var").lexically_normal());
}

TEST_F(ConfigTest, DefaultsAndDefines) {
    const Config c = Config::load(
        write("regions = a, b\n"),
        {"region.b.token=custom", "keyport.state_dir=/tmp/x/../y", "hsm.module=/usr/lib/x.so"});
    ASSERT_EQ(c.regions.size(), 2u);
    EXPECT_EQ(c.regions[0].tokenLabel, "keyport-a");
    EXPECT_EQ(c.regions[1].tokenLabel, "custom");
    EXPECT_EQ(c.stateDir, fs::path("/tmp/y"));
    EXPECT_FALSE(c.manageSoftHsm);  // default follows the module
    EXPECT_EQ(c.userPinFile(c.regions[1]), fs::path("/tmp/y/pins/custom.user.pin"));
    EXPECT_THROW(c.region("zz"), ConfigError);
}

TEST_F(ConfigTest, LaterDefineWins) {
    const Config c = Config::load(write("regions = a\nhsm.transport_key_bits = 4096\n"),
                                  {"hsm.transport_key_bits=2048"});
    EXPECT_EQ(c.transportKeyBits, 2048u);
}

struct BadConfig {
    const char* name;
    const char* text;
    const char* message;
};

void PrintTo(const BadConfig& b, std::ostream* os) {
    *os << b.name;
}

class ConfigBadValue : public ConfigTest, public ::testing::WithParamInterface<BadConfig> {};

TEST_P(ConfigBadValue, ThrowsNamingTheKey) {
    try {
        Config::load(write(GetParam().text));
        FAIL() << "accepted: " << GetParam().text;
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigBadValue,
    ::testing::Values(
        BadConfig{"NoRegions", "hsm.module = softhsm2\n", "config key 'regions' must not be empty"},
        BadConfig{"EmptyRegionList", "regions = ,\n", "config key 'regions' lists no region"},
        BadConfig{"UnknownKey", "regions = a\nserver.prot = 1\n",
                  "unknown config key 'server.prot'"},
        BadConfig{"DuplicateRegion", "regions = a, a\n", "region 'a' listed twice"},
        BadConfig{"BadRegionName", "regions = a b\n", "invalid region name 'a b'"},
        BadConfig{"DuplicateLabel", "regions = a, b\nregion.a.token = t\nregion.b.token = t\n",
                  "token label 't' used twice"},
        BadConfig{"LongLabel", "regions = a\nregion.a.token = 0123456789012345678901234567890123\n",
                  "config key 'region.a.token': a token label has at most 32 bytes"},
        BadConfig{"SlashInLabel", "regions = a\nregion.a.token = ../x\n",
                  "config key 'region.a.token': label must not contain '/'"},
        BadConfig{"BadBool", "regions = a\nhsm.softhsm.manage = perhaps\n",
                  "config key 'hsm.softhsm.manage' must be true or false"},
        BadConfig{"BadBits", "regions = a\nhsm.transport_key_bits = 3000\n",
                  "config key 'hsm.transport_key_bits' must be 2048, 3072 or 4096"}),
    [](const auto& p) { return p.param.name; });

TEST(ConfigFile, MissingFileNamesIt) {
    try {
        Config::load("/nonexistent/k.properties");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "cannot read config file '/nonexistent/k.properties'");
    }
}

}  // namespace
}  // namespace keyport
