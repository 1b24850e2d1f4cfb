#include "tools/client/http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <stdexcept>

namespace keyport::client {

HttpClient::HttpClient(const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("'" + url + "' is not a URL");
    }
    if (uri.getScheme() != "http" || uri.getHost().empty()) {
        throw std::invalid_argument("the URL must be http://host[:port] (got '" + url + "')");
    }
    session_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    session_->setKeepAlive(true);
    session_->setTimeout(Poco::Timespan(60, 0));
    hostHeader_ = uri.getHost() + ":" + std::to_string(uri.getPort());
}

HttpClient::~HttpClient() = default;

HttpReply HttpClient::send(const std::string& method, const std::string& pathAndQuery,
                           const std::string& body, const Headers& headers) {
    try {
        return sendOnce(method, pathAndQuery, body, headers);
    } catch (const Poco::Net::NetException&) {
        // The server may have closed the idle connection (keep-alive timeout); a fresh one
        // tells a dead server apart. Requests are idempotent or carry their own checks.
        session_->reset();
        return sendOnce(method, pathAndQuery, body, headers);
    }
}

HttpReply HttpClient::sendOnce(const std::string& method, const std::string& pathAndQuery,
                               const std::string& body, const Headers& headers) {
    Poco::Net::HTTPRequest req(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setHost(hostHeader_);
    req.setKeepAlive(true);
    for (const auto& [n, v] : headers) req.set(n, v);
    if (!body.empty() || method == "POST") {
        if (!req.has("Content-Type")) req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session_->sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session_->receiveResponse(res);
    HttpReply r;
    r.status = static_cast<int>(res.getStatus());
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
}

}  // namespace keyport::client
