#include "service/api/exoscale/exo_api.h"

#include "service/api/audit_note.h"
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

bool operationRoute(const Route& route) {
    return std::string_view(route.path).starts_with("/v2/operation/");
}

// The ids an Exoscale request names: {id} (a key, or an operation on get-operation) and
// re-encrypt's destination key; and what it created: create-kms-key's key, replicate's
// operation (and, once done, the replica it references).
void noteRequestObjects(RequestAudit& audit, const JsonBody& body) {
    noteMembers(audit, member(body.root(), "destination"), {{"key", "key_id"}});
}

void noteResponseObjects(RequestAudit& audit, const Route& route,
                         const Poco::JSON::Object::Ptr& out) {
    const std::string_view path = route.path;
    if (operationRoute(route) || path.ends_with("/replicate")) {
        noteMembers(audit, out, {{"id", "operation_id"}});
        noteMembers(audit, member(out, "reference"), {{"id", "key_id"}});
    } else if (path == "/v2/kms-key" && std::string_view(route.method) == "POST") {
        noteMembers(audit, out, {{"id", "key_id"}});
    }
}

Response run(Request& req, Services& services, Authenticator& auth, const Route& route) {
    noteParams(req, {{"id", operationRoute(route) ? "operation_id" : "key_id"}});
    try {
        ProjectScope scope;
        if (!route.open) {
            const Principal principal =
                authenticate(req, auth, services.config.exoscaleSignatureMaxLifetimeSeconds);
            notePrincipal(req.audit, principal);
            const std::string zone = selectRegion(req, principal, *services.regions, zoneFromHost);
            scope = auth.scopeInRegion(principal, zone, route.access);
        }
        const bool hasBody = req.method == "POST" && !req.body.empty();
        ExoCall call{req, JsonBody::parse(hasBody ? req.body : "{}"), scope, services};
        noteRequestObjects(req.audit, call.body);
        const auto out = route.handler(call);
        noteResponseObjects(req.audit, route, out);
        return Response::json(200, stringify(out));
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
    router.addDialect(
        "exoscale",
        [](std::string_view path) {
            return path.starts_with("/v2/kms-key") || path.starts_with("/v2/operation") ||
                   path.starts_with("/v2/zone");
        },
        transportProblem);
}

}  // namespace keyport::api::exoscale
