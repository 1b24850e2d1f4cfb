// Huawei CSMS error responses: {"error_code":"CSMS.xxxx","error_msg":"..."} (flat, unlike
// KMS), mapped from the domain's ErrorCode in one place.
#pragma once

#include <string>

#include "service/api/authenticator.h"
#include "service/api/http.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {

Response csmsError(int status, const std::string& code, const std::string& message);
Response csmsError(const Error& e);
// The error_msg csmsError(e) would send (for per-item errors inside a 200, as batch import's).
std::string csmsErrorMessage(const Error& e);
Response csmsAuthError(const AuthError& e);
// Errors the server itself raises on CSMS paths (404, 405, 413, 500).
Response csmsTransportError(int status, const std::string& message);

}  // namespace keyport::api::huawei
