// AuditLog against a real SoftHSM token: the chain, the on-token seals, rotation across
// files, restarts, a torn tail, many writers, the database anchor, and a full disk (a tiny
// tmpfs) refused at admit() with nothing half-written.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "service/core/audit/audit_line.h"
#include "service/core/audit/audit_record_json.h"
#include "service/core/audit/audit_seal.h"
#include "service/core/audit/audit_trail_files.h"
#include "service/core/audit/audit_verify.h"
#include "service/core/storage/audit_anchor_store.h"
#include "tests/core/audit_trail_env.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

std::optional<AuditAnchor> anchorOf(Database& db) {
    return db.read([](auto& s) { return audit_anchor_store::find(s); });
}

AuditVerifyReport verify(TrailDir& t, std::optional<fs::path> from = std::nullopt) {
    return verifyAuditTrail(t.active(), auditTokens(), {from, anchorOf(t.db())});
}

void expectChain(const std::vector<std::string>& lines, std::uint64_t firstSeq,
                 const std::string& firstPrev) {
    std::string prev = firstPrev;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const AuditLine l = parseAuditLine(lines[i]);
        EXPECT_EQ(l.seq, firstSeq + i) << "line " << i + 1;
        EXPECT_EQ(l.prev, prev) << "line " << i + 1;
        prev = auditLineHash(lines[i]);
    }
}

TEST(AuditLog, RecordsChainAndSealsVerifyOnTheToken) {
    TrailDir t;
    AuditConfig c = t.config();
    c.sealEvery = 5;
    {
        AuditLog log(c, auditTokens(), t.db(), {"1.2.3", 4});
        for (int i = 0; i < 12; ++i) {
            log.admit();
            log.append(sampleRecord(i));
        }
        EXPECT_EQ(log.failures(), 0u);
    }
    const auto lines = readLines(t.active());
    // start, 4 requests, seal (5 since the last), 5 requests, seal, 3 requests, shutdown.
    ASSERT_EQ(lines.size(), 1u + 4 + 1 + 5 + 1 + 3 + 1);
    expectChain(lines, 1, kAuditGenesisPrev);
    EXPECT_EQ(lines[0], R"({"seq":1,"time":")" + lines[0].substr(17, 24) +
                            R"(","type":"start","version":"1.2.3","prev":")" + kAuditGenesisPrev +
                            "\"}");
    // The brief's exact request line.
    EXPECT_EQ(
        lines[1],
        R"({"seq":2,"time":"2026-12-01T20:00:00.123Z","type":"request","request_id":"req-0",)"
        R"("dialect":"huawei-kms","method":"POST","route":"/v1.0/{project_id}/kms/encrypt-data",)"
        R"("peer":"127.0.0.1","principal":{"domain_id":"demo-domain","project_id":)"
        R"("0a1b2c3d4e5f40718293a4b5c6d7e8f9","access_key":"KEYPORTDEMOACCESSKEY","role":"admin"},)"
        R"("objects":[{"kind":"key_id","id":"0d0466b0-e727-4d9c-b35d-f84bb474a37f"}],)"
        R"("status":200,"latency_ms":1.234,"prev":")" +
            auditLineHash(lines[0]) + "\"}");
    std::vector<std::string> reasons;
    for (const auto& text : lines) {
        const AuditLine l = parseAuditLine(text);
        if (l.type != "seal") continue;
        reasons.push_back(l.reason);
        EXPECT_EQ(l.region, kAuditRegion);
        Region& region = auditTokens().region(kAuditRegion);
        EXPECT_TRUE(verifyAuditSeal(region, l.seq, l.prev, l.mac));
        // The MAC names its seq and prev: moved to another place it does not verify.
        EXPECT_FALSE(verifyAuditSeal(region, l.seq + 1, l.prev, l.mac));
        EXPECT_FALSE(verifyAuditSeal(region, l.seq, kAuditGenesisPrev, l.mac));
    }
    EXPECT_EQ(reasons, (std::vector<std::string>{"count", "count", "shutdown"}));
    // The anchor is the shutdown seal.
    const auto anchor = anchorOf(t.db());
    ASSERT_TRUE(anchor);
    EXPECT_EQ(anchor->seq, lines.size());
    EXPECT_EQ(anchor->lineHash, auditLineHash(lines.back()));
    const auto report = verify(t);
    EXPECT_TRUE(report.intact()) << report.problem;
    EXPECT_TRUE(report.anchorReached);
    EXPECT_EQ(report.records, lines.size());
    EXPECT_EQ(report.seals, 3u);
    EXPECT_EQ(report.unsealedTail, 0u);
}

// A count seal is synced and recorded as the anchor by the seal thread, while the log runs.
TEST(AuditLog, CountSealBecomesTheAnchorWhileRunning) {
    TrailDir t;
    AuditConfig c = t.config();
    c.sealEvery = 3;
    AuditLog log(c, auditTokens(), t.db());
    log.append(sampleRecord(1));
    log.append(sampleRecord(2));  // start + 2: the seal is seq 4
    std::optional<AuditAnchor> anchor;
    for (int i = 0; i < 50 && !(anchor && anchor->seq == 4); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        anchor = anchorOf(t.db());
    }
    ASSERT_TRUE(anchor);
    EXPECT_EQ(anchor->seq, 4u);
    EXPECT_EQ(anchor->lineHash, auditLineHash(readLines(t.active()).back()));
}

TEST(AuditLog, FileAndDirectoryModes) {
    TrailDir t;
    { AuditLog log(t.config(), auditTokens(), t.db()); }
    EXPECT_EQ(fs::status(t.active().parent_path()).permissions() & fs::perms::all,
              fs::perms::owner_all);
    EXPECT_EQ(fs::status(t.active()).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
}

TEST(AuditLog, RecordJsonIsEscapedValidUtf8AndCapped) {
    AuditRecord r = sampleRecord(1);
    r.requestId = std::string("a\"b\\c\n\x01\x7f") + "\xff\xc3(" + "\xed\xa0\x80" + "é€😀";
    r.peerSubject = std::string(5000, 'x');
    r.objects.clear();
    for (int i = 0; i < 2000; ++i) r.objects.emplace_back("key_id", std::string(36, 'k'));
    r.errorCode = "KMS.0207";
    r.unwrapPath = "on-token";
    const std::string line = audit_json::requestLine(7, r, kAuditGenesisPrev);
    EXPECT_LE(line.size(), audit_json::kMaxRecordBytes);
    EXPECT_NE(
        line.find(R"("request_id":"a\"b\\c\n\u0001\u007f\u00ff\u00c3(\u00ed\u00a0\u0080é€😀")"),
        std::string::npos);
    EXPECT_NE(line.find(std::string(audit_json::kMaxFieldBytes, 'x') + "...\""), std::string::npos);
    EXPECT_NE(line.find(R"(more"}],"status":200,"error_code":"KMS.0207","unwrap_path":"on-token")"),
              std::string::npos);
    const AuditLine parsed = parseAuditLine(line);
    EXPECT_EQ(parsed.seq, 7u);
    EXPECT_EQ(parsed.type, "request");
    // A record of an unauthenticated request that matched no route: no principal, route,
    // objects.
    AuditRecord bare;
    bare.timeMs = 0;
    bare.requestId = "x";
    bare.dialect = "ncloud";
    bare.method = "GET";
    bare.status = 401;
    bare.errorCode = "200";
    EXPECT_EQ(audit_json::requestLine(1, bare, kAuditGenesisPrev),
              R"({"seq":1,"time":"1970-01-01T00:00:00.000Z","type":"request","request_id":"x",)"
              R"("dialect":"ncloud","method":"GET","status":401,"error_code":"200",)"
              R"("latency_ms":0.000,"prev":")" +
                  kAuditGenesisPrev + "\"}");
}

// Bad lines and what the strict parser says; good lines parse.
TEST(AuditLine, BadLinesAreRefused) {
    const std::string z = kAuditGenesisPrev;
    const std::string t = R"("time":"2026-12-01T20:00:00.123Z")";
    const std::string ok = R"({"seq":3,)" + t + R"(,"type":"start","prev":")" + z + "\"}";
    EXPECT_EQ(parseAuditLine(ok).seq, 3u);
    const std::string seal = R"({"seq":4,)" + t +
                             R"(,"type":"seal","reason":"count","region":"r","mac":")" + z +
                             R"(","prev":")" + z + "\"}";
    EXPECT_EQ(parseAuditLine(seal).reason, "count");
    const struct {
        const char* name;
        std::string line;
    } rows[] = {
        {"empty", ""},
        {"not an object", "[1]"},
        {"trailing bytes", ok + " "},
        {"trailing comma", R"({"seq":3,)" + t + R"(,"type":"start","prev":")" + z + "\",}"},
        {"seq not first", R"({)" + t + R"(,"seq":3,"type":"start","prev":")" + z + "\"}"},
        {"leading zero seq", R"({"seq":03,)" + t + R"(,"type":"start","prev":")" + z + "\"}"},
        {"negative seq", R"({"seq":-3,)" + t + R"(,"type":"start","prev":")" + z + "\"}"},
        {"fractional seq", R"({"seq":3.5,)" + t + R"(,"type":"start","prev":")" + z + "\"}"},
        {"bad time",
         R"({"seq":3,"time":"2026-12-01 20:00:00","type":"start","prev":")" + z + "\"}"},
        {"unknown type", R"({"seq":3,)" + t + R"(,"type":"stop","prev":")" + z + "\"}"},
        {"unknown member", R"({"seq":3,)" + t + R"(,"type":"start","x":1,"prev":")" + z + "\"}"},
        {"no prev", R"({"seq":3,)" + t + R"(,"type":"start"})"},
        {"short prev", R"({"seq":3,)" + t + R"(,"type":"start","prev":"00"})"},
        {"uppercase prev",
         R"({"seq":3,)" + t + R"(,"type":"start","prev":")" + std::string(64, 'A') + "\"}"},
        {"seal without mac", R"({"seq":4,)" + t +
                                 R"(,"type":"seal","reason":"count","region":"r","prev":")" + z +
                                 "\"}"},
        {"request without status",
         R"({"seq":4,)" + t + R"(,"type":"request","latency_ms":1.0,"prev":")" + z + "\"}"},
        {"members out of order",
         R"({"seq":4,)" + t +
             R"(,"type":"request","method":"GET","dialect":"x","status":200,"latency_ms":1.0,"prev":")" +
             z + "\"}"},
        {"duplicate member",
         R"({"seq":4,)" + t +
             R"(,"type":"request","method":"GET","method":"GET","status":200,"latency_ms":1.0,"prev":")" +
             z + "\"}"},
        {"invalid utf-8", R"({"seq":4,)" + t + R"(,"type":"request","method":")" +
                              std::string("\xff") + R"(","status":200,"latency_ms":1.0,"prev":")" +
                              z + "\"}"},
        {"lone surrogate",
         R"({"seq":4,)" + t +
             R"(,"type":"request","method":"\ud800","status":200,"latency_ms":1.0,"prev":")" + z +
             "\"}"},
        {"raw control byte", R"({"seq":4,)" + t + R"(,"type":"request","method":")" +
                                 std::string("\x01") +
                                 R"(","status":200,"latency_ms":1.0,"prev":")" + z + "\"}"},
        {"objects not kind/id",
         R"({"seq":4,)" + t +
             R"(,"type":"request","objects":[{"id":"x"}],"status":200,"latency_ms":1.0,"prev":")" +
             z + "\"}"},
        {"deep nesting",
         R"({"seq":4,)" + t +
             R"(,"type":"request","objects":[[[[[[1]]]]]],"status":200,"latency_ms":1.0,"prev":")" +
             z + "\"}"},
        {"longer than a record", R"({"seq":4,)" + t + R"(,"type":"request","method":")" +
                                     std::string(20000, 'x') +
                                     R"(","status":200,"latency_ms":1.0,"prev":")" + z + "\"}"},
        {"unclosed", R"({"seq":4,)" + t},
    };
    for (const auto& row : rows) {
        EXPECT_THROW(parseAuditLine(row.line), AuditFormatError) << row.name;
    }
}

// The fuzz target's seeds are records of the format (so the fuzzer starts from valid lines).
TEST(AuditLine, FuzzSeedsParse) {
    std::size_t seeds = 0;
    for (const auto& e :
         fs::directory_iterator(KEYPORT_SOURCE_DIR "/tests/fuzz/corpus/audit_trail")) {
        EXPECT_NO_THROW(parseAuditLine(readFile(e.path()))) << e.path();
        ++seeds;
    }
    EXPECT_GE(seeds, 4u);
}

TEST(AuditLog, RotationKeepsTheChainAcrossFiles) {
    TrailDir t;
    AuditConfig c = t.config();
    c.maxFileBytes = 4096;
    c.sealEvery = 1000;
    {
        AuditLog log(c, auditTokens(), t.db());
        for (int i = 0; i < 60; ++i) log.append(sampleRecord(i));
    }
    const auto files = trailFiles(t.active());
    ASSERT_GE(files.size(), 4u);
    EXPECT_EQ(files[0].filename(), "audit.log.000000000001");
    std::vector<std::string> all;
    for (std::size_t f = 0; f < files.size(); ++f) {
        const auto lines = readLines(files[f]);
        ASSERT_FALSE(lines.empty());
        const AuditLine first = parseAuditLine(lines.front());
        if (f + 1 < files.size()) {
            // Named by its first seq; ends with the rotation's seal; the blocks reserved
            // past its end were given back (the reservation is 1 MiB + 64 x 16 KiB).
            struct stat st {};
            ASSERT_EQ(::stat(files[f].c_str(), &st), 0);
            EXPECT_LT(static_cast<std::uint64_t>(st.st_blocks) * 512, 64u * 1024);
            EXPECT_EQ(rotatedFirstSeq(t.active(), files[f]), first.seq);
            const AuditLine last = parseAuditLine(lines.back());
            EXPECT_EQ(last.type, "seal");
            EXPECT_EQ(last.reason, "rotate");
            EXPECT_GE(fs::file_size(files[f]), 4096u);
        }
        all.insert(all.end(), lines.begin(), lines.end());
    }
    expectChain(all, 1, kAuditGenesisPrev);
    EXPECT_EQ(parseAuditLine(all.back()).reason, "shutdown");
    const auto report = verify(t);
    EXPECT_TRUE(report.intact()) << report.problem;
    EXPECT_EQ(report.files.size(), files.size());
    // --from a later file trusts its first prev.
    const auto from = verify(t, files[2]);
    EXPECT_TRUE(from.intact()) << from.problem;
    EXPECT_EQ(from.files.size(), files.size() - 2);
    // Without --from, a missing first file is reported.
    fs::remove(files[0]);
    const auto missing = verify(t);
    EXPECT_FALSE(missing.intact());
    EXPECT_EQ(missing.badFile, files[1]);
    EXPECT_EQ(missing.badLine, 1u);
}

TEST(AuditLog, RestartContinuesTheChain) {
    TrailDir t;
    for (int round = 0; round < 3; ++round) {
        AuditLog log(t.config(), auditTokens(), t.db());
        for (int i = 0; i < 3; ++i) log.append(sampleRecord(i));
    }
    const auto lines = readLines(t.active());
    ASSERT_EQ(lines.size(), 3u * 5);
    expectChain(lines, 1, kAuditGenesisPrev);
    EXPECT_EQ(parseAuditLine(lines[5]).type, "start");
    const auto report = verify(t);
    EXPECT_TRUE(report.intact()) << report.problem;
    EXPECT_EQ(report.starts, 3u);
}

TEST(AuditLog, RestartAfterRotationContinuesFromTheRotatedFile) {
    TrailDir t;
    { AuditLog log(t.config(), auditTokens(), t.db()); }
    // As if keyportd stopped right after a rotation: audit.log is empty.
    const auto lines = readLines(t.active());
    fs::rename(t.active(), rotatedTrailFile(t.active(), 1));
    writeFile(t.active(), "");
    { AuditLog log(t.config(), auditTokens(), t.db()); }
    const auto fresh = readLines(t.active());
    ASSERT_EQ(fresh.size(), 2u);
    expectChain(fresh, 3, auditLineHash(lines.back()));
    EXPECT_TRUE(verify(t).intact());
}

TEST(AuditLog, TornTailIsCutAndReported) {
    TrailDir t;
    { AuditLog log(t.config(), auditTokens(), t.db()); }
    const std::string before = readFile(t.active());
    const std::string torn = R"({"seq":3,"time":"2026-12-01T20:00:00.123Z","type":"requ)";
    { std::ofstream(t.active(), std::ios::app | std::ios::binary) << torn; }
    { AuditLog log(t.config(), auditTokens(), t.db()); }
    const std::string after = readFile(t.active());
    ASSERT_EQ(after.compare(0, before.size(), before), 0);
    const auto lines = readLines(t.active());
    ASSERT_EQ(lines.size(), 4u);
    const AuditLine start = parseAuditLine(lines[2]);
    EXPECT_EQ(start.type, "start");
    EXPECT_EQ(start.tornTailBytes, torn.size());
    EXPECT_NE(lines[2].find("\"torn_tail_bytes\":" + std::to_string(torn.size())),
              std::string::npos);
    const auto report = verify(t);
    EXPECT_TRUE(report.intact()) << report.problem;
    EXPECT_EQ(report.tornTailsCut, 1u);
}

TEST(AuditLog, ABadLastLineStopsStartUp) {
    TrailDir t;
    { AuditLog log(t.config(), auditTokens(), t.db()); }
    { std::ofstream(t.active(), std::ios::app | std::ios::binary) << "not a record\n"; }
    EXPECT_THROW(AuditLog(t.config(), auditTokens(), t.db()), std::runtime_error);
}

TEST(AuditLog, OneWriterPerTrail) {
    TrailDir t;
    AuditLog log(t.config(), auditTokens(), t.db());
    EXPECT_THROW(AuditLog(t.config(), auditTokens(), t.db()), AuditUnavailable);
}

TEST(AuditLog, IntervalSealsAnIdleTrail) {
    TrailDir t;
    AuditConfig c = t.config();
    c.sealIntervalSeconds = 1;
    AuditLog log(c, auditTokens(), t.db());
    log.append(sampleRecord(1));
    std::string reason;
    for (int i = 0; i < 40 && reason.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto lines = readLines(t.active());
        const AuditLine last = parseAuditLine(lines.back());
        if (last.type == "seal") reason = last.reason;
    }
    EXPECT_EQ(reason, "interval");
    // Nothing written since: no second interval seal.
    const auto count = readLines(t.active()).size();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    EXPECT_EQ(readLines(t.active()).size(), count);
}

TEST(AuditLog, ManyThreadsMakeOneValidChain) {
    TrailDir t;
    AuditConfig c = t.config();
    c.sealEvery = 100;
    constexpr int kThreads = 16, kEach = 300;
    {
        AuditLog log(c, auditTokens(), t.db(), {"", kThreads});
        std::vector<std::thread> threads;
        for (int n = 0; n < kThreads; ++n) {
            threads.emplace_back([&log, n] {
                for (int i = 0; i < kEach; ++i) {
                    log.admit();
                    log.append(sampleRecord(n * kEach + i));
                }
            });
        }
        for (auto& th : threads) th.join();
    }
    const auto lines = readLines(t.active());
    expectChain(lines, 1, kAuditGenesisPrev);
    std::size_t requests = 0;
    for (const auto& l : lines) requests += parseAuditLine(l).type == "request";
    EXPECT_EQ(requests, std::size_t{kThreads} * kEach);
    EXPECT_TRUE(verify(t).intact());
}

double processCpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Records/s of admit()+append() on this machine, one thread and 16 (printed; the bound is
// loose, it only catches a writer that syncs every record).
TEST(AuditLog, AppendCost) {
    {
        // The host-side part alone: build the line and hash it.
        const AuditRecord r = sampleRecord(1);
        std::string prev = kAuditGenesisPrev;
        const auto start = std::chrono::steady_clock::now();
        const double cpuStart = processCpuSeconds();
        for (int i = 0; i < 32000; ++i) {
            prev = auditLineHash(audit_json::requestLine(static_cast<std::uint64_t>(i), r, prev));
        }
        const std::chrono::duration<double> d = std::chrono::steady_clock::now() - start;
        std::printf("audit line build + SHA-256: %.2f us/record (%.2f us CPU)\n",
                    d.count() / 32000 * 1e6, (processCpuSeconds() - cpuStart) / 32000 * 1e6);
    }
    for (int threadsN : {1, 16}) {
        TrailDir t;
        AuditConfig c = t.config();
        constexpr int kTotal = 32000;
        std::chrono::duration<double> elapsed{};
        double cpu = 0;
        {
            AuditLog log(c, auditTokens(), t.db(), {"", 16});
            const auto start = std::chrono::steady_clock::now();
            cpu = processCpuSeconds();
            std::vector<std::thread> threads;
            for (int n = 0; n < threadsN; ++n) {
                threads.emplace_back([&log, threadsN, n] {
                    for (int i = 0; i < kTotal / threadsN; ++i) {
                        log.admit();
                        log.append(sampleRecord(n + i));
                    }
                });
            }
            for (auto& th : threads) th.join();
            elapsed = std::chrono::steady_clock::now() - start;
            cpu = processCpuSeconds() - cpu;
        }
        const double rate = kTotal / elapsed.count();
        std::printf(
            "audit append: %d thread(s): %.0f records/s, %.2f us/record, %.2f us CPU/record (seal "
            "every %zu)\n",
            threadsN, rate, 1e6 / rate, cpu / kTotal * 1e6, c.sealEvery);
        EXPECT_TRUE(verify(t).intact());
    }
}

// Anchor: a trail cut back before the last seal the service recorded is caught, and a
// writer started on it continues after the anchor so the gap stays visible.
TEST(AuditLog, TrailCutBeforeTheAnchorIsCaught) {
    TrailDir t;
    AuditConfig c = t.config();
    c.sealEvery = 3;
    {
        AuditLog log(c, auditTokens(), t.db());
        for (int i = 0; i < 10; ++i) log.append(sampleRecord(i));
    }
    auto lines = readLines(t.active());
    const auto anchor = anchorOf(t.db());
    ASSERT_TRUE(anchor);
    EXPECT_EQ(anchor->seq, lines.size());
    // Drop the shutdown seal and the records before it back to the previous seal: every
    // remaining line and seal is genuine.
    std::size_t keep = lines.size() - 1;
    while (parseAuditLine(lines[keep - 1]).type != "seal") --keep;
    std::string text;
    for (std::size_t i = 0; i < keep; ++i) text += lines[i] + "\n";
    writeFile(t.active(), text);
    const auto cut = verify(t);
    EXPECT_FALSE(cut.intact());
    EXPECT_NE(cut.problem.find("before the last seal the service recorded"), std::string::npos)
        << cut.problem;
    EXPECT_EQ(cut.badLine, keep);
    // Without the anchor the cut trail looks whole: the anchor is what catches it.
    EXPECT_TRUE(verifyAuditTrail(t.active(), auditTokens(), {}).intact());
    { AuditLog log(c, auditTokens(), t.db()); }
    const auto gap = verify(t);
    EXPECT_FALSE(gap.intact());
    EXPECT_EQ(gap.badLine, keep + 1);
    EXPECT_EQ(gap.badSeq, anchor->seq + 1);
    EXPECT_NE(gap.problem.find("records are missing"), std::string::npos) << gap.problem;
}

// A full disk: a 64 KiB tmpfs holds the trail. admit() refuses once the reservation cannot
// be kept, a record that does not fit is not half-written, and freeing space recovers.
class AuditDiskFull : public ::testing::Test {
  protected:
    void SetUp() override {
        if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
        mount_ = t_.dir() / "audit";
        fs::create_directories(mount_);
        if (::mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=64k,mode=0700") != 0) {
            GTEST_SKIP() << "mount -t tmpfs failed: " << std::strerror(errno);
        }
        mounted_ = true;
    }
    void TearDown() override {
        if (mounted_) ::umount2(mount_.c_str(), MNT_DETACH);
    }
    // Fills the file system up to the last byte.
    void fill() {
        std::FILE* f = std::fopen((mount_ / "filler").c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::setvbuf(f, nullptr, _IONBF, 0);
        const std::string block(512, 'f');
        while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {
        }
        while (std::fputc('f', f) != EOF) {
        }
        std::fclose(f);
    }

    TrailDir t_;
    fs::path mount_;
    bool mounted_ = false;
};

TEST_F(AuditDiskFull, AdmitRefusesBeforeAnythingIsWrittenAndRecovers) {
    AuditConfig c = t_.config();
    c.reserveBytes = 4096;
    // One request in flight at a time: 16 KiB must stay reserved (of 64 KiB).
    AuditLog log(c, auditTokens(), t_.db(), {"", 1});
    log.admit();
    log.append(sampleRecord(0));
    fill();
    // Admitted requests find room in the reservation until it runs below one record.
    int admitted = 0;
    bool refused = false;
    for (; admitted < 1000; ++admitted) {
        try {
            log.admit();
        } catch (const AuditUnavailable&) {
            refused = true;
            break;
        }
        EXPECT_NO_THROW(log.append(sampleRecord(admitted))) << "an admitted record failed";
    }
    ASSERT_TRUE(refused);
    EXPECT_GT(admitted, 0);
    EXPECT_GE(log.refusals(), 1u);
    EXPECT_EQ(log.failures(), 0u);
    // A record appended anyway (no admit) that finds no room fails whole.
    const auto seqBefore = log.lastSeq();
    bool failed = false;
    for (int i = 0; i < 1000 && !failed; ++i) {
        const auto size = fs::file_size(t_.active());
        try {
            log.append(sampleRecord(i));
        } catch (const AuditUnavailable&) {
            failed = true;
            EXPECT_EQ(fs::file_size(t_.active()), size) << "a partial line was left";
        }
    }
    ASSERT_TRUE(failed);
    EXPECT_GE(log.failures(), 1u);
    EXPECT_GT(log.lastSeq(), seqBefore);
    const std::string text = readFile(t_.active());
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    EXPECT_THROW(log.admit(), AuditUnavailable);
    // Space freed: the trail takes records again by itself.
    fs::remove(mount_ / "filler");
    EXPECT_NO_THROW(log.admit());
    EXPECT_NO_THROW(log.append(sampleRecord(99)));
    log.seal("test");
    const auto report = verify(t_);
    EXPECT_TRUE(report.intact()) << report.problem;
    EXPECT_EQ(report.unsealedTail, 0u);
}

}  // namespace
}  // namespace keyport::test
