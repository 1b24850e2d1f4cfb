// HttpServer: Poco's HTTP server in front of a Router — reads each request with a body
// cap (413 before reading an oversized body), turns it into a Request, and never lets an
// exception escape as anything but a dialect-shaped 500.
#pragma once

#include <memory>
#include <string>

#include "service/api/router.h"
#include "service/core/base/config.h"

namespace Poco::Net {
class HTTPServer;
}
namespace Poco {
class ThreadPool;
}

namespace keyport::api {

class HttpServer {
  public:
    HttpServer(const ServerConfig& config, const Router& router);
    ~HttpServer();

    void start();
    void stop();
    unsigned port() const;  // the bound port (useful with port 0)

  private:
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace keyport::api
