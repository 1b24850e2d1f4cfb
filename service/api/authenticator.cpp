#include "service/api/authenticator.h"

#include "service/core/base/clock.h"

namespace keyport::api {

Authenticator::Authenticator(Tenancy& tenancy, Clock clock)
    : tenancy_(tenancy), clock_(clock ? std::move(clock) : Clock(epochSeconds)) {}

Principal Authenticator::byToken(std::string_view token) {
    if (token.empty()) throw AuthError(AuthFailure::Missing, "X-Auth-Token is empty");
    auto p = tenancy_.byToken(token);
    if (!p) throw AuthError(AuthFailure::Invalid, "the token is not valid");
    return *p;
}

Principal Authenticator::bySignature(const std::string& accessKey, hsm::ByteView message,
                                     hsm::ByteView mac) {
    auto p = tenancy_.byAccessKey(accessKey);
    // One message for both cases, so a caller cannot probe for access keys.
    if (!p || !tenancy_.verifyHmac(accessKey, message, mac)) {
        throw AuthError(AuthFailure::Invalid, "the request signature does not match");
    }
    return *p;
}

Principal Authenticator::byDerivedSignature(const std::string& accessKey, const std::string& info,
                                            hsm::ByteView message, hsm::ByteView mac) {
    auto p = tenancy_.byAccessKey(accessKey);
    if (!p || !tenancy_.verifyDerivedHmac(accessKey, info, message, mac)) {
        throw AuthError(AuthFailure::Invalid, "the request signature does not match");
    }
    return *p;
}

void Authenticator::checkSkew(std::int64_t requestTime, std::int64_t windowSeconds) const {
    const std::int64_t d = requestTime - now();
    if (d > windowSeconds || -d > windowSeconds) {
        throw AuthError(AuthFailure::Expired, "the request time is more than " +
                                                  std::to_string(windowSeconds / 60) +
                                                  " minutes away from the server's clock");
    }
}

void Authenticator::checkRole(const Principal& p, Access access) const {
    if (access == Access::Write && p.role == Role::ReadOnly) {
        throw AuthError(AuthFailure::Forbidden, "the credential is read-only");
    }
}

ProjectScope Authenticator::scope(const Principal& p, const std::string& projectId, Access access) {
    auto project = tenancy_.project(projectId);
    if (!project || project->domainId != p.domainId) {
        throw AuthError(AuthFailure::Forbidden, "no permission for project " + projectId);
    }
    checkRole(p, access);
    return ProjectScope{p.domainId, project->id, project->region};
}

ProjectScope Authenticator::scopeInRegion(const Principal& p, const std::string& region,
                                          Access access) {
    auto project = tenancy_.projectInRegion(p.domainId, region);
    if (!project) {
        throw AuthError(AuthFailure::Forbidden, "the domain has no project in region " + region);
    }
    checkRole(p, access);
    return ProjectScope{p.domainId, project->id, project->region};
}

}  // namespace keyport::api
