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

#include "hsm/bytes.h"
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
    // The same against one region: refused unless the token names `issuer` and its MAC key
    // made it.
    static KeyAccessToken verifyIn(Region& issuer, std::string_view text);

    // verify's host-side steps, apart so they can be tested and fuzzed without a token.
    // The claims are read before the MAC is checked (they name the region whose MAC key
    // checks it), so parseBody must refuse anything malformed by itself. Both throw
    // Error(Unauthorized). The text → bytes long enough for a body and its MAC (the last
    // kMacSize bytes):
    static constexpr std::size_t kMacSize = 32;
    static hsm::Bytes decodeText(std::string_view text);
    // The body (without the MAC) → claims.
    static KeyAccessToken parseBody(hsm::ByteView body);
};

}  // namespace keyport
