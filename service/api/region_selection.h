// Region selection for dialects whose paths carry no project (Exoscale, NAVER; API.md §0):
// the Host header when it names a configured region the vendor's way, else an
// X-Keyport-Region header, else the credential's home region.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "service/api/http.h"
#include "service/core/tenancy/tenancy.h"
#include "service/core/tokens/region_tokens.h"

namespace keyport::api {

// Maps a Host header (without port) to a region name, the vendor's way; nullopt if it
// names none.
using HostRegion = std::function<std::optional<std::string>(const std::string& host)>;

std::string selectRegion(const Request& req, const Principal& principal,
                         const RegionTokens& regions, const HostRegion& fromHost);

}  // namespace keyport::api
