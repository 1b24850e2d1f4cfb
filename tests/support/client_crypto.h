// Client-side cryptography for the e2e tests, done with OpenSSL the way a customer would:
// generate keys, wrap them for import, verify signatures against published public keys.
#pragma once

#include <optional>
#include <string>

#include "hsm/bytes.h"
#include "hsm/openssl_util.h"
#include "tools/client/byok_wrap.h"

namespace keyport::test {

struct ClientKey {
    hsm::ossl::PKey key;
    hsm::Bytes pkcs8;  // DER PrivateKeyInfo
};

// spec: RSA_2048 / RSA_3072 / RSA_4096 / EC_P256 / EC_P384 (EC P-256K etc. for bad input)
ClientKey generateKey(const std::string& spec);
// The same wrapping the keyport CLI does (tools/client): OpenSSL, on the client.
using client::kwpWrap;
using client::oaepEncrypt;
hsm::Bytes randomBytes(std::size_t n);
hsm::Bytes sha(const std::string& name, const hsm::Bytes& data);  // "SHA256", ...

// Verifies with a PEM public key as get-publickey returns it. scheme: "PSS", "PKCS1",
// "ECDSA"; md: "SHA256"...; `isDigest`: message is already the digest.
bool verifySignature(const std::string& pem, const std::string& scheme, const std::string& md,
                     const hsm::Bytes& message, const hsm::Bytes& signature, bool isDigest);
bool verifySignatureSpki(const hsm::Bytes& spkiDer, const std::string& scheme,
                         const std::string& md, const hsm::Bytes& message,
                         const hsm::Bytes& signature, bool isDigest);
// AES-GCM with a 16-byte tag appended to the ciphertext (as PKCS#11 CKM_AES_GCM returns it).
hsm::Bytes aesGcmEncrypt(const hsm::Bytes& key, const hsm::Bytes& iv, const hsm::Bytes& aad,
                         const hsm::Bytes& plain);
std::optional<hsm::Bytes> aesGcmDecrypt(const hsm::Bytes& key, const hsm::Bytes& iv,
                                        const hsm::Bytes& aad, const hsm::Bytes& ctAndTag);
// HMAC with OpenSSL; md: "SHA256", "SHA384", "SHA512".
hsm::Bytes hmac(const std::string& md, const hsm::Bytes& key, const hsm::Bytes& message);
// ECDH on the client: our private key with the peer's DER SPKI public key (raw x-coordinate).
hsm::Bytes ecdh(const ClientKey& mine, const hsm::Bytes& peerSpki);
// The DER SPKI of the public half of a DER PKCS#8 private key.
hsm::Bytes spkiOfPkcs8(const hsm::Bytes& pkcs8);
// A PEM or DER (SPKI) public key as DER SPKI.
hsm::Bytes pemToSpki(const std::string& pem);
// The DER SPKI of a key (to compare with get-publickey).
hsm::Bytes spkiOf(const ClientKey& k);

std::string b64(const hsm::Bytes& b);
std::string hex(const hsm::Bytes& b);
hsm::Bytes unb64(const std::string& s);
hsm::Bytes bytes(const std::string& s);

}  // namespace keyport::test
