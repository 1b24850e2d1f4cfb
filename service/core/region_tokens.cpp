#include "service/core/region_tokens.h"

#include "hsm/error.h"
#include "service/core/state_dir.h"

namespace keyport {

RegionTokens::RegionTokens(const Config& config, hsm::Module& module) {
    for (const auto& region : config.regions) {
        try {
            tokens_.emplace(region.name,
                            std::make_unique<hsm::Token>(module, region.tokenLabel,
                                                         readPinFile(config.userPinFile(region))));
        } catch (const std::exception& e) {
            throw hsm::Error("region '" + region.name + "': " + e.what() +
                             " (run `keyport token init`)");
        }
    }
}

hsm::Token& RegionTokens::token(const std::string& region) {
    auto it = tokens_.find(region);
    if (it == tokens_.end()) throw ConfigError("unknown region '" + region + "'");
    return *it->second;
}

}  // namespace keyport
