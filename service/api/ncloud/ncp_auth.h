// NAVER Cloud request authentication: signature v2 (API.md §4) — x-ncp-apigw-timestamp (ms),
// x-ncp-iam-access-key and x-ncp-apigw-signature-v2, checked on-token, 5-minute skew — or
// X-Auth-Token.
#pragma once

#include <string>

#include "service/api/authenticator.h"
#include "service/api/http.h"

namespace keyport::api::ncloud {

// METHOD + " " + path?query + "\n" + timestamp + "\n" + accessKey
std::string signatureMessage(const Request& req, const std::string& timestampMs,
                             const std::string& accessKey);

Principal authenticate(const Request& req, Authenticator& auth);

// Client side (tests): adds the three headers to req.
void sign(Request& req, const std::string& accessKey, const std::string& secretKey,
          std::int64_t nowMs);

}  // namespace keyport::api::ncloud
