// SoftHSM for the hsm tests: a fresh token directory in a temp dir per test binary
// (SOFTHSM2_CONF points at it before the module loads), one initialised token
// "keyport-test", one Module and one logged-in Token for the whole process.
#pragma once

#include <filesystem>
#include <string>

#include "hsm/module.h"
#include "hsm/token.h"

namespace keyport::test {

inline constexpr char kTestLabel[] = "keyport-test";
inline constexpr char kTestUserPin[] = "test-user-pin-1234";
// A second token nobody logs in to (wrong-PIN tests).
inline constexpr char kSpareLabel[] = "keyport-spare";

hsm::Module& testModule();
hsm::Token& testToken();
const std::filesystem::path& testTokenDir();
hsm::SecretBytes secret(const std::string& s);

}  // namespace keyport::test
