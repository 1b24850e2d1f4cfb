// Disaster recovery end to end (issue 15): a real keyportd with imported (BYOK) and
// generated keys, a 3-of-5 `keyport ceremony backup`, the region's token files deleted,
// refused restores that leave nothing behind, a restore with shares 1, 3 and 5, and
// keyportd again: every old ciphertext decrypts, new imports work, `token status` is 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "service/core/ceremony/strict_lines.h"
#include "tests/e2e/import_helpers.h"
#include "tests/e2e/keyport_server.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

constexpr char kRegion[] = "cn-north-4";
constexpr char kLabel[] = "keyport-cn-north-4";

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeFile(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

fs::path shareOf(const fs::path& backup, int i) {
    return backup / ("share-" + std::to_string(i) + "-of-5.txt");
}

// The token directories SoftHSM keeps, and the one holding `label` (its token.object
// carries the label in the clear).
std::set<std::string> tokenDirs(const KeyportServer& s) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(s.dir() / "var" / "tokens")) {
        out.insert(e.path().filename().string());
    }
    return out;
}

fs::path tokenDirOf(const KeyportServer& s, const std::string& label) {
    for (const auto& e : fs::directory_iterator(s.dir() / "var" / "tokens")) {
        if (readFile(e.path() / "token.object").find(label) != std::string::npos) return e.path();
    }
    return {};
}

std::map<std::string, std::string> pinFiles(const KeyportServer& s) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(s.dir() / "var" / "pins")) {
        out[e.path().filename().string()] = readFile(e.path());
    }
    return out;
}

CliResult keyport(const KeyportServer& s, std::vector<std::string> args) {
    args.insert(args.end(), {"--config", s.configFile().string()});
    return runKeyport(args);
}

CliResult restore(const KeyportServer& s, const fs::path& backup,
                  const std::vector<fs::path>& shares, const std::string& region = kRegion) {
    std::vector<std::string> args = {"ceremony", "restore",  "--region",
                                     region,     "--backup", backup.string()};
    for (const auto& sh : shares) args.insert(args.end(), {"--share", sh.string()});
    return keyport(s, args);
}

double seconds(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string encrypt(const KmsClient& c, const std::string& keyId, const std::string& text) {
    const auto r = c.call("encrypt-data", jsonBody({{"key_id", keyId}, {"plain_text", text}}));
    if (r.status != 200) throw std::runtime_error("encrypt-data: " + r.body);
    return r.str("cipher_text");
}

// A share whose bytes were changed and its check value recomputed: it passes every file
// check, so only the backup key's check value (on a token) can catch it.
fs::path forgedShare(const fs::path& from, const fs::path& to) {
    std::string text = readFile(from);
    const auto at = text.find("share: ") + 7;
    text[at] = text[at] == '0' ? '1' : '0';
    const auto checkAt = text.rfind("check: ");
    text = text.substr(0, checkAt) +
           "check: " + ceremony::sha256Hex(hsm::asBytes(text.substr(0, checkAt))).substr(0, 16) +
           "\n";
    writeFile(to, text);
    return to;
}

TEST(DisasterRecovery, BackupDeleteRefusedRestoresThenRestoreAndServe) {
    KeyportServer server;
    KmsClient c(server.port(), KeyportServer::demo());

    // Keys of every origin, each with a ciphertext made before the disaster.
    std::map<std::string, std::pair<std::string, std::string>> ciphertexts;  // id -> ct, text
    for (int i = 0; i < 2; ++i) {
        const auto imported = importKey(c, "dr-imported-" + std::to_string(i), "AES_256",
                                        "ENCRYPT_DECRYPT", randomBytes(32), std::nullopt);
        const std::string a = "imported " + std::to_string(i);
        ciphertexts[imported] = {encrypt(c, imported, a), a};
        const auto generated =
            c.createKey("dr-generated-" + std::to_string(i), "AES_256", "ENCRYPT_DECRYPT", "kms");
        const std::string g = "generated " + std::to_string(i);
        ciphertexts[generated] = {encrypt(c, generated, g), g};
    }
    const fs::path backup = server.dir() / "backup";
    const fs::path other = server.dir() / "backup-other";
    const fs::path south = server.dir() / "backup-south";
    // A backup while keyportd serves (its user login is its own process's; the CLI's SO
    // login does not disturb it): keyportd still encrypts afterwards.
    ASSERT_EQ(keyport(server, {"ceremony", "backup", "--region", kRegion, "--shares", "5",
                               "--threshold", "3", "--out", other.string()})
                  .exitCode,
              0);
    EXPECT_FALSE(encrypt(c, ciphertexts.begin()->first, "still serving").empty());
    server.stop();

    // Bad arguments: what each gets (2 = usage, 1 = refused), and nothing is written.
    const fs::path unused = server.dir() / "backup-unused";
    struct BadBackup {
        const char* name;
        std::vector<std::string> args;
        int exit;
        const char* says;
    };
    const BadBackup bad[] = {
        {"no threshold", {"--shares", "5"}, 2, "--threshold"},
        {"threshold not a number", {"--shares", "5", "--threshold", "x"}, 2, "--threshold"},
        {"threshold 1", {"--shares", "5", "--threshold", "1"}, 1, "2 <= threshold"},
        {"threshold above shares", {"--shares", "3", "--threshold", "4"}, 1, "2 <= threshold"},
        {"17 shares", {"--shares", "17", "--threshold", "3"}, 1, "<= 16"},
        {"two custodians for five shares",
         {"--shares", "5", "--threshold", "3", "--custodian", "a", "--custodian", "b"},
         1,
         "one --custodian per share"},
        {"a custodian twice",
         {"--shares", "2", "--threshold", "2", "--custodian", "a", "--custodian", "a"},
         1,
         "named twice"},
        {"unknown region",
         {"--shares", "5", "--threshold", "3", "--region", "mars-1"},
         1,
         "unknown region"},
        {"--out not empty",
         {"--shares", "5", "--threshold", "3", "--out", other.string()},
         1,
         "not an empty directory"},
    };
    for (const auto& row : bad) {
        std::vector<std::string> args = {"ceremony", "backup"};
        args.insert(args.end(), row.args.begin(), row.args.end());
        const bool ownRegion =
            std::find(row.args.begin(), row.args.end(), "--region") == row.args.end();
        if (ownRegion) args.insert(args.end(), {"--region", kRegion});
        if (std::find(row.args.begin(), row.args.end(), "--out") == row.args.end()) {
            args.insert(args.end(), {"--out", unused.string()});
        }
        const auto r = keyport(server, args);
        EXPECT_EQ(r.exitCode, row.exit) << row.name << ": " << r.out << r.err;
        EXPECT_NE(r.err.find(row.says), std::string::npos) << row.name << ": " << r.err;
        EXPECT_FALSE(fs::exists(unused)) << row.name << " wrote " << unused;
    }
    CliResult b;
    const double backupSeconds = seconds([&] {
        b = keyport(server,
                    {"ceremony",    "backup",      "--region",    kRegion,       "--shares",
                     "5",           "--threshold", "3",           "--out",       backup.string(),
                     "--custodian", "ann",         "--custodian", "bo",          "--custodian",
                     "cy",          "--custodian", "di",          "--custodian", "ed"});
    });
    ASSERT_EQ(b.exitCode, 0) << b.out << b.err;
    EXPECT_NE(b.out.find("share 5 for ed"), std::string::npos) << b.out;
    for (int i = 1; i <= 5; ++i) {
        EXPECT_EQ(fs::status(shareOf(backup, i)).permissions() & fs::perms::all,
                  fs::perms::owner_read | fs::perms::owner_write);
    }
    std::printf("backup (3-of-5): %.2f s wall (CLI process), share file %ju bytes\n", backupSeconds,
                static_cast<std::uintmax_t>(fs::file_size(shareOf(backup, 1))));
    ASSERT_EQ(keyport(server, {"ceremony", "backup", "--region", "cn-south-1", "--shares", "5",
                               "--threshold", "3", "--out", south.string()})
                  .exitCode,
              0);

    // The disaster: the region's token files are gone.
    const fs::path lost = tokenDirOf(server, kLabel);
    ASSERT_FALSE(lost.empty());
    fs::remove_all(lost);
    const auto dirsAfterLoss = tokenDirs(server);
    const auto pinsAfterLoss = pinFiles(server);

    std::string tampered = readFile(shareOf(backup, 1));
    const auto at = tampered.find("share: ") + 10;
    tampered[at] = tampered[at] == '0' ? '1' : '0';
    writeFile(server.dir() / "tampered.txt", tampered);

    struct Refused {
        const char* name;
        fs::path backup;
        std::vector<fs::path> shares;
        const char* says;
    };
    const Refused rows[] = {
        {"two shares", backup, {shareOf(backup, 1), shareOf(backup, 3)}, "needs 3"},
        {"a share with one byte changed",
         backup,
         {server.dir() / "tampered.txt", shareOf(backup, 3), shareOf(backup, 5)},
         "check value does not match"},
        {"a share of another backup",
         backup,
         {shareOf(backup, 1), shareOf(other, 3), shareOf(backup, 5)},
         "share of another backup"},
        {"a backup of another region",
         south,
         {shareOf(south, 1), shareOf(south, 3), shareOf(south, 5)},
         "is of region 'cn-south-1'"},
        {"the same share twice",
         backup,
         {shareOf(backup, 1), shareOf(backup, 1), shareOf(backup, 5)},
         "are the same share"},
        {"a forged share with a valid file check",
         backup,
         {forgedShare(shareOf(backup, 1), server.dir() / "forged.txt"), shareOf(backup, 3),
          shareOf(backup, 5)},
         "check value"},
        {"no such backup",
         server.dir() / "nowhere",
         {shareOf(backup, 1), shareOf(backup, 3), shareOf(backup, 5)},
         "not a Keyport backup"},
    };
    for (const auto& row : rows) {
        const auto r = restore(server, row.backup, row.shares);
        EXPECT_EQ(r.exitCode, 1) << row.name << ": " << r.out << r.err;
        EXPECT_NE(r.err.find(row.says), std::string::npos) << row.name << ": " << r.err;
        EXPECT_EQ(tokenDirs(server), dirsAfterLoss) << row.name << " created a token";
        EXPECT_EQ(pinFiles(server), pinsAfterLoss) << row.name << " changed a PIN file";
    }

    CliResult r;
    const double restoreSeconds = seconds([&] {
        r = restore(server, backup, {shareOf(backup, 1), shareOf(backup, 3), shareOf(backup, 5)});
    });
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    std::printf("restore (shares 1, 3, 5): %.2f s wall (CLI process)\n", restoreSeconds);
    EXPECT_EQ(pinFiles(server), pinsAfterLoss) << "restore writes new PINs only when missing";
    EXPECT_NE(r.out.find("restored keyport-kek"), std::string::npos) << r.out;

    // A token that exists is never overwritten without --reinitialize.
    const auto again =
        restore(server, backup, {shareOf(backup, 2), shareOf(backup, 3), shareOf(backup, 4)});
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_NE(again.err.find("--reinitialize"), std::string::npos) << again.err;

    // With --reinitialize it is: the same backup again, from three other shares.
    const auto forced = keyport(
        server, {"ceremony", "restore", "--region", kRegion, "--backup", backup.string(), "--share",
                 shareOf(backup, 2).string(), "--share", shareOf(backup, 3).string(), "--share",
                 shareOf(backup, 4).string(), "--reinitialize"});
    EXPECT_EQ(forced.exitCode, 0) << forced.out << forced.err;
    EXPECT_NE(forced.out.find("re-initialised"), std::string::npos) << forced.out;

    const auto status = keyport(server, {"token", "status"});
    EXPECT_EQ(status.exitCode, 0) << status.out << status.err;

    // Every step and every refusal is in the ceremony transcript (names, never shares).
    const std::string transcript = readFile(server.dir() / "var" / "ceremony" / "transcript.jsonl");
    EXPECT_NE(transcript.find("\"backup\""), std::string::npos);
    EXPECT_NE(transcript.find("\"restore\""), std::string::npos);
    EXPECT_NE(transcript.find("restore-refused"), std::string::npos);
    const std::string shareLine = readFile(shareOf(backup, 1));
    const auto hex = shareLine.substr(shareLine.find("share: ") + 7, 64);
    EXPECT_EQ(transcript.find(hex), std::string::npos) << "a share reached the transcript";

    server.start();
    const KmsClient after(server.port(), KeyportServer::demo());  // a new ephemeral port
    for (const auto& [keyId, sealed] : ciphertexts) {
        const auto d = after.call("decrypt-data", jsonBody({{"cipher_text", sealed.first}}));
        EXPECT_EQ(d.status, 200) << keyId << ": " << d.body;
        EXPECT_EQ(d.str("plain_text"), sealed.second) << keyId;
    }
    const auto fresh =
        importKey(after, "dr-after", "AES_256", "ENCRYPT_DECRYPT", randomBytes(32), std::nullopt);
    EXPECT_FALSE(encrypt(after, fresh, "after the restore").empty());
}

}  // namespace
}  // namespace keyport::test
