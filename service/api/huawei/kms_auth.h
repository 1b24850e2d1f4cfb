// Huawei request authentication: X-Auth-Token, or AK/SK `SDK-HMAC-SHA256` (and the SDKs'
// opt-in derived `V11-HMAC-SHA256`) as Huawei's SDKs sign, with the signature checked
// on-token and a 15-minute skew window.
#pragma once

#include "service/api/authenticator.h"
#include "service/api/http.h"

namespace keyport::api::huawei {

Principal authenticate(const Request& req, Authenticator& auth);

}  // namespace keyport::api::huawei
