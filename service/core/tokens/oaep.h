// RSAES-OAEP decoding (RFC 8017 §7.1.2) of a raw RSA block, for the host-assisted import
// path only: on tokens without OAEP-SHA-256 the token does raw RSA and the host removes
// the padding in locked, zeroised memory.
#pragma once

#include <optional>

#include "hsm/bytes.h"
#include "hsm/mechanism.h"

namespace keyport {

// `block` is the k-byte output of raw RSA; returns the message or std::nullopt when the
// padding is invalid (one failure for every cause).
std::optional<hsm::SecretBytes> oaepDecode(hsm::ByteView block, hsm::Hash hash);

}  // namespace keyport
