// TransferBlob: one secret key on its way from one region token to another without ever
// being plaintext on the host (DESIGN.md, Replication): the key wrapped (AES-KWP) under an
// ephemeral AES-256 key, and that key wrapped (RSA-OAEP) to the target region's transport
// public key. Versioned, so a region can later live on another keyportd.
#pragma once

#include <cstdint>
#include <optional>

#include "hsm/bytes.h"
#include "hsm/session.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct TransferBlob {
    static constexpr std::uint8_t kVersion1 = 1;
    // v1: version(1) | oaep hash (1: SHA-1, 2: SHA-256) | CK_KEY_TYPE (4, big endian) |
    //     length of wrappedEphemeral (2, big endian) | wrappedEphemeral | wrappedKey
    hsm::Hash oaepHash = hsm::Hash::Sha1;
    CK_KEY_TYPE keyType = CKK_AES;
    hsm::Bytes wrappedEphemeral;  // RSA-OAEP under the target's transport public key
    hsm::Bytes wrappedKey;        // AES-KWP under the ephemeral key

    hsm::Bytes encode() const;
    static std::optional<TransferBlob> decode(hsm::ByteView b);
};

// On the source token: wraps `key` (extractable) for `target`. SHA-256 OAEP when both tokens
// can do it, SHA-1 otherwise. The ephemeral key and the peer public key object are
// destroyed before returning.
TransferBlob exportKey(Region& source, hsm::Session& session, hsm::ObjectHandle key,
                       CK_KEY_TYPE keyType, Region& target);
// On the target token: the key as a session object with `tmpl` (an unwrap template: no
// CKA_VALUE_LEN).
hsm::ObjectHandle importKey(Region& target, hsm::Session& session, const TransferBlob& blob,
                            const hsm::AttributeTemplate& tmpl);

}  // namespace keyport
