#include "service/api/exoscale/exo_api.h"

#include "service/api/exoscale/exo_auth.h"
#include "service/api/exoscale/exo_call.h"
#include "service/api/exoscale/exo_errors.h"
#include "service/api/region_selection.h"

namespace keyport::api::exoscale {
namespace {

struct Route {
    const char* method;
    const char* path;
    Access access;
    ExoHandler handler;
    bool open = false;  // served without a credential (list-zones)
};

const std::vector<Route>& routes() {
    static const std::vector<Route> r{
        {"POST", "/v2/kms-key", Access::Write, createKey},
        {"GET", "/v2/kms-key", Access::Read, listKeys},
        {"GET", "/v2/kms-key/{id}", Access::Read, getKey},
        {"POST", "/v2/kms-key/{id}/enable", Access::Write, enableKey},
        {"POST", "/v2/kms-key/{id}/disable", Access::Write, disableKey},
        {"POST", "/v2/kms-key/{id}/schedule-deletion", Access::Write, scheduleDeletion},
        {"POST", "/v2/kms-key/{id}/cancel-deletion", Access::Write, cancelDeletion},
        {"POST", "/v2/kms-key/{id}/encrypt", Access::Write, encrypt},
        {"POST", "/v2/kms-key/{id}/decrypt", Access::Write, decrypt},
        {"POST", "/v2/kms-key/{id}/generate-data-key", Access::Write, generateDataKey},
        {"POST", "/v2/kms-key/{id}/replicate", Access::Write, replicate},
        {"POST", "/v2/kms-key/{id}/re-encrypt", Access::Write, reEncrypt},
        {"POST", "/v2/kms-key/{id}/rotate", Access::Write, rotateKey},
        {"GET", "/v2/kms-key/{id}/list-key-rotations", Access::Read, listRotations},
        {"POST", "/v2/kms-key/{id}/enable-key-rotation", Access::Write, enableRotation},
        {"POST", "/v2/kms-key/{id}/disable-key-rotation", Access::Write, disableRotation},
        {"GET", "/v2/operation/{id}", Access::Read, getOperation},
        {"GET", "/v2/zone", Access::Read, listZones, true},
    };
    return r;
}

// Exoscale endpoints are api-<zone>.exoscale.com (any domain: labs use their own).
std::optional<std::string> zoneFromHost(const std::string& host) {
    if (!host.starts_with("api-")) return std::nullopt;
    const auto dot = host.find('.');
    if (dot == std::string::npos) return std::nullopt;
    return host.substr(4, dot - 4);
}

Response run(Request& req, Services& services, Authenticator& auth, const Route& route) {
    try {
        ProjectScope scope;
        if (!route.open) {
            const Principal principal =
                authenticate(req, auth, services.config.exoscaleSignatureMaxLifetimeSeconds);
            const std::string zone = selectRegion(req, principal, *services.regions, zoneFromHost);
            scope = auth.scopeInRegion(principal, zone, route.access);
        }
        const bool hasBody = req.method == "POST" && !req.body.empty();
        ExoCall call{req, JsonBody::parse(hasBody ? req.body : "{}"), scope, services};
        return Response::json(200, stringify(route.handler(call)));
    } catch (const AuthError& e) {
        return problem(e);
    } catch (const Error& e) {
        return problem(e);
    }
}

}  // namespace

void addExoscaleRoutes(Router& router, Services& services, Authenticator& auth) {
    for (const Route& route : routes()) {
        router.add(route.method, route.path, [&services, &auth, &route](Request& req) {
            return run(req, services, auth, route);
        });
    }
    router.addDialect("exoscale", 
        [](std::string_view path) {
            return path.starts_with("/v2/kms-key") || path.starts_with("/v2/operation") ||
                   path.starts_with("/v2/zone");
        },
        transportProblem);
}

}  // namespace keyport::api::exoscale
