// keyportd over HTTPS with the files from the real `keyport tls init`: curl and an OpenSSL
// client get answers (health and a KMS encrypt/decrypt), TLS 1.1 and non-AEAD ciphers are
// refused by the server, and with server.tls.client_ca_file a client certificate is
// required and its subject is logged.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "tests/e2e/kms_client.h"

namespace keyport::test {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<KeyportServer> g_server;
fs::path g_tls;
bool g_mutual = false;

class TlsServerEnv : public ::testing::Environment {
  public:
    void TearDown() override { g_server.reset(); }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new TlsServerEnv);

void appendConfig(const std::string& lines) {
    std::ofstream(g_server->configFile(), std::ios::app) << lines;
}

// The server, started plain (KeyportServer provisions its tokens first), then given the
// files of `keyport tls init --client` through the --define lines it printed, as config
// lines; `mutual` adds the client CA and restarts.
KeyportServer& tlsServer(bool mutual) {
    if (!g_server) {
        g_server = std::make_unique<KeyportServer>();
        const std::string out = g_server->cli({"tls", "init", "--client", "e2e-client"});
        const std::regex define("--define (server\\.tls\\.(cert|key)_file)=(\\S+)");
        std::string lines;
        for (std::sregex_iterator it(out.begin(), out.end(), define), end; it != end; ++it)
            lines += (*it)[1].str() + " = " + (*it)[3].str() + "\n";
        EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2) << out;
        g_tls = g_server->dir() / "var" / "tls";
        appendConfig(lines);
        g_server->restart();
    }
    if (mutual && !g_mutual) {
        appendConfig("server.tls.client_ca_file = " + (g_tls / "ca.crt").string() + "\n");
        g_server->restart();
        g_mutual = true;
    }
    return *g_server;
}

struct Shell {
    int exitCode;
    std::string out;
};

Shell shell(const std::string& cmd) {
    Shell r{-1, {}};
    FILE* p = ::popen((cmd + " 2>&1 </dev/null").c_str(), "r");
    if (p == nullptr) return r;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int st = ::pclose(p);
    r.exitCode = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string url(const std::string& path = "/healthz") {
    return "https://127.0.0.1:" + std::to_string(g_server->port()) + path;
}

std::string curl(const std::string& args) {
    return "curl -sS --max-time 10 -o /dev/null -w '%{http_code} %{http_version}' --cacert " +
           (g_tls / "ca.crt").string() + " " + args + " ";
}

std::string clientCert() {
    return " --cert " + (g_tls / "client.crt").string() + " --key " +
           (g_tls / "client.key").string();
}

std::string log() {
    std::ifstream in(g_server->dir() / "keyportd.log");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// One HTTPS exchange with OpenSSL as the client, verifying the server against the lab CA
// and for 127.0.0.1.
struct HttpsResult {
    bool connected = false;
    int version = 0;
    int status = 0;
    std::string body;
};

HttpsResult https(const std::string& method, const std::string& path, const std::string& body,
                  const Headers& headers, bool withCert = false) {
    HttpsResult r;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(g_server->port()));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        ::close(fd);
        return r;
    }
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx, (g_tls / "ca.crt").c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (withCert) {
        SSL_CTX_use_certificate_file(ctx, (g_tls / "client.crt").c_str(), SSL_FILETYPE_PEM);
        SSL_CTX_use_PrivateKey_file(ctx, (g_tls / "client.key").c_str(), SSL_FILETYPE_PEM);
    }
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
    if (SSL_connect(ssl) == 1) {
        r.connected = true;
        r.version = SSL_version(ssl);
        std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        SSL_write(ssl, req.data(), static_cast<int>(req.size()));
        std::string in;
        char buf[8192];
        std::size_t want = std::string::npos;
        while (in.size() < want) {
            const int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0) break;
            in.append(buf, static_cast<std::size_t>(n));
            const auto end = in.find("\r\n\r\n");
            if (end != std::string::npos && want == std::string::npos) {
                std::smatch m;
                const std::string head = in.substr(0, end);
                if (std::regex_search(head, m, std::regex("\r\n[Cc]ontent-[Ll]ength: *(\\d+)")))
                    want = end + 4 + std::stoul(m[1]);
            }
        }
        if (in.rfind("HTTP/1.1 ", 0) == 0) r.status = std::stoi(in.substr(9, 3));
        const auto end = in.find("\r\n\r\n");
        if (end != std::string::npos) r.body = in.substr(end + 4);
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    ::close(fd);
    return r;
}

HttpsResult kms(const std::string& action, const std::string& body, bool withCert = false) {
    return https("POST", std::string("/v1.0/") + kDemoProject + "/kms/" + action, body,
                 {{"X-Auth-Token", kDemoToken}, {"Content-Type", "application/json"}}, withCert);
}

std::string field(const std::string& json, const std::string& name) {
    auto o = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
    return o->optValue<std::string>(name, "");
}

TEST(Https, CurlGetsHealthzWithTheLabCa) {
    tlsServer(false);
    const Shell ok = shell(curl("") + url());
    EXPECT_EQ(ok.exitCode, 0) << ok.out;
    EXPECT_EQ(ok.out, "200 1.1");
    // Without the lab CA curl does not trust the server (60: peer certificate unverified).
    const Shell untrusted = shell("curl -sS --max-time 10 -o /dev/null " + url());
    EXPECT_EQ(untrusted.exitCode, 60) << untrusted.out;
    // Plain HTTP on the TLS port gets no HTTP answer.
    const Shell plain = shell(
        "curl -sS --max-time 10 -o /dev/null -w '%{http_code}' http://"
        "127.0.0.1:" +
        std::to_string(g_server->port()) + "/healthz");
    EXPECT_NE(plain.exitCode, 0) << plain.out;
    EXPECT_EQ(plain.out.find("200"), std::string::npos) << plain.out;
}

TEST(Https, KmsEncryptAndDecryptOverTls13) {
    tlsServer(false);
    const auto created = kms("create-key", jsonBody({{"key_alias", "tls-aes"},
                                                     {"key_spec", "AES_256"},
                                                     {"key_usage", "ENCRYPT_DECRYPT"}}));
    ASSERT_TRUE(created.connected);
    EXPECT_EQ(created.version, TLS1_3_VERSION);
    ASSERT_EQ(created.status, 200) << created.body;
    auto o = Poco::JSON::Parser().parse(created.body).extract<Poco::JSON::Object::Ptr>();
    const std::string keyId = o->getObject("key_info")->getValue<std::string>("key_id");

    const auto enc =
        kms("encrypt-data", jsonBody({{"key_id", keyId}, {"plain_text", "over https"}}));
    ASSERT_EQ(enc.status, 200) << enc.body;
    const auto dec =
        kms("decrypt-data", jsonBody({{"cipher_text", field(enc.body, "cipher_text")}}));
    ASSERT_EQ(dec.status, 200) << dec.body;
    EXPECT_EQ(field(dec.body, "plain_text"), "over https");
    // A bad credential over TLS is still the dialect's 401, not a TLS matter.
    const auto denied =
        https("POST", std::string("/v1.0/") + kDemoProject + "/kms/list-keys", "{}",
              {{"X-Auth-Token", "not-a-token"}, {"Content-Type", "application/json"}});
    EXPECT_EQ(denied.status, 401) << denied.body;
}

TEST(Https, OpensslSClientNegotiatesTls13AndOldOrWeakClientsAreRefused) {
    tlsServer(false);
    const std::string base =
        "openssl s_client -connect 127.0.0.1:" + std::to_string(g_server->port()) + " -CAfile " +
        (g_tls / "ca.crt").string() + " -verify_return_error";
    const Shell modern = shell(base + " -brief");
    EXPECT_EQ(modern.exitCode, 0) << modern.out;
    EXPECT_NE(modern.out.find("Protocol version: TLSv1.3"), std::string::npos) << modern.out;
    EXPECT_NE(modern.out.find("Verification: OK"), std::string::npos) << modern.out;
    // Security level 0 so the client really offers them: the refusal is the server's.
    const Shell tls11 = shell(base + " -tls1_1 -cipher DEFAULT@SECLEVEL=0");
    EXPECT_NE(tls11.exitCode, 0) << tls11.out;
    EXPECT_NE(tls11.out.find("alert protocol version"), std::string::npos) << tls11.out;
    const Shell cbc = shell(base + " -tls1_2 -cipher AES128-SHA@SECLEVEL=0");
    EXPECT_NE(cbc.exitCode, 0) << cbc.out;
    EXPECT_NE(cbc.out.find("alert handshake failure"), std::string::npos) << cbc.out;
    const Shell tls12 = shell(base + " -tls1_2 -brief");
    EXPECT_EQ(tls12.exitCode, 0) << tls12.out;
    EXPECT_NE(tls12.out.find("Protocol version: TLSv1.2"), std::string::npos) << tls12.out;
    EXPECT_NE(tls12.out.find("Ciphersuite: ECDHE-ECDSA-AES256-GCM-SHA384"), std::string::npos)
        << tls12.out;
}

// A key file others can read stops start-up as a config error (exit 78) naming the key.
TEST(Https, AKeyReadableByOthersStopsStartUp) {
    tlsServer(false);
    const fs::path loose = g_server->dir() / "loose.key";
    fs::copy_file(g_tls / "server.key", loose, fs::copy_options::overwrite_existing);
    fs::permissions(loose, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read);
    g_server->stop();  // one keyportd at a time on this state dir
    const Shell r =
        shell(std::string(KEYPORTD_PATH) + " --config " + g_server->configFile().string() +
              " --define server.tls.key_file=" + loose.string());
    g_server->start();
    EXPECT_EQ(r.exitCode, 78) << r.out;
    EXPECT_NE(r.out.find("config key 'server.tls.key_file': " + loose.string() +
                         " is accessible to group or others (mode 0644)"),
              std::string::npos)
        << r.out;
}

TEST(MutualTls, AClientCertificateIsRequiredAndItsSubjectLogged) {
    tlsServer(true);
    const Shell without = shell(curl("") + url());
    EXPECT_NE(without.exitCode, 0) << without.out;
    EXPECT_EQ(without.out.find("200"), std::string::npos) << without.out;
    EXPECT_FALSE(kms("list-keys", "{}").status == 200);

    const Shell with = shell(curl(clientCert()) + url());
    EXPECT_EQ(with.exitCode, 0) << with.out;
    EXPECT_EQ(with.out, "200 1.1");
    const auto listed = kms("list-keys", "{}", true);
    EXPECT_EQ(listed.status, 200) << listed.body;
    EXPECT_NE(log().find("keyportd: mTLS client CN=e2e-client,O=Keyport lab"), std::string::npos)
        << log();
}

}  // namespace
}  // namespace keyport::test
