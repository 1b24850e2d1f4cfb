// Frontend: every dialect's routes on one HTTP server over one Services — what keyportd
// serves and what `keyport bench http` measures in-process.
#pragma once

#include <memory>

#include "service/api/authenticator.h"
#include "service/api/http_server.h"
#include "service/api/idempotency.h"
#include "service/api/request_log.h"
#include "service/api/request_pipeline.h"
#include "service/api/router.h"
#include "service/core/audit/audit_log.h"
#include "service/core/services.h"

namespace keyport::api {

// Every dialect's routes on `router`: what Frontend serves, and what route sweeps in the
// tests enumerate (Router::routeTemplates).
void addAllRoutes(Router& router, Services& services, Authenticator& auth,
                  Idempotency& idempotency);

struct FrontendOptions {
    bool audited = true;  // false: no audit trail whatever audit.enabled says (bench baseline)
    std::string version;  // keyportd's, for the audit trail's "start" records
};

class Frontend {
  public:
    // Builds the routes, binds the listening socket (a port in use throws here: a second
    // keyportd stops before it touches the trail), then opens the request log and (with
    // audit.enabled) the audit trail; serving starts with start().
    explicit Frontend(Services& services, FrontendOptions options = {});

    void start() { server_.start(); }
    void stop() { server_.stop(); }
    unsigned port() const { return server_.port(); }
    RequestLog& log() { return *log_; }
    AuditLog* audit() { return audit_.get(); }  // null when audit.enabled = false

  private:
    Router router_;
    Authenticator auth_;
    Idempotency idempotency_;
    // The server only keeps a reference to the pipeline until start(), so it is built (and
    // binds) first; the pipeline, the log and the trail follow.
    std::unique_ptr<RequestPipeline> pipeline_;
    HttpServer server_;
    std::unique_ptr<RequestLog> log_;
    std::unique_ptr<AuditLog> audit_;
};

}  // namespace keyport::api
