// The audit trail of a real keyportd: each dialect request leaves one record (its
// X-Request-Id, principal, object ids, outcome; never the token or plaintext), the trail
// passes the real `keyport audit verify` across a restart and fails it once edited or cut,
// and with the disk holding the trail full a request is refused with the dialect's 503
// before its handler runs: nothing changes.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "service/core/audit/audit_line.h"
#include "tests/e2e/kms_client.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const fs::path& file, const std::vector<std::string>& ls) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (const auto& l : ls) out << l << "\n";
}

CliResult verify(const KeyportServer& s) {
    return runKeyport({"audit", "verify", "--config", s.configFile().string()});
}

fs::path trailOf(const KeyportServer& s) {
    return s.dir() / "var" / "audit" / "audit.log";
}

const std::string* recordWith(const std::vector<std::string>& trail, const std::string& needle) {
    for (const auto& l : trail) {
        if (l.find(needle) != std::string::npos) return &l;
    }
    return nullptr;
}

HttpResult kmsWithId(const KmsClient& c, const std::string& action, const std::string& body,
                     const std::string& requestId, const std::string& token) {
    return httpRequest(c.port(), "POST", "/v1.0/" + c.credential().projectId + "/kms/" + action,
                       body,
                       {{"Content-Type", "application/json"},
                        {"X-Auth-Token", token},
                        {"X-Request-Id", requestId}});
}

TEST(AuditTrail, RecordsVerifyAndEditsAreCaught) {
    KeyportServer server("audit.seal_every = 4\n");
    KmsClient c(server.port(), KeyportServer::demo());
    const std::string token = KeyportServer::demo().token;
    const auto created =
        kmsWithId(c, "create-key", R"({"key_alias":"audit-e2e"})", "audit-e2e-create", token);
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string keyId = created.json->getObject("key_info")->getValue<std::string>("key_id");
    const std::string plaintext = "YXVkaXQtZTJlLXNlY3JldC1wbGFpbnRleHQ=";
    const auto enc = kmsWithId(c, "encrypt-data",
                               R"({"key_id":")" + keyId + R"(","plain_text":")" + plaintext + "\"}",
                               "audit-e2e-encrypt", token);
    ASSERT_EQ(enc.status, 200) << enc.body;
    EXPECT_EQ(enc.status, 200);
    const auto refused = kmsWithId(c, "describe-key", R"({"key_id":")" + keyId + "\"}",
                                   "audit-e2e-refused", "not-a-valid-token");
    EXPECT_EQ(refused.status, 401) << refused.body;
    const auto missing =
        kmsWithId(c, "describe-key", R"({"key_id":"00000000-0000-4000-8000-000000000000"})",
                  "audit-e2e-missing", token);
    EXPECT_EQ(missing.status, 404) << missing.body;
    // Hostile text where a record may carry client input: an X-Request-Id that is not
    // sane (replaced), a key id with quotes, a backslash, a control byte and bytes that are
    // not UTF-8, a long path.
    const auto hostile =
        kmsWithId(c, "describe-key", std::string(R"({"key_id":"a\"b\\c\u0001)") + "\xff\xfe\"}",
                  "bad id with spaces\x01", token);
    EXPECT_EQ(hostile.status, 400) << hostile.body;
    EXPECT_EQ(httpRequest(c.port(), "GET",
                          "/v1.0/" + c.credential().projectId + "/kms/" + std::string(3000, 'x'),
                          "", {{"X-Auth-Token", token}})
                      .status /
                  100,
              4);
    // While running: intact, perhaps with an unsealed tail.
    const auto live = verify(server);
    EXPECT_EQ(live.exitCode, 0) << live.out << live.err;
    server.stop();

    const auto trail = lines(trailOf(server));
    const std::string all = slurp(trailOf(server));
    const std::string* create = recordWith(trail, R"("request_id":"audit-e2e-create")");
    ASSERT_NE(create, nullptr) << all;
    EXPECT_NE(create->find(R"("dialect":"huawei-kms","method":"POST")"), std::string::npos)
        << *create;
    EXPECT_NE(create->find(R"("status":200)"), std::string::npos) << *create;
    const std::string* encrypt = recordWith(trail, R"("request_id":"audit-e2e-encrypt")");
    ASSERT_NE(encrypt, nullptr) << all;
    EXPECT_NE(encrypt->find(R"({"kind":"key_id","id":")" + keyId + "\"}"), std::string::npos)
        << *encrypt;
    EXPECT_NE(encrypt->find(R"("domain_id":"demo-domain")"), std::string::npos) << *encrypt;
    const std::string* denied = recordWith(trail, R"("request_id":"audit-e2e-refused")");
    ASSERT_NE(denied, nullptr) << all;
    EXPECT_NE(denied->find(R"("status":401)"), std::string::npos) << *denied;
    const std::string* notFound = recordWith(trail, R"("request_id":"audit-e2e-missing")");
    ASSERT_NE(notFound, nullptr) << all;
    EXPECT_NE(notFound->find(R"("status":404,"error_code":"KMS.0207")"), std::string::npos)
        << *notFound;
    // Never the credential or the material.
    for (const std::string& secret : {token, plaintext, std::string(kDemoSecretKey)}) {
        EXPECT_EQ(all.find(secret), std::string::npos) << "the trail holds a secret";
    }
    EXPECT_EQ(parseAuditLine(trail.back()).reason, "shutdown");

    // A restart continues the chain.
    server.start();  // on a new ephemeral port
    EXPECT_EQ(KmsClient(server.port(), KeyportServer::demo()).call("list-keys", "{}").status, 200);
    server.stop();
    const auto ok = verify(server);
    EXPECT_EQ(ok.exitCode, 0) << ok.out << ok.err;
    EXPECT_NE(ok.out.find(": intact"), std::string::npos) << ok.out;

    const auto full = lines(trailOf(server));
    // A flipped byte inside the encrypt record: the line after it names it.
    {
        auto edited = full;
        for (std::size_t i = 0; i < edited.size(); ++i) {
            const auto at = edited[i].find("audit-e2e-encrypt");
            if (at == std::string::npos) continue;
            edited[i][at] = 'A';
            spit(trailOf(server), edited);
            const auto r = verify(server);
            EXPECT_EQ(r.exitCode, 1) << r.out;
            EXPECT_NE(r.out.find("audit.log line " + std::to_string(i + 1) + ", seq"),
                      std::string::npos)
                << r.out;
            break;
        }
    }
    // The tail cut (the last shutdown seal and the records before it).
    {
        auto cut = full;
        cut.resize(cut.size() - 2);
        spit(trailOf(server), cut);
        const auto r = verify(server);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_NE(r.out.find("before the last seal the service recorded"), std::string::npos)
            << r.out;
    }
    spit(trailOf(server), full);
    EXPECT_EQ(verify(server).exitCode, 0);
}

// The trail on a 1 MiB tmpfs: filled up, keyportd refuses requests with the dialect's 503
// before they run (the key is not created), and takes them again once space is freed.
TEST(AuditTrail, FullDiskRefusesWith503AndChangesNothing) {
    if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
    std::string tmpl = (fs::temp_directory_path() / "keyport-audit-full-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    const fs::path mount = tmpl;
    if (::mount("tmpfs", mount.c_str(), "tmpfs", 0, "size=1m,mode=0700") != 0) {
        GTEST_SKIP() << "mount -t tmpfs failed: " << std::strerror(errno);
    }
    struct Unmount {
        fs::path dir;
        ~Unmount() {
            ::umount2(dir.c_str(), MNT_DETACH);
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } unmount{mount};
    {
        // 32 server threads × 16 KiB kept reserved: 512 KiB of the 1 MiB.
        KeyportServer server("audit.path = " + (mount / "audit.log").string() +
                             "\naudit.reserve_bytes = 4096\n");
        KmsClient c(server.port(), KeyportServer::demo());
        {
            std::FILE* f = std::fopen((mount / "filler").c_str(), "wb");
            ASSERT_NE(f, nullptr);
            std::setvbuf(f, nullptr, _IONBF, 0);
            const std::string block(4096, 'f');
            while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {
            }
            while (std::fputc('f', f) != EOF) {
            }
            std::fclose(f);
        }
        // The reservation still takes what was admitted; then every request is refused.
        HttpResult r;
        int i = 0;
        for (; i < 200; ++i) {
            r = c.call("create-key", R"({"key_alias":"audit-full-)" + std::to_string(i) + "\"}");
            if (r.status == 503) break;
            ASSERT_EQ(r.status, 200) << r.body;
        }
        ASSERT_EQ(r.status, 503) << r.body;
        std::printf("disk full: %d requests admitted from the reservation, then 503 %s\n", i,
                    r.body.c_str());
        EXPECT_FALSE(r.errorCode().empty()) << r.body;  // the dialect's error shape
        const auto size = fs::file_size(mount / "audit.log");
        const auto refused = c.call("create-key", R"({"key_alias":"audit-full-refused"})");
        EXPECT_EQ(refused.status, 503) << refused.body;
        EXPECT_EQ(fs::file_size(mount / "audit.log"), size);
        fs::remove(mount / "filler");
        // Recovered by itself; the refused key was never made (its alias is still free).
        const auto again = c.call("create-key", R"({"key_alias":"audit-full-refused"})");
        EXPECT_EQ(again.status, 200) << again.body;
        server.stop();
        const auto v = runKeyport({"audit", "verify", "--config", server.configFile().string()});
        EXPECT_EQ(v.exitCode, 0) << v.out << v.err;
    }
}

}  // namespace
}  // namespace keyport::test
