#include "service/api/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <openssl/crypto.h>

#include <cstdio>
#include <istream>

#include "service/api/json.h"
#include "service/api/log_text.h"

namespace keyport::api {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    Handler(const Router& router, std::size_t bodyLimit) : router_(router), bodyLimit_(bodyLimit) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in,
                       Poco::Net::HTTPServerResponse& out) override {
        Request req;
        req.method = in.getMethod();
        const std::string& uri = in.getURI();
        const auto q = uri.find('?');
        req.path = uri.substr(0, q);
        if (q != std::string::npos) req.query = uri.substr(q + 1);
        for (const auto& [name, value] : in) req.headers.emplace_back(name, value);

        Response res;
        try {
            if (readBody(in, req.body)) {
                res = router_.dispatch(req);
            } else {
                res = router_.error(
                    req.path, 413,
                    "the request body exceeds " + std::to_string(bodyLimit_) + " bytes");
                // Read what is left of a moderately oversize body before answering: a
                // client that writes its whole body before reading (most do) would
                // otherwise get a reset connection instead of the 413. Past the drain cap
                // the connection is closed with the rest unread.
                drain(in.stream());
                out.setKeepAlive(false);
            }
        } catch (const std::exception& e) {
            // Handlers map every expected failure; this is a bug. Say nothing about it to
            // the client beyond "internal"; the log gets the method, path and cause (no
            // headers, no body: those may carry credentials or material).
            std::fprintf(stderr, "keyportd: internal error on %s %s: %s\n",
                         printable(req.method, 16).c_str(), printable(req.path).c_str(),
                         printable(e.what()).c_str());
            res = router_.error(req.path, 500, "internal error");
        }
        out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(res.status));
        out.setContentType(res.contentType);
        for (const auto& [name, value] : res.headers) out.set(name, value);
        out.setContentLength(static_cast<std::streamsize>(res.body.size()));
        out.sendBuffer(res.body.data(), res.body.size());
        // Either body may carry plaintext (a secret value, decrypted data, a data key).
        wipe(req.body);
        wipe(res.body);
    }

  private:
    // False when the body is over the limit (declared or actual).
    bool readBody(Poco::Net::HTTPServerRequest& in, std::string& body) const {
        if (in.hasContentLength() &&
            in.getContentLength64() > static_cast<std::int64_t>(bodyLimit_)) {
            return false;
        }
        // One allocation when the length is declared: growing would free unwiped copies.
        if (in.hasContentLength()) body.reserve(static_cast<std::size_t>(in.getContentLength64()));
        std::istream& s = in.stream();
        char buf[8192];
        while (s) {
            s.read(buf, sizeof buf);
            body.append(buf, static_cast<std::size_t>(s.gcount()));
            if (body.size() > bodyLimit_) break;
        }
        OPENSSL_cleanse(buf, sizeof buf);
        return body.size() <= bodyLimit_;
    }

    void drain(std::istream& s) const {
        const std::size_t cap = bodyLimit_ * 16 + (1u << 20);
        std::size_t seen = 0;
        char buf[8192];
        while (s && seen < cap) {
            s.read(buf, sizeof buf);
            seen += static_cast<std::size_t>(s.gcount());
        }
    }

    const Router& router_;
    std::size_t bodyLimit_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    Factory(const Router& router, std::size_t bodyLimit) : router_(router), bodyLimit_(bodyLimit) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(router_, bodyLimit_);
    }

  private:
    const Router& router_;
    std::size_t bodyLimit_;
};

}  // namespace

HttpServer::HttpServer(const ServerConfig& config, const Router& router) {
    // No SO_REUSEPORT (Poco's default for bind): a second keyportd on the same port must
    // fail to start, not silently share the traffic with the first.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(config.address, static_cast<Poco::UInt16>(config.port)),
                true, false);
    socket.listen(256);
    const int threads = static_cast<int>(config.threads);
    pool_ = std::make_unique<Poco::ThreadPool>(2, threads + 1);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(10, 0));
    params->setMaxKeepAliveRequests(0);  // unlimited
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(router, config.bodyLimit), *pool_,
                                                      socket, params);
}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    server_->start();
}

void HttpServer::stop() {
    if (server_) server_->stopAll(true);
}

unsigned HttpServer::port() const {
    return server_->port();
}

}  // namespace keyport::api
