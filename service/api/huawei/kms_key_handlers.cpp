// Huawei KMS key lifecycle and metadata routes.

#include <algorithm>

#include "service/api/huawei/kms_call.h"
#include "service/api/request_target.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {
namespace {

bool aliasChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '/' || c == '_' ||
           c == '-';
}

std::string checkedAlias(const std::string& alias) {
    if (alias.empty() || alias.size() > 255 ||
        !std::all_of(alias.begin(), alias.end(), aliasChar)) {
        throw Error(ErrorCode::InvalidParameter, "key_alias must match ^[a-zA-Z0-9:/_-]{1,255}$",
                    "key_alias");
    }
    return alias;
}

std::string checkedDescription(const std::string& d) {
    if (d.size() > 255)
        throw Error(ErrorCode::InvalidParameter, "key_description is at most 255 characters",
                    "key_description");
    return d;
}

template <typename E>
E parsed(const std::optional<E>& v, const std::string& field, const std::string& allowed) {
    if (!v) throw Error(ErrorCode::InvalidParameter, field + " must be one of " + allowed, field);
    return *v;
}

}  // namespace

std::string checkedKeyId(const std::string& id) {
    if (!isUuid(id))
        throw Error(ErrorCode::InvalidParameter, "key_id must be a 36-character key ID", "key_id");
    return id;
}

std::string KmsCall::keyId() const {
    if (auto it = req.params.find("key_id"); it != req.params.end())
        return checkedKeyId(it->second);
    return checkedKeyId(body.string("key_id"));
}

// Every field of the SDK's KeyDetails model (model/KeyDetails.ts), each with a value of its
// modelled type: all strings, the numbers among them as decimal strings, "" where Huawei has
// no value (never null).
Poco::JSON::Object::Ptr keyInfo(const KeyRecord& k) {
    auto o = object();
    o->set("key_id", k.id);
    o->set("domain_id", k.domainId);
    o->set("key_alias", k.alias);
    o->set("realm", k.region);
    o->set("region_id", k.region);
    o->set("key_spec", std::string(name(k.spec)));
    o->set("key_usage", std::string(name(k.usage)));
    o->set("key_description", k.description);
    o->set("creation_date", std::to_string(k.createdAtMs));
    o->set("scheduled_deletion_date",
           k.deletionDateMs ? std::to_string(*k.deletionDateMs) : std::string());
    o->set("key_state", std::to_string(static_cast<int>(k.state)));
    o->set("default_key_flag", "0");
    o->set("key_type", "1");
    o->set("expiration_time", k.expirationTime ? std::to_string(*k.expirationTime) : std::string());
    o->set("origin", std::string(name(k.origin)));
    o->set("key_rotation_enabled", k.rotation.enabled ? "true" : "false");  // a string (KeyDetails)
    // Keyport has one enterprise project and one (the default) key store, as Huawei names them.
    o->set("sys_enterprise_project_id", "0");
    o->set("keystore_id", "0");
    o->set("key_label", "");
    // "1": a key in the shared default partition (no dedicated key store).
    o->set("partition_type", "1");
    if (k.unwrapPath) o->set("unwrap_path", std::string(name(*k.unwrapPath)));
    return o;
}

Poco::JSON::Object::Ptr keyInfoResponse(const KeyRecord& k) {
    auto o = object();
    o->set("key_info", keyInfo(k));
    return o;
}

Poco::JSON::Object::Ptr createKey(KmsCall& c) {
    CreateKey cmd;
    cmd.alias = checkedAlias(c.body.string("key_alias"));
    cmd.description = checkedDescription(c.body.optString("key_description").value_or(""));
    if (auto s = c.body.optString("key_spec")) {
        cmd.spec = parsed(parseKeySpec(*s), "key_spec",
                          "AES_256, RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384, HMAC_256, "
                          "HMAC_384, HMAC_512");
    }
    if (auto s = c.body.optString("key_usage")) {
        cmd.usage = parsed(parseKeyUsage(*s), "key_usage",
                           "ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC, KEY_AGREEMENT");
    } else if (isHmac(cmd.spec)) {
        cmd.usage = KeyUsage::GenerateVerifyMac;  // HMAC keys can do nothing else
    } else if (!isSymmetric(cmd.spec) && !isRsa(cmd.spec)) {
        cmd.usage = KeyUsage::SignVerify;  // EC keys can do nothing else
    }
    if (auto s = c.body.optString("origin"))
        cmd.origin = parsed(parseOrigin(*s), "origin", "kms, external");
    const KeyRecord k = c.services.keys->create(c.scope, cmd);
    auto info = object();
    info->set("key_id", k.id);
    info->set("domain_id", k.domainId);
    auto o = object();
    o->set("key_info", info);
    return o;
}

Poco::JSON::Object::Ptr describeKey(KmsCall& c) {
    const KeyRecord k = c.services.keys->get(c.scope, c.keyId());
    auto o = keyInfoResponse(k);
    // Keyport's addition: the replica group, both ways (the primary lists its replicas, a
    // replica names its primary).
    const auto group = c.services.keys->group(k);
    if (group.size() > 1) {
        auto info = o->getObject("key_info");
        Poco::JSON::Array::Ptr replicas = new Poco::JSON::Array;
        for (const KeyRecord& m : group) {
            if (!m.primaryKeyId) {
                if (m.id != k.id) {
                    auto p = object();
                    p->set("key_id", m.id);
                    p->set("region", m.region);
                    p->set("project_id", m.projectId);
                    info->set("primary_key", p);
                }
                continue;
            }
            auto r = object();
            r->set("key_id", m.id);
            r->set("region", m.region);
            r->set("project_id", m.projectId);
            replicas->add(r);
        }
        info->set("replica_role", k.primaryKeyId ? "REPLICA" : "PRIMARY");
        info->set("replicas", replicas);
    }
    return o;
}

// model/ListKeysRequestBody.ts: limit and key_state are strings holding numbers (numbers
// are accepted too), key_spec may be ALL, enterprise_project_id "0" or "all" is Keyport's one
// enterprise project. model/ListKeysResponse.ts: truncated is "true"/"false", total a number.
Poco::JSON::Object::Ptr listKeys(KmsCall& c) {
    const auto limit = c.body.optInteger("limit", 1, 1000).value_or(1000);
    const std::string markerText = c.body.optString("marker").value_or("");
    if (!markerText.empty() && !isUuid(markerText)) {
        throw Error(ErrorCode::InvalidParameter, "marker must be a key ID", "marker");
    }
    const auto marker = markerText.empty() ? std::nullopt : std::make_optional(markerText);
    std::optional<KeyState> state;
    if (const auto s = c.body.optInteger("key_state", 1, 5))
        state = static_cast<KeyState>(static_cast<int>(*s));
    std::optional<KeySpec> spec;
    if (const auto s = c.body.optString("key_spec"); s && *s != "ALL") {
        spec = parsed(parseKeySpec(*s), "key_spec",
                      "ALL, AES_256, RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384");
    }
    const std::string enterprise = c.body.optString("enterprise_project_id").value_or("all");
    const bool ownEnterprise = enterprise == "all" || enterprise == "0";
    const KeyList list =
        ownEnterprise
            ? c.services.keys->list(c.scope, static_cast<std::size_t>(limit), marker, state, spec)
            : KeyList{};
    Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
    Poco::JSON::Array::Ptr details = new Poco::JSON::Array;
    for (const KeyRecord& k : list.keys) {
        ids->add(k.id);
        details->add(keyInfo(k));
    }
    auto o = object();
    o->set("keys", ids);
    o->set("key_details", details);
    o->set("next_marker", list.nextMarker.value_or(""));
    o->set("truncated", list.nextMarker ? "true" : "false");
    o->set("total", static_cast<Poco::Int64>(list.total));
    return o;
}

Poco::JSON::Object::Ptr enableKey(KmsCall& c) {
    return keyInfoResponse(c.services.keys->enable(c.scope, c.keyId()));
}

Poco::JSON::Object::Ptr disableKey(KmsCall& c) {
    return keyInfoResponse(c.services.keys->disable(c.scope, c.keyId()));
}

Poco::JSON::Object::Ptr scheduleKeyDeletion(KmsCall& c) {
    const std::string id = c.keyId();
    const auto days = c.body.optInteger("pending_days", 7, 1096);
    if (!days) throw Error(ErrorCode::MissingParameter, "pending_days is required", "pending_days");
    const KeyRecord k = c.services.keys->scheduleDeletion(c.scope, id, static_cast<int>(*days));
    auto o = object();
    o->set("key_id", k.id);
    o->set("key_state", std::to_string(static_cast<int>(k.state)));
    return o;
}

Poco::JSON::Object::Ptr cancelKeyDeletion(KmsCall& c) {
    const KeyRecord k = c.services.keys->cancelDeletion(c.scope, c.keyId());
    auto o = object();
    o->set("key_id", k.id);
    o->set("key_state", std::to_string(static_cast<int>(k.state)));
    return o;
}

Poco::JSON::Object::Ptr updateKeyAlias(KmsCall& c) {
    const std::string id = c.keyId();
    const KeyRecord k =
        c.services.keys->updateAlias(c.scope, id, checkedAlias(c.body.string("key_alias")));
    // model/UpdateKeyAliasResponse.ts: {"key_info": KeyAliasInfo {key_id, key_alias}}.
    auto info = object();
    info->set("key_id", k.id);
    info->set("key_alias", k.alias);
    auto o = object();
    o->set("key_info", info);
    return o;
}

Poco::JSON::Object::Ptr updateKeyDescription(KmsCall& c) {
    const std::string id = c.keyId();
    const KeyRecord k = c.services.keys->updateDescription(
        c.scope, id, checkedDescription(c.body.string("key_description")));
    // model/UpdateKeyDescriptionResponse.ts: {"key_info": KeyDescriptionInfo {key_id,
    // key_description}}.
    auto info = object();
    info->set("key_id", k.id);
    info->set("key_description", k.description);
    auto o = object();
    o->set("key_info", info);
    return o;
}

Poco::JSON::Object::Ptr listTags(KmsCall& c) {
    const auto tags = c.services.keys->tags(c.scope, c.keyId());
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& [k, v] : tags) {
        auto t = object();
        t->set("key", k);
        t->set("value", v);
        arr->add(t);
    }
    auto o = object();
    o->set("tags", arr);
    o->set("existTagsNum", static_cast<Poco::Int64>(tags.size()));
    return o;
}

Poco::JSON::Object::Ptr createTag(KmsCall& c) {
    const std::string id = c.keyId();
    auto tag = c.body.object("tag");
    if (!tag) throw Error(ErrorCode::MissingParameter, "tag is required", "tag");
    const JsonBody t = JsonBody::parse(stringify(tag));
    const std::string key = t.string("key");
    const std::string value = t.optString("value").value_or("");
    checkTagItem(key, value);
    c.services.keys->putTag(c.scope, id, key, value);
    return nullptr;
}

Poco::JSON::Object::Ptr deleteTag(KmsCall& c) {
    const auto key = percentDecoded(c.req.param("tag_key"));
    if (!key) throw Error(ErrorCode::InvalidParameter, "is not valid percent-encoding", "key");
    c.services.keys->deleteTag(c.scope, c.keyId(), *key);
    return nullptr;
}

// POST /v2/{project_id}/kms/keys/{key_id}/replicate (API.md §1, the seed).
Poco::JSON::Object::Ptr replicateKey(KmsCall& c) {
    const std::string id = c.keyId();
    if (auto bodyId = c.body.optString("key_id"); bodyId && *bodyId != id) {
        throw Error(ErrorCode::InvalidParameter, "key_id in the body differs from the path",
                    "key_id");
    }
    ReplicateKey cmd;
    cmd.replicaRegion = c.body.string("replica_region");
    cmd.alias = checkedAlias(c.body.string("key_alias"));
    cmd.description = checkedDescription(c.body.optString("key_description").value_or(""));
    cmd.replicaProjectId = c.body.string("replica_project_id");
    if (auto tags = c.body.array("tags")) {
        if (tags->size() > 20) throw Error(ErrorCode::InvalidParameter, "at most 20 tags", "tags");
        for (std::size_t i = 0; i < tags->size(); ++i) {
            auto t = tags->getObject(static_cast<unsigned>(i));
            if (!t)
                throw Error(ErrorCode::InvalidParameter, "tags must be objects {key, value}",
                            "tags");
            const JsonBody tb = JsonBody::parse(stringify(t));
            const std::string key = tb.string("key");
            const std::string value = tb.optString("value").value_or("");
            checkTagItem(key, value);
            cmd.tags.emplace_back(key, value);
        }
    }
    const KeyRecord r = c.services.replication->replicate(c.scope, id, cmd);
    auto o = object();
    o->set("key_id", r.id);
    o->set("domain_id", r.domainId);
    o->set("region", r.region);
    return o;
}

}  // namespace keyport::api::huawei
