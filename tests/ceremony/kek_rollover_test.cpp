// `keyport ceremony rollover` end to end: a real keyportd (or none) over real SoftHSM tokens,
// keys of every kind, a client working throughout, kill -9 of keyportd and of the CLI
// mid-way, a token made with the old non-extractable KEK policy, and bad input. After each
// rollover the token itself is inspected: one KEK left, backup-capable, and every blob of
// the region opens under it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "hsm/error.h"
#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/module.h"
#include "service/api/ncloud/ncp_auth.h"
#include "service/core/base/clock.h"
#include "service/core/base/state_dir.h"
#include "service/core/storage/database.h"
#include "service/core/storage/kek_rollover_store.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"
#include "service/core/tokens/static_objects.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/kms_client.h"
#include "tests/support/client_crypto.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;
constexpr char kRegion[] = "cn-north-4";

// Small batches with a pause: a rollover of a few dozen blobs lasts seconds, so there is a
// "mid-way" to kill and a window for a client to work in.
std::string slowRollover(unsigned batch, unsigned pauseMs) {
    return "ceremony.rollover_batch = " + std::to_string(batch) +
           "\nceremony.rollover_batch_pause_ms = " + std::to_string(pauseMs) + "\n";
}

CliResult rollover(const KeyportServer& srv, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"ceremony", "rollover", "--config", srv.configFile().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return runKeyport(args);
}

// `keyport ceremony rollover` as a child we can kill -9; its output goes to `log`.
pid_t spawnRollover(const KeyportServer& srv, const fs::path& log,
                    const std::vector<std::string>& defines = {}) {
    std::vector<std::string> args{KEYPORT_CLI_PATH,          "ceremony", "rollover", "--config",
                                  srv.configFile().string(), "--region", kRegion};
    for (const auto& d : defines) args.insert(args.end(), {"--define", d});
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(KEYPORT_CLI_PATH, argv.data());
        ::_exit(127);
    }
    return pid;
}

int waitExit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::optional<RolloverRow> latestRow(const KeyportServer& srv) {
    Database db(srv.databaseFile());
    return db.read([](Poco::Data::Session& s) { return kek_rollover_store::latest(s, kRegion); });
}

// Waits until the region's latest rollover satisfies `done` (or `seconds` pass).
std::optional<RolloverRow> waitRow(const KeyportServer& srv,
                                   const std::function<bool(const RolloverRow&)>& done,
                                   int seconds = 120) {
    for (int i = 0; i < seconds * 20; ++i) {
        if (auto r = latestRow(srv); r && done(*r)) return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return latestRow(srv);
}

// Prints keyportd's log when the test fails (or throws), before the state dir goes.
struct LogOnFailure {
    const KeyportServer& srv;
    ~LogOnFailure() {
        if (::testing::Test::HasFailure() || std::uncaught_exceptions() > 0) {
            std::printf("---- keyportd.log ----\n%s\n", slurp(srv.dir() / "keyportd.log").c_str());
        }
    }
};

bool midWalk(const RolloverRow& r) {
    return r.state == RolloverState::Running && r.resealed >= 4 && r.resealed + 4 < r.total;
}

// ---- what the client keeps to check after the rollover ----

struct Sealed {
    std::string keyId, plain, cipher;
};

struct Workload {
    std::string aes, rotated, rsa, ec, hmac, imported;
    hsm::Bytes importedMaterial;
    std::vector<Sealed> sealed;  // ciphertexts made before the rollover (rotated: every version)
    Credential credential;       // issued by the CLI: an HMAC secret and a derivation key
};

Sealed encrypt(const KmsClient& c, const std::string& id, const std::string& plain) {
    const auto r = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", plain}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return {id, plain, r.str("cipher_text")};
}

HttpResult decrypt(const KmsClient& c, const Sealed& s) {
    return c.call("decrypt-data", jsonBody({{"cipher_text", s.cipher}}));
}

HttpResult sign(const KmsClient& c, const std::string& id, const std::string& algorithm) {
    return c.call("sign", jsonBody({{"key_id", id},
                                    {"message", b64(sha("SHA256", bytes("rollover")))},
                                    {"signing_algorithm", algorithm},
                                    {"message_type", "DIGEST"}}));
}

HttpResult mac(const KmsClient& c, const std::string& id) {
    return c.call("generate-mac", jsonBody({{"key_id", id},
                                            {"mac_algorithm", "HMAC_SHA_256"},
                                            {"message", b64(bytes("rollover"))}}));
}

// A NAVER v2-signed request: keyportd checks the signature with the credential's secret
// (an HMAC key sealed under the region KEK).
HttpResult ncpList(unsigned port, const Credential& cred) {
    api::Request r;
    r.method = "GET";
    r.path = "/kms/v1/keys";
    api::ncloud::sign(r, cred.accessKey, cred.secretKey, epochMillis());
    r.headers.emplace_back("Host", "ocapi.keyport.test");
    return httpRequest(port, "GET", "/kms/v1/keys", {}, r.headers);
}

Workload makeWorkload(const KeyportServer& srv, const KmsClient& c, const std::string& tag,
                      int extraKeys = 0) {
    Workload w;
    w.aes = c.createKey(tag + "-aes", "AES_256", "ENCRYPT_DECRYPT", "kms");
    w.rotated = c.createKey(tag + "-rot", "AES_256", "ENCRYPT_DECRYPT", "kms");
    w.rsa = c.createKey(tag + "-rsa", "RSA_2048", "SIGN_VERIFY", "kms");
    w.ec = c.createKey(tag + "-ec", "EC_P256", "SIGN_VERIFY", "kms");
    w.hmac = c.createKey(tag + "-hmac", "HMAC_256", "GENERATE_VERIFY_MAC", "kms");
    w.importedMaterial = randomBytes(32);
    w.imported =
        importKey(c, tag + "-imp", "AES_256", "ENCRYPT_DECRYPT", w.importedMaterial, std::nullopt);
    w.sealed.push_back(encrypt(c, w.aes, "plain AES"));
    w.sealed.push_back(encrypt(c, w.imported, "imported AES"));
    for (int v = 1; v <= 3; ++v) {
        w.sealed.push_back(encrypt(c, w.rotated, "version " + std::to_string(v)));
        if (v < 3) {
            const auto r = c.call("rotate-on-demand", jsonBody({{"key_id", w.rotated}}));
            EXPECT_EQ(r.status, 200) << r.body;
        }
    }
    for (int i = 0; i < extraKeys; ++i) {
        const auto id =
            c.createKey(tag + "-x" + std::to_string(i), "AES_256", "ENCRYPT_DECRYPT", "kms");
        w.sealed.push_back(encrypt(c, id, "extra " + std::to_string(i)));
    }
    w.credential = srv.addCredential(tag + "-dom", tag + "-proj", kRegion);
    return w;
}

// Everything the workload made still works, and new material can be made.
void expectIntact(const KeyportServer& srv, const Workload& w, const std::string& what) {
    SCOPED_TRACE(what);
    const unsigned port = srv.port();  // a restarted keyportd listens on a new port
    const KmsClient c(port, KeyportServer::demo());
    for (const auto& s : w.sealed) {
        const auto r = decrypt(c, s);
        EXPECT_EQ(r.status, 200) << s.keyId << ": " << r.body;
        EXPECT_EQ(r.str("plain_text"), s.plain) << s.keyId;
    }
    EXPECT_EQ(sign(c, w.rsa, "RSASSA_PSS_SHA_256").status, 200);
    EXPECT_EQ(sign(c, w.ec, "ECDSA_SHA_256").status, 200);
    EXPECT_EQ(mac(c, w.hmac).status, 200);
    const auto listed = ncpList(port, w.credential);
    EXPECT_EQ(listed.status, 200) << listed.body;
    static int made = 0;
    const std::string fresh = c.createKey("after-" + std::to_string(++made) + "-" + w.aes,
                                          "AES_256", "ENCRYPT_DECRYPT", "kms");
    const Sealed s = encrypt(c, fresh, "made after");
    EXPECT_EQ(decrypt(c, s).str("plain_text"), "made after");
}

// ---- the token, inspected from the test process once keyportd is stopped ----

struct TokenFacts {
    std::vector<unsigned> generations;
    bool extractable = false, wrapWithTrusted = false, sensitive = false;
    std::int64_t blobs = 0, opened = 0;
};

bool boolAttr(hsm::Session& s, hsm::ObjectHandle h, CK_ATTRIBUTE_TYPE t) {
    const auto v = s.attribute(h, t);
    return v && v->size() == 1 && (*v)[0] != 0;
}

TokenFacts inspectToken(const KeyportServer& srv) {
    const Config config = Config::load(srv.configFile().string());
    prepareStateDir(config);
    hsm::Module module(config.module);
    RegionTokens regions(config, module, /*requireProvisioned=*/true);
    Region& r = regions.region(kRegion);
    TokenFacts f;
    for (const auto& g : r.keks->all()) f.generations.push_back(g.generation);
    auto s = r.token->session();
    const auto current = r.keks->current();
    f.extractable = boolAttr(*s, current.handle, CKA_EXTRACTABLE);
    f.wrapWithTrusted = boolAttr(*s, current.handle, CKA_WRAP_WITH_TRUSTED);
    f.sensitive = boolAttr(*s, current.handle, CKA_SENSITIVE);
    // Every blob of the region opens under the one KEK that is left.
    Database db(config.database);
    for (const auto table : kBlobTables) {
        std::int64_t after = 0;
        while (true) {
            const auto batch = db.read([&](Poco::Data::Session& ds) {
                return kek_rollover_store::blobsAfter(ds, table, kRegion, after, 100);
            });
            if (batch.empty()) break;
            after = batch.back().rowid;
            for (const auto& b : batch) {
                ++f.blobs;
                hsm::Session own(module.functions(), r.token->slot());
                const auto tmpl = b.spec ? resealTemplate(*b.spec)
                                         : hsm::policy::transientSecret(CKK_GENERIC_SECRET);
                if (auto h = tryUnwrap(own, current.handle, b.blob, tmpl)) {
                    ++f.opened;
                    own.destroyObjectNoThrow(*h);
                } else {
                    ADD_FAILURE() << name(table) << " rowid " << b.rowid << " (" << b.owner
                                  << ") does not open under the current KEK";
                }
            }
        }
    }
    return f;
}

void expectRolledOver(const KeyportServer& srv, unsigned generation) {
    const TokenFacts f = inspectToken(srv);
    EXPECT_EQ(f.generations, std::vector<unsigned>{generation}) << "the old KEK is destroyed";
    EXPECT_TRUE(f.extractable) << "the new KEK is backup-capable";
    EXPECT_TRUE(f.wrapWithTrusted) << "... but only under a trusted key";
    EXPECT_TRUE(f.sensitive);
    EXPECT_GT(f.blobs, 0);
    EXPECT_EQ(f.opened, f.blobs);
}

// ---- (1) under load, through keyportd ----

TEST(KekRollover, UnderLoadThroughKeyportdLosesNothing) {
    KeyportServer srv(slowRollover(3, 40));
    const LogOnFailure logs{srv};
    const KmsClient c(srv.port(), KeyportServer::demo());
    const Workload w = makeWorkload(srv, c, "load", 10);

    std::atomic<bool> stop{false};
    std::atomic<int> ops{0}, errors{0};
    std::mutex firstMutex;
    std::string first;
    std::thread client([&] {
        const KmsClient lc(srv.port(), KeyportServer::demo());
        int i = 0;
        while (!stop) {
            // Fresh keys as well as old ones: new blobs are sealed while the walk runs.
            std::vector<HttpResult> rs;
            const Sealed s = encrypt(lc, w.aes, "load " + std::to_string(i));
            rs.push_back(decrypt(lc, s));
            rs.push_back(decrypt(lc, w.sealed[static_cast<std::size_t>(i) % w.sealed.size()]));
            rs.push_back(sign(lc, w.ec, "ECDSA_SHA_256"));
            rs.push_back(mac(lc, w.hmac));
            rs.push_back(ncpList(srv.port(), w.credential));
            if (i % 5 == 0) {
                try {
                    const auto id = lc.createKey("during-" + std::to_string(i), "AES_256",
                                                 "ENCRYPT_DECRYPT", "kms");
                    rs.push_back(decrypt(lc, encrypt(lc, id, "during")));
                } catch (const std::exception& e) {
                    HttpResult bad;
                    bad.body = e.what();
                    rs.push_back(bad);
                }
            }
            for (const auto& r : rs) {
                ++ops;
                if (r.status != 200) {
                    ++errors;
                    std::lock_guard lock(firstMutex);
                    if (first.empty()) first = std::to_string(r.status) + " " + r.body;
                }
            }
            ++i;
        }
    });
    const auto r = rollover(srv, {"--region", kRegion});
    stop = true;
    client.join();
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("keyportd is running"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("done"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("blobs/s"), std::string::npos) << r.out;
    std::printf("[ figures  ] %s", r.out.substr(r.out.rfind("keyport: rollover")).c_str());
    EXPECT_GT(ops.load(), 20) << "the client worked throughout";
    EXPECT_EQ(errors.load(), 0) << "first error: " << first;

    const auto row = latestRow(srv);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->state, RolloverState::Done);
    EXPECT_EQ(row->runner, "keyportd");
    EXPECT_GT(row->resealed, 20);
    EXPECT_GT(row->tokenRate, 0);
    expectIntact(srv, w, "after the rollover");

    const std::string transcript = slurp(srv.dir() / "var" / "ceremony" / "transcript.jsonl");
    EXPECT_NE(transcript.find("rollover-start"), std::string::npos);
    EXPECT_NE(transcript.find("rollover-done"), std::string::npos);

    srv.stop();
    expectRolledOver(srv, 2);
    // keyportd starts on the new KEK alone, and everything still opens.
    srv.start();
    expectIntact(srv, w, "after a restart");
}

// ---- (2) kill -9 of keyportd mid-way; the restarted keyportd resumes ----

TEST(KekRollover, KeyportdKilledMidwayResumesOnRestart) {
    KeyportServer srv(slowRollover(2, 150));
    const LogOnFailure logs{srv};
    const KmsClient c(srv.port(), KeyportServer::demo());
    const Workload w = makeWorkload(srv, c, "kill", 8);

    const fs::path log = srv.dir() / "rollover-cli.log";
    const pid_t cli = spawnRollover(srv, log);
    const auto mid = waitRow(srv, midWalk, 60);
    ASSERT_TRUE(mid && midWalk(*mid)) << slurp(log);
    // The follower first (it would finish the job itself once keyportd is gone), then
    // keyportd, both without warning.
    ::kill(cli, SIGKILL);
    waitExit(cli);
    srv.kill9();
    const auto after = latestRow(srv);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->state, RolloverState::Running) << "killed mid-way";
    EXPECT_LT(after->resealed, after->total);

    srv.start();
    const auto done =
        waitRow(srv, [](const RolloverRow& r) { return r.state == RolloverState::Done; });
    ASSERT_TRUE(done);
    EXPECT_EQ(done->state, RolloverState::Done) << done->error;
    EXPECT_GE(done->cursor[0], after->cursor[0]) << "resumed, not restarted";
    EXPECT_NE(slurp(srv.dir() / "keyportd.log").find("KEK rollover of region cn-north-4 done"),
              std::string::npos);
    expectIntact(srv, w, "after the resumed rollover");
    srv.stop();
    expectRolledOver(srv, 2);
}

// ---- (3) keyportd stopped: the CLI runs the job; kill -9 of the CLI, rerun resumes ----

TEST(KekRollover, CliRunsItWithoutKeyportdAndResumesAfterKill) {
    KeyportServer srv;
    const LogOnFailure logs{srv};
    const KmsClient c(srv.port(), KeyportServer::demo());
    const Workload w = makeWorkload(srv, c, "cli", 8);
    srv.stop();

    const fs::path log = srv.dir() / "rollover-cli.log";
    const pid_t cli = spawnRollover(
        srv, log, {"ceremony.rollover_batch=1", "ceremony.rollover_batch_pause_ms=400"});
    const auto mid = waitRow(srv, midWalk, 60);
    ASSERT_TRUE(mid && midWalk(*mid)) << slurp(log);
    EXPECT_EQ(mid->runner, "cli");
    // The CLI holds keyportd's lock: a keyportd started now refuses, clearly.
    try {
        srv.start();
        ADD_FAILURE() << "keyportd started beside a running rollover";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("keyportd.lock"), std::string::npos) << e.what();
    }
    ::kill(cli, SIGKILL);
    waitExit(cli);
    const auto killed = latestRow(srv);
    ASSERT_TRUE(killed);
    EXPECT_EQ(killed->state, RolloverState::Running);

    const auto again = rollover(srv, {"--region", kRegion});
    ASSERT_EQ(again.exitCode, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("resuming the KEK rollover"), std::string::npos) << again.out;
    const auto done = latestRow(srv);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->id, killed->id) << "the same rollover, resumed";
    EXPECT_EQ(done->state, RolloverState::Done);
    EXPECT_GE(done->cursor[0], killed->cursor[0]);
    expectRolledOver(srv, 2);

    srv.start();
    expectIntact(srv, w, "after the CLI's rollover");
}

// ---- (4) a token provisioned with the old, non-extractable KEK policy ----

// The KEK template before backup-capable static objects: sensitive, never extractable.
hsm::AttributeTemplate oldKekPolicy() {
    hsm::AttributeTemplate t;
    t.set(CKA_CLASS, CK_OBJECT_CLASS{CKO_SECRET_KEY})
        .set(CKA_KEY_TYPE, CK_KEY_TYPE{CKK_AES})
        .set(CKA_TOKEN, true)
        .set(CKA_PRIVATE, true)
        .set(CKA_SENSITIVE, true)
        .set(CKA_EXTRACTABLE, false)
        .set(CKA_MODIFIABLE, false)
        .set(CKA_LABEL, std::string_view(kKekLabel))
        .set(CKA_VALUE_LEN, CK_ULONG{32})
        .set(CKA_WRAP, true)
        .set(CKA_UNWRAP, true)
        .set(CKA_ENCRYPT, false)
        .set(CKA_DECRYPT, false);
    return t;
}

TEST(KekRollover, MakesAnOldLabTokenBackupCapable) {
    KeyportServer srv;
    const LogOnFailure logs{srv};
    srv.stop();
    {
        // Replace the KEK with one of the old policy, before any blob is kept under it (the
        // demo credential is made again at the next start, in a fresh database).
        const Config config = Config::load(srv.configFile().string());
        prepareStateDir(config);
        hsm::Module module(config.module);
        RegionTokens regions(config, module, true);
        Region& r = regions.region(kRegion);
        hsm::Session s(module.functions(), r.token->slot());
        s.destroyObject(r.keks->current().handle);
        const auto old = s.generateKey(hsm::Mechanism::aesKeyGen(), oldKekPolicy());
        EXPECT_FALSE(boolAttr(s, old, CKA_EXTRACTABLE));
        EXPECT_FALSE(boolAttr(s, old, CKA_WRAP_WITH_TRUSTED));
        for (const auto& f : {srv.databaseFile(), fs::path(srv.databaseFile().string() + "-wal"),
                              fs::path(srv.databaseFile().string() + "-shm")}) {
            fs::remove(f);
        }
    }
    srv.start();
    const KmsClient c(srv.port(), KeyportServer::demo());
    const Workload w = makeWorkload(srv, c, "old");
    const auto r = rollover(srv, {"--region", kRegion});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    expectIntact(srv, w, "after rolling the old KEK over");
    srv.stop();
    expectRolledOver(srv, 2);
}

// ---- the ring: blobs of either generation open, and re-import compares across them ----

TEST(KekRing, OpensEitherGenerationAndComparesMaterialAcrossThem) {
    KeyportServer srv;
    const LogOnFailure logs{srv};
    srv.stop();
    const Config config = Config::load(srv.configFile().string());
    prepareStateDir(config);
    hsm::Module module(config.module);
    RegionTokens regions(config, module, true);
    Region& r = regions.region(kRegion);
    hsm::Session s(module.functions(), r.token->slot());
    const auto transient = hsm::policy::transientSecret(CKK_AES);
    const auto key = hsm::generateAes(s, 32, transient);
    const auto other = hsm::generateAes(s, 32, transient);
    const hsm::Bytes underOld = r.keks->seal(s, key);
    const hsm::Bytes otherUnderOld = r.keks->seal(s, other);
    // A second generation as a session object: nothing is written to the token.
    auto kekTemplate = hsm::policy::regionKek(kekLabel(2));
    kekTemplate.set(CKA_TOKEN, false);
    r.keks->add({2, s.generateKey(hsm::Mechanism::aesKeyGen(), kekTemplate)});
    ASSERT_EQ(r.keks->current().generation, 2u);
    const hsm::Bytes underNew = r.keks->seal(s, key);
    EXPECT_NE(underNew, underOld) << "a different KEK seals differently";

    EXPECT_EQ(r.keks->openWithGeneration(s, underNew, transient).second, 2u);
    EXPECT_EQ(r.keks->openWithGeneration(s, underOld, transient).second, 1u)
        << "the old generation is tried after the current one fails its integrity check";
    hsm::Bytes garbage = underOld;
    garbage[5] ^= 1;
    try {
        r.keks->open(s, garbage, transient);
        ADD_FAILURE() << "an altered blob opened";
    } catch (const hsm::Error& e) {
        EXPECT_EQ(e.rv(), kKwpIntegrityFailure) << e.what();
    }

    KeyMaterial material(regions);
    EXPECT_TRUE(material.sameMaterial(r, KeySpec::Aes256, underOld, underNew))
        << "the same material, sealed before and after the switch";
    EXPECT_TRUE(material.sameMaterial(r, KeySpec::Aes256, underNew, underNew));
    EXPECT_FALSE(material.sameMaterial(r, KeySpec::Aes256, otherUnderOld, underNew));
    r.keks->remove(2);
    EXPECT_FALSE(material.sameMaterial(r, KeySpec::Aes256, underOld, underNew))
        << "with one generation, different blobs are different material";
}

// ---- (5) bad input ----

struct BadRollover {
    const char* what;
    std::vector<std::string> args;
    int exitCode;
    const char* says;
};

TEST(KekRollover, BadInputIsRefusedClearly) {
    KeyportServer srv(slowRollover(1, 300));
    const LogOnFailure logs{srv};
    const std::vector<BadRollover> cases{
        {"unknown region", {"--region", "xx-nowhere-9"}, 2, "is not a configured region"},
        {"no region", {}, 2, "--region"},
        {"empty region", {"--region", ""}, 2, "is not a configured region"},
        {"unknown option", {"--region", kRegion, "--fast"}, 2, "--fast"},
    };
    for (const auto& b : cases) {
        SCOPED_TRACE(b.what);
        const auto r = rollover(srv, b.args);
        EXPECT_EQ(r.exitCode, b.exitCode) << r.out << r.err;
        EXPECT_NE(r.err.find(b.says), std::string::npos) << r.err;
    }
    EXPECT_FALSE(latestRow(srv)) << "no rollover was recorded";

    // A rollover while one is running: refused, and the first finishes.
    const KmsClient c(srv.port(), KeyportServer::demo());
    for (int i = 0; i < 6; ++i) {
        c.createKey("bad-" + std::to_string(i), "AES_256", "ENCRYPT_DECRYPT", "kms");
    }
    const fs::path log = srv.dir() / "rollover-first.log";
    const pid_t first = spawnRollover(srv, log);
    ASSERT_TRUE(waitRow(
        srv, [](const RolloverRow& r) { return r.state == RolloverState::Running; }, 60));
    const auto second = rollover(srv, {"--region", kRegion});
    EXPECT_EQ(second.exitCode, 1) << second.out << second.err;
    EXPECT_NE(second.err.find("already has a KEK rollover in progress"), std::string::npos)
        << second.err;
    EXPECT_EQ(waitExit(first), 0) << slurp(log);
    const auto row = latestRow(srv);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->state, RolloverState::Done);
    // Another region is untouched by it and can be rolled over on its own.
    const auto other = rollover(srv, {"--region", "cn-south-1"});
    EXPECT_EQ(other.exitCode, 0) << other.out << other.err;
}

}  // namespace
}  // namespace keyport::test
