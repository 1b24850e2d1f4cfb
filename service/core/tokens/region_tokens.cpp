#include "service/core/tokens/region_tokens.h"

#include <algorithm>

#include "hsm/error.h"
#include "hsm/public_key.h"
#include "service/core/base/metrics.h"
#include "service/core/base/state_dir.h"
#include "service/core/tokens/static_objects.h"

namespace keyport {

RegionTokens::RegionTokens(const Config& config, hsm::Module& module, bool requireProvisioned) {
    const auto present = module.labels();
    for (const auto& rc : config.regions) {
        if (std::find(present.begin(), present.end(), rc.tokenLabel) == present.end()) {
            throw hsm::Error("region '" + rc.name + "': no token labelled '" + rc.tokenLabel +
                             "' (run `keyport token init` to provision it)");
        }
        Region r;
        r.name = rc.name;
        metrics::tokenRegion(rc.tokenLabel, rc.name);  // before the probe's operations
        try {
            r.token = std::make_unique<hsm::Token>(module, rc.tokenLabel,
                                                   readPinFile(config.userPinFile(rc)));
        } catch (const std::exception& e) {
            throw hsm::Error("region '" + rc.name + "': " + e.what());
        }
        if (requireProvisioned) {
            const auto found =
                r.token->withOwnerSession([](hsm::Session& s) { return StaticObjects::find(s); });
            if (!found.complete()) {
                throw hsm::Error("region '" + rc.name + "': token '" + rc.tokenLabel +
                                 "' is not fully provisioned (run `keyport token init`)");
            }
            r.keks = std::make_shared<KekRing>(found.keks);
            r.mac = *found.mac;
            r.transportPublic = *found.transportPublic;
            r.transportPrivate = *found.transportPrivate;
            if (found.ceremonyPublic && found.ceremonyPrivate) {
                r.ceremonyPublic = *found.ceremonyPublic;
                r.ceremonyPrivate = *found.ceremonyPrivate;
            }
            r.transportSpki = r.token->withOwnerSession(
                [&](hsm::Session& s) { return hsm::publicKeySpki(s, r.transportPublic); });
            r.capabilities = hsm::probeCapabilities(*r.token);
        }
        regions_.emplace(rc.name, std::move(r));
    }
}

Region& RegionTokens::region(const std::string& name) {
    auto it = regions_.find(name);
    if (it == regions_.end()) throw ConfigError("unknown region '" + name + "'");
    return it->second;
}

}  // namespace keyport
