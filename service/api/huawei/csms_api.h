// The Huawei Cloud CSMS dialect (API.md §2): secrets, versions, stages and replica secrets
// under /v1/{project_id}/secrets, with Huawei's KMS authentication.
#pragma once

#include "service/api/authenticator.h"
#include "service/api/json.h"
#include "service/api/router.h"
#include "service/core/services.h"

namespace keyport::api::huawei {

void addCsmsRoutes(Router& router, Services& services, Authenticator& auth);

// The tag filter of POST secrets/resource_instances/action from its body; refuses naming the
// field (also what tests/fuzz/json_fuzz.cpp checks).
SecretTagFilter secretTagFilter(const JsonBody& body);

}  // namespace keyport::api::huawei
