// Provisioning of region tokens (`keyport token init` / `status`): initialise a token that
// does not exist yet, create its static objects, and report what each region has.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hsm/capabilities.h"
#include "hsm/module.h"
#include "service/core/base/config.h"
#include "service/core/tokens/static_objects.h"

namespace keyport {

struct ProvisionResult {
    enum class Outcome { Created, Completed, Unchanged, Reinitialized };
    std::string region;
    std::string label;
    Outcome outcome;
    std::vector<std::string> created;  // static objects made in this run
};
const char* outcomeName(ProvisionResult::Outcome o);

// Idempotent: a region whose token carries the provisioned marker is left untouched, not
// even logged in to. An existing token is never re-initialised unless `reinitialize`.
std::vector<ProvisionResult> provisionTokens(const Config& config, hsm::Module& module,
                                             bool reinitialize = false);

// ---- For `keyport ceremony restore`, which rebuilds a token from a backup ----

// The slot of the region's initialised token, if it exists.
std::optional<CK_SLOT_ID> regionTokenSlot(const hsm::Module& module, const RegionConfig& region);
// C_InitToken + C_InitPIN exactly as `token init` does (PIN files reused when present, else
// generated and saved before the token exists), and no static object. A token that exists
// is refused unless `reinitialize` (then its contents are destroyed).
CK_SLOT_ID initialiseRegionToken(const Config& config, hsm::Module& module,
                                 const RegionConfig& region, bool reinitialize);
// Generates every static object `session`'s token lacks (as `token init` does) and writes
// the provisioned marker last; returns the labels created. `session`: user-logged-in.
std::vector<std::string> completeStaticObjects(hsm::Session& session, const Config& config);

struct RegionStatus {
    std::string region;
    std::string label;
    bool present = false;
    bool provisioned = false;  // marker and every static object found
    std::vector<std::string> missing;
    // The ceremony signing pair: informational (an older token gets it at its first
    // ceremony step), not part of `provisioned`.
    bool ceremonyKey = false;
    std::optional<hsm::Capabilities> capabilities;
    std::string error;  // why the token could not be inspected
};

// Logs in to each present token to look for its private objects and probe it.
std::vector<RegionStatus> tokenStatus(const Config& config, hsm::Module& module);

}  // namespace keyport
