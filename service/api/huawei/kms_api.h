// The Huawei Cloud KMS dialect (API.md §1): routes under /v1.0/{project_id}/kms/.
#pragma once

#include "service/api/authenticator.h"
#include "service/api/idempotency.h"
#include "service/api/router.h"
#include "service/core/services.h"

namespace keyport::api::huawei {

void addKmsRoutes(Router& router, Services& services, Authenticator& auth,
                  Idempotency& idempotency);

}  // namespace keyport::api::huawei
