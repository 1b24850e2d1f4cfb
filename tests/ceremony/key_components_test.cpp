// keyport ceremony components against a real keyportd: custodians' components (files, or
// typed on a pseudo-terminal driven through tmux) are checked against their check values
// (AES-CMAC of a zero block, on the token; OpenSSL computes the expected ones here), combined
// by XOR and imported into an external key that the SAME running keyportd then encrypts
// with — its cached "pending import" record dropped by the change feed within a second.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "service/core/storage/change_feed_store.h"
#include "service/core/storage/database.h"
#include "tests/ceremony/ceremony_test_support.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

hsm::Bytes xorOf(const std::vector<hsm::Bytes>& parts) {
    hsm::Bytes k(parts.front().size(), 0);
    for (const auto& p : parts)
        for (std::size_t i = 0; i < k.size(); ++i) k[i] ^= p[i];
    return k;
}

// Forms print components in groups of four digits; the CLI drops the spaces.
std::string grouped(const std::string& hexText) {
    std::string out;
    for (std::size_t i = 0; i < hexText.size(); i += 4) {
        if (i) out += ' ';
        out += hexText.substr(i, 4);
    }
    return out;
}

struct Components {
    std::vector<hsm::Bytes> parts;
    std::vector<std::string> files;
    std::vector<std::string> checkValues;
};

Components makeComponents(const std::string& tag, std::size_t n = 3, std::size_t bytes = 32) {
    Components c;
    for (std::size_t i = 0; i < n; ++i) {
        c.parts.push_back(randomBytes(bytes));
        const std::string text = i == 1 ? grouped(upperHex(c.parts[i])) : hex(c.parts[i]);
        c.files.push_back(
            writeFile(server().dir(), tag + "-c" + std::to_string(i) + ".hex", text + "\n")
                .string());
        c.checkValues.push_back(cmacCheckValue(c.parts[i]));
    }
    return c;
}

std::vector<std::string> componentsArgs(const std::string& keyId, const Components& c,
                                        bool withCheckValues = true,
                                        const std::string& project = kDemoProject) {
    std::vector<std::string> a = {"ceremony",     "components",
                                  "--config",     server().configFile().string(),
                                  "--project",    project,
                                  "--key-id",     keyId,
                                  "--components", std::to_string(c.files.size())};
    for (std::size_t i = 0; i < c.files.size(); ++i) {
        a.insert(a.end(), {"--component-file", c.files[i]});
        if (withCheckValues) a.insert(a.end(), {"--check-value", c.checkValues[i]});
        a.insert(a.end(), {"--custodian", "custodian-" + std::string(1, char('A' + i))});
    }
    return a;
}

std::string externalAes(const std::string& alias) {
    return demoClient().createKey(alias, "AES_256", "ENCRYPT_DECRYPT", "external");
}

TEST(KeyComponents, ThreeComponentsImportIntoTheRunningServer) {
    const auto c = demoClient();
    const std::string id = externalAes("components-three");
    // keyportd reads (and caches) the key while it is pending import.
    EXPECT_EQ(keyState(c, id), "5");
    const auto before = c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}}));
    EXPECT_EQ(before.status, 400) << before.body;

    const Components comps = makeComponents("three");
    const auto r = runKeyport(componentsArgs(id, comps));
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NE(
            r.out.find("component " + std::to_string(i + 1) + " (custodian-" +
                       std::string(1, char('A' + i)) + "): check value " + comps.checkValues[i]),
            std::string::npos)
            << r.out;
        // Never a component, in any case.
        EXPECT_EQ(r.out.find(hex(comps.parts[i])), std::string::npos);
        EXPECT_EQ(r.out.find(upperHex(comps.parts[i])), std::string::npos);
    }
    const hsm::Bytes key = xorOf(comps.parts);
    EXPECT_NE(r.out.find("key check value: " + cmacCheckValue(key)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("host-assisted"), std::string::npos) << r.out;

    // The same keyportd, without a restart: its cached pending record is dropped by the
    // change feed (poll interval 1 s).
    const auto took = waitUntil(
        [&] {
            return c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}})).status ==
                   200;
        },
        std::chrono::milliseconds(5000));
    std::printf("keyportd saw the ceremony's import %lld ms after the CLI exited\n",
                static_cast<long long>(took.count()));
    ASSERT_LE(took.count(), 2000) << "the running keyportd still had the pending key cached";
    EXPECT_EQ(keyState(c, id), "2");
    expectCiphertextUnder(c, key, id);  // the material is exactly the XOR of the components

    // The transcript has the step, and never a component.
    const std::string transcript =
        readText(server().dir() / "var" / "ceremony" / "transcript.jsonl");
    EXPECT_NE(transcript.find("\"components\""), std::string::npos) << transcript;
    for (const auto& p : comps.parts) EXPECT_EQ(transcript.find(hex(p)), std::string::npos);

    // A second ceremony (other material) on the same key is refused; the key keeps its own.
    const Components again = makeComponents("again");
    const auto second = runKeyport(componentsArgs(id, again));
    EXPECT_EQ(second.exitCode, 1);
    EXPECT_NE(second.err.find("already has key material"), std::string::npos) << second.err;
    expectCiphertextUnder(c, key, id);
}

TEST(KeyComponents, AWrongCheckValueIsRefusedBeforeAnythingIsWritten) {
    const auto c = demoClient();
    const std::string id = externalAes("components-wrong-kcv");
    Components comps = makeComponents("wrongkcv");
    const std::string right = comps.checkValues[2];
    comps.checkValues[2] = right == "000000" ? "000001" : "000000";
    const auto r = runKeyport(componentsArgs(id, comps));
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.err.find("check value of component 3 (custodian-C) is " + right +
                         ", the form says " + comps.checkValues[2]),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("still pending import"), std::string::npos) << r.err;
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // a feed poll
    EXPECT_EQ(keyState(c, id), "5");
    EXPECT_EQ(c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}})).status, 400);
    // The right check values then import.
    comps.checkValues[2] = right;
    EXPECT_EQ(runKeyport(componentsArgs(id, comps)).exitCode, 0);
}

TEST(KeyComponents, BadComponentsAndKeysGetClearRefusals) {
    const auto c = demoClient();
    const std::string pending = externalAes("components-bad");
    const std::string generated =
        c.createKey("components-kms", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string hmacKey =
        c.createKey("components-hmac", "HMAC_256", "GENERATE_VERIFY_MAC", "external");
    static const char kOtherProject[] = "c0ffee00c0ffee00c0ffee00c0ffee00";
    const Credential other =
        server().addCredential("components-other-domain", kOtherProject, "cn-north-4");
    const std::string foreign = KmsClient(server().port(), other)
                                    .createKey("foreign", "AES_256", "ENCRYPT_DECRYPT", "external");

    const auto withPart = [](const std::string& tag, std::size_t which, const std::string& text) {
        Components comps = makeComponents(tag);
        writeFile(server().dir(), tag + "-c" + std::to_string(which) + ".hex", text);
        return comps;
    };
    struct Case {
        std::string name;
        std::vector<std::string> args;
        int exitCode;
        std::string says;
    };
    const Components good = makeComponents("good");
    std::vector<std::string> tooFewFiles = componentsArgs(pending, good, false);
    tooFewFiles[9] = "4";  // --components 4 with 3 files
    const std::vector<Case> cases = {
        {"31-byte component",
         componentsArgs(pending, withPart("short", 1, hex(randomBytes(31))), false), 1,
         "is 32 bytes (64 hex digits), got 31"},
        {"33-byte component",
         componentsArgs(pending, withPart("long", 0, hex(randomBytes(33))), false), 1,
         "is 32 bytes (64 hex digits), got 33"},
        {"non-hex component",
         componentsArgs(pending, withPart("nonhex", 2, std::string(63, 'a') + "g"), false), 1,
         "is not hex"},
        {"odd number of digits",
         componentsArgs(pending, withPart("odd", 0, std::string(63, 'a')), false), 1,
         "odd number of hex digits"},
        {"empty component file", componentsArgs(pending, withPart("empty", 0, "\n"), false), 1,
         "is empty"},
        {"key of origin kms", componentsArgs(generated, good), 1, "KeyNotExternal"},
        {"HMAC key", componentsArgs(hmacKey, good), 1, "supported for AES_256 keys"},
        {"another domain's key", componentsArgs(foreign, good), 1, "KeyNotFound"},
        {"no such key", componentsArgs("00000000-0000-4000-8000-000000000000", good), 1,
         "KeyNotFound"},
        {"unknown project", componentsArgs(pending, good, true, "nosuchproject"), 2,
         "is not registered"},
        {"files fewer than components", tooFewFiles, 2, "once per component"},
        {"no files and stdin not a terminal",
         {"ceremony", "components", "--config", server().configFile().string(), "--project",
          kDemoProject, "--key-id", pending, "--components", "2"},
         2,
         "not one"},
        {"one component",
         {"ceremony", "components", "--config", server().configFile().string(), "--project",
          kDemoProject, "--key-id", pending, "--components", "1", "--component-file",
          good.files[0]},
         2,
         "--components must be a number from 2"},
    };
    for (const auto& k : cases) {
        SCOPED_TRACE(k.name);
        const auto r = runKeyport(k.args);
        EXPECT_EQ(r.exitCode, k.exitCode) << r.out << r.err;
        EXPECT_NE(r.err.find(k.says), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n') >= 1, true);
    }
    // None of them imported anything.
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    EXPECT_EQ(keyState(c, pending), "5");
    EXPECT_EQ(keyState(KmsClient(server().port(), other), foreign), "5");
}

std::string interactiveCommand(const std::string& keyId) {
    std::string cmd = "trap 'echo got-int' INT; " + shellQuoted(KEYPORT_CLI_PATH);
    for (const std::string& a :
         {std::string("ceremony"), std::string("components"), std::string("--config"),
          server().configFile().string(), std::string("--project"), std::string(kDemoProject),
          std::string("--key-id"), keyId, std::string("--components"), std::string("2"),
          std::string("--custodian"), std::string("Alice"), std::string("--custodian"),
          std::string("Bob")})
        cmd += " " + shellQuoted(a);
    return cmd + "; echo EXIT=$?; stty -a";
}

// Typed on a terminal: nothing of a component appears on it, the check values do.
TEST(KeyComponents, TypedOnATerminalWithoutEcho) {
    const auto c = demoClient();
    const std::string id = externalAes("components-typed");
    const hsm::Bytes a = randomBytes(32), b = randomBytes(32);
    TmuxSession term(interactiveCommand(id));
    const auto wait = std::chrono::milliseconds(20000);
    ASSERT_TRUE(term.waitFor("component 1 of 2 (Alice), hex, not shown:", wait)) << term.screen();
    term.type(grouped(hex(a)));
    ASSERT_TRUE(term.waitFor("check value on your form", wait)) << term.screen();
    term.type(cmacCheckValue(a));
    ASSERT_TRUE(term.waitFor("component 2 of 2 (Bob), hex, not shown:", wait)) << term.screen();
    term.type(upperHex(b));
    ASSERT_TRUE(term.waitFor("check value on your form", wait, 2)) << term.screen();
    term.type(cmacCheckValue(b));
    ASSERT_TRUE(term.waitFor("EXIT=", wait)) << term.screen();
    const std::string screen = term.screen(), log = term.log();
    EXPECT_NE(screen.find("EXIT=0"), std::string::npos) << screen;
    EXPECT_NE(screen.find("component 1 (Alice): check value " + cmacCheckValue(a)),
              std::string::npos)
        << screen;
    EXPECT_NE(screen.find("component 2 (Bob): check value " + cmacCheckValue(b)), std::string::npos)
        << screen;
    EXPECT_NE(screen.find("key check value: " + cmacCheckValue(xorOf({a, b}))), std::string::npos)
        << screen;
    // No echo: neither the screen nor the raw terminal output has any group of a component.
    for (const auto& part : {a, b}) {
        for (const std::string& text : {hex(part), upperHex(part)}) {
            for (std::size_t i = 0; i + 4 <= text.size(); i += 16) {
                EXPECT_EQ(screen.find(text.substr(i, 8)), std::string::npos) << screen;
                EXPECT_EQ(log.find(text.substr(i, 8)), std::string::npos);
            }
        }
    }
    EXPECT_FALSE(log.empty()) << "pipe-pane logged nothing: the echo check proves nothing";
    ASSERT_LE(
        waitUntil([&] { return keyState(c, id) == "2"; }, std::chrono::milliseconds(3000)).count(),
        3000);
    expectCiphertextUnder(c, xorOf({a, b}), id);
}

// Ctrl-C while a component is half typed: the command dies, the terminal echoes again,
// nothing was imported.
TEST(KeyComponents, InterruptRestoresTheTerminal) {
    const auto c = demoClient();
    const std::string id = externalAes("components-interrupted");
    TmuxSession term(interactiveCommand(id));
    const auto wait = std::chrono::milliseconds(20000);
    ASSERT_TRUE(term.waitFor("hex, not shown:", wait)) << term.screen();
    term.typeNoEnter("0123456789abcdef");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    term.keys("C-c");
    ASSERT_TRUE(term.waitFor("EXIT=", wait)) << term.screen();
    const std::string screen = term.screen();
    EXPECT_NE(screen.find("EXIT=130"), std::string::npos) << screen;
    EXPECT_EQ(screen.find("0123456789abcdef"), std::string::npos) << screen;
    // stty -a after the command: echo is on again ("echo", not "-echo").
    const auto at = screen.find(" echo ");
    EXPECT_NE(at, std::string::npos) << screen;
    EXPECT_EQ(screen.find(" -echo "), std::string::npos) << screen;
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    EXPECT_EQ(keyState(c, id), "5");
}

// The feed poll keyportd runs each second, measured on the server's own database while it
// runs, behind 10 000 kept rows (a kind keyportd skips): one indexed range SELECT on the
// primary key, whose cost does not grow with the rows kept.
TEST(KeyComponents, ChangeFeedPollCost) {
    Database db(server().databaseFile());
    EXPECT_GT(db.read([](Poco::Data::Session& s) { return change_feed_store::latest(s); }), 0)
        << "the ceremonies above wrote feed rows";
    db.write([](Poco::Data::Session& s) {
        for (int i = 0; i < 10000; ++i)
            change_feed_store::append(s, "test-noise", "row-" + std::to_string(i));
    });
    const auto latest =
        db.read([](Poco::Data::Session& s) { return change_feed_store::latest(s); });
    const auto perPoll = [&](std::int64_t from, std::size_t expect) {
        constexpr int kPolls = 2000;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kPolls; ++i) {
            const auto n = db.read([&](Poco::Data::Session& s) {
                return change_feed_store::after(s, from, 512).size();
            });
            EXPECT_EQ(n, expect);
        }
        return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now() - start)
                                       .count()) /
               kPolls;
    };
    const double idle = perPoll(latest, 0);
    const double one = perPoll(latest - 1, 1);
    std::printf(
        "change feed poll behind %lld kept rows: %.1f us with nothing new, %.1f us with one "
        "new row\n",
        static_cast<long long>(latest), idle, one);
    // keyportd reads past the noise at once (a kind it does not know is skipped).
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    EXPECT_EQ(demoClient()
                  .call("describe-key", jsonBody({{"key_id", externalAes("after-noise")}}))
                  .status,
              200);
}

}  // namespace
}  // namespace keyport::test
