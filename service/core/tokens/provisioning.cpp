#include "service/core/tokens/provisioning.h"

#include <filesystem>

#include "hsm/error.h"
#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "hsm/token.h"
#include "service/core/base/state_dir.h"

namespace keyport {
namespace {

std::optional<CK_SLOT_ID> slotOf(const hsm::Module& module, const std::string& label) {
    for (const auto& t : module.tokens()) {
        if (t.initialized && t.label == label) return t.slot;
    }
    return std::nullopt;
}

// The user PIN of a token we are about to touch; generated and saved first for a new one
// so that no token can exist whose PIN was lost.
hsm::SecretBytes pinFor(const std::filesystem::path& file, bool createIfMissing) {
    if (std::filesystem::exists(file)) return readPinFile(file);
    if (!createIfMissing) {
        throw ConfigError("the token exists but PIN file '" + file.string() +
                          "' is missing; refusing to touch the token");
    }
    writePinFile(file, generatePin());
    return readPinFile(file);
}

void loginUser(hsm::Session& s, const Config& config, const RegionConfig& region) {
    const auto userPin = pinFor(config.userPinFile(region), /*createIfMissing=*/false);
    try {
        s.login(CKU_USER, userPin);
    } catch (const hsm::Error& e) {
        if (e.rv() != CKR_USER_PIN_NOT_INITIALIZED) throw;
        // An earlier run stopped between C_InitToken and C_InitPIN: finish its work.
        s.login(CKU_SO, pinFor(config.soPinFile(region), /*createIfMissing=*/false));
        s.initPin(userPin);
        s.logout();
        s.login(CKU_USER, userPin);
    }
}

std::string markerContents(const Config& config) {
    return std::string("keyport static objects v1: ") + kKekLabel + ", " + kMacLabel + ", " +
           kTransportLabel + " (RSA-" + std::to_string(config.transportKeyBits) + ")";
}

std::vector<std::string> createMissing(hsm::Session& s, const Config& config) {
    std::vector<std::string> created;
    StaticObjects found = StaticObjects::find(s);
    if (!found.kek) {
        s.generateKey(hsm::Mechanism::aesKeyGen(), hsm::policy::regionKek(kKekLabel));
        created.push_back(kKekLabel);
    }
    if (!found.mac) {
        hsm::generateGenericSecret(s, 32, hsm::policy::macKey(kMacLabel));
        created.push_back(kMacLabel);
    }
    if (!found.transportPublic || !found.transportPrivate) {
        // A half pair is useless: replace it whole.
        if (found.transportPublic) s.destroyObject(*found.transportPublic);
        if (found.transportPrivate) s.destroyObject(*found.transportPrivate);
        hsm::generateRsa(s, hsm::policy::transportPublic(kTransportLabel, config.transportKeyBits),
                         hsm::policy::transportPrivate(kTransportLabel));
        created.push_back(kTransportLabel);
    }
    if (!found.ceremonyPublic || !found.ceremonyPrivate) {
        if (found.ceremonyPublic) s.destroyObject(*found.ceremonyPublic);
        if (found.ceremonyPrivate) s.destroyObject(*found.ceremonyPrivate);
        hsm::generateEc(s, hsm::policy::ceremonyPublic(kCeremonyLabel),
                        hsm::policy::ceremonyPrivate(kCeremonyLabel));
        created.push_back(kCeremonyLabel);
    }
    if (!found.marker) {
        // Written last: its presence means everything before it exists.
        s.createObject(hsm::policy::provisionedMarker(kMarkerLabel, markerContents(config)));
        created.push_back(kMarkerLabel);
    }
    return created;
}

bool hasMarker(hsm::Module& module, CK_SLOT_ID slot) {
    hsm::Session s(module.functions(), slot, /*readWrite=*/false);
    return StaticObjects::find(s).marker.has_value();
}

ProvisionResult provisionRegion(const Config& config, hsm::Module& module,
                                const RegionConfig& region, bool reinitialize) {
    ProvisionResult result{region.name, region.tokenLabel, ProvisionResult::Outcome::Unchanged, {}};
    std::optional<CK_SLOT_ID> slot = slotOf(module, region.tokenLabel);

    if (slot && !reinitialize) {
        if (hasMarker(module, *slot)) return result;  // no login: nothing on the token changes
        result.outcome = ProvisionResult::Outcome::Completed;
    } else {
        const bool fresh = !slot;
        slot = initialiseRegionToken(config, module, region, reinitialize);
        result.outcome =
            fresh ? ProvisionResult::Outcome::Created : ProvisionResult::Outcome::Reinitialized;
    }

    hsm::Session s(module.functions(), *slot);
    loginUser(s, config, region);
    result.created = createMissing(s, config);
    s.logout();
    return result;
}

}  // namespace

std::optional<CK_SLOT_ID> regionTokenSlot(const hsm::Module& module, const RegionConfig& region) {
    return slotOf(module, region.tokenLabel);
}

CK_SLOT_ID initialiseRegionToken(const Config& config, hsm::Module& module,
                                 const RegionConfig& region, bool reinitialize) {
    const std::optional<CK_SLOT_ID> slot = slotOf(module, region.tokenLabel);
    if (slot && !reinitialize) {
        throw hsm::Error("token '" + region.tokenLabel +
                         "' already exists; it is never overwritten without --reinitialize");
    }
    const bool fresh = !slot;
    const auto soPin = pinFor(config.soPinFile(region), fresh);
    const auto userPin = pinFor(config.userPinFile(region), fresh);
    CK_SLOT_ID target{};
    if (slot) {
        target = *slot;
    } else if (!module.findUninitializedSlot(target)) {
        throw hsm::Error("no free slot to initialise token '" + region.tokenLabel + "'");
    }
    module.initToken(target, soPin, region.tokenLabel);
    const auto initialised = slotOf(module, region.tokenLabel);
    if (!initialised) {
        throw hsm::Error("token '" + region.tokenLabel + "' vanished after C_InitToken");
    }
    hsm::Session so(module.functions(), *initialised);
    so.login(CKU_SO, soPin);
    so.initPin(userPin);
    so.logout();
    return *initialised;
}

std::vector<std::string> completeStaticObjects(hsm::Session& session, const Config& config) {
    return createMissing(session, config);
}

const char* outcomeName(ProvisionResult::Outcome o) {
    switch (o) {
        case ProvisionResult::Outcome::Created:
            return "created";
        case ProvisionResult::Outcome::Completed:
            return "completed";
        case ProvisionResult::Outcome::Unchanged:
            return "unchanged";
        case ProvisionResult::Outcome::Reinitialized:
            return "reinitialized";
    }
    return "?";
}

std::vector<ProvisionResult> provisionTokens(const Config& config, hsm::Module& module,
                                             bool reinitialize) {
    std::vector<ProvisionResult> out;
    for (const auto& region : config.regions) {
        try {
            out.push_back(provisionRegion(config, module, region, reinitialize));
        } catch (const std::exception& e) {
            throw hsm::Error("region '" + region.name + "' (token '" + region.tokenLabel +
                             "'): " + e.what());
        }
    }
    return out;
}

std::vector<RegionStatus> tokenStatus(const Config& config, hsm::Module& module) {
    std::vector<RegionStatus> out;
    for (const auto& region : config.regions) {
        RegionStatus st;
        st.region = region.name;
        st.label = region.tokenLabel;
        st.present = slotOf(module, region.tokenLabel).has_value();
        if (st.present) {
            try {
                hsm::Token token(module, region.tokenLabel,
                                 readPinFile(config.userPinFile(region)));
                StaticObjects found =
                    token.withOwnerSession([](hsm::Session& s) { return StaticObjects::find(s); });
                if (!found.kek) st.missing.push_back(kKekLabel);
                if (!found.mac) st.missing.push_back(kMacLabel);
                if (!found.transportPublic || !found.transportPrivate)
                    st.missing.push_back(kTransportLabel);
                if (!found.marker) st.missing.push_back(kMarkerLabel);
                st.provisioned = found.complete();
                st.ceremonyKey = found.ceremonyPublic && found.ceremonyPrivate;
                st.capabilities = hsm::probeCapabilities(token);
            } catch (const std::exception& e) {
                st.error = e.what();
            }
        }
        out.push_back(std::move(st));
    }
    return out;
}

}  // namespace keyport
