#include "service/core/region_tokens.h"

#include <algorithm>

#include "hsm/error.h"
#include "service/core/state_dir.h"

namespace keyport {

RegionTokens::RegionTokens(const Config& config, hsm::Module& module) {
    const auto present = module.labels();
    for (const auto& region : config.regions) {
        if (std::find(present.begin(), present.end(), region.tokenLabel) == present.end()) {
            throw hsm::Error("region '" + region.name + "': no token labelled '" +
                             region.tokenLabel + "' (run `keyport token init` to provision it)");
        }
        try {
            tokens_.emplace(region.name,
                            std::make_unique<hsm::Token>(module, region.tokenLabel,
                                                         readPinFile(config.userPinFile(region))));
        } catch (const std::exception& e) {
            throw hsm::Error("region '" + region.name + "': " + e.what());
        }
    }
}

hsm::Token& RegionTokens::token(const std::string& region) {
    auto it = tokens_.find(region);
    if (it == tokens_.end()) throw ConfigError("unknown region '" + region + "'");
    return *it->second;
}

}  // namespace keyport
