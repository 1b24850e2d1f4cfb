// How the ceremony verbs show core's refusals: one line that names the input in plain words
// (core's Error names no field; the dialects do that for HTTP) and core's detail.
#pragma once

#include <string>

#include "service/core/base/errors.h"
#include "service/core/services.h"

namespace keyport::cli {

// "refused (ImportTokenExpired): the import token has expired; get new import parameters"
std::string refusalText(const Error& e);
// The scope a CLI ceremony acts in for project `projectId` (its domain and region), or a
// UsageError naming `keyport credentials add`.
ProjectScope projectScope(Services& services, const std::string& projectId);

}  // namespace keyport::cli
