// The Exoscale KMS dialect (API.md §3): keys, crypto and asynchronous replication with
// operations under /v2/kms-key and /v2/operation; the zone is picked per API.md §0.
#pragma once

#include "service/api/authenticator.h"
#include "service/api/router.h"
#include "service/core/services.h"

namespace keyport::api::exoscale {

void addExoscaleRoutes(Router& router, Services& services, Authenticator& auth);

}  // namespace keyport::api::exoscale
