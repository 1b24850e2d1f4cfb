// Offline import against a real keyportd: `ceremony export-parameters` writes the import
// parameters to a file, `keyport wrap --parameters` (the real CLI, no config, no network)
// wraps the material as the offline machine would, `ceremony import --file` completes the
// import in its own process, and the running keyportd encrypts with the key at once (the
// change feed). Truncated, tampered, expired, mismatched and foreign files are refused and
// leave the key pending import.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "tests/ceremony/ceremony_test_support.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::int64_t nowSecondsForTest() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string dirFile(const std::string& name) {
    return (server().dir() / name).string();
}

CliResult exportParameters(const std::string& keyId, const std::string& out,
                           std::vector<std::string> extra = {},
                           const std::string& project = kDemoProject) {
    std::vector<std::string> a = {"ceremony",  "export-parameters",
                                  "--config",  server().configFile().string(),
                                  "--project", project,
                                  "--key-id",  keyId,
                                  "--out",     out};
    a.insert(a.end(), extra.begin(), extra.end());
    return runKeyport(a);
}

// `keyport wrap` on the "offline machine": no --config, nothing but the two files.
std::string wrapOffline(const std::string& params, const hsm::Bytes& material,
                        const std::string& name) {
    const auto keyFile =
        writeFile(server().dir(), name + ".key", std::string(material.begin(), material.end()));
    const auto r = runKeyport({"wrap", "--parameters", params, "--material", keyFile.string()});
    if (r.exitCode != 0) throw std::runtime_error("keyport wrap failed: " + r.err);
    return writeFile(server().dir(), name + ".wrapped.json", r.out).string();
}

CliResult importFile(const std::string& file, const std::string& project = kDemoProject,
                     std::vector<std::string> extra = {}) {
    std::vector<std::string> a = {"ceremony",  "import", "--config", server().configFile().string(),
                                  "--project", project,  "--file",   file};
    a.insert(a.end(), extra.begin(), extra.end());
    return runKeyport(a);
}

std::string externalAes(const std::string& alias) {
    return demoClient().createKey(alias, "AES_256", "ENCRYPT_DECRYPT", "external");
}

Poco::JSON::Object::Ptr jsonOf(const std::string& file) {
    return Poco::JSON::Parser().parse(readText(file)).extract<Poco::JSON::Object::Ptr>();
}

std::string withMember(const std::string& file, const std::string& member, const std::string& value,
                       const std::string& name) {
    auto o = jsonOf(file);
    o->set(member, value);
    std::ostringstream s;
    o->stringify(s);
    return writeFile(server().dir(), name, s.str()).string();
}

void expectImportedAndUsable(const std::string& id, const hsm::Bytes& material) {
    const auto c = demoClient();
    const auto took =
        waitUntil([&] { return keyState(c, id) == "2"; }, std::chrono::milliseconds(3000));
    EXPECT_LE(took.count(), 2000) << "the running keyportd did not see the import";
    expectCiphertextUnder(c, material, id);
}

struct Variant {
    std::string name, algorithm, wrappingSpec, unwrapPath;
};

class OfflineImport : public ::testing::TestWithParam<Variant> {};

TEST_P(OfflineImport, ExportWrapOfflineImportThenTheRunningServerEncrypts) {
    const Variant& v = GetParam();
    const auto c = demoClient();
    const std::string id = externalAes("offline-" + v.name);
    // keyportd caches the key while it is pending import.
    EXPECT_EQ(c.call("encrypt-data", jsonBody({{"key_id", id}, {"plain_text", "x"}})).status, 400);

    const std::string params = dirFile("params-" + v.name + ".json");
    const auto e = exportParameters(
        id, params, {"--algorithm", v.algorithm, "--wrapping-key-spec", v.wrappingSpec});
    ASSERT_EQ(e.exitCode, 0) << e.out << e.err;
    const auto p = jsonOf(params);
    EXPECT_EQ(p->getValue<std::string>("key_id"), id);
    EXPECT_EQ(p->getValue<std::string>("project_id"), kDemoProject);
    EXPECT_EQ(p->getValue<std::string>("algorithm"), v.algorithm);
    EXPECT_EQ(p->getValue<std::string>("wrapping_key_spec"), v.wrappingSpec);
    EXPECT_GT(p->getValue<std::int64_t>("expiration_time"), nowSecondsForTest());
    EXPECT_FALSE(p->getValue<std::string>("import_token").empty());
    EXPECT_NE(e.out.find("keyport wrap --parameters"), std::string::npos) << e.out;

    const hsm::Bytes material = randomBytes(32);
    const std::string wrapped = wrapOffline(params, material, "offline-" + v.name);
    const auto w = jsonOf(wrapped);
    EXPECT_EQ(w->getValue<std::string>("key_id"), id);
    EXPECT_EQ(w->getValue<std::string>("import_token"), p->getValue<std::string>("import_token"));

    const auto r = importFile(wrapped);
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("unwrap_path " + v.unwrapPath), std::string::npos) << r.out;
    expectImportedAndUsable(id, material);

    const std::string transcript =
        readText(server().dir() / "var" / "ceremony" / "transcript.jsonl");
    EXPECT_NE(transcript.find("\"export-parameters\""), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("\"offline-import\""), std::string::npos) << transcript;
}

INSTANTIATE_TEST_SUITE_P(
    Algorithms, OfflineImport,
    ::testing::Values(Variant{"sha1_2048", "RSAES_OAEP_SHA_1", "RSA_2048", "on-token"},
                      Variant{"sha256_3072", "RSAES_OAEP_SHA_256", "RSA_3072", "host-assisted"}),
    [](const auto& p) { return p.param.name; });

// A private key offline: wrap --parameters --private-key (temporary AES key under RSA-OAEP,
// PKCS#8 under AES-KWP), imported by the CLI; keyportd signs for the PEM's public key.
TEST(OfflineImportFiles, EcPrivateKey) {
    const auto c = demoClient();
    const std::string id = c.createKey("offline-ec", "EC_P256", "SIGN_VERIFY", "external");
    const std::string params = dirFile("ec-params.json");
    ASSERT_EQ(exportParameters(id, params).exitCode, 0);
    const ClientKey k = generateKey("EC_P256");
    std::string pem = "-----BEGIN PRIVATE KEY-----\n";
    const std::string body = b64(k.pkcs8);
    for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
    pem += "-----END PRIVATE KEY-----\n";
    const auto pemFile = writeFile(server().dir(), "offline-ec.pem", pem);
    const auto w = runKeyport({"wrap", "--parameters", params, "--private-key", pemFile.string()});
    ASSERT_EQ(w.exitCode, 0) << w.err;
    const auto wrapped = writeFile(server().dir(), "offline-ec.wrapped.json", w.out);
    const auto r = importFile(wrapped.string());
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const hsm::Bytes digest = sha("SHA256", bytes("signed by an offline-imported key"));
    HttpResult s;
    waitUntil(
        [&] {
            s = c.call("sign", jsonBody({{"key_id", id},
                                         {"message", b64(digest)},
                                         {"signing_algorithm", "ECDSA_SHA_256"},
                                         {"message_type", "DIGEST"}}));
            return s.status == 200;
        },
        std::chrono::milliseconds(3000));
    ASSERT_EQ(s.status, 200) << s.body;
    EXPECT_TRUE(
        verifySignatureSpki(spkiOf(k), "ECDSA", "SHA256", digest, unb64(s.str("signature")), true));
}

TEST(OfflineImportFiles, BadFilesAreRefusedAndNothingIsWritten) {
    const auto c = demoClient();
    const std::string id = externalAes("offline-bad");
    const std::string otherKey = externalAes("offline-bad-other");
    const std::string params = dirFile("bad-params.json");
    ASSERT_EQ(exportParameters(id, params).exitCode, 0);
    const hsm::Bytes material = randomBytes(32);
    const std::string good = wrapOffline(params, material, "bad-good");
    const std::string goodText = readText(good);

    // An import token that expires in a second, outlived.
    const std::string shortParams = dirFile("bad-short-params.json");
    ASSERT_EQ(
        exportParameters(id, shortParams, {"--define", "import.token_validity_seconds=1"}).exitCode,
        0);
    const std::string expired = wrapOffline(shortParams, material, "bad-expired");
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));

    static const char kOtherProject[] = "0ff1ce000ff1ce000ff1ce000ff1ce00";
    const Credential other =
        server().addCredential("offline-other-domain", kOtherProject, "cn-north-4");
    const std::string foreignKey =
        KmsClient(server().port(), other)
            .createKey("foreign", "AES_256", "ENCRYPT_DECRYPT", "external");
    const std::string foreignParams = dirFile("bad-foreign-params.json");
    ASSERT_EQ(exportParameters(foreignKey, foreignParams, {}, kOtherProject).exitCode, 0);
    const std::string foreign = wrapOffline(foreignParams, material, "bad-foreign");

    // One byte of the RSA-wrapped material changed.
    auto o = jsonOf(good);
    hsm::Bytes ekm = unb64(o->getValue<std::string>("encrypted_key_material"));
    ekm[ekm.size() / 2] ^= 0x01;
    const std::string tampered =
        withMember(good, "encrypted_key_material", b64(ekm), "bad-tampered.json");

    struct Case {
        std::string name;
        std::string file;
        std::string project;
        std::vector<std::string> extra;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"truncated file",
         writeFile(server().dir(), "bad-truncated.json", goodText.substr(0, goodText.size() / 2))
             .string(),
         kDemoProject,
         {},
         "is not a complete JSON object"},
        {"empty file",
         writeFile(server().dir(), "bad-empty.json", "").string(),
         kDemoProject,
         {},
         "is not a complete JSON object"},
        {"no such file", dirFile("bad-missing.json"), kDemoProject, {}, "cannot read"},
        {"the parameters file instead of wrap's output",
         params,
         kDemoProject,
         {},
         "has no \"encrypted_key_material\""},
        {"material not base64",
         withMember(good, "encrypted_key_material", "!!!", "bad-notb64.json"),
         kDemoProject,
         {},
         "is not base64"},
        {"one byte of the material changed", tampered, kDemoProject, {}, "MaterialInvalid"},
        {"another key's id",
         withMember(good, "key_id", otherKey, "bad-keyid.json"),
         kDemoProject,
         {},
         "ImportTokenMismatch"},
        {"--key-id of another key", good, kDemoProject, {"--key-id", otherKey}, "is for key " + id},
        {"import token altered",
         withMember(good, "import_token", "A" + o->getValue<std::string>("import_token"),
                    "bad-token.json"),
         kDemoProject,
         {},
         "ImportToken"},
        {"expired import token", expired, kDemoProject, {}, "ImportTokenExpired"},
        {"another project (the key is not visible there)", good, kOtherProject, {}, "KeyNotFound"},
        {"another domain's key and parameters", foreign, kDemoProject, {}, "KeyNotFound"},
        {"unregistered project", good, "nosuchproject", {}, "is not registered"},
    };
    for (const auto& k : cases) {
        SCOPED_TRACE(k.name);
        const auto r = importFile(k.file, k.project, k.extra);
        EXPECT_NE(r.exitCode, 0) << r.out;
        EXPECT_NE(r.err.find(k.says), std::string::npos) << r.err;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // a feed poll
    EXPECT_EQ(keyState(c, id), "5");
    EXPECT_EQ(keyState(c, otherKey), "5");
    EXPECT_EQ(keyState(KmsClient(server().port(), other), foreignKey), "5");

    // The good file still imports: nothing above consumed or changed anything.
    const auto r = importFile(good);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    expectImportedAndUsable(id, material);
    // The same file again is the same material: accepted, as import-key-material does.
    EXPECT_EQ(importFile(good).exitCode, 0);
}

TEST(OfflineImportFiles, ExportAndWrapRefusals) {
    const auto c = demoClient();
    const std::string id = externalAes("offline-export-bad");
    const std::string generated = c.createKey("offline-kms", "AES_256", "ENCRYPT_DECRYPT", "kms");
    const std::string params = dirFile("export-bad-params.json");
    ASSERT_EQ(exportParameters(id, params).exitCode, 0);
    const std::string keyFile =
        writeFile(server().dir(), "export-bad.key", std::string(32, 'k')).string();
    const std::string paramsText = readText(params);
    struct Case {
        std::string name;
        CliResult r;
        int exitCode;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"an existing --out file", exportParameters(id, params), 1, "exists"},
        {"a key of origin kms", exportParameters(generated, dirFile("export-bad-kms.json")), 1,
         "KeyNotExternal"},
        {"an unknown algorithm",
         exportParameters(id, dirFile("export-bad-alg.json"), {"--algorithm", "RSA_PKCS1"}), 2,
         "--algorithm must be"},
        {"an unknown wrapping key spec",
         exportParameters(id, dirFile("export-bad-spec.json"), {"--wrapping-key-spec", "RSA_1024"}),
         2, "--wrapping-key-spec must be"},
        {"wrap: a truncated parameters file",
         runKeyport({"wrap", "--parameters",
                     writeFile(server().dir(), "export-bad-trunc.json",
                               paramsText.substr(0, paramsText.size() - 20))
                         .string(),
                     "--material", keyFile}),
         1, "is not a complete JSON object"},
        {"wrap: --parameters and --public-key",
         runKeyport(
             {"wrap", "--parameters", params, "--public-key", "AAAA", "--material", keyFile}),
         2, "already gives --public-key"},
    };
    for (const auto& k : cases) {
        SCOPED_TRACE(k.name);
        EXPECT_EQ(k.r.exitCode, k.exitCode) << k.r.out << k.r.err;
        EXPECT_NE(k.r.err.find(k.says), std::string::npos) << k.r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(dirFile("export-bad-kms.json")));
    EXPECT_EQ(readText(params), paramsText);  // not overwritten
}

}  // namespace
}  // namespace keyport::test
