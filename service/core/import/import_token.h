// ImportToken: the opaque import_token of get-parameters-for-import — what it binds (key,
// project, region, wrapping pair, algorithm, validity) and its HMAC-SHA256, computed and
// checked on-token with the region's MAC key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "service/core/base/key_types.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct ImportToken {
    std::string keyId;
    std::string projectId;
    std::string region;
    std::string pairId;
    WrappingAlgorithm algorithm = WrappingAlgorithm::RsaOaepSha256;
    std::int64_t issuedAt = 0;   // epoch seconds
    std::int64_t expiresAt = 0;  // epoch seconds

    // Base64 of version, claims, a random nonce and the on-token MAC (≥ 200 characters).
    std::string issue(Region& issuer) const;
    // Decodes and authenticates; throws Error(ImportTokenInvalid) for anything malformed
    // or not made by this region's MAC key. Validity and binding are the caller's checks.
    static ImportToken verify(Region& issuer, std::string_view text);

    // verify's host-side steps, apart so they can be tested and fuzzed without a token.
    // Both throw Error(ImportTokenInvalid). The base64 text → bytes long enough for a body
    // and its MAC (the last kMacSize bytes):
    static constexpr std::size_t kMacSize = 32;
    static hsm::Bytes decodeText(std::string_view text);
    // The MAC-checked body → claims.
    static ImportToken parseBody(hsm::ByteView body);
};

}  // namespace keyport
