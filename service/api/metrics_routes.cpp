#include "service/api/metrics_routes.h"

#include "service/core/base/metrics.h"

namespace keyport::api {

void addMetricsRoutes(Router& router) {
    // Unauthenticated, as Prometheus scrapes: names and counts only, never an object id,
    // principal or material (labels are route templates, regions and mechanisms).
    router.add("GET", "/metrics", [](Request&) {
        Response r = Response::json(200, metrics::render());
        r.contentType = metrics::kContentType;
        return r;
    });
}

namespace {

ServerConfig metricsListener(const Config& config) {
    ServerConfig c = config.server;
    c.address = config.metrics.host();
    c.port = config.metrics.port();
    c.threads = 2;  // a scrape every few seconds
    c.maxConnections = 64;
    c.maxConnectionsPerPeer = 16;
    c.maxQueued = 16;
    return c;
}

Router& withMetricsRoute(Router& router) {
    addMetricsRoutes(router);
    return router;
}

}  // namespace

MetricsServer::MetricsServer(const Config& config)
    : server_(metricsListener(config), withMetricsRoute(router_)) {}

}  // namespace keyport::api
