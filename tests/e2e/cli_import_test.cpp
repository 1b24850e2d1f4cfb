// keyport wrap / keyport import against a real keyportd: the imported material is exactly
// the customer's (OpenSSL decrypts keyportd's ciphertext with it; OpenSSL verifies a
// signature with the PEM's public key), with token and AK/SK auth; bad arguments and
// refused calls exit non-zero with one clear line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

std::filesystem::path writeTemp(const std::string& name, const hsm::Bytes& content) {
    const auto p = server().dir() / name;
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(content.data()),
               static_cast<std::streamsize>(content.size()));
    return p;
}

std::filesystem::path writePem(const std::string& name, const ClientKey& k) {
    // PEM of the PKCS#8, as `openssl genpkey` writes it.
    std::string pem = "-----BEGIN PRIVATE KEY-----\n";
    const std::string body = b64(k.pkcs8);
    for (std::size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
    pem += "-----END PRIVATE KEY-----\n";
    return writeTemp(name, bytes(pem));
}

std::string url() {
    return "http://127.0.0.1:" + std::to_string(server().port());
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// keyportd's encrypt-data output, opened with OpenSSL and the material the customer kept:
// format(1) = 4 | key id(36) | material version(4) | IV(12) | ciphertext | tag(16),
// AAD = format | key id | material version (ciphertext.h).
void expectCiphertextUnder(const hsm::Bytes& material, const std::string& keyId) {
    const auto c = demoClient();
    const auto e = c.call("encrypt-data",
                          jsonBody({{"key_id", keyId}, {"plain_text", "imported by the CLI"}}));
    ASSERT_EQ(e.status, 200) << e.body;
    const hsm::Bytes ct = unb64(e.str("cipher_text"));
    ASSERT_GT(ct.size(), 41u + 12u + 16u);
    ASSERT_EQ(ct[0], 4);
    const hsm::Bytes aad(ct.begin(), ct.begin() + 41);
    const hsm::Bytes iv(ct.begin() + 41, ct.begin() + 53);
    const hsm::Bytes body(ct.begin() + 53, ct.end());
    const auto plain = aesGcmDecrypt(material, iv, aad, body);
    ASSERT_TRUE(plain.has_value())
        << "OpenSSL could not open keyportd's ciphertext with the customer's key";
    EXPECT_EQ(std::string(plain->begin(), plain->end()), "imported by the CLI");
}

TEST(CliImport, SymmetricWithTokenIsTheCustomersMaterial) {
    const hsm::Bytes material = randomBytes(32);
    const auto file = writeTemp("aes.bin", material);
    const auto r = runKeyport({"import", "--url", url(), "--project", kDemoProject, "--token",
                               kDemoToken, "--material", file.string(), "--alias", "cli-aes"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string id = trimmed(r.out);
    EXPECT_EQ(id.size(), 36u) << r.out;
    expectCiphertextUnder(material, id);
}

TEST(CliImport, PrivateKeyWithAkSkSignsForItsPublicKey) {
    for (const std::string spec : {"EC_P256", "RSA_2048"}) {
        SCOPED_TRACE(spec);
        const ClientKey k = generateKey(spec);
        const auto pem = writePem("key-" + spec + ".pem", k);
        const auto r =
            runKeyport({"import", "--url", url(), "--project", kDemoProject, "--ak", kDemoAccessKey,
                        "--sk", kDemoSecretKey, "--private-key", pem.string()});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        const std::string id = trimmed(r.out);
        const auto c = demoClient();
        const std::string algorithm = spec == "EC_P256" ? "ECDSA_SHA_256" : "RSASSA_PSS_SHA_256";
        const hsm::Bytes digest = sha("SHA256", bytes("signed by an imported key"));
        const auto s = c.call("sign", jsonBody({{"key_id", id},
                                                {"message", b64(digest)},
                                                {"signing_algorithm", algorithm},
                                                {"message_type", "DIGEST"}}));
        ASSERT_EQ(s.status, 200) << s.body;
        EXPECT_TRUE(verifySignatureSpki(spkiOf(k), spec == "EC_P256" ? "ECDSA" : "PSS", "SHA256",
                                        digest, unb64(s.str("signature")), true));
        const auto d = c.call("describe-key", jsonBody({{"key_id", id}}));
        EXPECT_EQ(d.json->getObject("key_info")->getValue<std::string>("key_spec"), spec);
    }
}

TEST(CliWrap, PrintsFieldsThatImport) {
    const auto c = demoClient();
    const std::string id = c.createKey("cli-wrap", "AES_256", "ENCRYPT_DECRYPT", "external");
    const ImportParams p = getParams(c, id);
    const hsm::Bytes material = randomBytes(32);
    const auto file = writeTemp("wrap.bin", material);
    const auto r =
        runKeyport({"wrap", "--public-key", b64(p.publicKey), "--algorithm", "RSAES_OAEP_SHA_1",
                    "--material", file.string(), "--key-id", id, "--import-token", p.importToken});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto imported = c.call("import-key-material", trimmed(r.out));
    ASSERT_EQ(imported.status, 200) << imported.body;
    expectCiphertextUnder(material, id);
}

TEST(CliImport, BadArgumentsAndRefusalsExitNonZeroWithOneLine) {
    const auto file = writeTemp("bad.bin", randomBytes(32));
    struct Case {
        std::vector<std::string> args;
        int exitCode;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"import", "--url", url(), "--project", kDemoProject, "--token", kDemoToken},
         2,
         "exactly one of --material"},
        {{"import", "--url", url(), "--project", kDemoProject, "--material", file.string()},
         2,
         "--token"},
        {{"import", "--url", "ftp://x", "--project", kDemoProject, "--token", kDemoToken,
          "--material", file.string()},
         1,
         "http://"},
        {{"import", "--url", url(), "--project", kDemoProject, "--token", "wrong", "--material",
          file.string()},
         1,
         "HTTP 401"},
        {{"import", "--url", url(), "--project", kDemoProject, "--token", kDemoToken, "--material",
          file.string(), "--key-spec", "RSA_2048"},
         1,
         "encrypted_privatekey"},
        {{"wrap", "--public-key", "not-base64!", "--algorithm", "RSAES_OAEP_SHA_1", "--material",
          file.string()},
         1,
         "public key"},
        {{"wrap", "--public-key", "AAAA", "--algorithm", "RSAES_PKCS1", "--material",
          file.string()},
         2,
         "RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1"},
    };
    for (const auto& c : cases) {
        const auto r = runKeyport(c.args);
        SCOPED_TRACE(c.args[0] + " → " + r.err);
        EXPECT_EQ(r.exitCode, c.exitCode);
        EXPECT_NE(r.err.find(c.says), std::string::npos);
        EXPECT_EQ(r.err.rfind("keyport: ", 0), 0u) << "the first line names the tool";
        EXPECT_EQ(r.out, "");
    }
}

}  // namespace
}  // namespace keyport::test
