// The listener's TLS over OpenSSL 3's SSL_* API on the accepted fd, not Poco NetSSL's
// SecureSocket streams: the event loop must drive a handshake, a read and a write one
// non-blocking step at a time (WANT_READ / WANT_WRITE back to epoll), and must be able to
// hand a connection between threads, which Poco's blocking socket streams do not allow.
#include "service/api/front/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "service/api/front/tls_transport.h"
#include "service/api/log_text.h"

namespace keyport::api::front {
namespace {

// TLS 1.2 suites: ECDHE (forward secrecy) with an AEAD only — no CBC, no RSA key exchange,
// no SHA-1 MACs. TLS 1.3's three suites are all AEAD and are listed in our preference.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";
constexpr char kTls13Suites[] =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256";
constexpr char kGroups[] = "X25519:P-256:P-384";
constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

// "first error; second error" from the thread's OpenSSL queue, which is left empty.
std::string drainErrors() {
    std::string out;
    unsigned long e;
    char buf[256];
    while ((e = ERR_get_error()) != 0) {
        ERR_error_string_n(e, buf, sizeof buf);
        out += (out.empty() ? "" : "; ") + std::string(buf);
    }
    return out.empty() ? "unknown OpenSSL error" : out;
}

[[noreturn]] void fail(const char* key, const std::string& what) {
    throw ConfigError(std::string("config key '") + key + "': " + what + " (" + drainErrors() +
                      ")");
}

// A readable regular file, or a ConfigError naming the key (OpenSSL's own message for a
// missing file is "system library" and a code).
void requireFile(const char* key, const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        throw ConfigError(std::string("config key '") + key + "': cannot read " + file.string() +
                          ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) {
        throw ConfigError(std::string("config key '") + key + "': " + file.string() +
                          " is not a regular file");
    }
}

// The private key must be the service account's alone: refuse any group or other bit.
void requirePrivate(const char* key, const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        throw ConfigError(std::string("config key '") + key + "': " + file.string() +
                          " is accessible to group or others (mode " + mode + "); chmod 600 it");
    }
}

// ALPN: take http/1.1 when the client offers it; otherwise go on without ALPN (a client
// that offers only h2 then fails on its own terms rather than on an alert from us).
int selectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(&chosen, outlen, kHttp11, sizeof kHttp11, in, inlen) ==
        OPENSSL_NPN_NEGOTIATED) {
        *out = chosen;
        return SSL_TLSEXT_ERR_OK;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

// The socket BIO for a session: OpenSSL's own BIO_s_socket writes with write(2), which
// raises SIGPIPE (and by default kills keyportd) when a client has already gone, e.g. on
// the alert that refuses its handshake. This one sends with MSG_NOSIGNAL and, like
// BIO_s_socket, does not close the fd (the connection owns it).
int sockWrite(BIO* bio, const char* buf, std::size_t len, std::size_t* done) {
    BIO_clear_retry_flags(bio);
    const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
    ssize_t n;
    do {
        n = ::send(fd, buf, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_write(bio);
        *done = 0;
        return 0;
    }
    *done = static_cast<std::size_t>(n);
    return 1;
}

int sockRead(BIO* bio, char* buf, std::size_t len, std::size_t* done) {
    BIO_clear_retry_flags(bio);
    const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
    ssize_t n;
    do {
        n = ::recv(fd, buf, len, 0);
    } while (n < 0 && errno == EINTR);
    *done = n > 0 ? static_cast<std::size_t>(n) : 0;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) BIO_set_retry_read(bio);
    return n > 0 ? 1 : 0;  // 0 without a retry flag: end of stream or an error
}

long sockCtrl(BIO* bio, int cmd, long, void* ptr) {
    switch (cmd) {
        case BIO_CTRL_FLUSH:  // unbuffered: nothing to flush
            return 1;
        case BIO_C_GET_FD: {  // SSL_get_fd
            const int fd = static_cast<int>(reinterpret_cast<std::intptr_t>(BIO_get_data(bio)));
            if (ptr != nullptr) *static_cast<int*>(ptr) = fd;
            return fd;
        }
        default:
            return 0;
    }
}

int sockCreate(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

const BIO_METHOD* socketMethod() {
    static BIO_METHOD* const method = [] {
        BIO_METHOD* m = BIO_meth_new(
            BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "keyport socket");
        if (m == nullptr || BIO_meth_set_write_ex(m, sockWrite) != 1 ||
            BIO_meth_set_read_ex(m, sockRead) != 1 || BIO_meth_set_ctrl(m, sockCtrl) != 1 ||
            BIO_meth_set_create(m, sockCreate) != 1) {
            throw std::runtime_error("TLS: BIO_meth_new failed (" + drainErrors() + ")");
        }
        return m;
    }();
    return method;
}

}  // namespace

struct TlsContext::Impl {
    SSL_CTX* ctx = nullptr;
    ~Impl() { SSL_CTX_free(ctx); }
};

TlsContext::TlsContext(const TlsConfig& config) : impl_(std::make_unique<Impl>()) {
    ERR_clear_error();
    constexpr const char* kCert = "server.tls.cert_file";
    constexpr const char* kKey = "server.tls.key_file";
    constexpr const char* kCa = "server.tls.client_ca_file";
    requireFile(kCert, config.certFile);
    requireFile(kKey, config.keyFile);
    requirePrivate(kKey, config.keyFile);

    SSL_CTX* ctx = impl_->ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) throw ConfigError("TLS: SSL_CTX_new failed (" + drainErrors() + ")");
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
        SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1 ||
        SSL_CTX_set1_groups_list(ctx, kGroups) != 1) {
        throw ConfigError("TLS: the protocol and cipher settings were refused (" + drainErrors() +
                          ")");
    }
    // Server order decides; no compression (CRIME); no renegotiation of either side; an
    // EOF without close_notify is an ordinary close (HTTP framing, not the TLS close,
    // tells a complete request, so truncation cannot pass as one); decrypted records are
    // wiped once read (request bodies carry secrets and data keys in plaintext).
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION |
                                 SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
                                 SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_CLEANSE_PLAINTEXT);
    // No session resumption at all: no tickets (a ticket key that lives as long as the
    // process would undo forward secrecy for every session it ever sealed) and no
    // session cache (resumed sessions would also skip the client-certificate check's
    // fresh verification). A full ECDHE handshake costs well under a millisecond.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    // Non-blocking writes: return after each record, accept a retry from another address;
    // idle connections give their read/write buffers back.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_alpn_select_cb(ctx, selectAlpn, nullptr);

    if (SSL_CTX_use_certificate_chain_file(ctx, config.certFile.c_str()) != 1)
        fail(kCert, "cannot load the certificate chain from " + config.certFile.string());
    // SSL_CTX_use_PrivateKey_file already refuses a key that does not match the loaded
    // certificate (X509_R_KEY_VALUES_MISMATCH); SSL_CTX_check_private_key is the catch-all.
    if (SSL_CTX_use_PrivateKey_file(ctx, config.keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
        const unsigned long e = ERR_peek_last_error();
        if (ERR_GET_LIB(e) == ERR_LIB_X509 && ERR_GET_REASON(e) == X509_R_KEY_VALUES_MISMATCH) {
            fail(kKey, config.keyFile.string() + " is not the key of server.tls.cert_file " +
                           config.certFile.string());
        }
        fail(kKey, "cannot load the private key from " + config.keyFile.string());
    }
    if (SSL_CTX_check_private_key(ctx) != 1)
        fail(kKey, config.keyFile.string() + " is not the key of server.tls.cert_file " +
                       config.certFile.string());

    if (!config.clientCaFile.empty()) {
        requireFile(kCa, config.clientCaFile);
        if (SSL_CTX_load_verify_locations(ctx, config.clientCaFile.c_str(), nullptr) != 1)
            fail(kCa, "cannot load CA certificates from " + config.clientCaFile.string());
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.clientCaFile.c_str());
        if (names == nullptr) fail(kCa, "no CA certificate in " + config.clientCaFile.string());
        SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        SSL_CTX_set_verify_depth(ctx, 4);
    }
    ERR_clear_error();
}

TlsContext::~TlsContext() = default;

std::unique_ptr<Transport> TlsContext::accept(int fd) const {
    ERR_clear_error();
    SSL* ssl = SSL_new(impl_->ctx);
    BIO* bio = ssl ? BIO_new(socketMethod()) : nullptr;
    if (bio == nullptr) {
        SSL_free(ssl);
        throw std::runtime_error("TLS: SSL_new/BIO_new failed (" + drainErrors() + ")");
    }
    BIO_set_data(bio, reinterpret_cast<void*>(static_cast<std::intptr_t>(fd)));
    SSL_set_bio(ssl, bio, bio);  // the session owns the BIO (one reference for both ends)
    SSL_set_accept_state(ssl);
    return tlsTransport(ssl);
}

std::string TlsContext::describePeer(const Transport& transport) {
    const std::string subject = transport.peerSubject();
    return subject.empty() ? std::string{} : "keyportd: mTLS client " + printable(subject);
}

}  // namespace keyport::api::front
