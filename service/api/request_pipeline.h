// RequestPipeline: what keyportd does around every complete request — its X-Request-Id, the
// audit admission and record, metrics and the request log — with the Router in the middle.
// The front door calls it from worker threads; it never throws.
#pragma once

#include <string>
#include <string_view>

#include "service/api/http.h"
#include "service/api/router.h"

namespace keyport {
class AuditLog;
}

namespace keyport::api {

class RequestLog;

class RequestPipeline {
  public:
    // `audit` and `log` may be null (tests, the separate metrics listener): requests are then
    // not audited or not logged.
    RequestPipeline(const Router& router, AuditLog* audit, RequestLog* log);

    // Runs the request: a dialect's request is admitted by the audit trail first (else the
    // dialect's 503, the handler never runs) and leaves one record after (else the 503).
    Response handle(Request& req) const;
    // An answer the front door gives itself (a framing error, 503 when the queue is full),
    // shaped by the dialect that owns `path`, with a request id, metered and logged.
    // `partial` is what the parser had read of the request (perhaps nothing).
    Response early(const Request& partial, int status, const std::string& message) const;

    // Before serving starts: the trail and the log (Frontend opens them after binding).
    void attach(AuditLog* audit, RequestLog* log) {
        audit_ = audit;
        log_ = log;
    }
    const Router& router() const { return router_; }

  private:
    Response dispatch(Request& req) const;
    void finish(const Request& req, Response& res, double seconds) const;

    const Router& router_;
    AuditLog* audit_;
    RequestLog* log_;
};

// The id a response carries: the client's X-Request-Id when it is 1-128 characters of
// [A-Za-z0-9._:@-], else a fresh one unique to this process.
std::string requestIdFor(const Request& req);

}  // namespace keyport::api
