#include "tests/hsm/softhsm_fixture.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <memory>
#include <stdexcept>

#include "hsm/session.h"

namespace keyport::test {
namespace fs = std::filesystem;
namespace {

constexpr char kSoPin[] = "test-so-pin-5678";

struct State {
    fs::path dir;
    std::unique_ptr<hsm::Module> module;
    std::unique_ptr<hsm::Token> token;

    State() {
        std::string tmpl = (fs::temp_directory_path() / "keyport-hsm-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir = tmpl;
        fs::create_directory(dir / "tokens");
        std::ofstream(dir / "softhsm2.conf")
            << "directories.tokendir = " << (dir / "tokens").string()
            << "\nobjectstore.backend = file\nlog.level = ERROR\n";
        ::setenv("SOFTHSM2_CONF", (dir / "softhsm2.conf").c_str(), 1);
        module = std::make_unique<hsm::Module>("softhsm2");
        initToken(kSpareLabel);
        initToken(kTestLabel);
        token = std::make_unique<hsm::Token>(*module, kTestLabel, secret(kTestUserPin));
    }
    void initToken(const char* label) {
        CK_SLOT_ID slot = 0;
        if (!module->findUninitializedSlot(slot)) throw std::runtime_error("no free SoftHSM slot");
        module->initToken(slot, secret(kSoPin), label);
        slot = module->slotForLabel(label);  // SoftHSM renumbers slots after C_InitToken
        hsm::Session so(module->functions(), slot);
        so.login(CKU_SO, secret(kSoPin));
        so.initPin(secret(kTestUserPin));
        so.logout();
    }

    ~State() {
        token.reset();
        module.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

std::unique_ptr<State> g_state;

class Environment : public ::testing::Environment {
  public:
    void TearDown() override { g_state.reset(); }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new Environment);

State& state() {
    if (!g_state) g_state = std::make_unique<State>();
    return *g_state;
}

}  // namespace

hsm::Module& testModule() {
    return *state().module;
}
hsm::Token& testToken() {
    return *state().token;
}
const fs::path& testTokenDir() {
    return state().dir;
}

hsm::SecretBytes secret(const std::string& s) {
    return hsm::SecretBytes::fromString(s);
}

}  // namespace keyport::test
