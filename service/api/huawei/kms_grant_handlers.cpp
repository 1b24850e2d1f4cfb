// Huawei KMS grants: create, list, revoke, retire, list retirable — and the gate that lets
// a grantee use a granted key. Checked against huaweicloud-sdk-go-v3
// services/kms/v2/model/model_create_grant_request_body.go and model_grants.go, and
// huaweicloud-sdk-nodejs-v3 services/kms/v2/model/CreateGrantResponse.ts,
// ListGrantsRequestBody.ts, ListGrantsResponse.ts, RevokeGrantRequestBody.ts,
// ListRetirableGrantsRequestBody.ts, ListRetirableGrantsResponse.ts; paths from the Go
// SDK's kms_meta.go (create-grant, list-grants, revoke-grant, retire-grant,
// list-retirable-grants).
//
// Principals: Huawei's grantee_principal_type "domain" names a Keyport domain id, and
// "user" (the default) names one Keyport credential by its access key. retiring_principal
// may name either. Huawei's pattern for principals is ^[a-zA-Z0-9]{1,64}$; Keyport domain
// ids may also hold '-' and '_', so those are accepted too.
#include <algorithm>
#include <array>

#include "service/api/huawei/kms_call.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/ciphertext.h"

namespace keyport::api::huawei {
namespace {

// Huawei's operation names (CreateGrantRequestBody.operations), core's operations.
constexpr std::array<std::pair<std::string_view, GrantOperation>, 9> kOperations{{
    {"create-datakey", GrantOperation::CreateDataKey},
    {"create-datakey-without-plaintext", GrantOperation::CreateDataKeyWithoutPlaintext},
    {"encrypt-datakey", GrantOperation::EncryptDataKey},
    {"decrypt-datakey", GrantOperation::DecryptDataKey},
    {"describe-key", GrantOperation::DescribeKey},
    {"create-grant", GrantOperation::CreateGrant},
    {"retire-grant", GrantOperation::RetireGrant},
    {"encrypt-data", GrantOperation::EncryptData},
    {"decrypt-data", GrantOperation::DecryptData},
}};

std::string_view huaweiName(GrantOperation op) {
    for (const auto& [n, o] : kOperations) {
        if (o == op) return n;
    }
    return "";
}

// The routes a grant can open, by route path, with the operation each needs. A route not
// listed here acts only on the caller's own keys.
constexpr std::array<std::pair<std::string_view, GrantOperation>, 7> kGatedRoutes{{
    {"encrypt-data", GrantOperation::EncryptData},
    {"decrypt-data", GrantOperation::DecryptData},
    {"create-datakey", GrantOperation::CreateDataKey},
    {"create-datakey-without-plaintext", GrantOperation::CreateDataKeyWithoutPlaintext},
    {"encrypt-datakey", GrantOperation::EncryptDataKey},
    {"decrypt-datakey", GrantOperation::DecryptDataKey},
    {"describe-key", GrantOperation::DescribeKey},
}};

bool principalChar(char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
}

std::string checkedGrantName(const std::string& n) {
    const bool ok = !n.empty() && n.size() <= 255 && std::all_of(n.begin(), n.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == ':' || ch == '/' ||
               ch == '_' || ch == '-';
    });
    if (!ok)
        throw Error(ErrorCode::InvalidParameter, "name must match ^[a-zA-Z0-9:/_-]{1,255}$",
                    "name");
    return n;
}

std::string checkedGrantId(const KmsCall& c) {
    const std::string id = c.body.string("grant_id");
    const bool ok =
        !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char ch) {
            return std::isalnum(static_cast<unsigned char>(ch)) != 0;
        });
    if (!ok) throw Error(ErrorCode::InvalidParameter, "grant_id must be a grant ID", "grant_id");
    return id;
}

std::vector<GrantOperation> operations(const KmsCall& c) {
    auto arr = c.body.array("operations");
    if (!arr) throw Error(ErrorCode::MissingParameter, "operations is required", "operations");
    std::string allowed;
    for (const auto& [n, o] : kOperations)
        allowed += (allowed.empty() ? "" : ", ") + std::string(n);
    std::vector<GrantOperation> out;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const Poco::Dynamic::Var v = arr->get(static_cast<unsigned>(i));
        const auto it =
            !v.isString()
                ? kOperations.end()
                : std::find_if(kOperations.begin(), kOperations.end(),
                               [&](const auto& e) { return e.first == v.extract<std::string>(); });
        if (it == kOperations.end()) {
            throw Error(ErrorCode::InvalidParameter, "operations must be among " + allowed,
                        "operations");
        }
        out.push_back(it->second);
    }
    // Huawei: at least one operation, and not create-grant alone.
    if (out.empty() || std::all_of(out.begin(), out.end(), [](GrantOperation op) {
            return op == GrantOperation::CreateGrant;
        })) {
        throw Error(ErrorCode::InvalidParameter,
                    "operations must hold an operation besides create-grant", "operations");
    }
    return out;
}

Actor actorOf(const KmsCall& c) {
    return Actor{c.principal.domainId, c.principal.accessKey};
}

// Grants (model_grants.go).
Poco::JSON::Object::Ptr grantObject(const GrantRecord& g) {
    auto o = object();
    o->set("key_id", g.keyId);
    o->set("grant_id", g.id);
    o->set("grantee_principal", g.grantee);
    o->set("grantee_principal_type", g.granteeKind == GranteeKind::Domain ? "domain" : "user");
    Poco::JSON::Array::Ptr ops = new Poco::JSON::Array;
    for (GrantOperation op : g.operations) ops->add(std::string(huaweiName(op)));
    o->set("operations", ops);
    o->set("issuing_principal", g.issuingPrincipal);
    o->set("creation_date", std::to_string(g.createdAtMs));
    o->set("name", g.name);
    o->set("retiring_principal", g.retiringPrincipal);
    return o;
}

// ListGrantsResponse / ListRetirableGrantsResponse.
Poco::JSON::Object::Ptr grantList(const GrantList& list) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const GrantRecord& g : list.grants) arr->add(grantObject(g));
    auto o = object();
    o->set("grants", arr);
    o->set("next_marker", list.nextMarker.value_or(""));
    o->set("truncated", list.nextMarker ? "true" : "false");
    o->set("total", static_cast<Poco::Int64>(list.total));
    return o;
}

std::size_t listLimit(const KmsCall& c) {
    return static_cast<std::size_t>(c.body.optInteger("limit", 1, 100).value_or(100));
}

std::optional<std::string> listMarker(const KmsCall& c) {
    auto m = c.body.optString("marker");
    if (!m || m->empty()) return std::nullopt;
    return m;
}

// The key a gated request is about: key_id in the body, or the key inside decrypt-data's
// cipher_text. Nothing when absent or malformed (the handler then refuses it itself).
std::optional<std::string> requestKeyId(const KmsCall& c, GrantOperation op) {
    if (auto id = c.body.optString("key_id"); id && isUuid(*id)) return id;
    if (op != GrantOperation::DecryptData) return std::nullopt;
    auto text = c.body.optString("cipher_text");
    if (!text) return std::nullopt;
    auto bytes = base64Decode(*text);
    if (!bytes) return std::nullopt;
    auto ct = Ciphertext::decode(*bytes);
    if (!ct) return std::nullopt;
    return ct->keyId;
}

}  // namespace

void actUnderGrant(KmsCall& c, const std::string& routePath) {
    const auto gate = std::find_if(kGatedRoutes.begin(), kGatedRoutes.end(),
                                   [&](const auto& g) { return g.first == routePath; });
    if (gate == kGatedRoutes.end()) return;
    const auto keyId = requestKeyId(c, gate->second);
    if (!keyId) return;
    // The caller's own keys need no grant (and the cached lookup keeps their path cheap).
    try {
        c.services.keys->get(c.scope, *keyId);
        return;
    } catch (const Error& e) {
        if (e.code() != ErrorCode::KeyNotFound) throw;
    }
    if (auto owner = c.services.grants->actAs(actorOf(c), *keyId, gate->second)) c.scope = *owner;
}

std::string checkedPrincipal(const std::string& p, const std::string& field) {
    if (p.empty() || p.size() > 64 || !std::all_of(p.begin(), p.end(), principalChar)) {
        throw Error(ErrorCode::InvalidParameter, field + " must be 1–64 of [a-zA-Z0-9_-]", field);
    }
    return p;
}

// POST /v1.0/{project_id}/kms/create-grant → {"grant_id"}
Poco::JSON::Object::Ptr createGrant(KmsCall& c) {
    CreateGrant cmd;
    cmd.keyId = c.keyId();
    cmd.grantee = checkedPrincipal(c.body.string("grantee_principal"), "grantee_principal");
    const std::string type = c.body.optString("grantee_principal_type").value_or("user");
    if (type != "user" && type != "domain") {
        throw Error(ErrorCode::InvalidParameter, "grantee_principal_type must be user or domain",
                    "grantee_principal_type");
    }
    cmd.granteeKind = type == "domain" ? GranteeKind::Domain : GranteeKind::Credential;
    cmd.operations = operations(c);
    if (auto n = c.body.optString("name")) cmd.name = checkedGrantName(*n);
    if (auto r = c.body.optString("retiring_principal"))
        cmd.retiringPrincipal = checkedPrincipal(*r, "retiring_principal");
    const GrantRecord g = c.services.grants->create(c.scope, actorOf(c), cmd);
    auto o = object();
    o->set("grant_id", g.id);
    return o;
}

// POST /v1.0/{project_id}/kms/list-grants {key_id, limit, marker}
Poco::JSON::Object::Ptr listGrants(KmsCall& c) {
    const std::string id = c.keyId();
    return grantList(c.services.grants->list(c.scope, id, listLimit(c), listMarker(c)));
}

// POST /v1.0/{project_id}/kms/revoke-grant {key_id, grant_id} → empty.
Poco::JSON::Object::Ptr revokeGrant(KmsCall& c) {
    const std::string id = c.keyId();
    c.services.grants->revoke(c.scope, id, checkedGrantId(c));
    return nullptr;
}

// POST /v1.0/{project_id}/kms/retire-grant {key_id, grant_id} → empty.
Poco::JSON::Object::Ptr retireGrant(KmsCall& c) {
    const std::string id = c.keyId();
    c.services.grants->retire(actorOf(c), id, checkedGrantId(c));
    return nullptr;
}

// POST /v1.0/{project_id}/kms/list-retirable-grants {limit, marker}
Poco::JSON::Object::Ptr listRetirableGrants(KmsCall& c) {
    return grantList(c.services.grants->retirable(actorOf(c), listLimit(c), listMarker(c)));
}

}  // namespace keyport::api::huawei
