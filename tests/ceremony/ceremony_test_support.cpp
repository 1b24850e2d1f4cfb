#include "tests/ceremony/ceremony_test_support.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <unistd.h>
#include <fstream>
#include <sstream>

#include <cstdio>
#include <thread>

namespace keyport::test {

std::filesystem::path writeFile(const std::filesystem::path& dir, const std::string& name,
                                const std::string& text) {
    const auto p = dir / name;
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    return p;
}

std::string readText(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string upperHex(const hsm::Bytes& b) {
    std::string h = hex(b);
    for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return h;
}

std::string cmacCheckValue(const hsm::Bytes& key) {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char cipher[] = "AES-256-CBC";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER, cipher, 0),
                           OSSL_PARAM_construct_end()};
    const unsigned char zero[16] = {};
    unsigned char out[16];
    std::size_t len = 0;
    const bool ok = EVP_MAC_init(ctx, key.data(), key.size(), params) == 1 &&
                    EVP_MAC_update(ctx, zero, sizeof zero) == 1 &&
                    EVP_MAC_final(ctx, out, &len, sizeof out) == 1 && len == 16;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    if (!ok) throw std::runtime_error("OpenSSL CMAC failed");
    return upperHex(hsm::Bytes(out, out + 3));
}

void expectCiphertextUnder(const KmsClient& c, const hsm::Bytes& material,
                           const std::string& keyId) {
    const auto e =
        c.call("encrypt-data", jsonBody({{"key_id", keyId}, {"plain_text", "a ceremony's key"}}));
    ASSERT_EQ(e.status, 200) << e.body;
    const hsm::Bytes ct = unb64(e.str("cipher_text"));
    ASSERT_GT(ct.size(), 41u + 12u + 16u);
    const hsm::Bytes aad(ct.begin(), ct.begin() + 41);
    const hsm::Bytes iv(ct.begin() + 41, ct.begin() + 53);
    const hsm::Bytes body(ct.begin() + 53, ct.end());
    const auto plain = aesGcmDecrypt(material, iv, aad, body);
    ASSERT_TRUE(plain.has_value()) << "OpenSSL could not open keyportd's ciphertext";
    EXPECT_EQ(std::string(plain->begin(), plain->end()), "a ceremony's key");
    const auto d = c.call("decrypt-data", jsonBody({{"cipher_text", e.str("cipher_text")}}));
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(d.str("plain_text"), "a ceremony's key");
}

std::string keyState(const KmsClient& c, const std::string& keyId) {
    const auto r = c.call("describe-key", jsonBody({{"key_id", keyId}}));
    if (r.status != 200 || !r.json) return "http " + std::to_string(r.status);
    return r.json->getObject("key_info")->getValue<std::string>("key_state");
}

std::chrono::milliseconds waitUntil(const std::function<bool()>& ok,
                                    std::chrono::milliseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    for (;;) {
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        if (ok()) return took;
        if (took > limit) return took;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace keyport::test

namespace keyport::test {

std::string shellQuoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

namespace {

std::string run(const std::string& cmd) {
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed");
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

std::size_t count(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = hay.find(needle); at != std::string::npos;
         at = hay.find(needle, at + needle.size()))
        ++n;
    return n;
}

}  // namespace

TmuxSession::TmuxSession(const std::string& shellCommand) {
    static int serial = 0;
    socket_ = "keyport-test-" + std::to_string(::getpid()) + "-" + std::to_string(++serial);
    log_ = std::filesystem::temp_directory_path() / (socket_ + ".log");
    // The command waits a moment so pipe-pane is attached before its first byte.
    tmux("-f /dev/null new-session -d -s t -x 200 -y 50 " +
         shellQuoted("sleep 0.5; " + shellCommand + "; sleep 120"));
    tmux("pipe-pane -t t -o " + shellQuoted("cat >> " + shellQuoted(log_.string())));
}

TmuxSession::~TmuxSession() {
    tmux("kill-server");
    std::error_code ec;
    std::filesystem::remove(log_, ec);
}

std::string TmuxSession::tmux(const std::string& args) const {
    return run("tmux -L " + socket_ + " " + args + " 2>&1");
}

std::string TmuxSession::screen() const {
    return tmux("capture-pane -p -J -t t -S -200");
}

std::string TmuxSession::log() const {
    return readText(log_);
}

bool TmuxSession::waitFor(const std::string& text, std::chrono::milliseconds limit,
                          std::size_t times) {
    return waitUntil([&] { return count(screen(), text) >= times; }, limit) <= limit;
}

void TmuxSession::typeNoEnter(const std::string& text) {
    tmux("send-keys -t t -l " + shellQuoted(text));
}

void TmuxSession::type(const std::string& text) {
    typeNoEnter(text);
    keys("Enter");
}

void TmuxSession::keys(const std::string& tmuxKeys) {
    tmux("send-keys -t t " + tmuxKeys);
}

}  // namespace keyport::test
