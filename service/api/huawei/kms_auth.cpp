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

// The services whose names Huawei's SDKs put in a derived credential scope for these routes
// (KmsClient / CsmsClient are built with withDerivedAuthServiceName("kms") / ("csms")).
bool servedService(std::string_view s) {
    return s == "kms" || s == "csms";
}

// V11-HMAC-SHA256 (DerivedAKSKSigner): the canonical request of SDK-HMAC-SHA256, a string to
// sign that adds the scope "date/region/service", and a key derived from the SK for that
// scope (HKDF-SHA256, salt AK), all checked on-token. The scope's date must be the request's
// date; its region, when the path names a project, that project's region.
Principal byDerivedSignature(const Request& req, std::string_view authorization,
                             Authenticator& auth) {
    const auto a = parseDerivedAuthorization(authorization);
    if (!a) {
        throw AuthError(AuthFailure::Invalid,
                        "Authorization must be 'V11-HMAC-SHA256 Credential=<AK>/<YYYYMMDD>/"
                        "<region>/<service>, SignedHeaders=<h1;h2>, Signature=<hex>'");
    }
    const auto date = req.header("X-Sdk-Date");
    if (!date) throw AuthError(AuthFailure::Invalid, "X-Sdk-Date is required with V11-HMAC-SHA256");
    const auto& signedHeaders = a->sdk.signedHeaders;
    if (std::find(signedHeaders.begin(), signedHeaders.end(), "x-sdk-date") == signedHeaders.end())
        throw AuthError(AuthFailure::Invalid, "X-Sdk-Date must be one of the SignedHeaders");
    const auto when = parseSdkDate(*date);
    if (!when) throw AuthError(AuthFailure::Invalid, "X-Sdk-Date must be YYYYMMDDTHHMMSSZ");
    if (date->substr(0, 8) != a->date)
        throw AuthError(AuthFailure::Invalid, "the Credential date must be the X-Sdk-Date's day");
    if (!servedService(a->service))
        throw AuthError(AuthFailure::Invalid, "the Credential service must be kms or csms");
    if (auto it = req.params.find("project_id"); it != req.params.end()) {
        if (const auto project = auth.tenancy().project(it->second);
            project && project->region != a->region) {
            throw AuthError(AuthFailure::Invalid,
                            "the Credential region is not the region of the project");
        }
    }
    auth.checkSkew(*when, kSkewSeconds);
    const std::string message =
        derivedStringToSign(canonicalRequest(req, signedHeaders), std::string(*date), a->info());
    return auth.byDerivedSignature(a->sdk.accessKey, a->info(), hsm::asBytes(message),
                                   a->sdk.signature);
}

}  // namespace

Principal authenticate(const Request& req, Authenticator& auth) {
    if (auto token = req.header("X-Auth-Token")) return auth.byToken(*token);
    if (auto authorization = req.header("Authorization")) {
        if (authorization->starts_with(std::string(kDerivedAlgorithm) + " "))
            return byDerivedSignature(req, *authorization, auth);
        return bySdkSignature(req, *authorization, auth);
    }
    throw AuthError(AuthFailure::Missing,
                    "X-Auth-Token or an SDK-HMAC-SHA256 Authorization header is required");
}

}  // namespace keyport::api::huawei
