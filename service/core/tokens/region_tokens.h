// RegionTokens: every configured region's logged-in token with the handles of its static
// objects and its probed capabilities, opened once at start-up.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "hsm/capabilities.h"
#include "hsm/token.h"
#include "service/core/base/config.h"
#include "service/core/tokens/kek_ring.h"

namespace keyport {

struct Region {
    std::string name;
    std::unique_ptr<hsm::Token> token;
    // Static objects (present when the token is provisioned). The KEK is a ring of
    // generations (kek_ring.h): seal and open blobs through it, never through one handle,
    // since a rollover adds a generation and retires the old one while the service runs.
    std::shared_ptr<KekRing> keks = std::make_shared<KekRing>();
    hsm::ObjectHandle mac = CK_INVALID_HANDLE;
    hsm::ObjectHandle transportPublic = CK_INVALID_HANDLE;
    hsm::ObjectHandle transportPrivate = CK_INVALID_HANDLE;
    // The ceremony signing pair; CK_INVALID_HANDLE on a token provisioned before it existed.
    hsm::ObjectHandle ceremonyPublic = CK_INVALID_HANDLE;
    hsm::ObjectHandle ceremonyPrivate = CK_INVALID_HANDLE;
    hsm::Bytes transportSpki;  // the transport public key as DER SPKI (what peers wrap to)
    std::optional<hsm::Capabilities> capabilities;
};

class RegionTokens {
  public:
    // Opens and logs in to each region's token with the PIN from its PIN file. A missing
    // token stops start-up with a message that says to provision it. With
    // `requireProvisioned`, a token without its static objects does too, and every token
    // is probed.
    RegionTokens(const Config& config, hsm::Module& module, bool requireProvisioned = false);

    hsm::Token& token(const std::string& name) { return *region(name).token; }
    Region& region(const std::string& name);
    bool has(const std::string& name) const { return regions_.count(name) > 0; }
    const std::map<std::string, Region>& all() const { return regions_; }

  private:
    std::map<std::string, Region> regions_;
};

}  // namespace keyport
