// KeyAccessToken: a bearer token bound to one key — an access token (for the key's crypto)
// or a refresh token (for new tokens) of the key's project and region, valid until its
// expiry or without end — authenticated with HMAC-SHA256 computed and checked on-token with
// the region's MAC key. Nothing about a token is stored, so no token can be listed or leak
// from the database; one dies at its expiry, with its key, or when the region is re-provisioned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/core/tokens/region_tokens.h"

namespace keyport {

struct KeyAccessToken {
    enum class Kind : std::uint8_t { Access = 1, Refresh = 2 };

    Kind kind = Kind::Access;
    std::string domainId;
    std::string projectId;
    std::string region;
    std::string keyTag;
    std::int64_t issuedAt = 0;              // epoch seconds
    std::optional<std::int64_t> expiresAt;  // epoch seconds; none: no end

    // "kpkt1." + base64 of version, claims, a random nonce and the on-token MAC.
    std::string issue(Region& issuer) const;
    // Decodes, finds the region it names and checks its MAC there. Throws
    // Error(Unauthorized) for anything malformed, unknown or not made by that region's MAC
    // key; expiry and binding are the caller's checks.
    static KeyAccessToken verify(RegionTokens& regions, std::string_view text);
};

}  // namespace keyport
