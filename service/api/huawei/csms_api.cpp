#include "service/api/huawei/csms_api.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <regex>

#include "service/api/audit_note.h"
#include "service/api/huawei/csms_errors.h"
#include "service/api/huawei/kms_auth.h"
#include "service/api/json.h"
#include "service/api/request_target.h"
#include "service/core/base/encoding.h"
#include "service/core/secrets/secret_password.h"

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

// Times are epoch milliseconds, as Huawei's CSMS answers (its docs say seconds, its samples
// and service send milliseconds).
Poco::Int64 ms(std::int64_t v) {
    return static_cast<Poco::Int64>(v);
}

Poco::JSON::Array::Ptr strings(const std::vector<std::string>& v) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& x : v) a->add(x);
    return a;
}

// "30d" / "6h" (Huawei: 1d to 365d, 6h to 8760h) in ms; nullopt when malformed.
std::optional<std::int64_t> rotationPeriodMs(const std::string& p) {
    static const std::regex re("^([0-9]{1,4})([dh])$");
    std::smatch m;
    if (!std::regex_match(p, m, re)) return std::nullopt;
    const std::int64_t n = std::stoll(m[1].str());
    if (m[2] == "d" ? (n < 1 || n > 365) : (n < 6 || n > 8760)) return std::nullopt;
    return n * (m[2] == "d" ? 86400000 : 3600000);
}

// model/Secret.ts: every field, each with a value of its type (0 / "" / [] rather than null).
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
    o->set("scheduled_delete_time", ms(s.scheduledDeleteMs.value_or(0)));
    o->set("secret_type", s.secretType);
    o->set("auto_rotation", s.autoRotation);
    o->set("rotation_period", s.rotationPeriod);
    o->set("rotation_config", s.rotationConfig);
    o->set("rotation_time", ms(s.rotatedMs));
    std::int64_t next = 0;
    if (s.autoRotation) {
        if (const auto period = rotationPeriodMs(s.rotationPeriod))
            next = (s.rotatedMs ? s.rotatedMs : s.createdMs) + *period;
    }
    o->set("next_rotation_time", ms(next));
    o->set("event_subscriptions", strings(s.eventSubscriptions));
    o->set("enterprise_project_id", s.enterpriseProjectId);
    o->set("rotation_func_urn", "");
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

// model/VersionMetadata.ts
Object::Ptr versionMetadata(const VersionView& v) {
    auto o = object();
    o->set("id", v.versionId);
    o->set("create_time", ms(v.createdMs));
    o->set("expire_time", ms(v.expireMs));
    o->set("kms_key_id", v.kmsKeyId);
    o->set("secret_name", v.secretName);
    o->set("version_stages", strings(v.stages));
    return o;
}

Object::Ptr versionMetadataResponse(const VersionView& v) {
    auto o = object();
    o->set("version_metadata", versionMetadata(v));
    return o;
}

// model/PageInfo.ts
Object::Ptr pageInfo(const std::string& next, const std::string& previous, std::size_t count) {
    auto page = object();
    page->set("next_marker", next);
    page->set("previous_marker", previous);
    page->set("current_count", static_cast<Poco::Int64>(count));
    return page;
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

std::optional<std::vector<std::string>> optStrings(const JsonBody& body, const std::string& name) {
    if (!body.has(name) || body.root()->isNull(name)) return std::nullopt;
    const auto a = body.array(name);
    if (!a) throw Error(ErrorCode::InvalidParameter, name + " must be an array of strings", name);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < a->size(); ++i) {
        const auto v = a->get(static_cast<unsigned>(i));
        if (!v.isString())
            throw Error(ErrorCode::InvalidParameter, name + " must be an array of strings", name);
        out.push_back(v.extract<std::string>());
    }
    return out;
}

std::optional<std::string> optRotationPeriod(const JsonBody& body) {
    auto p = body.optString("rotation_period");
    if (p && !rotationPeriodMs(*p)) {
        throw Error(ErrorCode::InvalidParameter,
                    "rotation_period must be 1d to 365d or 6h to 8760h", "rotation_period");
    }
    return p;
}

std::optional<std::vector<std::string>> optEvents(const JsonBody& body) {
    auto e = optStrings(body, "event_subscriptions");
    static const std::regex re("^[a-zA-Z0-9_-]{1,64}$");
    if (e) {
        if (e->size() > 1)
            throw Error(ErrorCode::InvalidParameter,
                        "event_subscriptions takes at most one event name", "event_subscriptions");
        for (const auto& x : *e) {
            if (!std::regex_match(x, re))
                throw Error(ErrorCode::InvalidParameter,
                            "event_subscriptions names must match ^[a-zA-Z0-9_-]{1,64}$",
                            "event_subscriptions");
        }
    }
    return e;
}

// model/CreateSecretRequestBody.ts
CreateSecret createCommand(const JsonBody& body) {
    CreateSecret cmd;
    cmd.name = body.string("name");
    cmd.description = body.optString("description").value_or("");
    cmd.kmsKeyId = body.optString("kms_key_id");
    cmd.secretType = body.optString("secret_type").value_or(kSecretTypeCommon);
    if (cmd.secretType != "COMMON" && cmd.secretType != "RDS-FG" &&
        cmd.secretType != "GaussDB-FG") {
        throw Error(ErrorCode::InvalidParameter, "secret_type must be COMMON, RDS-FG or GaussDB-FG",
                    "secret_type");
    }
    cmd.autoRotation = body.optBool("auto_rotation").value_or(false);
    cmd.rotationPeriod = optRotationPeriod(body).value_or("");
    if (cmd.autoRotation && cmd.rotationPeriod.empty()) cmd.rotationPeriod = "30d";
    cmd.rotationConfig = body.optString("rotation_config").value_or("");
    cmd.eventSubscriptions = optEvents(body).value_or(std::vector<std::string>{});
    cmd.enterpriseProjectId = body.optString("enterprise_project_id").value_or("0");
    if (cmd.enterpriseProjectId.empty() || cmd.enterpriseProjectId.size() > 36) {
        throw Error(ErrorCode::InvalidParameter, "enterprise_project_id must be 1 to 36 characters",
                    "enterprise_project_id");
    }
    cmd.value = valueOf(body);
    return cmd;
}

Object::Ptr createSecret(CsmsCall& c) {
    return secretResponse(c.secrets.create(c.scope, createCommand(c.body)));
}

// model/ImportSecretsRequest.ts ({secrets: [CreateSecretRequestBody], total}) →
// model/BatchImportSecretsResponse.ts, ErrorInfo.ts. Each secret is created on its own, as
// the model's success/failed counts say; a failed one is named in error_list.
Object::Ptr batchImport(CsmsCall& c) {
    const auto arr = c.body.array("secrets");
    if (!arr) throw Error(ErrorCode::MissingParameter, "secrets is required", "secrets");
    if (arr->size() < 1 || arr->size() > 50)
        throw Error(ErrorCode::InvalidParameter, "secrets must hold 1 to 50 secrets", "secrets");
    const auto total = c.body.optInteger("total", 1, 50);
    if (total && static_cast<std::size_t>(*total) != arr->size())
        throw Error(ErrorCode::InvalidParameter, "total must be the number of secrets", "total");
    Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
    std::size_t ok = 0;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto item = arr->getObject(static_cast<unsigned>(i));
        std::string name;
        try {
            if (!item)
                throw Error(ErrorCode::InvalidParameter, "each secret is an object", "secrets");
            name = item->optValue<std::string>("name", "");
            // The item's text holds its value: wiped once parsed.
            SecretText text{stringify(item)};
            c.secrets.create(c.scope, createCommand(JsonBody::parse(text.text)));
            ++ok;
        } catch (const Error& e) {
            auto x = object();
            x->set("name", name);
            x->set("error_msg", csmsErrorMessage(e));
            errors->add(x);
        }
    }
    auto o = object();
    o->set("error_list", errors);
    o->set("total", static_cast<Poco::Int64>(arr->size()));
    o->set("success", static_cast<Poco::Int64>(ok));
    o->set("failed", static_cast<Poco::Int64>(arr->size() - ok));
    return o;
}

// limit (1 to 200, default 50) and marker from the query, as model/ListSecretsRequest.ts.
struct Paging {
    std::size_t limit = 50;
    std::string marker;
};

Paging paging(const Request& req) {
    Paging p;
    const auto query = queryParameters(req.query);
    if (!query) throw Error(ErrorCode::MalformedRequest, "the query is not valid percent-encoding");
    for (const auto& [k, v] : *query) {
        if (k == "limit") {
            std::size_t n = 0;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || n < 1 || n > 200)
                throw Error(ErrorCode::InvalidParameter, "limit must be 1 to 200", "limit");
            p.limit = n;
        } else if (k == "marker") {
            p.marker = v;
        }
    }
    return p;
}

// model/ListSecretsResponse.ts
Object::Ptr listSecrets(CsmsCall& c) {
    const Paging p = paging(c.req);
    const auto list = c.secrets.list(
        c.scope, p.limit, p.marker.empty() ? std::nullopt : std::optional<std::string>(p.marker));
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& s : list) arr->add(secretJson(SecretView{s, std::nullopt, {}, 0}));
    auto o = object();
    o->set("secrets", arr);
    o->set("page_info",
           pageInfo(list.size() == p.limit ? list.back().name : "", p.marker, list.size()));
    return o;
}

Object::Ptr describeSecret(CsmsCall& c) {
    return secretResponse(c.secrets.describe(c.scope, c.name()));
}

// model/UpdateSecretRequestBody.ts
Object::Ptr updateSecret(CsmsCall& c) {
    SecretUpdate u;
    u.description = c.body.optString("description");
    u.kmsKeyId = c.body.optString("kms_key_id");
    u.autoRotation = c.body.optBool("auto_rotation");
    u.rotationPeriod = optRotationPeriod(c.body);
    u.eventSubscriptions = optEvents(c.body);
    return secretResponse(c.secrets.update(c.scope, c.name(), u));
}

// DeleteSecret: at once and final (model/DeleteSecretResponse.ts is empty; Huawei answers 204).
Object::Ptr deleteSecret(CsmsCall& c) {
    c.secrets.remove(c.scope, c.name());
    return nullptr;
}

// model/DeleteSecretForScheduleRequestBody.ts: recovery_window_in_days, 7 to 30 (default 30).
Object::Ptr scheduleDeletion(CsmsCall& c) {
    const auto days = c.body.optInteger("recovery_window_in_days", 7, 30).value_or(30);
    return secretResponse(c.secrets.scheduleDeletion(c.scope, c.name(), static_cast<int>(days)));
}

// RestoreSecret (model/RestoreSecretResponse.ts): cancels a scheduled deletion.
Object::Ptr cancelDeletion(CsmsCall& c) {
    return secretResponse(c.secrets.cancelDeletion(c.scope, c.name()));
}

// model/CreateSecretVersionRequestBody.ts (version_stages: 1 to 12 names)
Object::Ptr createVersion(CsmsCall& c) {
    const auto stages = optStrings(c.body, "version_stages");
    return versionMetadataResponse(
        c.secrets.putVersion(c.scope, c.name(), valueOf(c.body), stages));
}

// model/ListSecretVersionsResponse.ts
Object::Ptr listVersions(CsmsCall& c) {
    const Paging p = paging(c.req);
    const VersionPage page = c.secrets.listVersions(c.scope, c.name(), p.limit, p.marker);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& v : page.versions) arr->add(versionMetadata(v));
    auto o = object();
    o->set("version_metadatas", arr);
    o->set("page_info", pageInfo(page.nextMarker, page.previousMarker, page.versions.size()));
    return o;
}

// model/ShowSecretVersionResponse.ts, model/Version.ts (one of secret_string, secret_binary)
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

// model/UpdateVersionRequestBody.ts (expire_time, epoch ms) → model/UpdateVersionResponse.ts
Object::Ptr updateVersion(CsmsCall& c) {
    const auto expire = c.body.optInteger("expire_time", 1, INT64_MAX);
    if (!expire) throw Error(ErrorCode::MissingParameter, "expire_time is required", "expire_time");
    return versionMetadataResponse(
        c.secrets.updateVersion(c.scope, c.name(), c.req.param("version_id"), *expire));
}

// model/Stage.ts
Object::Ptr stageResponse(const StageView& v) {
    auto s = object();
    s->set("name", v.stage);
    s->set("update_time", ms(v.updatedMs));
    s->set("secret_name", v.secretName);
    s->set("version_id", v.versionId);
    auto o = object();
    o->set("stage", s);
    return o;
}

Object::Ptr putStage(CsmsCall& c) {
    return stageResponse(c.secrets.putStage(c.scope, c.name(), c.req.param("stage_name"),
                                            c.body.string("version_id")));
}

Object::Ptr getStage(CsmsCall& c) {
    return stageResponse(c.secrets.getStage(c.scope, c.name(), c.req.param("stage_name")));
}

// model/DeleteSecretStageResponse.ts is empty (204).
Object::Ptr deleteStage(CsmsCall& c) {
    c.secrets.deleteStage(c.scope, c.name(), c.req.param("stage_name"));
    return nullptr;
}

// model/RotateSecretResponse.ts. Keyport runs no rotation tasks: rotation_task_id is "".
Object::Ptr rotateSecret(CsmsCall& c) {
    const VersionView v = c.secrets.rotate(c.scope, c.name());
    auto o = object();
    o->set("version_id", v.versionId);
    o->set("secret_name", v.secretName);
    o->set("rotation_task_id", "");
    return o;
}

// model/DownloadSecretBlobResponse.ts
Object::Ptr backupSecret(CsmsCall& c) {
    auto o = object();
    o->set("secret_blob", base64Encode(c.secrets.backup(c.scope, c.name())));
    return o;
}

// model/UploadSecretBlobRequestBody.ts → model/UploadSecretBlobResponse.ts
Object::Ptr restoreSecret(CsmsCall& c) {
    const std::string text = c.body.string("secret_blob");
    const auto blob = base64Decode(text);
    if (!blob || blob->empty())
        throw Error(ErrorCode::InvalidParameter, "secret_blob must be base64", "secret_blob");
    return secretResponse(c.secrets.restore(c.scope, *blob));
}

// model/TagItem.ts
SecretTag tagOf(const Poco::JSON::Object::Ptr& t) {
    if (!t || !t->has("key") || !t->get("key").isString())
        throw Error(ErrorCode::InvalidParameter, "a tag needs a string key", "key");
    SecretTag tag{t->getValue<std::string>("key"), ""};
    if (t->has("value") && !t->isNull("value")) {
        if (!t->get("value").isString())
            throw Error(ErrorCode::InvalidParameter, "a tag's value must be a string", "value");
        tag.value = t->getValue<std::string>("value");
    }
    return tag;
}

Poco::JSON::Array::Ptr tagsJson(const std::vector<SecretTag>& tags) {
    Poco::JSON::Array::Ptr a = new Poco::JSON::Array;
    for (const auto& t : tags) {
        auto x = object();
        x->set("key", t.key);
        x->set("value", t.value);
        a->add(x);
    }
    return a;
}

const std::string& secretRef(CsmsCall& c) {
    return c.req.param("secret_id");
}

// model/CreateSecretTagRequestBody.ts ({"tag":{key,value}}); 204.
Object::Ptr createTag(CsmsCall& c) {
    const auto t = c.body.object("tag");
    if (!t) throw Error(ErrorCode::MissingParameter, "tag is required", "tag");
    c.secrets.putTags(c.scope, secretRef(c), {tagOf(t)});
    return nullptr;
}

// model/ListSecretTagsResponse.ts
Object::Ptr listTags(CsmsCall& c) {
    auto o = object();
    o->set("tags", tagsJson(c.secrets.tags(c.scope, secretRef(c))));
    o->set("sys_tags", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
    return o;
}

// DeleteSecretTag: the key is a path segment, percent-encoded on the wire; 204.
Object::Ptr deleteTag(CsmsCall& c) {
    const auto decoded = percentDecoded(c.req.param("key"));
    if (!decoded) throw Error(ErrorCode::InvalidParameter, "is not valid percent-encoding", "key");
    const std::string& key = *decoded;
    const auto tags = c.secrets.tags(c.scope, secretRef(c));
    if (std::none_of(tags.begin(), tags.end(), [&](const SecretTag& t) { return t.key == key; }))
        throw Error(ErrorCode::SecretNotFound, "the secret has no tag " + key, Input::TagKey);
    c.secrets.removeTags(c.scope, secretRef(c), {key});
    return nullptr;
}

// model/BatchCreateOrDeleteTagsRequestBody.ts: action create | delete; 204.
Object::Ptr batchTags(CsmsCall& c) {
    const std::string action = c.body.string("action");
    const auto arr = c.body.array("tags");
    if (!arr) throw Error(ErrorCode::MissingParameter, "tags is required", "tags");
    std::vector<SecretTag> tags;
    for (std::size_t i = 0; i < arr->size(); ++i)
        tags.push_back(tagOf(arr->getObject(static_cast<unsigned>(i))));
    if (tags.empty() || tags.size() > kMaxTagsPerSecret)
        throw Error(ErrorCode::InvalidParameter, "tags must hold 1 to 20 tags", "tags");
    if (action == "create") {
        c.secrets.putTags(c.scope, secretRef(c), tags);
    } else if (action == "delete") {
        std::vector<std::string> keys;
        for (const auto& t : tags) keys.push_back(t.key);
        c.secrets.removeTags(c.scope, secretRef(c), keys);
    } else {
        throw Error(ErrorCode::InvalidParameter, "action must be create or delete", "action");
    }
    return nullptr;
}

// model/ListResourceInstancesRequestBody.ts (action filter | count, limit and offset as
// strings, tags [{key, values}], matches [{key: resource_name, value}]) →
// model/ListResourceInstancesResponse.ts, model/ActionResources.ts
Object::Ptr listResourceInstances(CsmsCall& c) {
    if (c.req.param("resource_instances") != "resource_instances")
        throw Error(ErrorCode::SecretNotFound, "no such API");
    const std::string action = c.body.string("action");
    if (action != "filter" && action != "count")
        throw Error(ErrorCode::InvalidParameter, "action must be filter or count", "action");
    const auto limit = c.body.optInteger("limit", 1, 1000).value_or(1000);
    const auto offset = c.body.optInteger("offset", 0, INT32_MAX).value_or(0);
    const SecretTagFilter filter = secretTagFilter(c.body);
    const auto found = c.secrets.findByTags(c.scope, filter);
    Poco::JSON::Array::Ptr resources = new Poco::JSON::Array;
    if (action == "filter") {
        for (std::size_t i = static_cast<std::size_t>(offset);
             i < found.size() && resources->size() < static_cast<std::size_t>(limit); ++i) {
            auto r = object();
            r->set("resource_id", found[i].secret.id);
            r->set("resource_detail", secretJson(SecretView{found[i].secret, std::nullopt, {}, 0}));
            r->set("resource_name", found[i].secret.name);
            r->set("tags", tagsJson(found[i].tags));
            r->set("sys_tags", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
            resources->add(r);
        }
    }
    auto o = object();
    o->set("resources", resources);
    o->set("total_count", static_cast<Poco::Int64>(found.size()));
    return o;
}

// model/ListProjectSecretsTagsResponse.ts, model/TagResponse.ts
Object::Ptr listProjectTags(CsmsCall& c) {
    Poco::JSON::Array::Ptr tags = new Poco::JSON::Array;
    for (const auto& [key, values] : c.secrets.projectTags(c.scope)) {
        auto t = object();
        t->set("key", key);
        t->set("values", strings(values));
        tags->add(t);
    }
    auto o = object();
    o->set("tags", tags);
    return o;
}

Object::Ptr createReplica(CsmsCall& c) {
    auto o = object();
    o->set("replica_id", c.secrets.replicate(c.scope, c.name(), c.body.string("region"),
                                             c.body.optString("kms_key_id")));
    return o;
}

// model/CreatePasswordRequestBody.ts → model/GenerateRandomPasswordResponse.ts. Keyport knows
// one password policy (the body's rules); password_policy_name is accepted and not used.
Object::Ptr generatePassword(CsmsCall& c) {
    PasswordRules rules;
    rules.length = static_cast<std::size_t>(c.body.optInteger("length", 8, 128).value_or(32));
    rules.excludeCharacters = c.body.optString("exclude_characters").value_or("");
    if (rules.excludeCharacters.size() > 256)
        throw Error(ErrorCode::InvalidParameter, "exclude_characters is at most 256 characters",
                    "exclude_characters");
    rules.excludeLowercase = c.body.optBool("exclude_lowercase").value_or(false);
    rules.excludeUppercase = c.body.optBool("exclude_uppercase").value_or(false);
    rules.excludeNumbers = c.body.optBool("exclude_numbers").value_or(false);
    rules.excludePunctuation = c.body.optBool("exclude_punctuation").value_or(false);
    rules.includeSpace = c.body.optBool("include_space").value_or(false);
    rules.requireEachIncludedType = c.body.optBool("require_each_included_type").value_or(true);
    (void)c.body.optString("password_policy_name");
    const hsm::SecretBytes password = c.secrets.generatePassword(c.scope, rules);
    auto o = object();
    setSecret(o, "password", std::string(password.revealString()));
    return o;
}

struct Route {
    const char* method;
    const char* path;  // below /v1/{project_id}/
    Access access;
    CsmsHandler handler;
};

// The CsmsClient.ts / csms_meta.go request definitions Keyport serves; every other CSMS
// operation (access points, agencies, users, grants, function templates, events,
// notifications, tasks, secret checks and config) answers the dialect's 404.
const std::vector<Route>& routes() {
    static const std::vector<Route> r{
        {"POST", "secrets", Access::Write, createSecret},
        {"GET", "secrets", Access::Read, listSecrets},
        {"POST", "secrets/restore", Access::Write, restoreSecret},
        {"POST", "secrets/batch-import", Access::Write, batchImport},
        {"GET", "secrets/{secret_name}", Access::Read, describeSecret},
        {"PUT", "secrets/{secret_name}", Access::Write, updateSecret},
        {"DELETE", "secrets/{secret_name}", Access::Write, deleteSecret},
        {"POST", "secrets/{secret_name}/scheduled-deleted-tasks/create", Access::Write,
         scheduleDeletion},
        {"POST", "secrets/{secret_name}/scheduled-deleted-tasks/cancel", Access::Write,
         cancelDeletion},
        {"POST", "secrets/{secret_name}/backup", Access::Read, backupSecret},
        {"POST", "secrets/{secret_name}/rotate", Access::Write, rotateSecret},
        {"POST", "secrets/{secret_name}/versions", Access::Write, createVersion},
        {"GET", "secrets/{secret_name}/versions", Access::Read, listVersions},
        {"GET", "secrets/{secret_name}/versions/{version_id}", Access::Read, getVersion},
        {"PUT", "secrets/{secret_name}/versions/{version_id}", Access::Write, updateVersion},
        {"PUT", "secrets/{secret_name}/stages/{stage_name}", Access::Write, putStage},
        {"GET", "secrets/{secret_name}/stages/{stage_name}", Access::Read, getStage},
        {"DELETE", "secrets/{secret_name}/stages/{stage_name}", Access::Write, deleteStage},
        {"POST", "secrets/{secret_name}/replicas", Access::Write, createReplica},
        {"POST", "csms/{secret_id}/tags", Access::Write, createTag},
        {"GET", "csms/{secret_id}/tags", Access::Read, listTags},
        {"DELETE", "csms/{secret_id}/tags/{key}", Access::Write, deleteTag},
        {"POST", "csms/{secret_id}/tags/action", Access::Write, batchTags},
        {"POST", "csms/{resource_instances}/action", Access::Read, listResourceInstances},
        {"GET", "csms/tags", Access::Read, listProjectTags},
        {"POST", "csms/generate-password", Access::Read, generatePassword},
    };
    return r;
}

// The ids a CSMS request names in its body and its answer (never a version's value).
void noteRequestObjects(RequestAudit& audit, const Route& route, const JsonBody& body) {
    noteMembers(audit, body.root(), {{"kms_key_id", "key_id"}});
    if (std::string_view(route.path) == "secrets" && std::string_view(route.method) == "POST")
        noteMembers(audit, body.root(), {{"name", "secret_name"}});
}

void noteResponseObjects(RequestAudit& audit, const Object::Ptr& out) {
    noteMembers(audit, member(out, "secret"), {{"name", "secret_name"}});
    noteMembers(audit, member(out, "version_metadata"), {{"id", "version_id"}});
    noteMembers(audit, out, {{"replica_id", "secret_id"}});
}

Response run(Request& req, Services& services, Authenticator& auth, const Route& route) {
    noteParams(
        req,
        {{"secret_name", "secret_name"}, {"version_id", "version_id"}, {"secret_id", "secret_id"}});
    try {
        const Principal principal = authenticate(req, auth);
        notePrincipal(req.audit, principal);
        const ProjectScope scope = auth.scope(principal, req.param("project_id"), route.access);
        // Bodiless POSTs (cancel, backup, rotate) are fine; GET and DELETE bodies are ignored.
        const bool hasBody = (req.method == "POST" || req.method == "PUT") && !req.body.empty();
        CsmsCall call{req, JsonBody::parse(hasBody ? req.body : "{}"), scope, *services.secrets};
        noteRequestObjects(req.audit, route, call.body);
        const auto out = route.handler(call);
        noteResponseObjects(req.audit, out);
        // Operations whose response model is empty answer 204, as Huawei's CSMS does.
        return out ? Response::json(200, stringify(out)) : Response::json(204, std::string());
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
    router.addDialect(
        "huawei-csms", [](std::string_view path) { return path.starts_with("/v1/"); },
        csmsTransportError);
}

// model/ListResourceInstancesRequestBody.ts's tags [{key, values}] and matches
// [{key: resource_name, value}].
SecretTagFilter secretTagFilter(const JsonBody& body) {
    SecretTagFilter filter;
    if (const auto tags = body.array("tags")) {
        if (tags->size() > 10)
            throw Error(ErrorCode::InvalidParameter, "tags takes at most 10 keys", "tags");
        for (std::size_t i = 0; i < tags->size(); ++i) {
            const auto t = tags->getObject(static_cast<unsigned>(i));
            if (!t || !t->has("key") || !t->get("key").isString())
                throw Error(ErrorCode::InvalidParameter, "a tag needs a string key", "key");
            std::vector<std::string> values;
            if (const auto vs = t->getArray("values")) {
                for (std::size_t k = 0; k < vs->size(); ++k) {
                    const auto v = vs->get(static_cast<unsigned>(k));
                    if (!v.isString())
                        throw Error(ErrorCode::InvalidParameter, "values must be strings",
                                    "values");
                    values.push_back(v.extract<std::string>());
                }
            }
            filter.tags.emplace_back(t->getValue<std::string>("key"), std::move(values));
        }
    }
    if (const auto matches = body.array("matches")) {
        for (std::size_t i = 0; i < matches->size(); ++i) {
            const auto m = matches->getObject(static_cast<unsigned>(i));
            if (!m || m->optValue<std::string>("key", "") != "resource_name" || !m->has("value") ||
                !m->get("value").isString())
                throw Error(ErrorCode::InvalidParameter,
                            "matches takes {\"key\":\"resource_name\",\"value\":...}", "matches");
            filter.nameContains = m->getValue<std::string>("value");
        }
    }
    return filter;
}

}  // namespace keyport::api::huawei
