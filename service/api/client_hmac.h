// HMAC-SHA256 on the host, for the client side of the request signatures only (keyport CLI,
// tests). The server never holds a secret key in the clear: it checks signatures on-token.
#pragma once

#include <string_view>

#include "hsm/bytes.h"

namespace keyport::api {

hsm::Bytes clientHmacSha256(std::string_view key, std::string_view message);

}  // namespace keyport::api
