#include "service/api/request_pipeline.h"

#include <openssl/rand.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "service/api/json.h"
#include "service/api/log_text.h"
#include "service/api/request_log.h"
#include "service/core/audit/audit_log.h"
#include "service/core/base/metrics.h"
#include "service/core/tokens/seal_epochs.h"

namespace keyport::api {
namespace {

using Clock = std::chrono::steady_clock;

bool saneRequestId(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (const char c : id) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '@' ||
                        c == '-';
        if (!ok) return false;
    }
    return true;
}

// "<process prefix>-<counter>": unique within the process without a random draw per
// request; the random prefix keeps two processes (or restarts) apart.
std::string freshRequestId() {
    static const std::string prefix = [] {
        unsigned char r[6] = {};
        if (RAND_bytes(r, sizeof r) != 1) {
            const auto t = static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
            for (std::size_t i = 0; i < sizeof r; ++i)
                r[i] = static_cast<unsigned char>(t >> (8 * i));
        }
        static const char hex[] = "0123456789abcdef";
        std::string p;
        for (const unsigned char b : r) {
            p += hex[b >> 4];
            p += hex[b & 15];
        }
        return p;
    }();
    static std::atomic<std::uint64_t> counter{0};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s-%012llx", prefix.c_str(),
                  static_cast<unsigned long long>(counter.fetch_add(1) + 1));
    return buf;
}

std::int64_t epochMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

AuditRecord recordOf(const Request& req, const Response& res, std::int64_t arrivedMs,
                     double seconds) {
    AuditRecord r;
    r.timeMs = arrivedMs;
    r.requestId = req.id;
    r.dialect = req.audit.dialect;
    r.method = req.method;
    r.route = req.audit.route;
    r.peer = req.peer;
    r.peerSubject = req.peerSubject;
    r.domainId = req.audit.domainId;
    r.projectId = req.audit.projectId;
    r.accessKey = req.audit.accessKey;
    r.role = req.audit.role;
    r.actingDomainId = req.audit.actingDomainId;
    r.actingProjectId = req.audit.actingProjectId;
    r.objects = req.audit.objects;
    r.status = res.status;
    if (res.status >= 400) r.errorCode = res.errorCode;
    r.unwrapPath = req.audit.unwrapPath;
    r.latencyMs = seconds * 1000.0;
    return r;
}

// One line per second at most: a full disk refuses every request, and the log must not
// fill what is left of it.
void reportAuditFailure(RequestLog* log, const std::string& why) {
    static std::atomic<std::int64_t> last{0};
    const std::int64_t now = epochMs();
    std::int64_t prev = last.load();
    if (now - prev < 1000 || !last.compare_exchange_strong(prev, now)) return;
    const std::string line = "audit trail unavailable, refusing requests with 503: " + why;
    if (log != nullptr) {
        log->message(LogLevel::Error, line);
    } else {
        std::fprintf(stderr, "keyportd: %s\n", line.c_str());
    }
}

}  // namespace

std::string requestIdFor(const Request& req) {
    if (const auto h = req.header("x-request-id"); h && saneRequestId(*h)) return std::string(*h);
    return freshRequestId();
}

RequestPipeline::RequestPipeline(const Router& router, AuditLog* audit, RequestLog* log)
    : router_(router), audit_(audit), log_(log) {}

Response RequestPipeline::dispatch(Request& req) const {
    try {
        return router_.dispatch(req);
    } catch (const std::exception& e) {
        // Handlers map every expected failure; this is a bug. The client hears "internal";
        // the log gets method, path, cause (never headers or body).
        const std::string line = "internal error on " + printable(req.method, 16) + " " +
                                 printable(req.path) + " (request " + req.id +
                                 "): " + printable(e.what());
        if (log_ != nullptr) {
            log_->message(LogLevel::Error, line);
        } else {
            std::fprintf(stderr, "keyportd: %s\n", line.c_str());
        }
    } catch (...) {
        std::fprintf(stderr, "keyportd: internal error on %s %s: unknown exception\n",
                     printable(req.method, 16).c_str(), printable(req.path).c_str());
    }
    return router_.error(req.path, 500, "internal error");
}

Response RequestPipeline::handle(Request& req) const {
    // Held until the answer is ready: a request may seal a blob under a region KEK and
    // commit it, and a KEK rollover waits for every request that began before its switch.
    const auto sealing = SealEpochs::process().enter();
    const auto started = Clock::now();
    const std::int64_t arrivedMs = epochMs();
    req.id = requestIdFor(req);
    req.audit.dialect = router_.dialectOf(req.path);
    const bool audited = audit_ != nullptr && !req.audit.dialect.empty();
    Response res;
    bool admitted = true;
    if (audited) {
        try {
            audit_->admit();
        } catch (const AuditUnavailable& e) {
            admitted = false;
            reportAuditFailure(log_, e.what());
            metrics::auditRecord(false);
        }
    }
    if (admitted) {
        res = dispatch(req);
    } else {
        res = router_.error(req.path, 503, "the audit trail cannot be written; retry later");
        res.headers.emplace_back("Retry-After", "5");
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (audited && admitted) {
        try {
            audit_->append(recordOf(req, res, arrivedMs, seconds));
            metrics::auditRecord(true);
        } catch (const AuditUnavailable& e) {
            // Admission reserved the space, so only an I/O error lands here; the request
            // may have changed state, but its answer must not claim success unrecorded.
            reportAuditFailure(log_, e.what());
            metrics::auditRecord(false);
            wipe(res.body);
            res = router_.error(req.path, 503, "the audit trail cannot be written; retry later");
            res.headers.emplace_back("Retry-After", "5");
        }
    }
    finish(req, res, seconds);
    return res;
}

Response RequestPipeline::early(const Request& partial, int status,
                                const std::string& message) const {
    Request req;
    req.method = partial.method;
    req.path = partial.path.empty() || partial.path.front() != '/' ? "/" : partial.path;
    req.headers = partial.headers;
    req.peer = partial.peer;
    req.peerSubject = partial.peerSubject;
    req.id = requestIdFor(req);
    req.audit.dialect = router_.dialectOf(req.path);
    Response res = router_.error(req.path, status, message);
    finish(req, res, 0.0);
    return res;
}

void RequestPipeline::finish(const Request& req, Response& res, double seconds) const {
    metrics::observeRequest(req.audit.dialect, req.audit.route, res.status, seconds);
    if (log_ != nullptr) log_->request(req, res, seconds);
    res.headers.emplace_back("X-Request-Id", req.id);
}

}  // namespace keyport::api
