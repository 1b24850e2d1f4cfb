// Frontend: every dialect's routes on one HTTP server over one Services — what keyportd
// serves and what `keyport bench http` measures in-process.
#pragma once

#include <memory>

#include "service/api/authenticator.h"
#include "service/api/http_server.h"
#include "service/api/idempotency.h"
#include "service/api/router.h"
#include "service/core/services.h"

namespace keyport::api {

// Every dialect's routes on `router`: what Frontend serves, and what route sweeps in the
// tests enumerate (Router::routeTemplates).
void addAllRoutes(Router& router, Services& services, Authenticator& auth,
                  Idempotency& idempotency);

class Frontend {
  public:
    // Builds the routes and binds the listening socket (a port in use throws here, before
    // anything touches the tokens); serving starts with start().
    explicit Frontend(Services& services);

    void start() { server_.start(); }
    void stop() { server_.stop(); }
    unsigned port() const { return server_.port(); }

  private:
    Router router_;
    Authenticator auth_;
    Idempotency idempotency_;
    HttpServer server_;
};

}  // namespace keyport::api
