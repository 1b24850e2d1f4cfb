// Huawei KMS account information: the regions a key may be replicated to, the key count and
// quotas of the caller's project, and the API versions (ShowVersions / ShowVersion).
#include "service/api/huawei/kms_call.h"

namespace keyport::api::huawei {
namespace {

// Huawei's default CMK quota per project and grant quota per CMK (user-quotas).
constexpr Poco::Int64 kKeyQuota = 20000;
constexpr Poco::Int64 kGrantsPerKeyQuota = 100;

Poco::Int64 keyCount(KmsCall& c) {
    return static_cast<Poco::Int64>(c.services.keys->list(c.scope, 1, std::nullopt).total);
}

}  // namespace

// GET /v2/{project_id}/kms/regions, model/ListSupportRegionsResponse.ts: {"regions":[string]}.
Poco::JSON::Object::Ptr listSupportRegions(KmsCall& c) {
    Poco::JSON::Array::Ptr regions = new Poco::JSON::Array;
    for (const auto& [name, region] : c.services.regions->all()) regions->add(name);
    auto o = object();
    o->set("regions", regions);
    return o;
}

// GET /v1.0/{project_id}/kms/user-instances, model/ShowUserInstancesResponse.ts.
Poco::JSON::Object::Ptr showUserInstances(KmsCall& c) {
    auto o = object();
    o->set("instance_num", keyCount(c));
    return o;
}

// GET /v1.0/{project_id}/kms/user-quotas, model/ShowUserQuotasResponse.ts (Quotas.ts,
// Resources.ts: type CMK / grant_per_CMK, used, quota).
Poco::JSON::Object::Ptr showUserQuotas(KmsCall& c) {
    Poco::JSON::Array::Ptr resources = new Poco::JSON::Array;
    auto cmk = object();
    cmk->set("type", "CMK");
    cmk->set("used", keyCount(c));
    cmk->set("quota", kKeyQuota);
    resources->add(cmk);
    auto grants = object();
    grants->set("type", "grant_per_CMK");
    grants->set("used", static_cast<Poco::Int64>(0));
    grants->set("quota", kGrantsPerKeyQuota);
    resources->add(grants);
    auto quotas = object();
    quotas->set("resources", resources);
    auto o = object();
    o->set("quotas", quotas);
    return o;
}

// model/ApiVersionDetail.ts (ApiLink.ts): every field a string.
Poco::JSON::Object::Ptr apiVersion(const std::string& id, const std::string& status) {
    Poco::JSON::Array::Ptr links = new Poco::JSON::Array;
    auto self = object();
    self->set("href", "/" + id + "/");
    self->set("rel", "self");
    links->add(self);
    auto v = object();
    v->set("id", id);
    v->set("links", links);
    v->set("version", "");
    v->set("status", status);
    v->set("updated", id == "v1.0" ? "2017-01-01T00:00:00Z" : "2023-01-01T00:00:00Z");
    v->set("min_version", "");
    return v;
}

}  // namespace keyport::api::huawei
