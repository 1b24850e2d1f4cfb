// expectKmsError: asserts a Huawei KMS error answer — status, error_code, and a non-empty
// error_msg in the {"error":{...}} shape — shared by the KMS e2e tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "tests/e2e/kms_client.h"

namespace keyport::test {

struct KmsExpect {
    int status;
    std::string code;
};

inline void expectKmsError(const HttpResult& r, const KmsExpect& e, const std::string& what) {
    EXPECT_EQ(r.status, e.status) << what << ": " << r.body;
    EXPECT_EQ(r.errorCode(), e.code) << what << ": " << r.body;
    ASSERT_TRUE(r.json && r.json->has("error")) << what << ": not a Huawei error body: " << r.body;
    EXPECT_FALSE(r.json->getObject("error")->getValue<std::string>("error_msg").empty()) << what;
}

}  // namespace keyport::test
