// /healthz (the process answers) and /readyz (every region token is logged in, probed and
// answering) — for load balancers, `./dev run` and tests.
#pragma once

#include "service/api/router.h"
#include "service/core/services.h"

namespace keyport::api {

void addHealthRoutes(Router& router, Services& services);

}  // namespace keyport::api
