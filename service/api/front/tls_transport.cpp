#include "service/api/front/tls_transport.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <cstdio>

#include "service/api/front/tls_context.h"

namespace keyport::api::front {
namespace {

// OpenSSL's error queue is per thread, and a connection moves between the I/O thread and
// the workers: every call starts with an empty queue (SSL_get_error needs that to be
// right) and leaves one, so no failure is blamed on the next connection served there.
class TlsTransport final : public Transport {
  public:
    explicit TlsTransport(SSL* ssl) : ssl_(ssl) {}
    ~TlsTransport() override { SSL_free(ssl_); }
    TlsTransport(const TlsTransport&) = delete;
    TlsTransport& operator=(const TlsTransport&) = delete;

    Io handshake() override {
        ERR_clear_error();
        const int ret = SSL_do_handshake(ssl_);
        if (ret != 1) return failed(ret);
        // SSL_VERIFY_FAIL_IF_NO_PEER_CERT already failed the handshake without a valid
        // client certificate; the check below only keeps an unverified subject out of logs.
        if (X509* peer = SSL_get0_peer_certificate(ssl_);
            peer != nullptr && SSL_get_verify_result(ssl_) == X509_V_OK) {
            subject_ = oneLine(X509_get_subject_name(peer));
            // Mutual TLS: one line per accepted connection says who it is (only a client
            // with a certificate from the configured CA gets this far, so the line cannot
            // be flooded anonymously; printable() keeps the subject to one safe line).
            std::fprintf(stderr, "%s\n", TlsContext::describePeer(*this).c_str());
        }
        return Io::Ok;
    }

    Io read(char* buf, std::size_t cap, std::size_t& done) override {
        done = 0;
        ERR_clear_error();
        if (SSL_read_ex(ssl_, buf, cap, &done) == 1) return Io::Ok;
        return failed(0);
    }

    Io write(const char* buf, std::size_t len, std::size_t& done) override {
        done = 0;
        ERR_clear_error();
        // SSL_MODE_ENABLE_PARTIAL_WRITE: Ok after each record; after WantWrite the caller
        // repeats with the same remaining bytes (SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER lets
        // them live at another address).
        if (SSL_write_ex(ssl_, buf, len, &done) == 1) return Io::Ok;
        return failed(0);
    }

    bool pending() const override { return SSL_pending(ssl_) > 0; }

    void shutdown() override {
        ERR_clear_error();
        // One attempt: sends our close_notify if the socket takes it; the peer's is not
        // awaited (the connection is closed next either way).
        if (SSL_is_init_finished(ssl_)) (void)SSL_shutdown(ssl_);
        ERR_clear_error();
    }

    std::string peerSubject() const override { return subject_; }

  private:
    Io failed(int ret) {
        const int e = SSL_get_error(ssl_, ret);
        ERR_clear_error();
        switch (e) {
            case SSL_ERROR_WANT_READ:
                return Io::WantRead;
            case SSL_ERROR_WANT_WRITE:
                return Io::WantWrite;
            case SSL_ERROR_ZERO_RETURN:
                return Io::Closed;
            default:
                // SSL_ERROR_SSL (alerts, bad records, a refused client certificate, a
                // protocol or cipher below our minimum) and SSL_ERROR_SYSCALL (reset):
                // nothing more can be sent on this session.
                return Io::Error;
        }
    }

    // RFC 2253 one-line form ("CN=alice,O=Lab"); multi-byte and control characters come
    // out escaped by OpenSSL; logs still pass it through printable().
    static std::string oneLine(const X509_NAME* name) {
        BIO* bio = BIO_new(BIO_s_mem());
        if (bio == nullptr) return {};
        std::string out;
        if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0) {
            char* data = nullptr;
            const long n = BIO_get_mem_data(bio, &data);
            if (n > 0) out.assign(data, static_cast<std::size_t>(n));
        }
        BIO_free(bio);
        ERR_clear_error();
        return out;
    }

    SSL* ssl_;
    std::string subject_;
};

}  // namespace

std::unique_ptr<Transport> tlsTransport(SSL* ssl) {
    return std::make_unique<TlsTransport>(ssl);
}

}  // namespace keyport::api::front
