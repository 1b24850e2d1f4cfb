#include "service/api/huawei/csms_api.h"

#include <Poco/URI.h>

#include "service/api/huawei/csms_errors.h"
#include "service/api/huawei/kms_auth.h"
#include "service/api/json.h"
#include "service/core/base/encoding.h"

namespace keyport::api::huawei {
namespace {

using Poco::JSON::Object;

// One authenticated CSMS request as its handler sees it.
struct CsmsCall {
    Request& req;
    JsonBody body;
    ProjectScope scope;
    SecretService& secrets;

    const std::string& name() const { return req.param("secret_name"); }
};

using CsmsHandler = Object::Ptr (*)(CsmsCall&);

std::int64_t ms(std::int64_t v) {
    return v;
}

Object::Ptr secretJson(const SecretView& v) {
    const SecretRecord& s = v.secret;
    auto o = object();
    o->set("id", s.id);
    o->set("name", s.name);
    // Huawei's SecretState words (ENABLED, DISABLED, PENDING_DELETE, FROZEN).
    o->set("state", s.state == SecretState::PendingDeletion ? "PENDING_DELETE" : "ENABLED");
    o->set("kms_key_id", s.kmsKeyId);
    o->set("description", s.description);
    o->set("create_time", ms(s.createdMs));
    o->set("update_time", ms(s.updatedMs));
    o->set("scheduled_delete_time",
           s.scheduledDeleteMs ? Poco::Dynamic::Var(*s.scheduledDeleteMs) : Poco::Dynamic::Var());
    o->set("region", s.region);
    o->set("version_count", static_cast<Poco::Int64>(v.versions));
    // Keyport's additions (API.md §2): the replica role and the relation both ways.
    o->set("replica_role", s.isReplica() ? "REPLICA" : "PRIMARY");
    if (v.primary) {
        auto p = object();
        p->set("secret_id", v.primary->id);
        p->set("region", v.primary->region);
        p->set("project_id", v.primary->projectId);
        o->set("primary", p);
    }
    Poco::JSON::Array::Ptr replicas = new Poco::JSON::Array;
    for (const auto& r : v.replicas) {
        auto x = object();
        x->set("replica_id", r.replica.id);
        x->set("region", r.replica.region);
        x->set("project_id", r.replica.projectId);
        x->set("kms_key_id", r.replica.kmsKeyId);
        x->set("sync_state", r.inSync ? "SYNCED" : "SYNCING");
        x->set("version_count", static_cast<Poco::Int64>(r.versions));
        replicas->add(x);
    }
    o->set("replicas", replicas);
    return o;
}

Object::Ptr secretResponse(const SecretView& v) {
    auto o = object();
    o->set("secret", secretJson(v));
    return o;
}

Object::Ptr versionMetadata(const VersionView& v) {
    auto o = object();
    o->set("id", v.versionId);
    o->set("create_time", ms(v.createdMs));
    Poco::JSON::Array::Ptr stages = new Poco::JSON::Array;
    for (const auto& s : v.stages) stages->add(s);
    o->set("version_stages", stages);
    o->set("secret_name", v.secretName);
    return o;
}

// Our copy of a secret field, wiped on the way out (also on a throw).
struct WipeOnExit {
    std::optional<std::string>& s;
    ~WipeOnExit() {
        if (s) wipe(*s);
    }
};

// Exactly one of secret_string and secret_binary (base64).
SecretValue valueOf(const JsonBody& body) {
    auto text = body.optString("secret_string");
    auto binary = body.optString("secret_binary");
    const WipeOnExit wipeText{text}, wipeBinary{binary};
    if (text.has_value() == binary.has_value()) {
        throw Error(ErrorCode::InvalidParameter,
                    "give exactly one of secret_string and secret_binary", "secret_string");
    }
    if (text) return SecretValue{hsm::SecretBytes::fromString(*text), false};
    auto decoded = base64DecodeSecret(*binary);
    if (!decoded)
        throw Error(ErrorCode::InvalidParameter, "secret_binary must be base64", "secret_binary");
    return SecretValue{std::move(*decoded), true};
}

Object::Ptr createSecret(CsmsCall& c) {
    CreateSecret cmd;
    cmd.name = c.body.string("name");
    cmd.description = c.body.optString("description").value_or("");
    cmd.kmsKeyId = c.body.optString("kms_key_id");
    cmd.value = valueOf(c.body);
    return secretResponse(c.secrets.create(c.scope, cmd));
}

Object::Ptr listSecrets(CsmsCall& c) {
    std::size_t limit = 50;
    std::optional<std::string> marker;
    for (const auto& [k, v] : Poco::URI("/?" + c.req.query).getQueryParameters()) {
        if (k == "limit") {
            try {
                limit = std::stoul(v);
            } catch (const std::exception&) {
                limit = 0;
            }
            if (limit < 1 || limit > 200)
                throw Error(ErrorCode::InvalidParameter, "limit must be 1 to 200", "limit");
        } else if (k == "marker") {
            marker = v;
        }
    }
    const auto list = c.secrets.list(c.scope, limit, marker);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& s : list) arr->add(secretJson(SecretView{s, std::nullopt, {}, 0}));
    auto page = object();
    page->set("next_marker",
              list.size() == limit ? Poco::Dynamic::Var(list.back().name) : Poco::Dynamic::Var());
    page->set("total_count", static_cast<Poco::Int64>(list.size()));
    auto o = object();
    o->set("secrets", arr);
    o->set("page_info", page);
    return o;
}

Object::Ptr describeSecret(CsmsCall& c) {
    return secretResponse(c.secrets.describe(c.scope, c.name()));
}

Object::Ptr updateSecret(CsmsCall& c) {
    return secretResponse(c.secrets.update(c.scope, c.name(), c.body.optString("description"),
                                           c.body.optString("kms_key_id")));
}

Object::Ptr deleteSecret(CsmsCall& c) {
    return secretResponse(c.secrets.scheduleDeletion(c.scope, c.name()));
}

Object::Ptr restoreSecret(CsmsCall& c) {
    return secretResponse(c.secrets.restore(c.scope, c.name()));
}

Object::Ptr createVersion(CsmsCall& c) {
    auto o = object();
    o->set("version_metadata",
           versionMetadata(c.secrets.putVersion(c.scope, c.name(), valueOf(c.body))));
    return o;
}

Object::Ptr listVersions(CsmsCall& c) {
    const auto versions = c.secrets.listVersions(c.scope, c.name());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& v : versions) arr->add(versionMetadata(v));
    auto page = object();
    page->set("next_marker", Poco::Dynamic::Var());
    page->set("total_count", static_cast<Poco::Int64>(versions.size()));
    auto o = object();
    o->set("version_metadatas", arr);
    o->set("page_info", page);
    return o;
}

Object::Ptr getVersion(CsmsCall& c) {
    const VersionValue v = c.secrets.getVersion(c.scope, c.name(), c.req.param("version_id"));
    auto inner = object();
    inner->set("version_metadata", versionMetadata(v.meta));
    if (v.value.binary) {
        setSecret(inner, "secret_binary", base64Encode(v.value.bytes.reveal()));
    } else {
        setSecret(inner, "secret_string", std::string(v.value.bytes.revealString()));
    }
    auto o = object();
    o->set("version", inner);
    return o;
}

Object::Ptr stageResponse(const std::string& stage, const VersionView& v) {
    auto s = object();
    s->set("name", stage);
    s->set("version_id", v.versionId);
    s->set("secret_name", v.secretName);
    auto o = object();
    o->set("stage", s);
    return o;
}

Object::Ptr putStage(CsmsCall& c) {
    const std::string& stage = c.req.param("stage_name");
    return stageResponse(stage,
                         c.secrets.putStage(c.scope, c.name(), stage, c.body.string("version_id")));
}

Object::Ptr getStage(CsmsCall& c) {
    const std::string& stage = c.req.param("stage_name");
    return stageResponse(stage, c.secrets.getStage(c.scope, c.name(), stage));
}

Object::Ptr createReplica(CsmsCall& c) {
    auto o = object();
    o->set("replica_id", c.secrets.replicate(c.scope, c.name(), c.body.string("region"),
                                             c.body.optString("kms_key_id")));
    return o;
}

struct Route {
    const char* method;
    const char* path;  // below /v1/{project_id}/
    Access access;
    CsmsHandler handler;
};

const std::vector<Route>& routes() {
    static const std::vector<Route> r{
        {"POST", "secrets", Access::Write, createSecret},
        {"GET", "secrets", Access::Read, listSecrets},
        {"GET", "secrets/{secret_name}", Access::Read, describeSecret},
        {"PUT", "secrets/{secret_name}", Access::Write, updateSecret},
        {"DELETE", "secrets/{secret_name}", Access::Write, deleteSecret},
        {"POST", "secrets/{secret_name}/restore", Access::Write, restoreSecret},
        {"POST", "secrets/{secret_name}/versions", Access::Write, createVersion},
        {"GET", "secrets/{secret_name}/versions", Access::Read, listVersions},
        {"GET", "secrets/{secret_name}/versions/{version_id}", Access::Read, getVersion},
        {"PUT", "secrets/{secret_name}/stages/{stage_name}", Access::Write, putStage},
        {"GET", "secrets/{secret_name}/stages/{stage_name}", Access::Read, getStage},
        {"POST", "secrets/{secret_name}/replicas", Access::Write, createReplica},
    };
    return r;
}

Response run(Request& req, Services& services, Authenticator& auth, const Route& route) {
    try {
        const Principal principal = authenticate(req, auth);
        const ProjectScope scope = auth.scope(principal, req.param("project_id"), route.access);
        // Bodiless POSTs (restore) are fine; GET and DELETE bodies are ignored.
        const bool hasBody = (req.method == "POST" || req.method == "PUT") && !req.body.empty();
        CsmsCall call{req, JsonBody::parse(hasBody ? req.body : "{}"), scope, *services.secrets};
        const auto out = route.handler(call);
        return Response::json(200, out ? stringify(out) : std::string());
    } catch (const AuthError& e) {
        return csmsAuthError(e);
    } catch (const Error& e) {
        return csmsError(e);
    }
}

}  // namespace

void addCsmsRoutes(Router& router, Services& services, Authenticator& auth) {
    for (const Route& route : routes()) {
        router.add(
            route.method, std::string("/v1/{project_id}/") + route.path,
            [&services, &auth, &route](Request& req) { return run(req, services, auth, route); });
    }
    router.addDialect([](std::string_view path) { return path.starts_with("/v1/"); },
                      csmsTransportError);
}

}  // namespace keyport::api::huawei
