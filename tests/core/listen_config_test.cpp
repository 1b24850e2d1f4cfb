// Config: where plain HTTP may listen — loopback always, another address only with TLS
// configured or server.plain_http_on_any_address = true (a TLS proxy in front) — and the
// server.tls.* keys that go together.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "service/core/base/config.h"

namespace keyport {
namespace {

namespace fs = std::filesystem;

struct ListenCase {
    const char* name;
    std::vector<std::string> defines;
    const char* error;  // nullptr: loads
};

void PrintTo(const ListenCase& c, std::ostream* os) {
    *os << c.name;
}

class ListenConfig : public ::testing::TestWithParam<ListenCase> {
  protected:
    void SetUp() override {
        file_ = fs::temp_directory_path() / ("keyport-listen-" + std::to_string(::getpid()) + "-" +
                                             GetParam().name + ".properties");
        std::ofstream(file_) << "regions = a\n";
    }
    void TearDown() override { fs::remove(file_); }
    fs::path file_;
};

TEST_P(ListenConfig, LoadsOrNamesTheKey) {
    const ListenCase& c = GetParam();
    if (c.error == nullptr) {
        EXPECT_NO_THROW(Config::load(file_.string(), c.defines));
        return;
    }
    try {
        Config::load(file_.string(), c.defines);
        FAIL() << "accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find(c.error), std::string::npos) << e.what();
    }
}

const std::string kCert = "server.tls.cert_file=/etc/keyport/server.crt";
const std::string kKey = "server.tls.key_file=/etc/keyport/server.key";
constexpr char kPlainRefused[] = "config key 'server.address': plain HTTP on ";

INSTANTIATE_TEST_SUITE_P(
    Cases, ListenConfig,
    ::testing::Values(
        ListenCase{"DefaultLoopback", {}, nullptr},
        ListenCase{"Loopback127x", {"server.address=127.0.0.2"}, nullptr},
        ListenCase{"LoopbackV6", {"server.address=::1"}, nullptr},
        ListenCase{"Localhost", {"server.address=localhost"}, nullptr},
        ListenCase{"AnyAddressPlain", {"server.address=0.0.0.0"}, kPlainRefused},
        ListenCase{"AnyV6Plain", {"server.address=::"}, kPlainRefused},
        ListenCase{"LanAddressPlain", {"server.address=192.168.1.10"}, kPlainRefused},
        ListenCase{"AnyAddressWithTls", {"server.address=0.0.0.0", kCert, kKey}, nullptr},
        ListenCase{"AnyAddressBehindProxy",
                   {"server.address=0.0.0.0", "server.plain_http_on_any_address=true"},
                   nullptr},
        ListenCase{"ProxyFlagFalse",
                   {"server.address=0.0.0.0", "server.plain_http_on_any_address=false"},
                   kPlainRefused},
        ListenCase{"CertWithoutKey",
                   {kCert},
                   "config keys 'server.tls.cert_file' and 'server.tls.key_file' go together"},
        ListenCase{"KeyWithoutCert",
                   {kKey},
                   "config keys 'server.tls.cert_file' and 'server.tls.key_file' go together"},
        ListenCase{"ClientCaWithoutTls",
                   {"server.tls.client_ca_file=/etc/keyport/ca.crt"},
                   "config key 'server.tls.client_ca_file' needs server.tls.cert_file"}),
    [](const auto& p) { return p.param.name; });

TEST(ListenConfigPaths, TlsFilesBecomeAbsolute) {
    const fs::path file = fs::temp_directory_path() /
                          ("keyport-listen-" + std::to_string(::getpid()) + "-paths.properties");
    std::ofstream(file) << "regions = a\n";
    const Config c = Config::load(file.string(), {"server.tls.cert_file=tls/server.crt",
                                                  "server.tls.key_file=tls/server.key"});
    fs::remove(file);
    EXPECT_TRUE(c.server.tls.enabled());
    EXPECT_EQ(c.server.tls.certFile, (fs::current_path() / "tls/server.crt").lexically_normal());
    EXPECT_TRUE(c.server.tls.keyFile.is_absolute());
    EXPECT_TRUE(c.server.tls.clientCaFile.empty());
}

}  // namespace
}  // namespace keyport
