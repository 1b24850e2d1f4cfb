// CryptoService: cryptographic operations with customer keys — encrypt/decrypt data,
// data keys, sign/verify, public key, random — each on the key's usable session copy.
#pragma once

#include <optional>
#include <string>

#include "service/core/keys/key_service.h"
#include "service/core/tokens/key_material.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct Decrypted {
    std::string keyId;
    hsm::SecretBytes plaintext;
};

// What re-encrypt asks: the ciphertext with what opens it, and the key, algorithm and
// binding of the ciphertext to make.
struct ReEncryptRequest {
    hsm::ByteView ciphertext;
    hsm::ByteView sourceContext;
    std::optional<std::string> sourceKeyId;  // when given, the ciphertext's key (or member)
    std::optional<EncryptionAlgorithm> sourceAlgorithm;  // when given, the ciphertext's
    std::string destinationKeyId;
    EncryptionAlgorithm destinationAlgorithm = EncryptionAlgorithm::SymmetricDefault;
    hsm::ByteView destinationContext;
};

struct ReEncrypted {
    std::string sourceKeyId;  // the key that opened it, in the caller's project
    EncryptionAlgorithm sourceAlgorithm;
    std::string keyId;  // the destination key
    EncryptionAlgorithm algorithm;
    hsm::Bytes ciphertext;
};

struct DataKey {
    std::string keyId;
    hsm::SecretBytes plaintext;  // empty for create-datakey-without-plaintext
    hsm::Bytes ciphertext;
};

class CryptoService {
  public:
    CryptoService(KeyService& keys, RegionTokens& regions, KeyMaterial& material);

    // Returns the encoded Ciphertext.
    // `context`: extra associated data (AES only), needed again to decrypt. A convergent
    // key requires it and encrypts deterministically (convergent_iv.h).
    hsm::Bytes encrypt(const ProjectScope& scope, const std::string& keyId, hsm::ByteView plaintext,
                       EncryptionAlgorithm algorithm, hsm::ByteView context = {});
    Decrypted decrypt(const ProjectScope& scope, hsm::ByteView ciphertext,
                      hsm::ByteView context = {});

    // Decrypts under the ciphertext's key and encrypts under the destination key (its
    // current material version); the plaintext stays in SecretBytes between the two. Errors
    // name the source or destination inputs.
    ReEncrypted reEncrypt(const ProjectScope& scope, const ReEncryptRequest& r);

    // The data key is `bytes` random bytes from the token, encrypted under the key with
    // `algorithm` (the symmetric default: an AES key; RSA-OAEP: an RSA key, no context).
    DataKey createDataKey(const ProjectScope& scope, const std::string& keyId, std::size_t bytes,
                          bool withPlaintext, hsm::ByteView context = {},
                          EncryptionAlgorithm algorithm = EncryptionAlgorithm::SymmetricDefault);

    hsm::Bytes sign(const ProjectScope& scope, const std::string& keyId, hsm::ByteView message,
                    SigningAlgorithm algorithm, MessageType type);  // ECDSA as DER
    bool verify(const ProjectScope& scope, const std::string& keyId, hsm::ByteView message,
                hsm::ByteView signature, SigningAlgorithm algorithm, MessageType type);
    hsm::Bytes publicKey(const ProjectScope& scope, const std::string& keyId);  // DER SPKI
    hsm::Bytes random(const ProjectScope& scope, std::size_t bytes);

  private:
    // The session copy of the material version a ciphertext names.
    std::shared_ptr<OpenKey> openMaterialVersion(const KeyRecord& k, std::uint32_t version);

    KeyService& keys_;
    RegionTokens& regions_;
    KeyMaterial& material_;
};

}  // namespace keyport
