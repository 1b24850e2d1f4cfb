// One keyportd per e2e test binary, started before the first test and stopped after the
// last (provisioning tokens costs seconds; each binary still gets its own state dir).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "tests/e2e/kms_client.h"

namespace keyport::test {

KeyportServer& server();
// Config lines for this binary's server; call before the first server().
void setServerConfig(const std::string& extra);
KmsClient demoClient();

}  // namespace keyport::test
