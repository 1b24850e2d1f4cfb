// The ceremony transcript end to end: records appended through the real Transcript, signed
// on real SoftHSM region tokens (provisioned by the real provisionTokens), checked by the
// real `keyport ceremony verify`. Intact → exit 0 with a summary; a changed byte, a removed
// line, swapped lines, a forged appended line, a borrowed signature, an edit re-chained by
// the forger → exit 1 naming the first bad record. Public keys exported with `ceremony
// public-key` verify off the machine; two processes appending at once keep one chain; a
// token without a ceremony key gets one (and a record introducing it) at its first append.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "hsm/module.h"
#include "hsm/openssl_util.h"
#include "service/core/base/encoding.h"
#include "service/core/base/state_dir.h"
#include "service/core/ceremony/ceremony_key.h"
#include "service/core/ceremony/transcript.h"
#include "service/core/ceremony/transcript_line.h"
#include "service/core/tokens/provisioning.h"
#include "service/core/tokens/region_tokens.h"
#include "tests/cli/cli_runner.h"

extern char** environ;

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

constexpr char kRegion[] = "cn-north-4";
// Its ceremony key is destroyed by one test: no other test signs with it.
constexpr char kFreshRegion[] = "de-fra-1";

fs::path makeTempDir(const char* prefix) {
    std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

std::string readFile(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void writeFile(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::vector<std::string> readLines(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

void writeLines(const fs::path& file, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    writeFile(file, text);
}

// One provisioned state dir per test process (ctest runs each test in its own): two
// region tokens, logged in.
struct Env {
    fs::path dir = makeTempDir("keyport-transcript");
    Config config;
    std::unique_ptr<hsm::Module> module;
    std::unique_ptr<RegionTokens> tokens;

    Env() {
        std::ofstream(dir / "keyport.properties")
            << "keyport.state_dir = " << (dir / "var").string() << "\n"
            << "hsm.module = softhsm2\nhsm.softhsm.manage = true\nhsm.transport_key_bits = 2048\n"
            << "regions = " << kRegion << ", " << kFreshRegion << "\n"
            << "region." << kRegion << ".token = kp-test-cn-north-4\n"
            << "region." << kFreshRegion << ".token = kp-test-de-fra-1\n";
        config = Config::load(configFile().string());
        prepareStateDir(config);
        module = std::make_unique<hsm::Module>(config.module);
        provisionTokens(config, *module);
        tokens = std::make_unique<RegionTokens>(config, *module, true);
    }
    ~Env() {
        tokens.reset();
        module.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    fs::path configFile() const { return dir / "keyport.properties"; }
};

Env& env() {
    static Env e;
    return e;
}

TranscriptEntry sampleEntry(int i, const std::string& region = kRegion) {
    static const char* steps[] = {"backup", "restore", "rollover-start", "rollover-done"};
    return TranscriptEntry{steps[i % 4],
                           region,
                           {"alice", "bob"},
                           {{"kek-label", "keyport-kek"},
                            {"backup-sha256", std::string(63, 'c') + std::to_string(i % 10)},
                            {"note", "step \"" + std::to_string(i) + "\""}}};
}

// `n` records in a fresh transcript file of this test.
fs::path writeTranscript(int n, const std::string& name = "transcript.jsonl") {
    const fs::path file = env().dir / "t" / name;
    Transcript t(file);
    for (int i = 0; i < n; ++i) t.append(sampleEntry(i), *env().tokens);
    return file;
}

CliResult cli(const std::vector<std::string>& args) {
    CliRunner runner;
    std::vector<std::string> a = args;
    a.insert(a.begin() + 2, {"--config", env().configFile().string()});
    return runner.run(a, /*raw=*/true);
}

CliResult verify(const fs::path& file, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"ceremony", "verify", "--transcript", file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
}

bool has(const CliResult& r, const std::string& text) {
    return r.out.find(text) != std::string::npos;
}

std::string brokenAt(int line, int seq, const std::string& step) {
    return "BROKEN at line " + std::to_string(line) + " (seq " + std::to_string(seq) + ", step " +
           step + "): ";
}

// A P-256 key of the forger's own, made with OpenSSL.
struct ForgerKey {
    hsm::ossl::PKey key{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
    hsm::Bytes spki() const {
        const int len = i2d_PUBKEY(key.get(), nullptr);
        hsm::Bytes der(static_cast<std::size_t>(len));
        unsigned char* p = der.data();
        i2d_PUBKEY(key.get(), &p);
        return der;
    }
    std::string pem() const {
        std::unique_ptr<BIO, hsm::ossl::Deleter<BIO_free>> bio(BIO_new(BIO_s_mem()));
        PEM_write_bio_PUBKEY(bio.get(), key.get());
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    }
    std::string sign(const std::string& message) const {
        hsm::ossl::MdCtx ctx(EVP_MD_CTX_new());
        EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.get(), nullptr);
        std::size_t len = 0;
        EVP_DigestSign(ctx.get(), nullptr, &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size());
        hsm::Bytes sig(len);
        EVP_DigestSign(ctx.get(), sig.data(), &len,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size());
        sig.resize(len);
        return base64Encode(sig);
    }
};

// A record after `last`, well formed and chained, signed by `forger`, naming `signerKey`.
std::string forgedAfter(const std::string& last, const ForgerKey& forger,
                        const std::string& signerKey) {
    TranscriptRecord r = parseTranscriptLine(last).record;
    r.seq += 1;
    r.step = "backup";
    r.details = {{"kek-label", "keyport-kek"}, {"note", "added by hand"}};
    r.signerKey = signerKey;
    r.prev = transcriptLineHash(last);
    const std::string head = transcriptHead(r);
    return transcriptLine(head, forger.sign(transcriptSignedMessage(head)));
}

std::string regionFingerprint(const std::string& region) {
    auto s = env().tokens->token(region).session();
    return findCeremonyKey(*s, false)->fingerprint;
}

TEST(CeremonyTranscript, IntactTranscriptVerifiesWithASummary) {
    const fs::path file = writeTranscript(5);
    const auto lines = readLines(file);
    ASSERT_EQ(lines.size(), 5u);
    // The record format, member by member.
    const auto first = parseTranscriptLine(lines[0]).record;
    EXPECT_EQ(lines[0].rfind("{\"seq\":1,\"time\":\"", 0), 0u) << lines[0];
    EXPECT_EQ(first.prev, std::string(64, '0'));
    EXPECT_EQ(first.signerRegion, kRegion);
    EXPECT_EQ(first.signerKey, regionFingerprint(kRegion));
    EXPECT_EQ(parseTranscriptLine(lines[1]).record.prev, transcriptLineHash(lines[0]));

    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, ": intact")) << r.out;
    EXPECT_TRUE(has(r, "records      5 (seq 1 .. 5)")) << r.out;
    EXPECT_TRUE(has(r, "backup 2, restore 1, rollover-done 1, rollover-start 1")) << r.out;
    EXPECT_TRUE(has(r, regionFingerprint(kRegion) + " region cn-north-4: 5 records (key on token "
                                                    "kp-test-cn-north-4)"))
        << r.out;
    EXPECT_TRUE(has(r, "last record  seq 5, line SHA-256 " + transcriptLineHash(lines[4])))
        << r.out;
    // No record content reaches the terminal.
    for (const char* content : {"alice", "keyport-kek", "step \\\"", "ccccccc"}) {
        EXPECT_FALSE(has(r, content)) << content << "\n" << r.out;
    }
}

TEST(CeremonyTranscript, VerifyNeedsNoPin) {
    const fs::path file = writeTranscript(2);
    // The tokens' ceremony keys are public objects: read without logging in.
    const fs::path pins = env().dir / "var" / "pins";
    const fs::path away = env().dir / "pins-away";
    fs::rename(pins, away);
    const auto r = verify(file);
    fs::rename(away, pins);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "(key on token kp-test-cn-north-4)")) << r.out;
}

TEST(CeremonyTranscript, TheDefaultPathIsUnderTheStateDir) {
    Transcript t(Transcript::defaultPath(env().config));
    EXPECT_EQ(t.file(), env().dir / "var" / "ceremony" / "transcript.jsonl");
    t.append(sampleEntry(0), *env().tokens);
    EXPECT_EQ(fs::status(t.file()).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    const auto r = cli({"ceremony", "verify"});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "records      1 (seq 1 .. 1)")) << r.out;
}

TEST(CeremonyTranscript, AMissingTranscriptIsNotIntact) {
    const auto r = verify(env().dir / "nothing.jsonl");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, "there is no transcript file")) << r.out;
}

TEST(CeremonyTranscript, OneByteChangedInADetailIsNamed) {
    const fs::path file = writeTranscript(5);
    auto lines = readLines(file);
    const auto at = lines[2].find("ccccc");
    ASSERT_NE(at, std::string::npos);
    lines[2][at] = 'd';
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(3, 3, "rollover-start") + "bad signature")) << r.out;
    EXPECT_TRUE(has(r, "checked 2 records before it")) << r.out;
    EXPECT_FALSE(has(r, "dcccc")) << r.out;
}

TEST(CeremonyTranscript, ARemovedLineIsNamed) {
    const fs::path file = writeTranscript(5);
    auto lines = readLines(file);
    lines.erase(lines.begin() + 2);
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(
        has(r, brokenAt(3, 4, "rollover-done") + "seq 4 follows seq 2: a record is missing"))
        << r.out;
}

TEST(CeremonyTranscript, TheFirstLineRemovedIsNamed) {
    const fs::path file = writeTranscript(3);
    auto lines = readLines(file);
    lines.erase(lines.begin());
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(1, 2, "restore") + "the transcript begins at seq 2")) << r.out;
}

TEST(CeremonyTranscript, SwappedLinesAreNamed) {
    const fs::path file = writeTranscript(5);
    auto lines = readLines(file);
    std::swap(lines[1], lines[2]);
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(2, 3, "rollover-start") + "seq 3 follows seq 1")) << r.out;
}

TEST(CeremonyTranscript, SwappedLinesWithSeqsRenumberedAreNamed) {
    // The forger renumbers too: the chain (prev) gives it away.
    const fs::path file = writeTranscript(4);
    auto lines = readLines(file);
    std::swap(lines[1], lines[2]);
    lines[1].replace(0, 9, "{\"seq\":2,");
    lines[2].replace(0, 9, "{\"seq\":3,");
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(2, 2, "rollover-start") + "prev is not the SHA-256 of the line "
                                                          "before it"))
        << r.out;
}

TEST(CeremonyTranscript, ALineAppendedByHandWithAForgedSignatureIsNamed) {
    const fs::path file = writeTranscript(5);
    auto lines = readLines(file);
    const ForgerKey forger;
    // Claims to be signed by the region's key, chained and numbered correctly.
    lines.push_back(forgedAfter(lines.back(), forger, regionFingerprint(kRegion)));
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(6, 6, "backup") + "bad signature")) << r.out;
    EXPECT_TRUE(has(r, "checked 5 records before it")) << r.out;
}

TEST(CeremonyTranscript, ALineSignedByAnUnknownKeyIsNamedAndVerifiesOnlyWithThatKeyGiven) {
    const fs::path file = writeTranscript(2);
    auto lines = readLines(file);
    const ForgerKey other;
    const std::string otherKey = spkiFingerprint(other.spki());
    lines.push_back(forgedAfter(lines.back(), other, otherKey));
    writeLines(file, lines);
    auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(3, 3, "backup") + "signed by ceremony key " + otherKey +
                           " (signer region cn-north-4), which is neither on a configured "
                           "region token nor given with --public-key"))
        << r.out;
    // The auditor decides which keys count: given, it verifies.
    const fs::path pem = env().dir / "other.pem";
    writeFile(pem, other.pem());
    r = verify(file, {"--public-key", pem.string()});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, otherKey + " region cn-north-4: 1 records (key from " + pem.string()))
        << r.out;
}

TEST(CeremonyTranscript, ASignatureTakenFromAnotherRecordIsNamed) {
    const fs::path file = writeTranscript(5);
    auto lines = readLines(file);
    const auto sigOf = [](const std::string& l) { return parseTranscriptLine(l).record.sig; };
    const std::string mine = sigOf(lines[2]);
    lines[2].replace(lines[2].find(mine), mine.size(), sigOf(lines[1]));
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(3, 3, "rollover-start") + "bad signature")) << r.out;
}

TEST(CeremonyTranscript, AnEditRechainedByTheForgerIsStillNamed) {
    const fs::path file = writeTranscript(5);
    auto lines = readLines(file);
    lines[1] = std::string(lines[1]).replace(lines[1].find("alice"), 5, "mallory");
    // Every later prev rewritten so the chain holds: the signatures do not.
    for (std::size_t i = 2; i < lines.size(); ++i) {
        const auto rec = parseTranscriptLine(lines[i]).record;
        lines[i].replace(lines[i].find(rec.prev), 64, transcriptLineHash(lines[i - 1]));
    }
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(2, 2, "restore") + "bad signature")) << r.out;
    EXPECT_FALSE(has(r, "mallory")) << r.out;
}

TEST(CeremonyTranscript, ALineThatIsNotARecordIsNamed) {
    const fs::path file = writeTranscript(3);
    auto lines = readLines(file);
    lines[1].insert(lines[1].find(",\"time\""), " ");
    writeLines(file, lines);
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, "BROKEN at line 2: not a transcript record")) << r.out;
}

TEST(CeremonyTranscript, ExportedPublicKeysVerifyWithoutTheTokens) {
    const fs::path file = writeTranscript(3);
    const fs::path pem = env().dir / "cn-north-4.pem";
    auto r = cli({"ceremony", "public-key", "--region", kRegion, "--out", pem.string()});
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "SHA-256 " + regionFingerprint(kRegion))) << r.out;
    EXPECT_EQ(spkiFingerprint(ceremonySpkiFromPem(readFile(pem))), regionFingerprint(kRegion));
    // Without --out: the PEM alone on stdout.
    r = cli({"ceremony", "public-key", "--region", kRegion});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, readFile(pem))) << r.out;

    // An auditor's machine: the same config, an empty state dir (no tokens at all).
    const fs::path elsewhere = makeTempDir("keyport-auditor");
    const auto offMachine = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args = {
            "ceremony",     "verify",
            "--config",     env().configFile().string(),
            "--define",     "keyport.state_dir=" + (elsewhere / "var").string(),
            "--transcript", file.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return CliRunner().run(args, /*raw=*/true);
    };
    r = offMachine({});
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(
        has(r, brokenAt(1, 1, "backup") + "signed by ceremony key " + regionFingerprint(kRegion)))
        << r.out;
    r = offMachine({"--public-key", pem.string()});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "records      3 (seq 1 .. 3)")) << r.out;
    EXPECT_TRUE(has(r, "(key from " + pem.string() + ")")) << r.out;
    // No config at all: the key files alone (no module, no tokens).
    r = CliRunner().run(
        {"ceremony", "verify", "--transcript", file.string(), "--public-key", pem.string()},
        /*raw=*/true);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "records      3 (seq 1 .. 3)")) << r.out;
    r = CliRunner().run({"ceremony", "verify", "--transcript", file.string()}, /*raw=*/true);
    EXPECT_EQ(r.exitCode, 2) << r.out;
    // A file that is not a P-256 public key is a usage error.
    writeFile(elsewhere / "junk.pem", "not a key");
    r = offMachine({"--public-key", (elsewhere / "junk.pem").string()});
    EXPECT_EQ(r.exitCode, 2) << r.out;
    EXPECT_TRUE(has(r, "not a PEM public key")) << r.out;
    std::error_code ec;
    fs::remove_all(elsewhere, ec);
}

TEST(CeremonyTranscript, ATokenWithoutACeremonyKeyGetsOneAtItsFirstAppend) {
    // Records its first key signed, and that key exported, before the key goes.
    const fs::path old = env().dir / "t" / "old-key.jsonl";
    Transcript(old).append(sampleEntry(0, kFreshRegion), *env().tokens);
    const fs::path oldPem = env().dir / "de-fra-1-old.pem";
    ASSERT_EQ(cli({"ceremony", "public-key", "--region", kFreshRegion, "--out", oldPem.string()})
                  .exitCode,
              0);
    // As a token provisioned before the key existed (or re-initialised without a backup):
    // the pair is not there.
    {
        auto s = env().tokens->token(kFreshRegion).session();
        const auto pair = findCeremonyKey(*s, false);
        ASSERT_TRUE(pair);
        s->destroyObject(pair->publicKey);
        s->destroyObject(pair->privateKey);
        ASSERT_FALSE(findCeremonyKey(*s, false));
    }
    auto r = cli({"token", "status"});
    EXPECT_TRUE(has(r, "ceremony signing key: none yet")) << r.out;
    r = cli({"ceremony", "public-key", "--region", kFreshRegion});
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, "has no ceremony signing key yet")) << r.out;

    const fs::path file = env().dir / "t" / "fresh.jsonl";
    Transcript t(file);
    t.append(sampleEntry(0, kFreshRegion), *env().tokens);
    t.append(sampleEntry(1, kFreshRegion), *env().tokens);
    const std::string key = regionFingerprint(kFreshRegion);
    EXPECT_NE(env().tokens->region(kFreshRegion).ceremonyPrivate, CK_INVALID_HANDLE);
    const auto lines = readLines(file);
    ASSERT_EQ(lines.size(), 3u);
    const auto intro = parseTranscriptLine(lines[0]).record;
    EXPECT_EQ(intro.step, "ceremony-key-created");
    EXPECT_EQ(intro.region, kFreshRegion);
    EXPECT_EQ(intro.signerKey, key);
    const std::vector<std::pair<std::string, std::string>> introDetails = {
        {"label", "keyport-ceremony"},
        {"key", key},
        {"reason", "the token had no ceremony signing key"}};
    EXPECT_EQ(intro.details, introDetails);
    EXPECT_EQ(parseTranscriptLine(lines[1]).record.step, "backup");
    EXPECT_EQ(parseTranscriptLine(lines[2]).record.step, "restore");

    r = verify(file);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "backup 1, ceremony-key-created 1, restore 1")) << r.out;
    r = cli({"token", "status"});
    EXPECT_FALSE(has(r, "none yet")) << r.out;
    EXPECT_TRUE(has(r, "ceremony signing key: present")) << r.out;
    r = cli({"ceremony", "public-key", "--region", kFreshRegion});
    EXPECT_TRUE(has(r, "SHA-256 " + key)) << r.out;

    // The old records: their key is no longer on any token; given as a file, they verify.
    r = verify(old);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_TRUE(has(r, brokenAt(1, 1, "backup") + "signed by ceremony key")) << r.out;
    r = verify(old, {"--public-key", oldPem.string()});
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "(key from " + oldPem.string() + ")")) << r.out;
}

TEST(CeremonyTranscript, TwoProcessesAppendingAtOnceKeepOneChain) {
    const fs::path file = env().dir / "t" / "concurrent.jsonl";
    const fs::path sync = makeTempDir("keyport-transcript-sync");
    Transcript(file).append(sampleEntry(0), *env().tokens);
    // Enough that appends overlap: without the lock this loses records (measured: at 50 each,
    // seqs repeat from the first few dozen on).
    constexpr int kEach = 50;
    std::vector<pid_t> pids;
    for (const char* tag : {"A", "B"}) {
        const std::string ready = (sync / (std::string("ready-") + tag)).string();
        std::vector<std::string> args = {TRANSCRIPT_APPENDER_PATH,
                                         env().configFile().string(),
                                         file.string(),
                                         kRegion,
                                         std::to_string(kEach),
                                         tag,
                                         ready,
                                         (sync / "go").string()};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_t pid = 0;
        ASSERT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
        pids.push_back(pid);
        // One login at a time (SoftHSM rewrites the token file on C_Login).
        for (int i = 0; i < 6000 && !fs::exists(ready); ++i) ::usleep(10000);
        ASSERT_TRUE(fs::exists(ready)) << tag;
    }
    writeFile(sync / "go", "go\n");
    for (pid_t pid : pids) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    }
    const auto lines = readLines(file);
    ASSERT_EQ(lines.size(), 1u + 2 * kEach);
    std::map<std::string, std::set<std::string>> byWriter;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto rec = parseTranscriptLine(lines[i]).record;
        EXPECT_EQ(rec.seq, i + 1);
        if (rec.step == "concurrency-probe")
            byWriter[rec.details[0].second].insert(rec.details[1].second);
    }
    EXPECT_EQ(byWriter["A"].size(), static_cast<std::size_t>(kEach));
    EXPECT_EQ(byWriter["B"].size(), static_cast<std::size_t>(kEach));
    const auto r = verify(file);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    const std::string n = std::to_string(1 + 2 * kEach);
    EXPECT_TRUE(has(r, "records      " + n + " (seq 1 .. " + n + ")")) << r.out;
    std::error_code ec;
    fs::remove_all(sync, ec);
}

TEST(CeremonyTranscript, ATornLastLineIsCutAtTheNextAppendAndSaidSo) {
    const fs::path file = writeTranscript(2);
    const std::string whole = readFile(file);
    // A crash mid-write: part of a line, no newline.
    const std::string partial = readLines(file)[1].substr(0, 40);
    writeFile(file, whole + partial);
    auto r = verify(file);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "the last line (40 bytes) has no newline")) << r.out;

    Transcript(file).append(sampleEntry(2), *env().tokens);
    const auto lines = readLines(file);
    ASSERT_EQ(lines.size(), 4u);
    const auto cut = parseTranscriptLine(lines[2]).record;
    EXPECT_EQ(cut.step, "transcript-torn-tail-cut");
    EXPECT_EQ(cut.seq, 3u);
    EXPECT_EQ(cut.details.at(0), (std::pair<std::string, std::string>{"bytes", "40"}));
    EXPECT_EQ(parseTranscriptLine(lines[3]).record.step, "rollover-start");
    r = verify(file);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_TRUE(has(r, "records      4 (seq 1 .. 4)")) << r.out;
}

TEST(CeremonyTranscript, AnAppendAfterABrokenLastLineIsRefused) {
    const fs::path file = writeTranscript(2);
    writeFile(file, readFile(file) + "{\"not\":\"a record\"}\n");
    const std::string before = readFile(file);
    EXPECT_THROW(Transcript(file).append(sampleEntry(3), *env().tokens), std::runtime_error);
    EXPECT_EQ(readFile(file), before);
}

TEST(CeremonyTranscript, EntriesThatBreakTheRulesAreRefusedWithNothingWritten) {
    const fs::path file = writeTranscript(1);
    const std::string before = readFile(file);
    Transcript t(file);
    auto e = sampleEntry(0);
    e.details.push_back({"user-pin", "1234"});
    EXPECT_THROW(t.append(e, *env().tokens), std::invalid_argument);
    e = sampleEntry(0);
    e.details.push_back({"share_secret", "x"});
    EXPECT_THROW(t.append(e, *env().tokens), std::invalid_argument);
    e = sampleEntry(0);
    e.step = "Not A Step";
    EXPECT_THROW(t.append(e, *env().tokens), std::invalid_argument);
    e = sampleEntry(0);
    e.details.push_back({"kek-label", "twice"});
    EXPECT_THROW(t.append(e, *env().tokens), std::invalid_argument);
    e = sampleEntry(0);
    e.custodians.push_back("\xff\xfe");
    EXPECT_THROW(t.append(e, *env().tokens), std::invalid_argument);
    e = sampleEntry(0);
    for (int i = 0; i < 30; ++i)
        e.details.push_back({"d" + std::to_string(i), std::string(900, 'x')});
    EXPECT_THROW(t.append(e, *env().tokens), std::invalid_argument);
    EXPECT_EQ(readFile(file), before);
    // A name that merely mentions a PIN file is not a secret.
    e = sampleEntry(0);
    e.details.push_back({"pin-file", "/var/keyport/pins/x.user.pin"});
    EXPECT_NO_THROW(t.append(e, *env().tokens));
}

}  // namespace
}  // namespace keyport::test
