// GET /metrics (Prometheus text format, unauthenticated), and the small listener that serves
// only it when metrics.address is set.
#pragma once

#include "service/api/http_server.h"
#include "service/api/router.h"
#include "service/core/base/config.h"

namespace keyport::api {

void addMetricsRoutes(Router& router);

// A second HttpServer on metrics.address with a router that knows only /metrics (404 for
// the rest): server.* limits and TLS, few workers.
class MetricsServer {
  public:
    // Binds metrics.address (a port in use throws here).
    explicit MetricsServer(const Config& config);

    void start() { server_.start(); }
    void stop() { server_.stop(); }
    unsigned port() const { return server_.port(); }

  private:
    Router router_;
    HttpServer server_;
};

}  // namespace keyport::api
