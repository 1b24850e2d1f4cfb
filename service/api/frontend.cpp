#include "service/api/frontend.h"

#include "service/api/exoscale/exo_api.h"
#include "service/api/health_routes.h"
#include "service/api/huawei/csms_api.h"
#include "service/api/huawei/kms_api.h"
#include "service/api/metrics_routes.h"
#include "service/api/ncloud/ncp_api.h"

namespace keyport::api {

void addAllRoutes(Router& router, Services& services, Authenticator& auth,
                  Idempotency& idempotency) {
    addHealthRoutes(router, services);
    // With metrics.address set, /metrics is served there only (keyportd's MetricsServer).
    if (services.config.metrics.address.empty()) addMetricsRoutes(router);
    // Exoscale first: its /v2/kms-key paths must not fall to the Huawei /v2/ dialect.
    exoscale::addExoscaleRoutes(router, services, auth);
    ncloud::addNcloudRoutes(router, services, auth);
    huawei::addKmsRoutes(router, services, auth, idempotency);
    huawei::addCsmsRoutes(router, services, auth);
}

namespace {

Router& withRoutes(Router& router, Services& services, Authenticator& auth,
                   Idempotency& idempotency) {
    addAllRoutes(router, services, auth, idempotency);
    return router;
}

}  // namespace

// The server is constructed last (member order), after every route is in place.
Frontend::Frontend(Services& services)
    : auth_(*services.tenancy),
      idempotency_(*services.db),
      server_(services.config.server, withRoutes(router_, services, auth_, idempotency_)) {}

}  // namespace keyport::api
