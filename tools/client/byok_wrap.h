// Client-side BYOK wrapping with OpenSSL, as a customer does it before import-key-material:
// RSA-OAEP to the import public key, and for private keys an ephemeral AES-256 key that
// wraps the PKCS#8 with AES-KWP (RFC 5649). Shared by `keyport wrap`/`import` and the tests.
#pragma once

#include <optional>
#include <string>

#include "hsm/bytes.h"

namespace keyport::client {

// RSA-OAEP with SHA-1 or SHA-256 (OAEP and MGF1 hash alike) to a DER SPKI.
hsm::Bytes oaepEncrypt(const hsm::Bytes& spkiDer, const hsm::Bytes& data, bool sha256);
// RFC 5649 AES key wrap with padding; kek is 16, 24 or 32 bytes.
hsm::Bytes kwpWrap(const hsm::Bytes& kek, const hsm::Bytes& data);

struct WrappedImport {
    hsm::Bytes encryptedKeyMaterial;                // OAEP(material) or OAEP(ephemeral AES key)
    std::optional<hsm::Bytes> encryptedPrivateKey;  // KWP(ephemeral, PKCS#8), private keys only
};

WrappedImport wrapSymmetric(const hsm::Bytes& importPublicKey, bool sha256,
                            const hsm::Bytes& material);
WrappedImport wrapPrivateKey(const hsm::Bytes& importPublicKey, bool sha256,
                             const hsm::Bytes& pkcs8Der);

// "RSAES_OAEP_SHA_256" → true, "RSAES_OAEP_SHA_1" → false, anything else throws.
bool isSha256Algorithm(const std::string& wrappingAlgorithm);

// A PEM private key file (PKCS#8, PKCS#1 or SEC1) → DER PKCS#8 PrivateKeyInfo.
hsm::Bytes readPrivateKeyPkcs8(const std::string& pemFile);
// The Huawei key_spec of a PKCS#8 private key: RSA_2048/3072/4096, EC_P256/EC_P384; throws
// for anything else.
std::string keySpecOf(const hsm::Bytes& pkcs8Der);
// The import public key as given: base64 DER (what get-parameters-for-import returns), or a
// file holding that, or a PEM public key.
hsm::Bytes readPublicKey(const std::string& base64OrFile);

}  // namespace keyport::client
