#include "service/api/frontend.h"

#include "service/api/exoscale/exo_api.h"
#include "service/api/health_routes.h"
#include "service/api/huawei/csms_api.h"
#include "service/api/huawei/kms_api.h"
#include "service/api/ncloud/ncp_api.h"

namespace keyport::api {

void addAllRoutes(Router& router, Services& services, Authenticator& auth,
                  Idempotency& idempotency) {
    addHealthRoutes(router, services);
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

Frontend::Frontend(Services& services, FrontendOptions options)
    : auth_(*services.tenancy),
      idempotency_(*services.db),
      pipeline_(std::make_unique<RequestPipeline>(
          withRoutes(router_, services, auth_, idempotency_), nullptr, nullptr)),
      server_(services.config.server, *pipeline_),
      log_(std::make_unique<RequestLog>(services.config.log)) {
    if (options.audited && services.config.audit.enabled) {
        audit_ = std::make_unique<AuditLog>(
            services.config.audit, *services.regions, *services.db,
            AuditLogOptions{options.version, services.config.server.threads});
    }
    pipeline_->attach(audit_.get(), log_.get());
}

}  // namespace keyport::api
