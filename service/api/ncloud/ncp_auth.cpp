#include "service/api/ncloud/ncp_auth.h"

#include <algorithm>

#include "service/api/client_hmac.h"
#include "service/core/base/encoding.h"

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
