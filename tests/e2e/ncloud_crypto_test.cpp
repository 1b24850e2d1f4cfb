// NAVER Cloud KMS API 2.0 cryptography against a real keyportd (pages security-kms2-encrypt,
// -decrypt, -reencrypt, -custom-key, -sign, -verify, -public-key): context bound as
// associated data, convergent keys (deterministic, computed on the token), the Array form,
// the 32 KB limit, data keys, re-encrypt, signatures checked with OpenSSL, and a bad-input
// table with a cross-domain row for every route.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include "tests/e2e/import_helpers.h"
#include "tests/e2e/ncp_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {
namespace {

HttpResult post(const std::string& tag, const std::string& op, const std::string& body,
                const Credential& cred = KeyportServer::demo()) {
    return ncp("POST", "/kms/v1/keys/" + tag + "/" + op, body, cred);
}

std::vector<std::string> list(const HttpResult& r, const std::string& name) {
    std::vector<std::string> out;
    auto d = dataOf(r);
    if (!d) return out;
    auto a = d->getArray(name);
    if (!a) return out;
    for (std::size_t i = 0; i < a->size(); ++i)
        out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

std::string createKey(const std::string& name, const std::string& type = "AES256",
                      const std::string& extra = "") {
    const auto r = ncp("POST", "/kms/v1/keys",
                       R"({"keyName":")" + name + R"(","keyType":")" + type + "\"" + extra + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return field(r, "keyTag");
}

std::string b64s(const std::string& s) {
    return b64(bytes(s));
}

std::string encryptBody(const std::string& plain, const std::string& context = "") {
    return R"({"plaintext":")" + b64s(plain) + "\"" +
           (context.empty() ? "" : R"(,"context":")" + b64s(context) + "\"") + "}";
}

std::string decryptBody(const std::string& ct, const std::string& context = "") {
    return R"({"ciphertext":")" + ct + "\"" +
           (context.empty() ? "" : R"(,"context":")" + b64s(context) + "\"") + "}";
}

std::string encrypt(const std::string& tag, const std::string& plain,
                    const std::string& context = "") {
    const auto r = post(tag, "encrypt", encryptBody(plain, context));
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string ct = field(r, "ciphertext");
    EXPECT_EQ(ct.rfind("ncpkms:v1:", 0), 0u) << r.body;
    return ct;
}

std::string decrypted(const std::string& tag, const std::string& ct,
                      const std::string& context = "") {
    const auto r = post(tag, "decrypt", decryptBody(ct, context));
    EXPECT_EQ(r.status, 200) << r.body;
    const auto p = unb64(field(r, "plaintext"));
    return std::string(p.begin(), p.end());
}

hsm::Bytes rawCiphertext(const std::string& ct) {
    return unb64(ct.substr(std::string("ncpkms:v1:").size()));
}

std::string jsonArray(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ",\"" : "\"") + items[i] + "\"";
    return out + "]";
}

const Credential& otherDomain() {
    static const Credential c =
        server().addCredential("ncp-crypto-other", "9d0b1c2d3e4f40718293a4b5c6d7e8f9", "global");
    return c;
}

// security-kms2-encrypt / -decrypt: the context is associated data; another context, or
// none, does not decrypt.
TEST(NcloudCrypto, ContextIsBound) {
    const std::string tag = createKey("ctxAes");
    const std::string ct = encrypt(tag, "bound to a context", "order-7");
    EXPECT_EQ(decrypted(tag, ct, "order-7"), "bound to a context");
    expectError(post(tag, "decrypt", decryptBody(ct, "order-8")), 400, "INVALID_REQUEST",
                "another context");
    expectError(post(tag, "decrypt", decryptBody(ct)), 400, "INVALID_REQUEST", "no context");
    const std::string plainCt = encrypt(tag, "no context");
    expectError(post(tag, "decrypt", decryptBody(plainCt, "added")), 400, "INVALID_REQUEST",
                "a context the ciphertext was not made with");
    EXPECT_EQ(decrypted(tag, plainCt), "no context");
    // 50 bytes is the documented limit.
    EXPECT_EQ(decrypted(tag, encrypt(tag, "x", std::string(50, 'c')), std::string(50, 'c')), "x");
    const auto r = post(tag, "encrypt", encryptBody("x", std::string(51, 'c')));
    expectError(r, 400, "INVALID_REQUEST", "51-byte context");
    EXPECT_EQ(r.str("msg").rfind("context ", 0), 0u) << r.body;
    expectError(post(tag, "encrypt", R"({"plaintext":"eA==","context":"!!"})"), 400,
                "INVALID_REQUEST", "context not base64");
    // RSA-OAEP cannot bind a context: refused rather than dropped.
    const std::string rsa = createKey("ctxRsa", "RSA2048");
    expectError(post(rsa, "encrypt", encryptBody("x", "c")), 400, "INVALID_REQUEST",
                "context with an RSA2048 key");
}

// isConvergent (security-kms2-create-key, guide kms-create-delete): the same plaintext and
// context give the same ciphertext, computed on the token; the context is then required.
TEST(NcloudCrypto, ConvergentKeysAreDeterministic) {
    const std::string tag = createKey("convAes", "AES256", R"(,"isConvergent":true)");
    const std::string a1 = encrypt(tag, "same data", "ctx-1");
    const std::string a2 = encrypt(tag, "same data", "ctx-1");
    EXPECT_EQ(a1, a2) << "same plaintext and context";
    // SoftHSM 2.6.1 took the caller's GCM IV (CK_GCM_PARAMS.pIv): the IV in both is equal
    // and is not all zero (format 1 + id 36 + version 4, then the 12-byte IV).
    const auto raw = rawCiphertext(a1);
    ASSERT_GT(raw.size(), 53u);
    const hsm::Bytes iv(raw.begin() + 41, raw.begin() + 53);
    EXPECT_NE(iv, hsm::Bytes(12, 0));
    EXPECT_NE(encrypt(tag, "same data", "ctx-2"), a1) << "another context";
    EXPECT_NE(encrypt(tag, "same datA", "ctx-1"), a1) << "another plaintext";
    EXPECT_EQ(decrypted(tag, a1, "ctx-1"), "same data");
    expectError(post(tag, "decrypt", decryptBody(a1, "ctx-2")), 400, "INVALID_REQUEST",
                "convergent, another context");
    auto r = post(tag, "encrypt", encryptBody("same data"));
    expectError(r, 400, "INVALID_REQUEST", "convergent, encrypt without context");
    EXPECT_EQ(r.str("msg").rfind("context ", 0), 0u) << r.body;
    expectError(post(tag, "decrypt", decryptBody(a1)), 400, "INVALID_REQUEST",
                "convergent, decrypt without context");
    // Another convergent key with the same inputs: its own material, its own ciphertext.
    const std::string other = createKey("convAes2", "AES256", R"(,"isConvergent":true)");
    EXPECT_NE(rawCiphertext(encrypt(other, "same data", "ctx-1")), raw);
    // A key that is not convergent: a fresh IV each time.
    const std::string plain = createKey("nonConv");
    EXPECT_NE(encrypt(plain, "same data", "ctx-1"), encrypt(plain, "same data", "ctx-1"));
    // Array items are convergent one by one.
    r = post(tag, "encrypt",
             R"({"plaintext":)" + jsonArray({b64s("same data"), b64s("same data")}) +
                 R"(,"context":")" + b64s("ctx-1") + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(list(r, "ciphertext"), (std::vector<std::string>{a1, a1}));
    // Only AES256 keys are convergent; the flag is a boolean.
    expectError(ncp("POST", "/kms/v1/keys",
                    R"({"keyName":"convRsa","keyType":"RSA2048","isConvergent":true})"),
                400, "INVALID_REQUEST", "isConvergent with RSA2048");
    expectError(ncp("POST", "/kms/v1/keys",
                    R"({"keyName":"convBad","keyType":"AES256","isConvergent":"yes"})"),
                400, "INVALID_REQUEST", "isConvergent not a boolean");
}

// The Array form (String or Array<String>) of plaintext and ciphertext, and 32 KB in all.
TEST(NcloudCrypto, ArrayFormAndLimits) {
    const std::string tag = createKey("arrayAes");
    const std::vector<std::string> plains{"one", "two", "three"};
    auto r = post(tag, "encrypt",
                  R"({"plaintext":)" + jsonArray({b64s("one"), b64s("two"), b64s("three")}) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto cts = list(r, "ciphertext");
    ASSERT_EQ(cts.size(), 3u) << r.body;
    r = post(tag, "decrypt", R"({"ciphertext":)" + jsonArray(cts) + "}");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto outs = list(r, "plaintext");
    ASSERT_EQ(outs.size(), 3u) << r.body;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto p = unb64(outs[i]);
        EXPECT_EQ(std::string(p.begin(), p.end()), plains[i]);
    }
    // Exactly 32 KB (one string) works; a byte more, or 32 KB + 1 across items, does not.
    const std::string big(32 * 1024, 'z');
    EXPECT_EQ(decrypted(tag, encrypt(tag, big)), big);
    expectError(post(tag, "encrypt", encryptBody(big + "z")), 400, "INVALID_REQUEST", "32 KB + 1");
    expectError(post(tag, "encrypt",
                     R"({"plaintext":)" +
                         jsonArray({b64s(std::string(16 * 1024, 'a')),
                                    b64s(std::string(16 * 1024 + 1, 'b'))}) +
                         "}"),
                400, "INVALID_REQUEST", "items over 32 KB in all");
    struct Case {
        std::string what, op, body;
    };
    const std::vector<Case> cases = {
        {"empty array", "encrypt", R"({"plaintext":[]})"},
        {"array with a number", "encrypt", R"({"plaintext":["eA==",7]})"},
        {"array with an empty item", "encrypt", R"({"plaintext":["eA==",""]})"},
        {"array with bad base64", "encrypt", R"({"plaintext":["eA==","!!"]})"},
        {"plaintext an object", "encrypt", R"({"plaintext":{"a":"eA=="}})"},
        {"plaintext missing", "encrypt", R"({})"},
        {"empty ciphertext array", "decrypt", R"({"ciphertext":[]})"},
        {"ciphertext array with a bad item", "decrypt",
         R"({"ciphertext":[")" + cts[0] + R"(","ncpkms:v1:AAAA"]})"},
        {"ciphertext array with a number", "decrypt", R"({"ciphertext":[1]})"},
    };
    for (const auto& k : cases)
        expectError(post(tag, k.op, k.body), 400, "INVALID_REQUEST", k.what);
}

// security-kms2-custom-key: a random raw key under this key; the plaintext only on request.
TEST(NcloudCrypto, CreateCustomKey) {
    const std::string tag = createKey("customAes");
    auto r = post(tag, "create-custom-key", "{}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(field(r, "plaintext").empty()) << "requestPlainKey defaults to false";
    EXPECT_EQ(field(r, "key_version"), "1");
    EXPECT_EQ(
        unb64(field(post(tag, "decrypt", decryptBody(field(r, "ciphertext"))), "plaintext")).size(),
        32u)
        << "bits default to 256";
    for (const int bits : {128, 256, 512}) {
        r = post(tag, "create-custom-key",
                 R"({"requestPlainKey":true,"bits":)" + std::to_string(bits) + "}");
        ASSERT_EQ(r.status, 200) << r.body;
        const auto plain = unb64(field(r, "plaintext"));
        EXPECT_EQ(plain.size(), static_cast<std::size_t>(bits / 8));
        EXPECT_EQ(
            unb64(field(post(tag, "decrypt", decryptBody(field(r, "ciphertext"))), "plaintext")),
            plain);
    }
    // An RSA2048 key wraps the raw key with RSA-OAEP.
    const std::string rsa = createKey("customRsa", "RSA2048");
    r = post(rsa, "create-custom-key", R"({"requestPlainKey":true,"bits":512})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(unb64(field(post(rsa, "decrypt", decryptBody(field(r, "ciphertext"))), "plaintext")),
              unb64(field(r, "plaintext")));
    // A convergent key needs the context here too, and binds it.
    const std::string conv = createKey("customConv", "AES256", R"(,"isConvergent":true)");
    expectError(post(conv, "create-custom-key", "{}"), 400, "INVALID_REQUEST",
                "convergent key without context");
    r = post(conv, "create-custom-key",
             R"({"requestPlainKey":true,"context":")" + b64s("dk") + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(
        unb64(field(post(conv, "decrypt", decryptBody(field(r, "ciphertext"), "dk")), "plaintext")),
        unb64(field(r, "plaintext")));
    const std::string ec = createKey("customEc", "ECDSA");
    struct Case {
        std::string what, tag, body;
        int status;
        std::string code;
    };
    const std::vector<Case> cases = {
        {"bits 100", tag, R"({"bits":100})", 400, "INVALID_REQUEST"},
        {"bits 1024", tag, R"({"bits":1024})", 400, "INVALID_REQUEST"},
        {"bits not a number", tag, R"({"bits":"many"})", 400, "INVALID_REQUEST"},
        {"bits negative", tag, R"({"bits":-256})", 400, "INVALID_REQUEST"},
        {"requestPlainKey not a boolean", tag, R"({"requestPlainKey":"yes"})", 400,
         "INVALID_REQUEST"},
        {"context too long", tag, R"({"context":")" + b64s(std::string(51, 'c')) + "\"}", 400,
         "INVALID_REQUEST"},
        {"an ECDSA key", ec, "{}", 422, "UNPROCESSABLE_ENTITY"},
    };
    for (const auto& k : cases)
        expectError(post(k.tag, "create-custom-key", k.body), k.status, k.code, k.what);
}

// security-kms2-reencrypt: to the key's current version, with the same context.
TEST(NcloudCrypto, ReEncrypt) {
    const std::string tag = createKey("reencAes");
    const std::string ct = encrypt(tag, "carry me", "c1");
    auto r = post(tag, "re-encrypt", decryptBody(ct, "c1"));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string fresh = field(r, "newCiphertext");
    EXPECT_EQ(fresh.rfind("ncpkms:v1:", 0), 0u) << r.body;
    EXPECT_NE(fresh, ct);
    EXPECT_EQ(decrypted(tag, fresh, "c1"), "carry me");
    r = post(tag, "re-encrypt",
             R"({"ciphertext":)" + jsonArray({ct, ct}) + R"(,"context":")" + b64s("c1") + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(list(r, "newCiphertext").size(), 2u) << r.body;
    EXPECT_EQ(decrypted(tag, list(r, "newCiphertext")[1], "c1"), "carry me");
    // A convergent key re-encrypts deterministically to what encrypt gives.
    const std::string conv = createKey("reencConv", "AES256", R"(,"isConvergent":true)");
    const std::string cc = encrypt(conv, "same", "c");
    EXPECT_EQ(field(post(conv, "re-encrypt", decryptBody(cc, "c")), "newCiphertext"), cc);
    const std::string rsa = createKey("reencRsa", "RSA2048");
    EXPECT_EQ(decrypted(rsa, field(post(rsa, "re-encrypt", decryptBody(encrypt(rsa, "r"))),
                                   "newCiphertext")),
              "r");
    const std::string other = createKey("reencOther");
    struct Case {
        std::string what, body;
    };
    const std::vector<Case> cases = {
        {"another context", decryptBody(ct, "c2")},
        {"no context", decryptBody(ct)},
        {"another key's ciphertext", decryptBody(encrypt(other, "x"))},
        {"garbage", decryptBody("ncpkms:v1:AAAA")},
        {"no prefix", decryptBody("AAAA")},
        {"ciphertext missing", "{}"},
        {"convergent key, no context", decryptBody(cc)},
    };
    for (const auto& k : cases) {
        const std::string key = k.what.starts_with("convergent") ? conv : tag;
        expectError(post(key, "re-encrypt", k.body), 400, "INVALID_REQUEST", k.what);
    }
}

// security-kms2-sign / -verify / -public-key: signatures by the token, checked by OpenSSL
// against the PEM public key.
TEST(NcloudCrypto, SignVerifyAndPublicKey) {
    struct Type {
        std::string name, type, scheme;
    };
    for (const Type& t : {Type{"signEc", "ECDSA", "ECDSA"}, Type{"signRsa", "RSA2048", "PKCS1"}}) {
        SCOPED_TRACE(t.type);
        const std::string tag = createKey(t.name, t.type);
        const auto message = bytes("pay 100 to bob");
        auto r = post(tag, "sign", R"({"data":")" + b64(message) + "\"}");
        ASSERT_EQ(r.status, 200) << r.body;
        const std::string signature = field(r, "signature");
        ASSERT_EQ(signature.rfind("ncpkms:v1:", 0), 0u) << r.body;
        const auto sig = unb64(signature.substr(10));
        r = post(tag, "get-pub-key", "{}");
        ASSERT_EQ(r.status, 200) << r.body;
        const std::string pem = field(r, "publicKey");
        EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u) << pem;
        EXPECT_TRUE(verifySignature(pem, t.scheme, "SHA256", message, sig, false));
        EXPECT_FALSE(verifySignature(pem, t.scheme, "SHA256", bytes("pay 900 to bob"), sig, false));
        EXPECT_EQ(field(post(tag, "get-pub-key", R"({"keyVersion":1})"), "publicKey"), pem);
        auto valid = [&](const std::string& data, const std::string& s) {
            const auto v =
                post(tag, "verify", R"({"data":")" + data + R"(","signature":")" + s + "\"}");
            EXPECT_EQ(v.status, 200) << v.body;
            auto d = dataOf(v);
            return d && d->has("valid") && d->getValue<bool>("valid");
        };
        EXPECT_TRUE(valid(b64(message), signature));
        EXPECT_TRUE(valid(b64(message), b64(sig))) << "without the prefix";
        EXPECT_FALSE(valid(b64s("pay 900 to bob"), signature));
        auto altered = sig;
        altered[altered.size() / 2] ^= 1;
        EXPECT_FALSE(valid(b64(message), b64(altered)));
        // 8 KB of data signs; a byte more does not.
        EXPECT_EQ(post(tag, "sign", R"({"data":")" + b64(hsm::Bytes(8192, 1)) + "\"}").status, 200);
        expectError(post(tag, "sign", R"({"data":")" + b64(hsm::Bytes(8193, 1)) + "\"}"), 400,
                    "INVALID_REQUEST", "9 KB to sign");
        expectError(post(tag, "sign", R"({"data":"!!"})"), 400, "INVALID_REQUEST",
                    "data not base64");
        expectError(post(tag, "sign", "{}"), 400, "INVALID_REQUEST", "data missing");
        expectError(post(tag, "verify", R"({"data":")" + b64(message) + R"(","signature":"!!"})"),
                    400, "INVALID_REQUEST", "signature not base64");
        expectError(post(tag, "verify", R"({"data":")" + b64(message) + "\"}"), 400,
                    "INVALID_REQUEST", "signature missing");
        expectError(post(tag, "get-pub-key", R"({"keyVersion":2})"), 404, "NOT_FOUND",
                    "a version the key does not have");
        expectError(post(tag, "get-pub-key", R"({"keyVersion":0})"), 400, "INVALID_REQUEST",
                    "keyVersion 0");
        expectError(post(tag, "get-pub-key", R"({"keyVersion":101})"), 400, "INVALID_REQUEST",
                    "keyVersion 101");
    }
    // NAVER's RSA2048 keys encrypt and sign; ECDSA keys only sign; AES256 keys only encrypt.
    const std::string rsa = createKey("dualRsa", "RSA2048");
    EXPECT_EQ(decrypted(rsa, encrypt(rsa, "both")), "both");
    EXPECT_EQ(post(rsa, "sign", R"({"data":"eA=="})").status, 200);
    const std::string ec = createKey("onlyEc", "ECDSA");
    expectError(post(ec, "encrypt", encryptBody("x")), 422, "UNPROCESSABLE_ENTITY",
                "encrypt with ECDSA");
    expectError(post(ec, "decrypt", decryptBody(encrypt(rsa, "x"))), 422, "UNPROCESSABLE_ENTITY",
                "decrypt with ECDSA");
    expectError(post(ec, "re-encrypt", decryptBody(encrypt(rsa, "x"))), 422, "UNPROCESSABLE_ENTITY",
                "re-encrypt with ECDSA");
    const std::string aes = createKey("onlyAes");
    expectError(post(aes, "sign", R"({"data":"eA=="})"), 422, "UNPROCESSABLE_ENTITY",
                "sign with AES256");
    expectError(post(aes, "verify", R"({"data":"eA==","signature":"eA=="})"), 422,
                "UNPROCESSABLE_ENTITY", "verify with AES256");
    expectError(post(aes, "get-pub-key", "{}"), 422, "UNPROCESSABLE_ENTITY",
                "public key of AES256");
}

// The Huawei dialect rotates the same key (NAVER's rotate route is another helper's part).
std::string keyIdOf(const std::string& keyName) {
    const auto r = demoClient().call("list-keys", R"({"limit":"1000"})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto details = r.json ? r.json->getArray("key_details") : nullptr;
    for (std::size_t i = 0; details && i < details->size(); ++i) {
        auto d = details->getObject(static_cast<unsigned>(i));
        if (d->getValue<std::string>("key_alias") == keyName)
            return d->getValue<std::string>("key_id");
    }
    ADD_FAILURE() << "no key named " << keyName;
    return {};
}

std::uint32_t versionOf(const std::string& ct) {
    const auto raw = rawCiphertext(ct);
    return (std::uint32_t{raw.at(37)} << 24) | (std::uint32_t{raw.at(38)} << 16) |
           (std::uint32_t{raw.at(39)} << 8) | std::uint32_t{raw.at(40)};
}

// Rotation: re-encrypt takes an old version's ciphertext to the current version; a
// convergent key is deterministic per version (a new version, a new ciphertext).
TEST(NcloudCrypto, ReEncryptAcrossRotation) {
    for (const bool convergent : {false, true}) {
        SCOPED_TRACE(convergent ? "convergent" : "random IV");
        const std::string name = convergent ? "rotConv" : "rotPlain";
        const std::string tag =
            createKey(name, "AES256", convergent ? R"(,"isConvergent":true)" : "");
        const std::string old = encrypt(tag, "versioned", "ctx");
        EXPECT_EQ(versionOf(old), 1u);
        const std::string rotateBody = R"({"key_id":")" + keyIdOf(name) + R"("})";
        const auto rot = demoClient().call("rotate-on-demand", rotateBody);
        ASSERT_EQ(rot.status, 200) << rot.body;
        const std::string now = encrypt(tag, "versioned", "ctx");
        EXPECT_EQ(versionOf(now), 2u);
        EXPECT_NE(now, old);
        EXPECT_EQ(decrypted(tag, old, "ctx"), "versioned") << "the old version still decrypts";
        const std::string moved =
            field(post(tag, "re-encrypt", decryptBody(old, "ctx")), "newCiphertext");
        EXPECT_EQ(versionOf(moved), 2u);
        EXPECT_EQ(decrypted(tag, moved, "ctx"), "versioned");
        if (convergent) {
            EXPECT_EQ(moved, now) << "deterministic in the current version";
            EXPECT_EQ(encrypt(tag, "versioned", "ctx"), now);
        } else {
            EXPECT_NE(moved, now);
        }
        const std::string dkBody = R"({"context":")" + b64s("ctx") + R"("})";
        EXPECT_EQ(field(post(tag, "create-custom-key", dkBody), "key_version"), "2");
    }
}

// NAVER's RSA2048 usage (encrypt and sign) is stored as its own usage, but no client may
// ask for it by name: Huawei's key_usage stays Huawei's enum.
TEST(NcloudCrypto, EncryptSignIsNoHuaweiUsage) {
    const auto r = demoClient().call(
        "create-key",
        R"({"key_alias":"huawei-dual","key_spec":"RSA_2048","key_usage":"ENCRYPT_DECRYPT_SIGN_VERIFY"})");
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.errorCode(), "KMS.0308") << r.body;
}

// Another domain's credential sees none of these keys: NOT_FOUND on every route, no data.
TEST(NcloudCrypto, CrossDomainIsNotFound) {
    const std::string aes = createKey("xdomAes");
    const std::string ec = createKey("xdomEc", "ECDSA");
    const std::string ct = encrypt(aes, "mine");
    const std::vector<std::pair<std::string, std::string>> calls = {
        {aes, "encrypt"}, {aes, "decrypt"}, {aes, "re-encrypt"}, {aes, "create-custom-key"},
        {ec, "sign"},     {ec, "verify"},   {ec, "get-pub-key"},
    };
    const std::string body = R"({"plaintext":"eA==","ciphertext":")" + ct +
                             R"(","data":"eA==","signature":"eA==","requestPlainKey":true})";
    for (const auto& [tag, op] : calls)
        expectError(post(tag, op, body, otherDomain()), 404, "NOT_FOUND", "another domain, " + op);
    EXPECT_EQ(decrypted(aes, ct), "mine") << "the owner still decrypts";
}

}  // namespace
}  // namespace keyport::test

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    keyport::test::setServerConfig("regions = global, KR, JPN\ndemo.region = global");
    return RUN_ALL_TESTS();
}
