// HttpServer: keyportd's front door in front of a Router — an event-driven HTTP/1.1 server
// (service/api/front/) on which only complete requests cost a worker thread, with strict
// framing, deadlines and connection caps from server.*, and TLS when server.tls.* is set.
#pragma once

#include <memory>

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
    HttpServer(const ServerConfig& config, const Router& router);
    ~HttpServer();

    void start();
    void stop();            // stops accepting, finishes requests in flight, joins
    unsigned port() const;  // the bound port (useful with port 0)

  private:
    std::unique_ptr<front::TlsContext> tls_;
    std::unique_ptr<front::EventLoop> loop_;
};

}  // namespace keyport::api
