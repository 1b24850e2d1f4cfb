// TlsContext: the listener's OpenSSL 3 context from server.tls.* (TLS 1.2 minimum, 1.3
// preferred, AEAD ciphers with forward secrecy only; a client certificate required when
// client_ca_file is set) and the TLS Transport for each accepted socket.
#pragma once

#include <memory>

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

    // A server-side TLS transport over the accepted non-blocking fd (not owned).
    std::unique_ptr<Transport> accept(int fd) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace keyport::api::front
