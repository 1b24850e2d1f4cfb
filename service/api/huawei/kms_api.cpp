#include "service/api/huawei/kms_api.h"

#include "service/api/audit_note.h"
#include "service/api/huawei/kms_auth.h"
#include "service/api/huawei/kms_call.h"
#include "service/api/huawei/kms_errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::huawei {
namespace {

struct Route {
    const char* method;
    const char* path;  // below /v1.0/{project_id}/kms/
    Access access;
    bool storeResponse;  // false where the response carries plaintext
    KmsHandler handler;
};

Response authFailure(const AuthError& e) {
    switch (e.kind()) {
        case AuthFailure::Missing:
            return kmsError(401, "KMS.0301", e.what());
        case AuthFailure::Invalid:
            return kmsError(401, "KMS.0302", e.what());
        case AuthFailure::Expired:
            return kmsError(401, "KMS.0303", e.what());
        case AuthFailure::Forbidden:
            break;
    }
    return kmsError(403, "KMS.0307", e.what());
}

std::string sequenceOf(const JsonBody& body) {
    auto seq = body.optString("sequence");
    if (!seq) return {};
    if (seq->size() != 36)
        throw Error(ErrorCode::InvalidParameter, "sequence must be 36 characters", "sequence");
    return *seq;
}

// The ids a KMS request body names (the fields the handlers read).
void noteRequestObjects(RequestAudit& audit, const JsonBody& body) {
    noteMembers(audit, body.root(),
                {{"key_id", "key_id"},
                 {"target_key_id", "key_id"},
                 {"source_key_id", "key_id"},
                 {"destination_key_id", "key_id"},
                 {"grant_id", "grant_id"},
                 {"alias", "alias"},
                 {"key_alias", "alias"}});
    noteArray(audit, body.root(), "aliases", "alias");
}

// What a KMS request created (create-key's key_info, create-grant's grant_id).
void noteResponseObjects(RequestAudit& audit, const Poco::JSON::Object::Ptr& out) {
    noteMembers(audit, out, {{"key_id", "key_id"}, {"grant_id", "grant_id"}});
    noteMembers(audit, member(out, "key_info"), {{"key_id", "key_id"}});
}

Response run(Request& req, Services& services, Authenticator& auth, Idempotency& idem,
             const Route& route) {
    noteParams(req, {{"key_id", "key_id"}});
    try {
        const Principal principal = authenticate(req, auth);
        notePrincipal(req.audit, principal);
        const ProjectScope scope = auth.scope(principal, req.param("project_id"), route.access);
        // DELETE aliases carries a body (DeleteAliasRequestBody); a bodiless DELETE does not.
        const bool hasBody = req.method == "POST" || req.method == "PUT" ||
                             (req.method == "DELETE" && !req.body.empty());
        KmsCall call{req, hasBody ? JsonBody::parse(req.body) : JsonBody::parse("{}"), principal,
                     scope, services};
        noteRequestObjects(req.audit, call.body);

        const std::string sequence = hasBody ? sequenceOf(call.body) : std::string();
        hsm::Bytes requestHash;
        if (!sequence.empty()) {
            const std::string bound = req.method + " " + req.path + "\n" + req.body;
            requestHash = digest(hsm::Hash::Sha256, hsm::asBytes(bound));
            if (auto seen = idem.lookup(scope.projectId, sequence, requestHash);
                seen && seen->response) {
                return *seen->response;
            }
        }
        actUnderGrant(call, route.path);
        noteActingScope(req.audit, principal, call.scope);
        const auto out = route.handler(call);
        noteResponseObjects(req.audit, out);
        Response res = Response::json(call.status, out ? stringify(out) : std::string());
        if (!sequence.empty())
            idem.record(scope.projectId, sequence, requestHash, res, route.storeResponse);
        return res;
    } catch (const AuthError& e) {
        return authFailure(e);
    } catch (const Error& e) {
        return kmsError(e);
    }
}

const std::vector<Route>& routes() {
    static const std::vector<Route> r{
        {"POST", "create-key", Access::Write, true, createKey},
        {"POST", "describe-key", Access::Read, true, describeKey},
        {"POST", "list-keys", Access::Read, true, listKeys},
        {"POST", "enable-key", Access::Write, true, enableKey},
        {"POST", "disable-key", Access::Write, true, disableKey},
        {"POST", "schedule-key-deletion", Access::Write, true, scheduleKeyDeletion},
        {"POST", "cancel-key-deletion", Access::Write, true, cancelKeyDeletion},
        {"POST", "update-key-alias", Access::Write, true, updateKeyAlias},
        {"POST", "update-key-description", Access::Write, true, updateKeyDescription},
        {"GET", "{key_id}/tags", Access::Read, true, listTags},
        {"POST", "{key_id}/tags", Access::Write, true, createTag},
        {"DELETE", "{key_id}/tags/{tag_key}", Access::Write, true, deleteTag},
        {"POST", "get-parameters-for-import", Access::Write, true, getParametersForImport},
        {"POST", "import-key-material", Access::Write, true, importKeyMaterial},
        {"POST", "delete-imported-key-material", Access::Write, true, deleteImportedKeyMaterial},
        {"POST", "encrypt-data", Access::Write, true, encryptData},
        {"POST", "decrypt-data", Access::Write, false, decryptData},
        {"POST", "create-datakey", Access::Write, false, createDataKey},
        {"POST", "create-datakey-without-plaintext", Access::Write, true,
         createDataKeyWithoutPlaintext},
        {"POST", "encrypt-datakey", Access::Write, true, encryptDataKey},
        {"POST", "decrypt-datakey", Access::Write, false, decryptDataKey},
        {"POST", "sign", Access::Write, true, sign},
        {"POST", "verify", Access::Read, true, verify},
        {"POST", "get-publickey", Access::Read, true, getPublicKey},
        {"POST", "gen-random", Access::Read, false, genRandom},
        {"GET", "tags", Access::Read, true, listProjectTags},
        {"POST", "resource_instances/action", Access::Read, true, listKeysByTags},
        {"POST", "{key_id}/tags/action", Access::Write, true, batchKeyTags},
        {"POST", "aliases", Access::Write, true, createAlias},
        {"GET", "aliases", Access::Read, true, listAliases},
        {"DELETE", "aliases", Access::Write, true, deleteAlias},
        {"POST", "alias/associate", Access::Write, true, associateAlias},
        {"POST", "create-grant", Access::Write, true, createGrant},
        {"POST", "list-grants", Access::Read, true, listGrants},
        {"POST", "revoke-grant", Access::Write, true, revokeGrant},
        {"POST", "retire-grant", Access::Write, true, retireGrant},
        {"POST", "list-retirable-grants", Access::Read, true, listRetirableGrants},
        {"GET", "user-instances", Access::Read, true, showUserInstances},
        {"GET", "user-quotas", Access::Read, true, showUserQuotas},
        {"POST", "generate-mac", Access::Write, true, generateMac},
        {"POST", "verify-mac", Access::Read, true, verifyMac},
        {"POST", "derive-shared-secret", Access::Write, false, deriveSharedSecret},
        {"POST", "create-rsa-datakey-pair", Access::Write, false, createRsaDataKeyPair},
        {"POST", "create-ec-datakey-pair", Access::Write, false, createEcDataKeyPair},
        {"POST", "enable-key-rotation", Access::Write, true, enableKeyRotation},
        {"POST", "disable-key-rotation", Access::Write, true, disableKeyRotation},
        {"POST", "get-key-rotation-status", Access::Read, true, getKeyRotationStatus},
        {"POST", "update-key-rotation-interval", Access::Write, true, updateKeyRotationInterval},
        {"POST", "rotate-on-demand", Access::Write, true, rotateOnDemand},
        {"POST", "re-encrypt", Access::Write, true, reEncrypt},
    };
    return r;
}

// KMS v2 (below /v2/{project_id}/kms/).
const std::vector<Route>& v2Routes() {
    static const std::vector<Route> r{
        {"POST", "keys/{key_id}/replicate", Access::Write, true, replicateKey},
        {"GET", "regions", Access::Read, true, listSupportRegions},
        {"PUT", "keys/{key_id}/update-primary-region", Access::Write, true, updatePrimaryRegion},
    };
    return r;
}

}  // namespace

void addKmsRoutes(Router& router, Services& services, Authenticator& auth,
                  Idempotency& idempotency) {
    auto add = [&](const std::string& base, const Route& route) {
        router.add(route.method, base + route.path,
                   [&services, &auth, &idempotency, &route](Request& req) {
                       return run(req, services, auth, idempotency, route);
                   });
    };
    for (const Route& route : routes()) add("/v1.0/{project_id}/kms/", route);
    for (const Route& route : v2Routes()) add("/v2/{project_id}/kms/", route);
    // ShowVersions (GET /) and ShowVersion (GET /v1.0, /v2): public metadata, as Huawei's
    // version endpoints need no credentials (model/ShowVersionsResponse.ts,
    // ShowVersionResponse.ts).
    router.add("GET", "/", [](Request&) {
        Poco::JSON::Array::Ptr versions = new Poco::JSON::Array;
        versions->add(apiVersion("v1.0", "CURRENT"));
        versions->add(apiVersion("v2", "SUPPORTED"));
        auto o = object();
        o->set("versions", versions);
        return Response::json(200, stringify(o));
    });
    for (const char* id : {"v1.0", "v2"}) {
        const std::string version = id;
        router.add("GET", "/" + version, [version](Request&) {
            auto o = object();
            o->set("version", apiVersion(version, version == "v1.0" ? "CURRENT" : "SUPPORTED"));
            return Response::json(200, stringify(o));
        });
    }
    router.addDialect(
        "huawei-kms",
        [](std::string_view path) {
            return path.starts_with("/v1.0/") || path.starts_with("/v2/");
        },
        kmsTransportError);
}

}  // namespace keyport::api::huawei
