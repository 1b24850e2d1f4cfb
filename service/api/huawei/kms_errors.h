// Huawei KMS error responses: {"error":{"error_code":"KMS.xxxx","error_msg":"..."}} with the
// HTTP status Huawei uses, mapped from the domain's ErrorCode in one place.
#pragma once

#include <string>

#include "service/api/http.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {

Response kmsError(int status, const std::string& code, const std::string& message);
Response kmsError(const Error& e);
// Errors the server itself raises on KMS paths (404, 405, 413, 500).
Response kmsTransportError(int status, const std::string& message);

}  // namespace keyport::api::huawei
