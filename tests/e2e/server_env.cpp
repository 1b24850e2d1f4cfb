#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::unique_ptr<KeyportServer> g_server;
std::string g_extraConfig;

class ServerEnvironment : public ::testing::Environment {
  public:
    void TearDown() override { g_server.reset(); }
};

const auto* const g_env = ::testing::AddGlobalTestEnvironment(new ServerEnvironment);

}  // namespace

KeyportServer& server() {
    // Started lazily so a binary's test listing (ctest discovery) does not provision tokens.
    if (!g_server) g_server = std::make_unique<KeyportServer>(g_extraConfig);
    return *g_server;
}

void setServerConfig(const std::string& extra) {
    g_extraConfig = extra;
}

KmsClient demoClient() {
    return KmsClient(server().port(), KeyportServer::demo());
}

}  // namespace keyport::test
