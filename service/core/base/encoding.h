// Text encodings of bytes used across Keyport (strict base64, lowercase hex) and fresh
// random identifiers (UUID v4).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hsm/bytes.h"

namespace keyport {

std::string base64Encode(hsm::ByteView bytes);
// Strict: standard alphabet, '=' padding, no whitespace; std::nullopt otherwise.
std::optional<hsm::Bytes> base64Decode(std::string_view text);
// The same, for secrets arriving in a request body (plaintext, secret_binary).
std::optional<hsm::SecretBytes> base64DecodeSecret(std::string_view text);
std::string hexEncode(hsm::ByteView bytes);
std::optional<hsm::Bytes> hexDecode(std::string_view text);
std::optional<hsm::SecretBytes> hexDecodeSecret(std::string_view text);
// Random (RAND_bytes) UUID v4 in lowercase, 36 characters.
std::string newUuid();
bool isUuid(std::string_view s);

}  // namespace keyport
