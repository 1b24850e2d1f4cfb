// Huawei KMS aliases (named aliases beside a key's own key_alias): create, associate with
// another key, delete, list. Checked against huaweicloud-sdk-nodejs-v3
// services/kms/v2/model/CreateAliasRequestBody.ts, CreateAliasResponse.ts,
// AssociateAliasRequestBody.ts, AssociateAliasResponse.ts, DeleteAliasRequestBody.ts,
// ListAliasesRequest.ts, ListAliasResponseBody.ts, AliasEntity.ts, PageInfo, and the Go
// SDK's kms_meta.go (POST/GET/DELETE kms/aliases, POST kms/alias/associate).
// Aliases name keys for these routes only: Huawei's crypto routes take key_id as a key ID
// (^[0-9a-z]{8}-…$), never an alias, and so do Keyport's.
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>

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

// The alias pattern Huawei gives its key names, ^[a-zA-Z0-9:/_-]{1,255}$.
std::string checkedAliasName(const std::string& alias) {
    if (alias.empty() || alias.size() > 255 ||
        !std::all_of(alias.begin(), alias.end(), aliasChar)) {
        throw Error(ErrorCode::InvalidParameter, "alias must match ^[a-zA-Z0-9:/_-]{1,255}$",
                    "alias");
    }
    return alias;
}

std::string isoTime(std::int64_t ms) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%SZ");
}

// AliasEntity (and the Create/Associate responses, which have the same fields).
Poco::JSON::Object::Ptr aliasEntity(const AliasRecord& a, const std::string& region) {
    auto o = object();
    o->set("domain_id", a.domainId);
    o->set("key_id", a.keyId);
    o->set("alias", a.alias);
    o->set("alias_urn", "kms:" + region + ":" + a.domainId + ":alias:" + a.alias);
    o->set("create_time", isoTime(a.createdAtMs));
    o->set("update_time", isoTime(a.updatedAtMs));
    return o;
}

}  // namespace

// POST /v1.0/{project_id}/kms/aliases {key_id, alias} → 201 AliasEntity.
Poco::JSON::Object::Ptr createAlias(KmsCall& c) {
    const std::string id = c.keyId();
    const std::string alias = checkedAliasName(c.body.string("alias"));
    const AliasRecord a = c.services.aliases->create(c.scope, id, alias);
    c.status = 201;
    return aliasEntity(a, c.scope.region);
}

// POST /v1.0/{project_id}/kms/alias/associate {alias, target_key_id} → AliasEntity.
Poco::JSON::Object::Ptr associateAlias(KmsCall& c) {
    const std::string alias = checkedAliasName(c.body.string("alias"));
    const std::string target = c.body.string("target_key_id");
    if (!isUuid(target)) {
        throw Error(ErrorCode::InvalidParameter, "target_key_id must be a 36-character key ID",
                    "target_key_id");
    }
    return aliasEntity(c.services.aliases->associate(c.scope, alias, target), c.scope.region);
}

// DELETE /v1.0/{project_id}/kms/aliases {aliases: [...], key_id} → empty.
Poco::JSON::Object::Ptr deleteAlias(KmsCall& c) {
    const std::string id = c.keyId();
    auto arr = c.body.array("aliases");
    if (!arr) throw Error(ErrorCode::MissingParameter, "aliases is required", "aliases");
    if (arr->size() == 0 || arr->size() > 100)
        throw Error(ErrorCode::InvalidParameter, "aliases must name 1–100 aliases", "aliases");
    std::vector<std::string> aliases;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
        if (!v.isString())
            throw Error(ErrorCode::InvalidParameter, "aliases must hold strings", "aliases");
        aliases.push_back(checkedAliasName(v.extract<std::string>()));
    }
    c.services.aliases->remove(c.scope, id, aliases);
    return nullptr;
}

// GET /v1.0/{project_id}/kms/aliases?key_id&limit&marker → {aliases, page_info}. The SDK
// models the body as an array of that object; Huawei's documented example (and so its
// service) answers the object itself, which is what we send.
Poco::JSON::Object::Ptr listAliases(KmsCall& c) {
    std::optional<std::string> keyId, marker;
    std::size_t limit = 100;
    const auto query = queryParameters(c.req.query);
    if (!query) throw Error(ErrorCode::MalformedRequest, "the query is not valid percent-encoding");
    for (const auto& [k, v] : *query) {
        if (k == "key_id") {
            keyId = checkedKeyId(v);
        } else if (k == "limit") {
            const bool digits =
                !v.empty() && v.size() <= 3 && std::all_of(v.begin(), v.end(), [](char ch) {
                    return std::isdigit(static_cast<unsigned char>(ch));
                });
            if (!digits || std::stoi(v) < 1 || std::stoi(v) > 100)
                throw Error(ErrorCode::InvalidParameter, "limit must be from 1 to 100", "limit");
            limit = static_cast<std::size_t>(std::stoi(v));
        } else if (k == "marker" && !v.empty()) {
            marker = checkedAliasName(v);
        }
    }
    const AliasList list = c.services.aliases->list(c.scope, keyId, limit, marker);
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const AliasRecord& a : list.aliases) arr->add(aliasEntity(a, c.scope.region));
    auto page = object();
    page->set("next_marker", list.nextMarker.value_or(""));
    page->set("current_count", static_cast<Poco::Int64>(list.aliases.size()));
    auto o = object();
    o->set("aliases", arr);
    o->set("page_info", page);
    return o;
}

}  // namespace keyport::api::huawei
