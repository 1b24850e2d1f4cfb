#include "service/api/huawei/kms_auth.h"

namespace keyport::api::huawei {

Principal authenticate(const Request& req, Authenticator& auth) {
    if (auto token = req.header("X-Auth-Token")) return auth.byToken(*token);
    throw AuthError(AuthFailure::Missing, "X-Auth-Token or an SDK-HMAC-SHA256 Authorization header is required");
}

}  // namespace keyport::api::huawei
