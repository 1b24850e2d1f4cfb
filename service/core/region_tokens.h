// RegionTokens: the logged-in token of every configured region, opened once at start-up.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "hsm/token.h"
#include "service/core/config.h"

namespace keyport {

class RegionTokens {
public:
    // Opens and logs in to each region's token with the PIN from its PIN file. A region
    // whose token is missing stops start-up with a message that says to provision it.
    RegionTokens(const Config& config, hsm::Module& module);

    hsm::Token& token(const std::string& region);
    const std::map<std::string, std::unique_ptr<hsm::Token>>& all() const { return tokens_; }

private:
    std::map<std::string, std::unique_ptr<hsm::Token>> tokens_;
};

}  // namespace keyport
