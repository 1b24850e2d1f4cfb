// Huawei KMS error responses: {"error":{"error_code","error_msg"},"error_code","error_msg"}, the
// code KMS.xxxx and the HTTP status Huawei uses, mapped from core's ErrorCode in one place.
#pragma once

#include <string>
#include <string_view>

#include "service/api/http.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {

Response kmsError(int status, const std::string& code, const std::string& message);
Response kmsError(const Error& e);
// What Huawei's KMS requests call each of core's inputs.
std::string_view kmsField(Input input);
// Errors the server itself raises on KMS paths (404, 405, 413, 500).
Response kmsTransportError(int status, const std::string& message);

}  // namespace keyport::api::huawei
