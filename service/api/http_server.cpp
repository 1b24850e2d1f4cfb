#include "service/api/http_server.h"

#include <sys/resource.h>

#include "service/api/front/event_loop.h"
#include "service/api/front/tls_context.h"

namespace keyport::api {
namespace {

// Every connection is a descriptor: allow as many as the hard limit lets us.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

HttpServer::HttpServer(const ServerConfig& config, const RequestPipeline& pipeline) {
    open(config, pipeline);
}

HttpServer::HttpServer(const ServerConfig& config, const Router& router)
    : ownPipeline_(std::make_unique<RequestPipeline>(router, nullptr, nullptr)) {
    open(config, *ownPipeline_);
}

void HttpServer::open(const ServerConfig& config, const RequestPipeline& pipeline) {
    raiseDescriptorLimit();
    if (config.tls.enabled()) tls_ = std::make_unique<front::TlsContext>(config.tls);
    loop_ = std::make_unique<front::EventLoop>(config, pipeline, tls_.get());
}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    loop_->start();
}

void HttpServer::stop() {
    if (loop_) loop_->stop();
}

unsigned HttpServer::port() const {
    return loop_->port();
}

}  // namespace keyport::api
