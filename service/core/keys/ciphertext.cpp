#include "service/core/keys/ciphertext.h"

#include <algorithm>

#include "service/core/base/encoding.h"

namespace keyport {

hsm::Bytes Ciphertext::associatedData() const {
    hsm::Bytes aad(1 + keyId.size());
    aad[0] = version;
    std::copy(keyId.begin(), keyId.end(), aad.begin() + 1);
    aad.insert(aad.end(), context.begin(), context.end());
    return aad;
}

hsm::Bytes Ciphertext::encode() const {
    hsm::Bytes out(1 + keyId.size());  // version and key id; the context is not stored
    out[0] = version;
    std::copy(keyId.begin(), keyId.end(), out.begin() + 1);
    out.insert(out.end(), iv.begin(), iv.end());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

std::optional<Ciphertext> Ciphertext::decode(hsm::ByteView b) {
    if (b.size() < 1 + 36) return std::nullopt;
    Ciphertext c;
    c.version = b[0];
    c.keyId.assign(reinterpret_cast<const char*>(b.data() + 1), 36);
    if (!isUuid(c.keyId)) return std::nullopt;
    auto rest = b.subspan(37);
    if (c.version == kAesGcm) {
        if (rest.size() < kIvSize + kTagSize) return std::nullopt;
        c.iv.assign(rest.begin(), rest.begin() + kIvSize);
        c.payload.assign(rest.begin() + kIvSize, rest.end());
    } else if (c.version == kRsaOaepSha256 || c.version == kRsaOaepSha1) {
        if (rest.empty()) return std::nullopt;
        c.payload.assign(rest.begin(), rest.end());
    } else {
        return std::nullopt;
    }
    return c;
}

}  // namespace keyport
