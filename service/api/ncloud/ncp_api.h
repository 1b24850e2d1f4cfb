// The NAVER Cloud KMS dialect (API.md §4): keys by keyTag, encrypt/decrypt with the
// `ncpkms:v1:` ciphertext prefix, and migrate of a global key into KR or JPN.
#pragma once

#include "service/api/authenticator.h"
#include "service/api/router.h"
#include "service/core/services.h"

namespace keyport::api::ncloud {

void addNcloudRoutes(Router& router, Services& services, Authenticator& auth);

// The keyTag of a key name in a domain: stable across regions (so migrate keeps it), not a
// secret (NAVER says as much), 52 hex characters as in the vendor's examples.
std::string keyTag(const std::string& domainId, const std::string& keyName);

}  // namespace keyport::api::ncloud
