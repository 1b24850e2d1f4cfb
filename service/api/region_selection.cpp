#include "service/api/region_selection.h"

#include "service/core/base/errors.h"

namespace keyport::api {

std::string selectRegion(const Request& req, const Principal& principal,
                         const RegionTokens& regions, const HostRegion& fromHost) {
    if (auto host = req.header("Host")) {
        std::string h(*host);
        if (auto colon = h.rfind(':');
            colon != std::string::npos && h.find(']') == std::string::npos) {
            h.resize(colon);
        }
        if (auto r = fromHost(h); r && regions.has(*r)) return *r;
    }
    if (auto r = req.header("X-Keyport-Region")) {
        const std::string region(*r);
        if (!regions.has(region)) {
            throw Error(ErrorCode::InvalidParameter, "X-Keyport-Region names no configured region",
                        "X-Keyport-Region");
        }
        return region;
    }
    return principal.region;
}

}  // namespace keyport::api
