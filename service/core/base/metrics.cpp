#include "service/core/base/metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "hsm/observer.h"

namespace keyport::metrics {
namespace {

// Bucket bounds, in seconds unless named otherwise. Requests: a token-bound crypto call is
// ~50 µs, an RSA import ~1 ms, a durable write a few ms.
const std::vector<double> kRequestSeconds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                             0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                             1,      2.5,     5,      10};
// Token operations: AES-GCM ~14 µs up to RSA-4096 key-pair generation (seconds).
const std::vector<double> kTokenSeconds = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                           0.001,   0.0025,   0.005,   0.01,   0.025,   0.05,
                                           0.1,     0.25,     0.5,     1,      2.5,     10};
const std::vector<double> kWaitSeconds = {0.000001, 0.00001, 0.0001, 0.001, 0.01, 0.1, 1};
// One fsync'd commit on this kind of disk: ~1 ms.
const std::vector<double> kCommitSeconds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                            0.01,   0.025,   0.05,   0.1,   0.25,   1};
// Write jobs per group commit (Database's kMaxBatch is 256).
const std::vector<double> kBatchJobs = {1, 2, 4, 8, 16, 32, 64, 128, 256};

// The one table of keyportd's metrics: every name, type, label and unit is here.
struct Metrics {
    Registry& r = Registry::global();

    Family<Counter>& requests =
        r.counter("keyport_http_requests_total",
                  "HTTP requests answered, by dialect, route template and status class.",
                  {"dialect", "route", "status_class"});
    Family<Histogram>& requestSeconds = r.histogram(
        "keyport_http_request_duration_seconds",
        "Seconds from a complete request to its response, by dialect, route template and "
        "status class.",
        {"dialect", "route", "status_class"}, kRequestSeconds);

    Family<Counter>& tokenOps = r.counter(
        "keyport_token_operations_total",
        "PKCS#11 operations on region tokens, by operation, mechanism, region and outcome.",
        {"operation", "mechanism", "region", "outcome"});
    Family<Histogram>& tokenSeconds = r.histogram(
        "keyport_token_operation_duration_seconds",
        "Seconds one PKCS#11 operation took on the token, by operation, mechanism and region.",
        {"operation", "mechanism", "region"}, kTokenSeconds);
    Family<Histogram>& sessionWait = r.histogram(
        "keyport_token_session_wait_seconds",
        "Seconds spent getting a token session: a pooled one (including opening one when "
        "none is idle) or the serialised owner session.",
        {"region", "session"}, kWaitSeconds);
    Family<Counter>& sessionsOpened =
        r.counter("keyport_token_sessions_opened_total",
                  "Pooled token sessions opened because none was idle.", {"region"});
    Family<Counter>& sessionsDiscarded = r.counter(
        "keyport_token_sessions_discarded_total",
        "Pooled token sessions closed instead of reused after an operation on them failed.",
        {"region"});

    Family<Counter>& cacheRequests =
        r.counter("keyport_cache_requests_total",
                  "Lookups in keyportd's in-memory caches, by cache and result (hit, miss).",
                  {"cache", "result"});

    Family<Histogram>& commitSeconds = r.histogram(
        "keyport_db_commit_duration_seconds",
        "Seconds one group commit of the database writer took (BEGIN to durable COMMIT).", {},
        kCommitSeconds);
    Family<Histogram>& commitBatch = r.histogram(
        "keyport_db_commit_batch_jobs", "Write jobs carried by one group commit.", {}, kBatchJobs);
    Family<Counter>& commitFailures = r.counter("keyport_db_commit_failures_total",
                                                "Group commits that failed and were rolled back.");

    Family<Gauge>& operationsPending =
        r.gauge("keyport_operations_pending",
                "Asynchronous (Exoscale) operations started by this process and not yet settled.");
    Family<Counter>& operationsFinished =
        r.counter("keyport_operations_finished_total",
                  "Asynchronous (Exoscale) operations settled, by final state.", {"state"});

    Family<Counter>& importTokens =
        r.counter("keyport_import_tokens_issued_total",
                  "Import tokens issued (get-parameters-for-import), by region.", {"region"});
    Family<Counter>& imports =
        r.counter("keyport_key_imports_total",
                  "Key material imports committed, by unwrap path (on-token, host-assisted).",
                  {"unwrap_path"});

    Family<Counter>& expirySweeps =
        r.counter("keyport_expiry_sweeps_total", "Passes of the expiry sweeper.");
    Family<Counter>& expirySweepFailures = r.counter("keyport_expiry_sweep_failures_total",
                                                     "Passes of the expiry sweeper that failed.");
    Family<Counter>& keysExpired =
        r.counter("keyport_keys_expired_total",
                  "Imported key material destroyed by the sweeper at its expiration time.");
    Family<Counter>& secretsPurged = r.counter(
        "keyport_secrets_purged_total", "Secrets removed by the sweeper at their deletion time.");
    Family<Counter>& rotationSweeps =
        r.counter("keyport_rotation_sweeps_total", "Passes of the key rotation sweep.");
    Family<Counter>& rotationSweepFailures = r.counter(
        "keyport_rotation_sweep_failures_total", "Passes of the key rotation sweep that failed.");
    Family<Counter>& keysRotated = r.counter(
        "keyport_keys_rotated_total", "Keys rotated by the sweep when their interval passed.");

    Family<Counter>& auditWritten =
        r.counter("keyport_audit_records_written_total", "Audit records appended to the trail.");
    Family<Counter>& auditFailures =
        r.counter("keyport_audit_record_failures_total",
                  "Audit records that could not be written (the request was refused with 503).");

    Family<Gauge>& buildInfo =
        r.gauge("keyport_build_info", "Always 1: the keyportd build, by version and revision.",
                {"version", "revision"});

    Metrics();
};

// Process figures from /proc, read at render time (Linux only, like keyportd).
struct ProcStat {
    double cpuSeconds = 0, startTime = 0, virtualBytes = 0, residentBytes = 0;
};

ProcStat readProcStat() {
    std::ifstream in("/proc/self/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name, which is in parentheses and may hold spaces.
    const auto close = text.rfind(')');
    if (close == std::string::npos) throw std::runtime_error("unreadable /proc/self/stat");
    std::istringstream fields(text.substr(close + 2));
    std::vector<std::string> f;
    for (std::string s; fields >> s;) f.push_back(s);
    // f[0] is field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24.
    if (f.size() < 22) throw std::runtime_error("short /proc/self/stat");
    const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
    ProcStat p;
    p.cpuSeconds = (std::stod(f[11]) + std::stod(f[12])) / tick;
    double bootTime = 0;
    std::ifstream stat("/proc/stat");
    for (std::string line; std::getline(stat, line);) {
        if (line.rfind("btime ", 0) == 0) bootTime = std::stod(line.substr(6));
    }
    p.startTime = bootTime + std::stod(f[19]) / tick;
    p.virtualBytes = std::stod(f[20]);
    p.residentBytes = std::stod(f[21]) * page;
    return p;
}

double openFds() {
    double n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
        ++n;
    }
    return n - 1;  // the iterator's own descriptor
}

double maxFds() {
    rlimit l{};
    if (::getrlimit(RLIMIT_NOFILE, &l) != 0) throw std::runtime_error("getrlimit");
    return l.rlim_cur == RLIM_INFINITY ? std::numeric_limits<double>::infinity()
                                       : static_cast<double>(l.rlim_cur);
}

Metrics::Metrics() {
    r.computed("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
               Type::Counter, [] { return readProcStat().cpuSeconds; });
    r.computed("process_start_time_seconds",
               "Start time of the process since unix epoch in seconds.", Type::Gauge,
               [] { return readProcStat().startTime; });
    r.computed("process_virtual_memory_bytes", "Virtual memory size in bytes.", Type::Gauge,
               [] { return readProcStat().virtualBytes; });
    r.computed("process_resident_memory_bytes", "Resident memory size in bytes.", Type::Gauge,
               [] { return readProcStat().residentBytes; });
    r.computed("process_open_fds", "Number of open file descriptors.", Type::Gauge, openFds);
    r.computed("process_max_fds", "Maximum number of open file descriptors.", Type::Gauge, maxFds);

    std::string version = KEYPORT_VERSION, revision;
    // KEYPORT_VERSION is "1.2.3" or "1.2.3 (git-describe)".
    if (const auto open = version.find(" ("); open != std::string::npos && version.back() == ')') {
        revision = version.substr(open + 2, version.size() - open - 3);
        version.resize(open);
    }
    buildInfo.with({version, revision}).set(1);
    // Label-less series exist from the start (a 0 is an answer); so do the usual outcomes.
    for (auto* f :
         {&commitFailures, &expirySweeps, &expirySweepFailures, &keysExpired, &secretsPurged,
          &rotationSweeps, &rotationSweepFailures, &keysRotated, &auditWritten, &auditFailures}) {
        f->with();
    }
    commitSeconds.with();
    commitBatch.with();
    operationsPending.with();
    for (const char* state : {"success", "failure"}) operationsFinished.with({state});
    for (const char* path : {"on-token", "host-assisted"}) imports.with({path});
}

Metrics& all() {
    static Metrics* m = new Metrics();  // never destroyed: counted into until exit
    return *m;
}

std::string_view statusClass(int status) {
    static constexpr std::string_view kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    return status >= 100 && status <= 599 ? kClasses[status / 100 - 1] : "other";
}

// --- hsm's observer: token label → region, with per-thread handles to the series ---

std::shared_mutex regionsMutex;
std::map<std::string, std::string, std::less<>> regionOfToken;
std::atomic<std::uint64_t> regionsGeneration{0};

std::string regionOf(const std::string& label) {
    if (label.empty()) return "none";
    std::shared_lock lock(regionsMutex);
    auto it = regionOfToken.find(label);
    return it == regionOfToken.end() ? std::string("unknown") : it->second;
}

struct OpSeries {
    std::string label;  // the token label these handles were made for
    Counter* ok;
    Counter* failed;
    Histogram* seconds;
};
struct TokenSeries {
    std::string label;
    Histogram* pooledWait;
    Histogram* ownerWait;
    Counter* opened;
    Counter* discarded;
};

// Per thread: the series each (operation, mechanism, token) maps to, found once. Keyed by
// the label's address (Session keeps a pointer to its Token's label) and checked against
// the label's text, so a token freed and another made at the same address is not mixed up.
struct ThreadSeries {
    std::uint64_t generation = ~std::uint64_t{0};
    std::unordered_map<std::uint64_t, std::unordered_map<const std::string*, OpSeries>> ops;
    std::unordered_map<const std::string*, TokenSeries> tokens;

    void refresh() {
        const auto g = regionsGeneration.load(std::memory_order_acquire);
        if (g == generation) return;
        ops.clear();
        tokens.clear();
        generation = g;
    }
};
thread_local ThreadSeries threadSeries;

const OpSeries& opSeries(hsm::Operation op, CK_MECHANISM_TYPE mech, const std::string& label) {
    ThreadSeries& t = threadSeries;
    t.refresh();
    auto& byLabel = t.ops[(static_cast<std::uint64_t>(mech) << 8) | static_cast<std::uint64_t>(op)];
    auto it = byLabel.find(&label);
    if (it != byLabel.end() && it->second.label == label) return it->second;
    Metrics& m = all();
    const std::string region = regionOf(label);
    const char* opName = hsm::operationName(op);
    const char* mechName = hsm::mechanismName(mech);
    OpSeries s{label, &m.tokenOps.with({opName, mechName, region, "ok"}),
               &m.tokenOps.with({opName, mechName, region, "error"}),
               &m.tokenSeconds.with({opName, mechName, region})};
    return byLabel.insert_or_assign(&label, std::move(s)).first->second;
}

const TokenSeries& tokenSeries(const std::string& label) {
    ThreadSeries& t = threadSeries;
    t.refresh();
    auto it = t.tokens.find(&label);
    if (it != t.tokens.end() && it->second.label == label) return it->second;
    Metrics& m = all();
    const std::string region = regionOf(label);
    TokenSeries s{label, &m.sessionWait.with({region, "pooled"}),
                  &m.sessionWait.with({region, "owner"}), &m.sessionsOpened.with({region}),
                  &m.sessionsDiscarded.with({region})};
    return t.tokens.insert_or_assign(&label, std::move(s)).first->second;
}

void onOperation(hsm::Operation op, CK_MECHANISM_TYPE mech, const std::string& token,
                 double seconds, bool ok) noexcept {
    try {
        const OpSeries& s = opSeries(op, mech, token);
        (ok ? s.ok : s.failed)->inc();
        s.seconds->observe(seconds);
    } catch (...) {
        // Out of memory making a series: the operation itself is not to fail for a metric.
    }
}

void onSessionWait(hsm::SessionKind kind, const std::string& token, double seconds,
                   bool opened) noexcept {
    try {
        const TokenSeries& s = tokenSeries(token);
        (kind == hsm::SessionKind::Owner ? s.ownerWait : s.pooledWait)->observe(seconds);
        if (opened) s.opened->inc();
    } catch (...) {
    }
}

void onSessionDiscarded(const std::string& token) noexcept {
    try {
        tokenSeries(token).discarded->inc();
    } catch (...) {
    }
}

const hsm::Observer kObserver{onOperation, onSessionWait, onSessionDiscarded};

}  // namespace

void observeRequest(std::string_view dialect, std::string_view route, int status, double seconds) {
    Metrics& m = all();
    const std::string_view d = dialect.empty() ? "none" : dialect;
    const std::string_view r = route.empty() ? "unmatched" : route;
    const std::string_view c = statusClass(status);
    m.requests.with({d, r, c}).inc();
    m.requestSeconds.with({d, r, c}).observe(seconds);
}

void auditRecord(bool written) {
    (written ? all().auditWritten : all().auditFailures).with().inc();
}

void tokenRegion(std::string_view tokenLabel, std::string_view region) {
    all();  // the families exist before the first operation is counted
    {
        std::unique_lock lock(regionsMutex);
        regionOfToken.insert_or_assign(std::string(tokenLabel), std::string(region));
    }
    regionsGeneration.fetch_add(1, std::memory_order_acq_rel);
    hsm::setObserver(&kObserver);
    // The region's series that a dashboard expects to read as 0 before the first event.
    Metrics& m = all();
    m.importTokens.with({region});
    m.sessionsOpened.with({region});
    m.sessionsDiscarded.with({region});
}

CacheCounters cache(std::string_view name) {
    Metrics& m = all();
    return CacheCounters{m.cacheRequests.with({name, "hit"}), m.cacheRequests.with({name, "miss"})};
}

void databaseCommit(double seconds, std::size_t batchSize, bool committed) {
    Metrics& m = all();
    if (!committed) {
        m.commitFailures.with().inc();
        return;
    }
    m.commitSeconds.with().observe(seconds);
    m.commitBatch.with().observe(static_cast<double>(batchSize));
}

void operationStarted() {
    all().operationsPending.with().add(1);
}

void operationFinished(std::string_view state) {
    Metrics& m = all();
    m.operationsPending.with().add(-1);
    m.operationsFinished.with({state}).inc();
}

void importTokenIssued(std::string_view region) {
    all().importTokens.with({region}).inc();
}

void keyImported(std::string_view unwrapPath) {
    all().imports.with({unwrapPath}).inc();
}

void expirySweep(bool ok, std::size_t keysExpired, std::size_t secretsPurged) {
    Metrics& m = all();
    m.expirySweeps.with().inc();
    if (!ok) m.expirySweepFailures.with().inc();
    m.keysExpired.with().inc(keysExpired);
    m.secretsPurged.with().inc(secretsPurged);
}

void rotationSweep(bool ok, std::size_t keysRotated) {
    Metrics& m = all();
    m.rotationSweeps.with().inc();
    if (!ok) m.rotationSweepFailures.with().inc();
    m.keysRotated.with().inc(keysRotated);
}

std::string render() {
    all();
    return Registry::global().render();
}

}  // namespace keyport::metrics
