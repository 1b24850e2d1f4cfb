// How a NAVER Cloud KMS key object reads: the field names, status values and key types of
// API 2.0 (pages security-kms2-key-info and security-kms2-key-list), rendered from core's
// KeyRecord.
#pragma once

#include <optional>
#include <string>

#include <Poco/JSON/Object.h>

#include "service/core/services.h"

namespace keyport::api::ncloud {

// NAVER's three key types (AES256 | RSA2048 | ECDSA, ECDSA being P-256). nullopt for any
// other spec: NAVER has no name for it, so the dialect does not show the key at all.
std::optional<std::string> ncpKeyType(KeySpec s);
// ENABLE | DISABLE | REVOKE (REVOKE: pending deletion).
std::string ncpStatus(KeyState s);
// The next automatic rotation (epoch ms), if automatic rotation is on.
std::optional<std::int64_t> nextRotationMs(const KeyRecord& k, const Services& services);
// The documented Get Key Info object.
Poco::JSON::Object::Ptr keyInfoJson(const KeyRecord& k, const Services& services);

}  // namespace keyport::api::ncloud
