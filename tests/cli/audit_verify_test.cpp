// The real `keyport audit verify` on trails written by AuditLog (the real writer, sealing on
// a real SoftHSM token): intact → exit 0 with a summary; a flipped byte, a deleted line, a
// cut tail, a forged seal → exit 1 naming the first bad record; --from a rotated file.
#include <gtest/gtest.h>

#include <filesystem>

#include "service/core/audit/audit_line.h"
#include "service/core/audit/audit_trail_files.h"
#include "tests/cli/cli_runner.h"
#include "tests/core/audit_trail_env.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

CliResult verifyCli(const TrailDir& t, const std::vector<std::string>& extra = {}) {
    CliRunner cli;
    std::vector<std::string> args = {"audit", "verify", "--config", auditConfigFile().string()};
    for (const auto& d : t.defines()) args.push_back(d);
    for (const auto& e : extra) args.push_back(e);
    return cli.run(args, /*raw=*/true);
}

// A trail of `records` requests sealed every `sealEvery`, closed (shutdown seal).
void writeTrail(TrailDir& t, int records, std::size_t sealEvery = 4,
                std::size_t maxFileBytes = 64 * 1024 * 1024) {
    AuditConfig c = t.config();
    c.sealEvery = sealEvery;
    c.maxFileBytes = maxFileBytes;
    AuditLog log(c, auditTokens(), t.db());
    for (int i = 0; i < records; ++i) {
        log.admit();
        log.append(sampleRecord(i));
    }
}

void writeLines(const fs::path& file, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    writeFile(file, text);
}

// Recomputes every prev from line `from` on, as a forger who edits lines would.
void rechain(std::vector<std::string>& lines, std::size_t from) {
    for (std::size_t i = std::max<std::size_t>(from, 1); i < lines.size(); ++i) {
        std::string& l = lines[i];
        l.replace(l.size() - 66, 64, auditLineHash(lines[i - 1]));
    }
}

std::string lineRef(std::size_t lineNo) {
    return "audit.log line " + std::to_string(lineNo);
}

TEST(AuditVerifyCli, IntactTrailPassesWithASummary) {
    TrailDir t;
    writeTrail(t, 10);
    const auto lines = readLines(t.active());
    const auto r = verifyCli(t);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find(": intact"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("records      " + std::to_string(lines.size()) + " (seq 1 .. " +
                         std::to_string(lines.size()) + ")"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("unsealed tail 0 records"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("seal seq " + std::to_string(lines.size()) +
                         " recorded in the database: reached"),
              std::string::npos)
        << r.out;
    // Ids at most: no principal, route or peer reaches the terminal.
    for (const char* content :
         {"KEYPORTDEMOACCESSKEY", "demo-domain", "encrypt-data", "127.0.0.1"}) {
        EXPECT_EQ(r.out.find(content), std::string::npos) << content;
    }
}

TEST(AuditVerifyCli, UnsealedTailOfARunningWriterIsReportedNotFailed) {
    TrailDir t;
    AuditConfig c = t.config();
    c.sealEvery = 4;
    AuditLog log(c, auditTokens(), t.db());
    for (int i = 0; i < 5; ++i) log.append(sampleRecord(i));  // start + 3, seal, 2
    const auto r = verifyCli(t);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("unsealed tail 2 records"), std::string::npos) << r.out;
}

TEST(AuditVerifyCli, AFlippedByteIsCaught) {
    TrailDir t;
    writeTrail(t, 10);
    const auto original = readLines(t.active());
    // Inside a value: the line still parses; the next line's prev names it.
    {
        auto lines = original;
        const std::size_t k = 4;  // line 4 (seq 4), a request
        const auto at = lines[k - 1].find("127.0.0.1");
        ASSERT_NE(at, std::string::npos);
        lines[k - 1][at + 8] = '2';
        writeLines(t.active(), lines);
        const auto r = verifyCli(t);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_NE(r.out.find("BROKEN at " + t.active().string() + " line 5 (seq 5)"),
                  std::string::npos)
            << r.out;
        EXPECT_NE(r.out.find("audit.log line 4, seq 4): that record was altered"),
                  std::string::npos)
            << r.out;
    }
    // In the syntax: that line itself is not a record.
    {
        auto lines = original;
        lines[2][0] = '[';
        writeLines(t.active(), lines);
        const auto r = verifyCli(t);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_NE(r.out.find(" line 3: is not an audit record"), std::string::npos) << r.out;
    }
    // In the last line, the shutdown seal (no line after it): the database anchor catches it.
    {
        auto lines = original;
        const auto at = lines.back().find("\"shutdown\"");
        ASSERT_NE(at, std::string::npos);
        lines.back()[at + 1] = 'S';
        writeLines(t.active(), lines);
        const auto r = verifyCli(t);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_NE(r.out.find(" line " + std::to_string(lines.size()) + " (seq " +
                             std::to_string(lines.size()) + "): it is not the seal the service"),
                  std::string::npos)
            << r.out;
    }
}

TEST(AuditVerifyCli, ADeletedLineIsCaught) {
    TrailDir t;
    writeTrail(t, 10);
    auto lines = readLines(t.active());
    lines.erase(lines.begin() + 6);  // seq 7
    writeLines(t.active(), lines);
    const auto r = verifyCli(t);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find(lineRef(7) + " (seq 8): seq 8 follows seq 6"), std::string::npos) << r.out;
}

TEST(AuditVerifyCli, ACutTailIsCaught) {
    TrailDir t;
    writeTrail(t, 10);
    auto lines = readLines(t.active());
    lines.resize(lines.size() - 3);  // the shutdown seal and two records before it
    writeLines(t.active(), lines);
    const auto r = verifyCli(t);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find(lineRef(lines.size()) + " (seq " + std::to_string(lines.size()) +
                         "): the trail ends at seq " + std::to_string(lines.size()) +
                         ", before the last seal the service recorded"),
              std::string::npos)
        << r.out;
}

TEST(AuditVerifyCli, AForgedSealIsCaught) {
    TrailDir t;
    writeTrail(t, 10);
    const auto original = readLines(t.active());
    // A record edited, the chain recomputed after it, and the seals' MACs left alone (the
    // forger has no token): the first seal after the edit fails.
    {
        auto lines = original;
        const auto at = lines[1].find("req-0");
        ASSERT_NE(at, std::string::npos);
        lines[1].replace(at, 5, "req-X");
        rechain(lines, 2);
        writeLines(t.active(), lines);
        const auto r = verifyCli(t);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_NE(r.out.find(lineRef(5) + " (seq 5): the seal's MAC does not verify"),
                  std::string::npos)
            << r.out;
    }
    // A seal with a made-up MAC, the chain recomputed after it.
    {
        auto lines = original;
        ASSERT_EQ(parseAuditLine(lines[4]).type, "seal");
        const auto at = lines[4].find("\"mac\":\"");
        lines[4].replace(at + 7, 64, std::string(64, 'a'));
        rechain(lines, 5);
        writeLines(t.active(), lines);
        const auto r = verifyCli(t);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_NE(r.out.find(lineRef(5) + " (seq 5): the seal's MAC does not verify"),
                  std::string::npos)
            << r.out;
    }
}

TEST(AuditVerifyCli, FromARotatedFile) {
    TrailDir t;
    writeTrail(t, 60, 1000, 4096);
    const auto files = trailFiles(t.active());
    ASSERT_GE(files.size(), 3u);
    const auto all = verifyCli(t);
    EXPECT_EQ(all.exitCode, 0) << all.out;
    EXPECT_NE(all.out.find("files        " + std::to_string(files.size())), std::string::npos)
        << all.out;
    fs::remove(files[0]);
    const auto missing = verifyCli(t);
    EXPECT_EQ(missing.exitCode, 1) << missing.out;
    EXPECT_NE(missing.out.find(files[1].string() + " line 1"), std::string::npos) << missing.out;
    EXPECT_NE(missing.out.find("pass --from"), std::string::npos) << missing.out;
    const auto from = verifyCli(t, {"--from", files[1].string()});
    EXPECT_EQ(from.exitCode, 0) << from.out;
    EXPECT_NE(from.out.find("files        " + std::to_string(files.size() - 1)), std::string::npos)
        << from.out;
    // A line deleted in a later file is still caught from there.
    auto lines = readLines(files[2]);
    lines.erase(lines.begin() + 1);
    writeLines(files[2], lines);
    const auto broken = verifyCli(t, {"--from", files[1].string()});
    EXPECT_EQ(broken.exitCode, 1) << broken.out;
    EXPECT_NE(broken.out.find(files[2].string() + " line 2"), std::string::npos) << broken.out;
    // --from a file that is not part of the trail.
    const auto stray = verifyCli(t, {"--from", (t.dir() / "keyport.db").string()});
    EXPECT_EQ(stray.exitCode, 1) << stray.out;
    EXPECT_NE(stray.out.find("is not a file of the audit trail"), std::string::npos) << stray.out;
}

TEST(AuditVerifyCli, BadArgumentsAreUsageErrors) {
    TrailDir t;
    CliRunner cli;
    const auto noConfig = cli.run({"audit", "verify"}, true);
    EXPECT_EQ(noConfig.exitCode, 2) << noConfig.out;
    const auto unknown =
        cli.run({"audit", "verify", "--config", auditConfigFile().string(), "--bogus"}, true);
    EXPECT_EQ(unknown.exitCode, 2) << unknown.out;
    // No trail at all.
    const auto none = verifyCli(t);
    EXPECT_EQ(none.exitCode, 1) << none.out;
    EXPECT_NE(none.out.find("no audit trail at"), std::string::npos) << none.out;
}

}  // namespace
}  // namespace keyport::test
