// Exoscale errors: RFC 7807/9457 problem details ({type, title, status, detail}, sent as
// application/json as the spec declares) with the titles of Exoscale's KMS API ("Key Not
// Found", "Not Multizone", "Name Conflict", "Not on Replica", "Bad Request", ...), mapped
// from the domain's ErrorCode in one place.
#pragma once

#include <string>
#include <string_view>

#include "service/api/authenticator.h"
#include "service/api/http.h"
#include "service/core/base/errors.h"
#include "service/core/storage/operation_store.h"

namespace keyport::api::exoscale {

Response problem(int status, const std::string& title, const std::string& detail);
Response problem(const Error& e);
Response problem(const AuthError& e);
Response transportProblem(int status, const std::string& message);

// An Operation's `state` and failure `reason` in Exoscale's words (the spec's enums).
std::string_view operationState(OperationState s);
std::string_view operationReason(ErrorCode failure);

}  // namespace keyport::api::exoscale
