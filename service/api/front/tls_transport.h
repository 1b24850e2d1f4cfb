// TlsTransport: one accepted connection's TLS session (OpenSSL SSL object) over its
// non-blocking fd, as a Transport. Made by TlsContext::accept.
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "service/api/front/transport.h"

namespace keyport::api::front {

// Takes ownership of `ssl`, which is already bound to the fd in server (accept) state.
std::unique_ptr<Transport> tlsTransport(SSL* ssl);

}  // namespace keyport::api::front
