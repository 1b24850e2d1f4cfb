#include "service/api/client_hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace keyport::api {

hsm::Bytes clientHmacSha256(std::string_view key, std::string_view message) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &n);
    return hsm::Bytes(mac, mac + n);
}

}  // namespace keyport::api
