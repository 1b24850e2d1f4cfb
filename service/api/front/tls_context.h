// TlsContext: the listener's OpenSSL 3 context from server.tls.* (TLS 1.2 minimum, 1.3
// preferred, AEAD ciphers with forward secrecy only; a client certificate required when
// client_ca_file is set; no session resumption) and the TLS Transport for each accepted
// socket. Built over OpenSSL's SSL_* API so the event loop drives every step non-blocking.
#pragma once

#include <memory>
#include <string>

#include "service/api/front/transport.h"
#include "service/core/base/config.h"

namespace keyport::api::front {

class TlsContext {
  public:
    // Throws ConfigError naming the key when a file is missing, unreadable or the key
    // does not match the certificate.
    explicit TlsContext(const TlsConfig& config);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    // A server-side TLS transport over the accepted non-blocking fd (not owned); drive
    // handshake() until Ok before read/write. Throws std::runtime_error when OpenSSL
    // cannot allocate the session.
    std::unique_ptr<Transport> accept(int fd) const;

    // The log line for a mutual-TLS connection once its handshake is done:
    // "keyportd: mTLS client <printable(subject)>", or empty without a client certificate.
    // The TLS transport writes it to stderr itself when its handshake completes.
    static std::string describePeer(const Transport& transport);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace keyport::api::front
