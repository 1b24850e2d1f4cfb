// Ciphertext: the opaque cipher_text of encrypt-data and of data keys. It names the key,
// so decryption needs only the ciphertext:
//   version(1) | key id (36 ASCII) | IV (12) | AES-256-GCM ciphertext || tag (16)   v1, AES
//   version(1) | key id (36 ASCII) | RSA-OAEP block                                  v2, RSA
// The version and key id, then the caller's encryption context if any (Exoscale), are the
// GCM associated data; the context is not stored, the caller gives it again to decrypt.
#pragma once

#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport {

struct Ciphertext {
    static constexpr std::uint8_t kAesGcm = 1;
    static constexpr std::uint8_t kRsaOaepSha256 = 2;
    static constexpr std::uint8_t kRsaOaepSha1 = 3;
    static constexpr std::size_t kIvSize = 12;
    static constexpr std::size_t kTagSize = 16;

    std::uint8_t version = kAesGcm;
    std::string keyId;
    hsm::Bytes iv;       // v1 only
    hsm::Bytes payload;  // GCM ciphertext||tag, or the RSA block
    hsm::Bytes context;  // caller's encryption context (not encoded)

    hsm::Bytes encode() const;
    hsm::Bytes associatedData() const;
    static std::optional<Ciphertext> decode(hsm::ByteView bytes);
};

}  // namespace keyport
