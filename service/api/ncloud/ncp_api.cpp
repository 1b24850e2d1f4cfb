#include "service/api/ncloud/ncp_api.h"

#include "service/api/audit_note.h"
#include "service/api/json.h"
#include "service/api/ncloud/ncp_auth.h"
#include "service/api/ncloud/ncp_call.h"
#include "service/api/ncloud/ncp_errors.h"
#include "service/api/region_selection.h"
#include "service/core/base/encoding.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

struct Route {
    const char* method;
    const char* path;
    Access access;
    NcpHandler handler;
};

const std::vector<Route>& routes() {
    static const std::vector<Route> r{
        {"POST", "/kms/v1/keys", Access::Write, createKey},
        {"GET", "/kms/v1/keys", Access::Read, listKeys},
        {"GET", "/kms/v1/keys/{keyTag}", Access::Read, getKey},
        {"POST", "/kms/v1/keys/{keyTag}/enable", Access::Write, enableKey},
        {"POST", "/kms/v1/keys/{keyTag}/disable", Access::Write, disableKey},
        {"POST", "/kms/v1/keys/{keyTag}/request-deletion", Access::Write, requestDeletion},
        {"POST", "/kms/v1/keys/{keyTag}/cancel-deletion", Access::Write, cancelDeletion},
        {"PUT", "/kms/v1/keys/{keyTag}/name", Access::Write, updateKeyName},
        {"PUT", "/kms/v1/keys/{keyTag}/memo", Access::Write, updateMemo},
        {"POST", "/kms/v1/keys/{keyTag}/rotate", Access::Write, rotateKey},
        {"GET", "/kms/v1/keys/{keyTag}/versions", Access::Read, keyVersions},
        {"POST", "/kms/v1/keys/{keyTag}/enable-auto-rotation", Access::Write, enableAutoRotation},
        {"POST", "/kms/v1/keys/{keyTag}/disable-auto-rotation", Access::Write, disableAutoRotation},
        {"PUT", "/kms/v1/keys/{keyTag}/rotation-period", Access::Write, updateRotationPeriod},
        {"POST", "/kms/v1/keys/{keyTag}/token-set", Access::Write, createTokenSet},
        {"PUT", "/kms/v1/keys/{keyTag}/token-set", Access::Write, renewTokenSet},
        {"POST", "/kms/v1/keys/{keyTag}/access-token", Access::Write, createAccessToken},
        {"POST", "/kms/v1/keys/{keyTag}/encrypt", Access::Write, encrypt},
        {"POST", "/kms/v1/keys/{keyTag}/decrypt", Access::Write, decrypt},
        {"POST", "/kms/v1/keys/{keyTag}/re-encrypt", Access::Write, reencrypt},
        {"POST", "/kms/v1/keys/{keyTag}/create-custom-key", Access::Write, createCustomKey},
        {"POST", "/kms/v1/keys/{keyTag}/sign", Access::Write, signMessage},
        {"POST", "/kms/v1/keys/{keyTag}/verify", Access::Read, verifyMessage},
        {"POST", "/kms/v1/keys/{keyTag}/get-pub-key", Access::Read, getPublicKey},
        {"POST", "/kms/v1/keys/{keyTag}/migrate", Access::Write, migrate},
    };
    return r;
}

// ocapi-kr.… → KR, ocapi-jp.… → JPN, ocapi.… → global (NAVER's endpoints).
std::optional<std::string> regionFromHost(const std::string& host) {
    if (host.starts_with("ocapi-kr.")) return "KR";
    if (host.starts_with("ocapi-jp.")) return "JPN";
    if (host.starts_with("ocapi.")) return std::string(kGlobalRegion);
    return std::nullopt;
}

Response run(Request& req, Services& services, Authenticator& auth, const Route& route) {
    noteParams(req, {{"keyTag", "key_tag"}});
    try {
        ProjectScope scope;
        if (usesKeyToken(req)) {
            // The token names its own project and region (those of the key it was made for).
            const KeyAccessToken t =
                keyToken(req, services, tokenUse(route.method, route.path), auth.now());
            scope = ProjectScope{t.domainId, t.projectId, t.region};
            // A key access token is no credential: no access key, and its own role word.
            req.audit.domainId = t.domainId;
            req.audit.projectId = t.projectId;
            req.audit.role = "key-access-token";
        } else {
            const Principal principal = authenticate(req, auth);
            notePrincipal(req.audit, principal);
            const std::string region =
                selectRegion(req, principal, *services.regions, regionFromHost);
            scope = auth.scopeInRegion(principal, region, route.access);
        }
        const bool hasBody = (req.method == "POST" || req.method == "PUT") && !req.body.empty();
        NcpCall call{req, JsonBody::parse(hasBody ? req.body : "{}"), scope, services};
        const auto out = route.handler(call);
        // create-key and migrate answer the keyTag they made or moved.
        noteMembers(req.audit, member(out, "data"), {{"keyTag", "key_tag"}});
        return Response::json(200, stringify(out));
    } catch (const AuthError& e) {
        return ncpAuthError(e);
    } catch (const Error& e) {
        return ncpError(e);
    }
}

}  // namespace

Object::Ptr ok(const Object::Ptr& data) {
    auto o = object();
    o->set("code", "SUCCESS");
    o->set("msg", "");
    o->set("data", data);
    return o;
}

std::string keyTag(const std::string& domainId, const std::string& keyName) {
    const std::string in = "keyport-ncp-keytag\n" + domainId + "\n" + keyName;
    return hexEncode(digest(hsm::Hash::Sha256, hsm::asBytes(in))).substr(0, 52);
}

void addNcloudRoutes(Router& router, Services& services, Authenticator& auth) {
    for (const Route& route : routes()) {
        router.add(route.method, route.path, [&services, &auth, &route](Request& req) {
            return run(req, services, auth, route);
        });
    }
    router.addDialect(
        "ncloud", [](std::string_view path) { return path.starts_with("/kms/"); },
        ncpTransportError);
}

}  // namespace keyport::api::ncloud
