// Exoscale request authentication: `EXO2-HMAC-SHA256` (API.md §3) checked on-token with the
// credential's secret key, or X-Auth-Token; an expired signature is refused.
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

Principal authenticate(const Request& req, Authenticator& auth);

// Client side (tests, tools): sets Authorization on req.
void sign(Request& req, const std::string& key, const std::string& secret, std::int64_t expires);

}  // namespace keyport::api::exoscale
