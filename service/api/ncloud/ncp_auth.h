// NAVER Cloud request authentication: signature v2 (API.md §4) — x-ncp-apigw-timestamp (ms),
// x-ncp-iam-access-key and x-ncp-apigw-signature-v2, checked on-token, 5-minute skew — or
// X-Auth-Token; and NAVER's token auth, x-ncp-ocapi-token (pages security-kms2-token-*):
// a key token (core KeyAccessToken) that stands for the account on one key's routes.
#pragma once

#include <string>

#include "service/api/authenticator.h"
#include "service/api/http.h"
#include "service/core/services.h"
#include "service/core/tenancy/key_access_token.h"

namespace keyport::api::ncloud {

// METHOD + " " + path?query + "\n" + timestamp + "\n" + accessKey
std::string signatureMessage(const Request& req, const std::string& timestampMs,
                             const std::string& accessKey);

Principal authenticate(const Request& req, Authenticator& auth);

// Which key token a route takes in x-ncp-ocapi-token: an access token on the crypto routes
// (encrypt, decrypt, create-custom-key, re-encrypt, sign, verify, get-pub-key), a refresh token on
// renew-token-set and create-access-token, none elsewhere.
enum class TokenUse { None, Access, Refresh };
TokenUse tokenUse(const std::string& method, const std::string& routePath);
// True when the request authenticates with x-ncp-ocapi-token alone.
bool usesKeyToken(const Request& req);
// The request's key token, checked: authentic, of `use`'s kind, unexpired, of a live
// project, and bound to the {keyTag} of the path (another key's tag: KeyNotFound).
KeyAccessToken keyToken(const Request& req, Services& services, TokenUse use, std::int64_t now);

// Client side (tests): adds the three headers to req.
void sign(Request& req, const std::string& accessKey, const std::string& secretKey,
          std::int64_t nowMs);

}  // namespace keyport::api::ncloud
