// PublicCrypto: operations that need only a key's public half (verify, RSA-OAEP encrypt,
// PEM export), done on the host with OpenSSL from the stored DER SubjectPublicKeyInfo.
#pragma once

#include <optional>
#include <string>

#include "hsm/bytes.h"
#include "hsm/key_policies.h"
#include "hsm/mechanism.h"
#include "service/core/base/key_types.h"

namespace keyport {

bool verifyDigest(hsm::ByteView spki, SigningAlgorithm algorithm, hsm::ByteView digest,
                  hsm::ByteView signature);
hsm::Bytes rsaOaepEncrypt(hsm::ByteView spki, hsm::Hash hash, hsm::ByteView plaintext);
std::string spkiToPem(hsm::ByteView spki);
hsm::Bytes digest(hsm::Hash hash, hsm::ByteView message);
// The uncompressed point (04 || x || y) of a DER SPKI EC public key on `curve`; nullopt when
// `spki` is not that (not DER, another key type or curve, or a point off the curve).
std::optional<hsm::Bytes> ecPublicPoint(hsm::ByteView spki, hsm::Curve curve);
// ECDSA r||s (as PKCS#11 returns it) to the DER SEQUENCE clients expect.
hsm::Bytes ecdsaRawToDer(hsm::ByteView raw);

}  // namespace keyport
