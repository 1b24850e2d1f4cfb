// TlsContext and its Transport over a socketpair, with a real OpenSSL client on the other
// end: the handshake and I/O driven non-blocking as the event loop does, what is refused
// (old protocols, non-AEAD ciphers, a missing client certificate, a readable or mismatched
// key), and the thread's OpenSSL error queue left empty after every failure.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include "service/api/front/tls_context.h"

namespace keyport::api::front {
namespace {

namespace fs = std::filesystem;

fs::path g_dir;

void sh(const std::string& cmd) {
    ASSERT_EQ(std::system((cmd + " >/dev/null 2>&1").c_str()), 0) << cmd;
}

// Test certificates from the openssl command (the product's own generator is tested in
// tests/cli/tls_init_test.cpp): a CA, a server certificate it signed, a client certificate
// it signed (subject O=Lab, CN=alice), and a second key that matches neither.
class TlsFiles : public ::testing::Environment {
  public:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "keyport-tls-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        g_dir = tmpl;
        const std::string d = g_dir.string() + "/";
        const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        sh("openssl req -x509" + ec + " -keyout " + d + "ca.key -out " + d +
           "ca.crt -days 2 -subj /CN=TestCA");
        sh("openssl req" + ec + " -keyout " + d + "server.key -out " + d +
           "server.csr -subj /CN=localhost");
        sh("openssl x509 -req -in " + d + "server.csr -CA " + d + "ca.crt -CAkey " + d +
           "ca.key -CAcreateserial -days 2 -out " + d + "server.crt");
        sh("openssl req" + ec + " -keyout " + d + "client.key -out " + d +
           "client.csr -subj /O=Lab/CN=alice");
        sh("openssl x509 -req -in " + d + "client.csr -CA " + d + "ca.crt -CAkey " + d +
           "ca.key -CAcreateserial -days 2 -out " + d + "client.crt");
        sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + d +
           "other.key");
        for (const char* k : {"ca.key", "server.key", "client.key", "other.key"})
            fs::permissions(g_dir / k, fs::perms::owner_read | fs::perms::owner_write);
    }
    void TearDown() override { fs::remove_all(g_dir); }
};
const auto* const g_files = ::testing::AddGlobalTestEnvironment(new TlsFiles);

TlsConfig serverConfig(bool mutual = false) {
    TlsConfig c;
    c.certFile = g_dir / "server.crt";
    c.keyFile = g_dir / "server.key";
    if (mutual) c.clientCaFile = g_dir / "ca.crt";
    return c;
}

// How the client side of one connection is set up.
struct ClientSpec {
    int minVersion = TLS1_VERSION;
    int maxVersion = 0;   // highest
    std::string ciphers;  // TLS <= 1.2 list; empty: OpenSSL's default
    bool certificate = false;
    std::string alpn;  // wire format
};

struct ClientResult {
    bool connected = false;
    int version = 0;
    std::string alpn;
    std::string received;
};

// A blocking OpenSSL client on `fd`: connect, send `send`, then read until `expect` bytes
// arrived or the stream ends.
ClientResult runClient(int fd, const ClientSpec& spec, const std::string& send,
                       std::size_t expect) {
    ClientResult r;
    // The client's own writes (its close_notify to a server end already shut) must not
    // kill the test; the server side is left exposed: TlsContext must never raise SIGPIPE.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    // Security level 0 so the client can still offer TLS 1.1 or AES128-SHA: the refusal
    // must come from the server.
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_min_proto_version(ctx, spec.minVersion);
    SSL_CTX_set_max_proto_version(ctx, spec.maxVersion);
    if (!spec.ciphers.empty()) SSL_CTX_set_cipher_list(ctx, spec.ciphers.c_str());
    SSL_CTX_load_verify_locations(ctx, (g_dir / "ca.crt").c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (spec.certificate) {
        SSL_CTX_use_certificate_file(ctx, (g_dir / "client.crt").c_str(), SSL_FILETYPE_PEM);
        SSL_CTX_use_PrivateKey_file(ctx, (g_dir / "client.key").c_str(), SSL_FILETYPE_PEM);
    }
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set1_host(ssl, "localhost");
    if (!spec.alpn.empty()) {
        SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(spec.alpn.data()),
                            static_cast<unsigned>(spec.alpn.size()));
    }
    if (SSL_connect(ssl) == 1) {
        r.connected = true;
        r.version = SSL_version(ssl);
        const unsigned char* p = nullptr;
        unsigned len = 0;
        SSL_get0_alpn_selected(ssl, &p, &len);
        r.alpn.assign(reinterpret_cast<const char*>(p), len);
        if (!send.empty()) SSL_write(ssl, send.data(), static_cast<int>(send.size()));
        char buf[16384];
        while (r.received.size() < expect) {
            const int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0) break;
            r.received.append(buf, static_cast<std::size_t>(n));
        }
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    ::shutdown(fd, SHUT_WR);
    return r;
}

// Waits for what the transport asked for (as epoll would); false after 10 s.
bool await(int fd, Io io) {
    pollfd p{fd, static_cast<short>(io == Io::WantWrite ? POLLOUT : POLLIN), 0};
    return ::poll(&p, 1, 10000) == 1;
}

Io driveHandshake(Transport& t, int fd) {
    for (;;) {
        const Io io = t.handshake();
        if (io != Io::WantRead && io != Io::WantWrite) return io;
        if (!await(fd, io)) return Io::Error;
    }
}

// One connection: the server end is non-blocking and driven here, the client runs in a
// thread.
class Pair {
  public:
    explicit Pair(const ClientSpec& spec, const std::string& send = {}, std::size_t expect = 0) {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        server_ = fds[0];
        client_ = fds[1];
        ::fcntl(server_, F_SETFL, ::fcntl(server_, F_GETFL) | O_NONBLOCK);
        // Small buffers so a large write really comes back WantWrite.
        const int small = 4096;
        ::setsockopt(server_, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
        client_result_ = std::async(std::launch::async, [this, spec, send, expect] {
            return runClient(client_, spec, send, expect);
        });
    }
    ~Pair() {
        ::shutdown(server_, SHUT_RDWR);  // a client still waiting for bytes gets EOF
        if (client_result_.valid()) client_result_.wait();
        ::close(server_);
        ::close(client_);
    }
    int fd() const { return server_; }
    ClientResult client() { return client_result_.get(); }

  private:
    int server_ = -1, client_ = -1;
    std::future<ClientResult> client_result_;
};

std::string readAll(Transport& t, int fd, std::size_t want) {
    std::string got;
    char buf[4096];
    while (got.size() < want) {
        std::size_t n = 0;
        const Io io = t.read(buf, sizeof buf, n);
        if (io == Io::Ok) {
            got.append(buf, n);
        } else if (io == Io::WantRead || io == Io::WantWrite) {
            if (!await(fd, io)) break;
        } else {
            break;
        }
    }
    return got;
}

bool writeAll(Transport& t, int fd, const std::string& data, int* wantWrites) {
    std::size_t off = 0;
    while (off < data.size()) {
        std::size_t n = 0;
        const Io io = t.write(data.data() + off, data.size() - off, n);
        if (io == Io::Ok) {
            off += n;
        } else if (io == Io::WantRead || io == Io::WantWrite) {
            if (io == Io::WantWrite) ++*wantWrites;
            if (!await(fd, io)) return false;
        } else {
            return false;
        }
    }
    return true;
}

TEST(TlsTransport, Tls13ByDefaultWithHttp11AlpnAndBytesBothWays) {
    const TlsContext tls(serverConfig());
    const std::string big(1 << 20, 'x');
    ClientSpec spec;
    spec.alpn = std::string("\x02h2\x08http/1.1", 12);
    Pair pair(spec, "GET / HTTP/1.1\r\n\r\n", big.size());
    auto t = tls.accept(pair.fd());
    ASSERT_EQ(driveHandshake(*t, pair.fd()), Io::Ok);
    EXPECT_EQ(t->peerSubject(), "");
    EXPECT_EQ(TlsContext::describePeer(*t), "");

    // One byte at a time from an 18-byte record: the rest sits inside OpenSSL, where epoll
    // cannot see it.
    char c = 0;
    std::size_t n = 0;
    Io io;
    while ((io = t->read(&c, 1, n)) == Io::WantRead) ASSERT_TRUE(await(pair.fd(), io));
    ASSERT_EQ(io, Io::Ok);
    EXPECT_EQ(c, 'G');
    EXPECT_TRUE(t->pending());
    EXPECT_EQ(readAll(*t, pair.fd(), 17), "ET / HTTP/1.1\r\n\r\n");
    EXPECT_FALSE(t->pending());

    int wantWrites = 0;
    ASSERT_TRUE(writeAll(*t, pair.fd(), big, &wantWrites));
    EXPECT_GT(wantWrites, 0);  // 1 MiB through a 4 KiB socket buffer
    const ClientResult r = pair.client();
    ASSERT_TRUE(r.connected);
    EXPECT_EQ(r.version, TLS1_3_VERSION);
    EXPECT_EQ(r.alpn, "http/1.1");
    EXPECT_EQ(r.received.size(), big.size());
    EXPECT_TRUE(r.received == big);
    // The client sent close_notify, then closed.
    EXPECT_EQ(readAll(*t, pair.fd(), 1), "");
    std::size_t done = 0;
    char buf[16];
    EXPECT_EQ(t->read(buf, sizeof buf, done), Io::Closed);
    t->shutdown();
    EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(TlsTransport, Tls12WithAnAeadEcdheCipherIsAccepted) {
    const TlsContext tls(serverConfig());
    ClientSpec spec;
    spec.maxVersion = TLS1_2_VERSION;
    spec.ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305";
    Pair pair(spec, "ping", 4);
    auto t = tls.accept(pair.fd());
    ASSERT_EQ(driveHandshake(*t, pair.fd()), Io::Ok);
    EXPECT_EQ(readAll(*t, pair.fd(), 4), "ping");
    int w = 0;
    ASSERT_TRUE(writeAll(*t, pair.fd(), "pong", &w));
    const ClientResult r = pair.client();
    EXPECT_EQ(r.version, TLS1_2_VERSION);
    EXPECT_EQ(r.received, "pong");
}

struct Refusal {
    const char* name;
    ClientSpec client;
    bool mutual;
};

void PrintTo(const Refusal& r, std::ostream* os) {
    *os << r.name;
}

class TlsRefused : public ::testing::TestWithParam<Refusal> {};

TEST_P(TlsRefused, HandshakeFailsAndLeavesNoOpenSslError) {
    const TlsContext tls(serverConfig(GetParam().mutual));
    Pair pair(GetParam().client, "GET / HTTP/1.1\r\n\r\n", 1);
    auto t = tls.accept(pair.fd());
    Io io = driveHandshake(*t, pair.fd());
    // TLS 1.3: the server judges the client's certificate after the client has sent its
    // Finished, so the refusal may show on the first read instead.
    if (io == Io::Ok) io = readAll(*t, pair.fd(), 1).empty() ? Io::Error : Io::Ok;
    EXPECT_EQ(io, Io::Error);
    EXPECT_EQ(t->peerSubject(), "");
    EXPECT_EQ(ERR_peek_error(), 0u) << "an OpenSSL error left for the next connection";
    t->shutdown();
    EXPECT_TRUE(pair.client().received.empty());
}

ClientSpec only(int version, const char* ciphers = "") {
    ClientSpec s;
    s.minVersion = version;
    s.maxVersion = version;
    s.ciphers = ciphers;
    return s;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TlsRefused,
    ::testing::Values(
        Refusal{"Tls11Only", only(TLS1_1_VERSION, "DEFAULT:@SECLEVEL=0"), false},
        Refusal{"Tls10Only", only(TLS1_VERSION, "DEFAULT:@SECLEVEL=0"), false},
        Refusal{"Tls12CbcSha", only(TLS1_2_VERSION, "AES128-SHA"), false},
        Refusal{"Tls12RsaKeyExchangeGcm", only(TLS1_2_VERSION, "AES128-GCM-SHA256"), false},
        Refusal{"Tls12EcdheCbc", only(TLS1_2_VERSION, "ECDHE-ECDSA-AES128-SHA256"), false},
        Refusal{"MutualTls13WithoutCertificate", ClientSpec{}, true},
        Refusal{"MutualTls12WithoutCertificate", only(TLS1_2_VERSION), true}),
    [](const auto& p) { return p.param.name; });

TEST(TlsTransport, MutualTlsWithACertificateGivesItsSubject) {
    const TlsContext tls(serverConfig(true));
    ClientSpec spec;
    spec.certificate = true;
    Pair pair(spec, "ping", 4);
    auto t = tls.accept(pair.fd());
    ASSERT_EQ(driveHandshake(*t, pair.fd()), Io::Ok);
    EXPECT_EQ(readAll(*t, pair.fd(), 4), "ping");
    EXPECT_EQ(t->peerSubject(), "CN=alice,O=Lab");
    EXPECT_EQ(TlsContext::describePeer(*t), "keyportd: mTLS client CN=alice,O=Lab");
    int w = 0;
    ASSERT_TRUE(writeAll(*t, pair.fd(), "pong", &w));
    EXPECT_EQ(pair.client().received, "pong");
}

// A failed handshake on this thread, then a good one: the second must not inherit the
// first one's errors.
TEST(TlsTransport, AFailureDoesNotSpillIntoTheNextConnection) {
    const TlsContext tls(serverConfig());
    {
        Pair bad(only(TLS1_2_VERSION, "AES128-SHA"));
        auto t = tls.accept(bad.fd());
        EXPECT_EQ(driveHandshake(*t, bad.fd()), Io::Error);
    }
    Pair good(ClientSpec{}, "ok");
    auto t = tls.accept(good.fd());
    ASSERT_EQ(driveHandshake(*t, good.fd()), Io::Ok);
    EXPECT_EQ(readAll(*t, good.fd(), 2), "ok");
}

std::string configError(const TlsConfig& c) {
    try {
        TlsContext tls(c);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "accepted";
}

TEST(TlsContextConfig, KeyReadableByOthersIsRefusedNamingTheKey) {
    const fs::path loose = g_dir / "loose.key";
    fs::copy_file(g_dir / "server.key", loose, fs::copy_options::overwrite_existing);
    for (const mode_t mode : {0644, 0640, 0604, 0660}) {
        ASSERT_EQ(::chmod(loose.c_str(), mode), 0);
        TlsConfig c = serverConfig();
        c.keyFile = loose;
        const std::string e = configError(c);
        EXPECT_NE(e.find("config key 'server.tls.key_file'"), std::string::npos) << e;
        EXPECT_NE(e.find("group or others"), std::string::npos) << e;
    }
    ASSERT_EQ(::chmod(loose.c_str(), 0400), 0);
    TlsConfig c = serverConfig();
    c.keyFile = loose;
    EXPECT_EQ(configError(c), "accepted");
}

TEST(TlsContextConfig, KeyNotMatchingTheCertificateIsRefused) {
    TlsConfig c = serverConfig();
    c.keyFile = g_dir / "other.key";
    const std::string e = configError(c);
    EXPECT_NE(e.find("config key 'server.tls.key_file'"), std::string::npos) << e;
    EXPECT_NE(e.find("is not the key of server.tls.cert_file"), std::string::npos) << e;
    EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(TlsContextConfig, MissingOrBadFilesNameTheirKey) {
    TlsConfig c = serverConfig();
    c.certFile = g_dir / "missing.crt";
    EXPECT_NE(configError(c).find("config key 'server.tls.cert_file': cannot read"),
              std::string::npos);
    c = serverConfig();
    c.certFile = g_dir / "server.key";  // a key where the chain should be
    EXPECT_NE(configError(c).find("config key 'server.tls.cert_file': cannot load"),
              std::string::npos);
    c = serverConfig();
    c.keyFile = g_dir / "missing.key";
    EXPECT_NE(configError(c).find("config key 'server.tls.key_file': cannot read"),
              std::string::npos);
    c = serverConfig(true);
    c.clientCaFile = g_dir / "missing-ca.crt";
    EXPECT_NE(configError(c).find("config key 'server.tls.client_ca_file': cannot read"),
              std::string::npos);
    c = serverConfig(true);
    c.clientCaFile = g_dir / "server.csr";
    EXPECT_NE(configError(c).find("config key 'server.tls.client_ca_file'"), std::string::npos)
        << configError(c);
}

}  // namespace
}  // namespace keyport::api::front
