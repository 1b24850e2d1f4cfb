// The BYOK steps a client performs, over HTTP with OpenSSL: fetch parameters, wrap,
// import — shared by the import, durability and bad-input tests.
#pragma once

#include <optional>
#include <string>

#include "tests/e2e/kms_client.h"
#include "tests/support/client_crypto.h"

namespace keyport::test {

struct ImportParams {
    std::string importToken;
    hsm::Bytes publicKey;  // DER SPKI
    std::int64_t expiresAt = 0;
};

ImportParams getParams(const KmsClient& c, const std::string& keyId,
                       const std::string& algorithm = "RSAES_OAEP_SHA_1",
                       const std::string& wrappingSpec = "RSA_2048");

// The import-key-material body for raw symmetric material or a PKCS#8 private key.
std::string importBody(const std::string& keyId, const ImportParams& p, const hsm::Bytes& material,
                       const std::optional<hsm::Bytes>& pkcs8, bool sha256,
                       const std::optional<std::int64_t>& expiration = std::nullopt);

// create-key(external) + params + wrap + import; returns the key id. Throws unless 200.
std::string importKey(const KmsClient& c, const std::string& alias, const std::string& spec,
                      const std::string& usage, const hsm::Bytes& material,
                      const std::optional<hsm::Bytes>& pkcs8,
                      const std::string& algorithm = "RSAES_OAEP_SHA_1");

std::int64_t nowSeconds();

}  // namespace keyport::test
