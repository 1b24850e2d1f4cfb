// HttpServer: keyportd's front door in front of a Router — an event-driven HTTP/1.1 server
// (service/api/front/) on which only complete requests cost a worker thread, with strict
// framing, deadlines and connection caps from server.*, and TLS when server.tls.* is set.
#pragma once

#include <memory>

#include "service/api/request_pipeline.h"
#include "service/api/router.h"
#include "service/core/base/config.h"

namespace keyport::api {

namespace front {
class EventLoop;
class TlsContext;
}  // namespace front

class HttpServer {
  public:
    // Binds the listening socket and loads the TLS files (either failing throws here).
    // Requests go through `pipeline` (keyportd: audit, metrics, log), which must outlive
    // the server.
    HttpServer(const ServerConfig& config, const RequestPipeline& pipeline);
    // The same with a pipeline of its own that only meters (tests, the metrics listener).
    HttpServer(const ServerConfig& config, const Router& router);
    ~HttpServer();

    void start();
    void stop();            // stops accepting, finishes requests in flight, joins
    unsigned port() const;  // the bound port (useful with port 0)

  private:
    void open(const ServerConfig& config, const RequestPipeline& pipeline);

    std::unique_ptr<RequestPipeline> ownPipeline_;
    std::unique_ptr<front::TlsContext> tls_;
    std::unique_ptr<front::EventLoop> loop_;
};

}  // namespace keyport::api
