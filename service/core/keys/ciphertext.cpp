#include "service/core/keys/ciphertext.h"

#include <algorithm>

#include "service/core/base/encoding.h"

namespace keyport {
namespace {

void appendVersion(hsm::Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Format byte and key id, then (format 4) the material version: the head of both the
// encoding and the associated data.
hsm::Bytes head(const Ciphertext& c) {
    hsm::Bytes out(1 + c.keyId.size());
    out[0] = c.version;
    std::copy(c.keyId.begin(), c.keyId.end(), out.begin() + 1);
    if (c.version == Ciphertext::kAesGcmVersioned) appendVersion(out, c.materialVersion);
    return out;
}

}  // namespace

hsm::Bytes Ciphertext::associatedData() const {
    hsm::Bytes aad = head(*this);
    aad.insert(aad.end(), context.begin(), context.end());
    return aad;
}

hsm::Bytes Ciphertext::encode() const {
    hsm::Bytes out = head(*this);  // the context is not stored
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
    if (c.version == kAesGcmVersioned) {
        if (rest.size() < 4) return std::nullopt;
        c.materialVersion = (std::uint32_t{rest[0]} << 24) | (std::uint32_t{rest[1]} << 16) |
                            (std::uint32_t{rest[2]} << 8) | std::uint32_t{rest[3]};
        // Versions start at 1: a zero can only be forged or corrupt.
        if (c.materialVersion == 0) return std::nullopt;
        rest = rest.subspan(4);
    }
    if (c.isAes()) {
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
