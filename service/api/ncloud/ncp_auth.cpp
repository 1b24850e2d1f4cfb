#include "service/api/ncloud/ncp_auth.h"

#include <algorithm>

#include "service/api/client_hmac.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

constexpr std::int64_t kSkewSeconds = 5 * 60;

}  // namespace

std::string signatureMessage(const Request& req, const std::string& timestampMs,
                             const std::string& accessKey) {
    const std::string uri = req.path + (req.query.empty() ? "" : "?" + req.query);
    return req.method + " " + uri + "\n" + timestampMs + "\n" + accessKey;
}

Principal authenticate(const Request& req, Authenticator& auth) {
    const auto ak = req.header("x-ncp-iam-access-key");
    const auto ts = req.header("x-ncp-apigw-timestamp");
    const auto sig = req.header("x-ncp-apigw-signature-v2");
    if (ak || ts || sig) {
        if (!ak || !ts || !sig) {
            throw AuthError(AuthFailure::Missing,
                            "x-ncp-apigw-timestamp, x-ncp-iam-access-key and "
                            "x-ncp-apigw-signature-v2 go together");
        }
        const std::string t(*ts);
        if (t.empty() || t.size() > 15 || !std::all_of(t.begin(), t.end(), ::isdigit)) {
            throw AuthError(AuthFailure::Invalid,
                            "x-ncp-apigw-timestamp must be epoch milliseconds");
        }
        auth.checkSkew(std::stoll(t) / 1000, kSkewSeconds);
        const auto mac = base64Decode(*sig);
        if (!mac) throw AuthError(AuthFailure::Invalid, "x-ncp-apigw-signature-v2 is not base64");
        const std::string message = signatureMessage(req, t, std::string(*ak));
        return auth.bySignature(std::string(*ak), hsm::asBytes(message), *mac);
    }
    if (auto token = req.header("X-Auth-Token")) return auth.byToken(*token);
    throw AuthError(AuthFailure::Missing,
                    "NAVER signature v2 headers (or X-Auth-Token) are required");
}

TokenUse tokenUse(const std::string& method, const std::string& routePath) {
    constexpr std::string_view prefix = "/kms/v1/keys/{keyTag}/";
    if (!routePath.starts_with(prefix)) return TokenUse::None;
    const std::string_view action = std::string_view(routePath).substr(prefix.size());
    if (method == "PUT" && action == "token-set") return TokenUse::Refresh;
    if (method == "POST" && action == "access-token") return TokenUse::Refresh;
    // The Token Auth API's routes (pages security-kms2-token-*): the six of API 1.0 and
    // get-pub-key.
    for (std::string_view crypto : {"encrypt", "decrypt", "create-custom-key", "re-encrypt", "sign",
                                    "verify", "get-pub-key"}) {
        if (method == "POST" && action == crypto) return TokenUse::Access;
    }
    return TokenUse::None;
}

bool usesKeyToken(const Request& req) {
    return req.header("x-ncp-ocapi-token") && !req.header("x-ncp-iam-access-key") &&
           !req.header("x-ncp-apigw-signature-v2") && !req.header("X-Auth-Token");
}

KeyAccessToken keyToken(const Request& req, Services& services, TokenUse use, std::int64_t now) {
    if (use == TokenUse::None) {
        throw AuthError(AuthFailure::Invalid,
                        "this route takes the account signature (x-ncp-apigw-signature-v2), "
                        "not x-ncp-ocapi-token");
    }
    const auto text = req.header("x-ncp-ocapi-token");
    if (!text || text->empty()) throw AuthError(AuthFailure::Missing, "x-ncp-ocapi-token is empty");
    KeyAccessToken t = KeyAccessToken::verify(*services.regions, *text);
    const auto want =
        use == TokenUse::Access ? KeyAccessToken::Kind::Access : KeyAccessToken::Kind::Refresh;
    if (t.kind != want) {
        throw AuthError(AuthFailure::Invalid, use == TokenUse::Access
                                                  ? "this route takes an access token"
                                                  : "this route takes a refresh token");
    }
    if (t.expiresAt && now >= *t.expiresAt)
        throw AuthError(AuthFailure::Expired, "the key token has expired");
    const auto project = services.tenancy->project(t.projectId);
    if (!project || project->domainId != t.domainId || project->region != t.region)
        throw AuthError(AuthFailure::Invalid, "the key token's project no longer exists");
    if (t.keyTag != req.param("keyTag")) {
        throw Error(ErrorCode::KeyNotFound,
                    "no key with keyTag " + req.param("keyTag") + " for this token");
    }
    return t;
}

void sign(Request& req, const std::string& accessKey, const std::string& secretKey,
          std::int64_t nowMs) {
    const std::string ts = std::to_string(nowMs);
    const std::string sig =
        base64Encode(clientHmacSha256(secretKey, signatureMessage(req, ts, accessKey)));
    req.headers.emplace_back("x-ncp-apigw-timestamp", ts);
    req.headers.emplace_back("x-ncp-iam-access-key", accessKey);
    req.headers.emplace_back("x-ncp-apigw-signature-v2", sig);
}

}  // namespace keyport::api::ncloud
