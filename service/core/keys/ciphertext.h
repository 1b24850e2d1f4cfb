// Ciphertext: the opaque cipher_text of encrypt-data and of data keys. It names the key and,
// for AES, the key's material version that made it, so decryption needs only the ciphertext
// and keeps working after the key is rotated:
//   format(1)=4 | key id (36 ASCII) | material version (4, big endian) | IV (12) |
//       AES-256-GCM ciphertext || tag (16)                                    AES, current
//   format(1)=1 | key id (36 ASCII) | IV (12) | AES-256-GCM ciphertext || tag AES, before
//       key rotation existed: read as material version 1, never written any more
//   format(1)=2|3 | key id (36 ASCII) | RSA-OAEP block (SHA-256 | SHA-1)      RSA (not rotated)
// The GCM associated data is the format byte and key id, then (format 4) the material
// version, then the caller's encryption context if any; the context is not stored, the
// caller gives it again to decrypt. Binding the version means a ciphertext cannot be moved
// to another version of the same key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport {

struct Ciphertext {
    static constexpr std::uint8_t kAesGcm = 1;  // read only: material version 1
    static constexpr std::uint8_t kRsaOaepSha256 = 2;
    static constexpr std::uint8_t kRsaOaepSha1 = 3;
    static constexpr std::uint8_t kAesGcmVersioned = 4;
    static constexpr std::size_t kIvSize = 12;
    static constexpr std::size_t kTagSize = 16;

    std::uint8_t version = kAesGcmVersioned;  // the format
    std::string keyId;
    std::uint32_t materialVersion = 1;  // AES: the key material that made it (format 1: 1)
    hsm::Bytes iv;                      // AES only
    hsm::Bytes payload;                 // GCM ciphertext||tag, or the RSA block
    hsm::Bytes context;                 // caller's encryption context (not encoded)

    bool isAes() const { return version == kAesGcm || version == kAesGcmVersioned; }
    hsm::Bytes encode() const;
    hsm::Bytes associatedData() const;
    static std::optional<Ciphertext> decode(hsm::ByteView bytes);
};

}  // namespace keyport
