// Exoscale request authentication: `EXO2-HMAC-SHA256` (API.md §3) checked on-token with the
// credential's secret key, or X-Auth-Token; an expired signature, or one that expires too far
// ahead, is refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "service/api/authenticator.h"
#include "service/api/http.h"

namespace keyport::api::exoscale {

struct Exo2Authorization {
    std::string credential;
    std::vector<std::string> signedQueryArgs;
    std::int64_t expires = 0;
    std::string signatureB64;
};

std::optional<Exo2Authorization> parseExo2(std::string_view header);
// METHOD /path\n<body>\n<values of the signed query args, sorted by name>\n\n<expires>
std::string exo2Message(const Request& req, const std::vector<std::string>& signedQueryArgs,
                        std::int64_t expires);

// Throws AuthError unless now <= expires <= now + maxLifetimeSeconds: a signature that is
// valid for years is a replayable credential (config exoscale.signature_max_lifetime_seconds).
void checkExpires(std::int64_t expires, std::int64_t now, std::int64_t maxLifetimeSeconds);

Principal authenticate(const Request& req, Authenticator& auth, std::int64_t maxLifetimeSeconds);

// Client side (tests, tools): sets Authorization on req.
void sign(Request& req, const std::string& key, const std::string& secret, std::int64_t expires);

}  // namespace keyport::api::exoscale
