#include "service/api/huawei/kms_auth.h"

#include <algorithm>

#include "service/api/huawei/sdk_hmac.h"

namespace keyport::api::huawei {
namespace {

constexpr std::int64_t kSkewSeconds = 15 * 60;

Principal bySdkSignature(const Request& req, std::string_view authorization, Authenticator& auth) {
    const auto a = parseAuthorization(authorization);
    if (!a) {
        throw AuthError(
            AuthFailure::Invalid,
            "Authorization must be 'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, "
            "Signature=<hex>'");
    }
    const auto date = req.header("X-Sdk-Date");
    if (!date) throw AuthError(AuthFailure::Invalid, "X-Sdk-Date is required with SDK-HMAC-SHA256");
    if (std::find(a->signedHeaders.begin(), a->signedHeaders.end(), "x-sdk-date") ==
        a->signedHeaders.end()) {
        throw AuthError(AuthFailure::Invalid, "X-Sdk-Date must be one of the SignedHeaders");
    }
    const auto when = parseSdkDate(*date);
    if (!when) throw AuthError(AuthFailure::Invalid, "X-Sdk-Date must be YYYYMMDDTHHMMSSZ");
    auth.checkSkew(*when, kSkewSeconds);
    const std::string message =
        stringToSign(canonicalRequest(req, a->signedHeaders), std::string(*date));
    return auth.bySignature(a->accessKey, hsm::asBytes(message), a->signature);
}

}  // namespace

Principal authenticate(const Request& req, Authenticator& auth) {
    if (auto token = req.header("X-Auth-Token")) return auth.byToken(*token);
    if (auto authorization = req.header("Authorization"))
        return bySdkSignature(req, *authorization, auth);
    throw AuthError(AuthFailure::Missing,
                    "X-Auth-Token or an SDK-HMAC-SHA256 Authorization header is required");
}

}  // namespace keyport::api::huawei
