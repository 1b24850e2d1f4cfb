// AuditLog: the append-only, hash-chained audit trail of keyportd (audit.*): one JSON line
// per request, each carrying the SHA-256 of the line before it, sealed by an HMAC computed
// on the audit region's token. A record that cannot be written fails its request (503).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "service/core/base/config.h"

namespace keyport {

class Database;
class RegionTokens;

// One request as the trail keeps it. Never material, plaintext, PINs, tokens, signatures or
// bodies: ids, names and outcomes only.
struct AuditRecord {
    std::int64_t timeMs = 0;  // epoch milliseconds when the request arrived
    std::string requestId;
    std::string dialect;  // "huawei-kms", "huawei-csms", "exoscale", "ncloud"
    std::string method;
    std::string route;  // the route template; empty: no route matched
    std::string peer;
    std::string peerSubject;  // mTLS client certificate subject, when there is one
    // The principal; empty domainId: the request was not authenticated.
    std::string domainId, projectId, accessKey, role;
    // Where a grant made the call act in another domain's scope: that scope.
    std::string actingDomainId, actingProjectId;
    std::vector<std::pair<std::string, std::string>> objects;  // (kind, id)
    int status = 0;
    std::string errorCode;   // the dialect's error code, when status >= 400
    std::string unwrapPath;  // "on-token" or "host-assisted", where an import ran
    double latencyMs = 0;
};

// The trail cannot take a record now (disk full, read-only, I/O error): the request that
// needed it must fail with 503 and change nothing.
class AuditUnavailable : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct AuditLogOptions {
    std::string version;        // keyportd's, for the "start" record; empty: left out
    unsigned maxInFlight = 64;  // requests between admit() and append() at once (server.threads)
};

class AuditLog {
  public:
    // Opens audit.path (creating its directory, mode 0700, and the file, mode 0600),
    // continues the chain from the last record already there (across rotated files; a
    // torn last line is cut off and the "start" record says so) and appends a "start"
    // record. After each seal, the seal's seq and line hash are recorded in `anchors`
    // (table audit_anchor), so `keyport audit verify` can tell a trail cut back to an
    // earlier seal. Throws AuditUnavailable when the file cannot be opened (or another
    // process holds the trail), and std::runtime_error when the existing tail is not a
    // valid record.
    AuditLog(const AuditConfig& config, RegionTokens& tokens, Database& anchors,
             AuditLogOptions options = {});
    ~AuditLog();  // seals (reason "shutdown")
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    // Before a request runs: throws AuditUnavailable unless the record it will leave is
    // sure to be written (space reserved ahead of the write point), so a request refused
    // for want of audit changes nothing.
    void admit();
    // Appends one record (and a seal when audit.seal_every or the interval is due).
    // Throws AuditUnavailable when it could not be written; the chain is then unchanged.
    void append(const AuditRecord& record);
    // Appends a seal now (reason: "interval", "shutdown", ...).
    void seal(const std::string& reason);

    std::uint64_t recordsWritten() const;  // lines written (requests, starts and seals)
    std::uint64_t failures() const;        // records (or seals) that could not be written
    std::uint64_t refusals() const;        // admit() calls that threw
    std::uint64_t lastSeq() const;         // of the last line written (0: none yet)

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace keyport
