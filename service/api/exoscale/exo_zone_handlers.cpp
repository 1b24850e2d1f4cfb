// list-zones (GET /v2/zone): the configured regions that are Exoscale zones, shaped as the
// vendor's zone objects. The exo CLI lists zones before every command and then talks to the
// chosen zone's api-endpoint, so that endpoint must lead back here when the client reached
// Keyport through a zone-shaped host name.
#include <array>
#include <string_view>

#include "service/api/exoscale/exo_call.h"

namespace keyport::api::exoscale {
namespace {

using Poco::JSON::Object;

// The spec's zone-name enum: a configured region is an Exoscale zone when it is one of these.
constexpr std::array<std::string_view, 8> kZoneNames{
    "ch-dk-2", "de-muc-1", "ch-gva-2", "at-vie-1", "de-fra-1", "bg-sof-1", "at-vie-2", "hr-zag-1"};

bool isZoneName(std::string_view name) {
    for (std::string_view z : kZoneNames)
        if (z == name) return true;
    return false;
}

// What follows "api-<zone>" in the Host the client used (".keyport.test:8080"), when that
// Host is zone-shaped and not the vendor's own domain; empty otherwise.
std::string keyportSuffix(const Request& req) {
    const auto host = req.header("Host");
    if (!host || !host->starts_with("api-")) return {};
    const auto dot = host->find('.');
    if (dot == std::string_view::npos || !isZoneName(host->substr(4, dot - 4))) return {};
    const std::string_view suffix = host->substr(dot);
    if (suffix.starts_with(".exoscale.com")) return {};
    return std::string(suffix);
}

}  // namespace

// Open (no credential): a zone list is configuration, not tenant data, and the CLI must be
// able to read it to choose where to send its signed requests.
Object::Ptr listZones(ExoCall& c) {
    const std::string suffix = keyportSuffix(c.req);
    Poco::JSON::Array::Ptr zones = new Poco::JSON::Array;
    for (const RegionConfig& r : c.services.config.regions) {
        if (!isZoneName(r.name)) continue;
        auto z = object();
        z->set("name", r.name);
        // The vendor's endpoints are https://api-<zone>.exoscale.com/v2 and
        // https://sos-<zone>.exo.io; reached as api-<zone>.<lab domain>, keyportd (plain
        // HTTP) names its own zone hosts the same way so the CLI stays on Keyport.
        z->set("api-endpoint", suffix.empty() ? "https://api-" + r.name + ".exoscale.com/v2"
                                              : "http://api-" + r.name + suffix + "/v2");
        // Keyport has no object storage; the vendor's SOS endpoint keeps the object valid.
        z->set("sos-endpoint", "https://sos-" + r.name + ".exo.io");
        zones->add(z);
    }
    auto o = object();
    o->set("zones", zones);
    return o;
}

}  // namespace keyport::api::exoscale
