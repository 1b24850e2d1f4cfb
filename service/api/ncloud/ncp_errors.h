// NAVER Cloud KMS error responses: {"code":"INVALID_REQUEST"|…,"msg":…} with the HTTP
// status NAVER uses, mapped from the domain's ErrorCode in one place, fields named as NAVER's
// API 2.0 reference names them.
#pragma once

#include <string>

#include "service/api/authenticator.h"
#include "service/api/http.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {

Response ncpError(int status, const std::string& code, const std::string& msg);
Response ncpError(const Error& e);
Response ncpAuthError(const AuthError& e);
// Errors the server itself raises on NAVER paths (404, 405, 413, 500).
Response ncpTransportError(int status, const std::string& message);

}  // namespace keyport::api::ncloud
