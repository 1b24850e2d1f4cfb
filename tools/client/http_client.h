// HttpClient: one keep-alive HTTP/1.1 connection to a Keyport URL (http:// only), used by
// `keyport import` and the HTTP benchmark. Not thread-safe: one per thread.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace keyport::client {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
    int status = 0;
    std::string body;
};

class HttpClient {
  public:
    // url: http://host[:port] (a path after it is ignored).
    explicit HttpClient(const std::string& url);
    ~HttpClient();

    // Sends exactly `headers` (plus Host, Content-Length, Content-Type when there is a body);
    // reconnects once if the server closed an idle keep-alive connection.
    HttpReply send(const std::string& method, const std::string& pathAndQuery,
                   const std::string& body, const Headers& headers);

    // "host:port" as sent in the Host header (what a request signature covers).
    const std::string& hostHeader() const { return hostHeader_; }

  private:
    HttpReply sendOnce(const std::string& method, const std::string& pathAndQuery,
                       const std::string& body, const Headers& headers);

    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::string hostHeader_;
};

}  // namespace keyport::client
