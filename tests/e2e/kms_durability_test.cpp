// Durability: keyportd stopped (and killed) and restarted over the same state — imported keys
// still work, an import token issued before the restart still imports, nothing acknowledged
// is lost.
#include <gtest/gtest.h>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

TEST(KmsDurability, KeysAndImportTokensSurviveRestartAndKill) {
    const hsm::Bytes material = randomBytes(32);
    const ClientKey ec = generateKey("EC_P256");
    std::string aes, sig, pending, ciphertext;
    ImportParams params;
    {
        const auto c = demoClient();
        aes = importKey(c, "durable-aes", "AES_256", "ENCRYPT_DECRYPT", material, std::nullopt);
        sig = importKey(c, "durable-ec", "EC_P256", "SIGN_VERIFY", {}, ec.pkcs8);
        ciphertext = c.call("encrypt-data", jsonBody({{"key_id", aes}, {"plain_text", "kept"}}))
                         .str("cipher_text");
        pending = c.createKey("durable-pending", "AES_256", "ENCRYPT_DECRYPT", "external");
        params = getParams(c, pending);
    }
    for (const bool kill : {false, true}) {
        if (kill) {
            server().kill9();
            server().start();
        } else {
            server().restart();
        }
        const auto c = demoClient();
        const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", ciphertext}}));
        ASSERT_EQ(d.status, 200) << d.body;
        EXPECT_EQ(d.str("plain_text"), "kept");
        const hsm::Bytes dgst = sha("SHA256", bytes("after restart"));
        const auto s = c.call("sign", jsonBody({{"key_id", sig},
                                                {"message", b64(dgst)},
                                                {"signing_algorithm", "ECDSA_SHA_256"}}));
        ASSERT_EQ(s.status, 200) << s.body;
        const auto pk = c.call("get-publickey", jsonBody({{"key_id", sig}}));
        EXPECT_TRUE(verifySignature(pk.str("public_key"), "ECDSA", "SHA256", dgst,
                                    unb64(s.str("signature")), true));
    }
    // The import token from before both restarts still imports.
    const auto c = demoClient();
    const auto r = c.call("import-key-material",
                          importBody(pending, params, randomBytes(32), std::nullopt, false));
    EXPECT_EQ(r.status, 200) << r.body;
    const auto e = c.call("encrypt-data", jsonBody({{"key_id", pending}, {"plain_text", "x"}}));
    EXPECT_EQ(e.status, 200) << e.body;
}

}  // namespace
}  // namespace keyport::test
