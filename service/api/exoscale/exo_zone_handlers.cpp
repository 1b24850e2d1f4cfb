// list-zones (GET /v2/zone): the configured regions that are Exoscale zones, shaped as the
// vendor's zone objects. The exo CLI lists zones before every command and then talks to the
// chosen zone's api-endpoint, so that endpoint leads back here.
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

// The api-endpoint of `zone` as this client should reach it. The exo CLI sends every later
// request there, with the user's credential, so it must never lead away from Keyport:
//   Host api-<z>.<lab domain>   -> http://api-<zone>.<lab domain>/v2 (one host per zone)
//   Host api-<z>.exoscale.com   -> the vendor's https://api-<zone>.exoscale.com/v2 (the
//                                  client already talks to that name; DNS points it here)
//   any other Host (127.0.0.1)  -> http://<that host>/v2 for every zone: requests then go to
//                                  the credential's region or X-Keyport-Region's
//   no Host (HTTP/1.0)          -> the vendor's form: there is no name to answer with.
std::string apiEndpoint(const Request& req, const std::string& zone) {
    const std::string vendor = "https://api-" + zone + ".exoscale.com/v2";
    const auto host = req.header("Host");
    if (!host || host->empty()) return vendor;
    const auto dot = host->find('.');
    if (host->starts_with("api-") && dot != std::string_view::npos &&
        isZoneName(host->substr(4, dot - 4))) {
        const std::string_view suffix = host->substr(dot);
        if (suffix.starts_with(".exoscale.com")) return vendor;
        return "http://api-" + zone + std::string(suffix) + "/v2";
    }
    return "http://" + std::string(*host) + "/v2";
}

}  // namespace

// Open (no credential): a zone list is configuration, not tenant data, and the CLI must be
// able to read it to choose where to send its signed requests.
Object::Ptr listZones(ExoCall& c) {
    Poco::JSON::Array::Ptr zones = new Poco::JSON::Array;
    for (const RegionConfig& r : c.services.config.regions) {
        if (!isZoneName(r.name)) continue;
        auto z = object();
        z->set("name", r.name);
        z->set("api-endpoint", apiEndpoint(c.req, r.name));
        // Keyport has no object storage; the vendor's SOS endpoint keeps the object valid.
        z->set("sos-endpoint", "https://sos-" + r.name + ".exo.io");
        zones->add(z);
    }
    auto o = object();
    o->set("zones", zones);
    return o;
}

}  // namespace keyport::api::exoscale
