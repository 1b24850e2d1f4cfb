// EventLoop: the front door's one I/O thread — accepts (with total and per-peer caps),
// reads each connection into its parser, hands only complete requests to the workers,
// finishes partial writes, and enforces the header, body-rate, keep-alive and write
// deadlines — plus the worker side of a request (dispatch, answer, pipelining, re-arm).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "service/api/front/connection.h"
#include "service/api/front/worker_pool.h"
#include "service/api/request_pipeline.h"
#include "service/core/base/config.h"

namespace keyport::api::front {

class TlsContext;

class EventLoop {
  public:
    // Binds and listens (a port in use throws here). `tls` may be null (plain HTTP).
    EventLoop(const ServerConfig& config, const RequestPipeline& pipeline, const TlsContext* tls);
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void start();
    // Stops accepting, lets requests in flight finish, closes every connection, joins.
    void stop();
    unsigned port() const;

  private:
    enum class Step { Wait, Complete, Failed, Closed };

    void run();
    void acceptAll();
    void handle(Connection& c);
    void handleHandshake(Connection& c);
    void handleReading(Connection& c);
    void handleWriting(Connection& c);
    void handleLingering(Connection& c);
    void scanDeadlines(std::int64_t now);
    void beginStop();
    void close(Connection& c);
    void linger(Connection& c);
    void answerAndClose(Connection& c, Response res);
    void afterWrite(Connection& c);

    // Both threads: reads what the transport has (leftover first) into the parser.
    Step pump(Connection& c, char* scratch, std::size_t cap);
    Step feed(Connection& c, std::string_view data);
    void noteProgress(Connection& c);
    Step flush(Connection& c);  // Complete when out is written, Wait, or Closed on error
    void resetForNext(Connection& c);
    Response parseError(Connection& c) const;
    void arm(Connection& c, unsigned events);

    // A worker: dispatch, answer, then the next pipelined request or back to epoll.
    void serve(Connection& c);

    const ServerConfig config_;
    const RequestPipeline& pipeline_;
    const TlsContext* tls_;
    const ParseLimits limits_;
    int listenFd_ = -1;
    int epollFd_ = -1;
    int wakeFd_ = -1;
    int spareFd_ = -1;  // given up to accept-and-close when out of descriptors
    unsigned port_ = 0;
    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> stopping_{false};
    std::vector<Connection*> connections_;  // the loop's; index kept in each Connection
    std::unordered_map<std::string, std::size_t> perPeer_;
    std::vector<char> scratch_;  // the loop's read buffer (wiped after each read)
    WorkerPool pool_;
    std::thread thread_;
    bool started_ = false;
};

}  // namespace keyport::api::front
