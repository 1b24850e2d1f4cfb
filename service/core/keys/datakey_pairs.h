// DataKeyPairs: asymmetric data key pairs (create-rsa-datakey-pair, create-ec-datakey-pair).
// The pair is generated on the CMK's token; its PKCS#8 private key is returned encrypted
// under the AES CMK as an ordinary Keyport ciphertext (decrypt-data opens it, with the same
// associated data), and in plaintext only when the caller asks for it.
#pragma once

#include <string>

#include "hsm/bytes.h"
#include "service/core/keys/crypto_service.h"
#include "service/core/keys/key_service.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct DataKeyPair {
    std::string keyId;                  // the CMK
    hsm::Bytes publicSpki;              // DER SubjectPublicKeyInfo
    hsm::Bytes privateCiphertext;       // Ciphertext (v1) of the DER PKCS#8 private key
    hsm::SecretBytes privatePlaintext;  // the PKCS#8, only when asked for
};

class DataKeyPairs {
  public:
    DataKeyPairs(KeyService& keys, RegionTokens& regions, CryptoService& crypto);

    // `pairSpec`: RSA_2048/3072/4096 or EC_P256/P384; `context` binds the ciphertext.
    DataKeyPair create(const ProjectScope& scope, const std::string& cmkId, KeySpec pairSpec,
                       bool withPlaintext, hsm::ByteView context);

  private:
    KeyService& keys_;
    RegionTokens& regions_;
    CryptoService& crypto_;
};

}  // namespace keyport
