// Huawei KMS key rotation routes and update-primary-region. Request and response shapes
// from Huawei's SDK (huaweicloud-sdk-nodejs-v3 services/kms/v2): KmsClient.ts paths and
// model/OperateKeyRequestBody.ts (enable/disable/get-key-rotation-status),
// model/EnableKeyRotationResponse.ts and DisableKeyRotationResponse.ts (empty),
// model/ShowKeyRotationStatusResponse.ts, model/UpdateKeyRotationIntervalRequestBody.ts,
// model/UpdatePrimaryRegionRequestBody.ts and UpdatePrimaryRegionResponse.ts. rotate-on-demand
// is not in the SDK release the issue measured; its shape is Huawei's API reference
// (api-dew/RotateOnDemand: POST /v1.0/{project_id}/kms/rotate-on-demand {key_id} -> {key_id}).
#include "service/api/huawei/kms_call.h"
#include "service/core/base/errors.h"

namespace keyport::api::huawei {
namespace {

// Huawei's rotation_interval: whole days, 30 to 365.
constexpr std::int64_t kMinIntervalDays = 30;
constexpr std::int64_t kMaxIntervalDays = 365;

}  // namespace

Poco::JSON::Object::Ptr enableKeyRotation(KmsCall& c) {
    c.services.rotation->enable(c.scope, c.keyId());
    return object();
}

Poco::JSON::Object::Ptr disableKeyRotation(KmsCall& c) {
    c.services.rotation->disable(c.scope, c.keyId());
    return object();
}

Poco::JSON::Object::Ptr getKeyRotationStatus(KmsCall& c) {
    const KeyRecord k = c.services.keys->get(c.scope, c.keyId());
    auto o = object();
    // Only keys that can rotate report it enabled (as Huawei: imported and asymmetric never).
    o->set("key_rotation_enabled", k.rotation.enabled);
    o->set("rotation_interval", k.rotation.intervalDays);
    // Seconds since the epoch as a string, like the model's other times; "" = never.
    o->set("last_rotation_time",
           k.rotation.lastRotationMs ? std::to_string(*k.rotation.lastRotationMs / 1000) : "");
    o->set("number_of_rotations", static_cast<Poco::Int64>(k.rotations()));
    return o;
}

Poco::JSON::Object::Ptr updateKeyRotationInterval(KmsCall& c) {
    const std::string id = c.keyId();
    const auto days = c.body.optInteger("rotation_interval", kMinIntervalDays, kMaxIntervalDays);
    if (!days) {
        throw Error(ErrorCode::MissingParameter, "rotation_interval is required",
                    "rotation_interval");
    }
    c.services.rotation->setInterval(c.scope, id, *days);
    return object();
}

Poco::JSON::Object::Ptr rotateOnDemand(KmsCall& c) {
    const KeyRecord k = c.services.rotation->rotate(c.scope, c.keyId());
    auto o = object();
    o->set("key_id", k.id);
    return o;
}

// PUT /v2/{project_id}/kms/keys/{key_id}/update-primary-region {primary_region}: the member
// of the key's replica group in that region becomes the primary.
Poco::JSON::Object::Ptr updatePrimaryRegion(KmsCall& c) {
    const std::string id = c.keyId();
    if (auto bodyId = c.body.optString("key_id"); bodyId && *bodyId != id) {
        throw Error(ErrorCode::InvalidParameter, "key_id in the body differs from the path",
                    "key_id");
    }
    const std::string region = c.body.string("primary_region");
    KeyRecord p;
    try {
        p = c.services.keys->promote(c.scope, id, region);
    } catch (const Error& e) {
        // Core names the region a target region; here it is the body's primary_region.
        if (e.input() != Input::TargetRegion) throw;
        throw Error(e.code(), std::string("primary_region ") + e.what(), "primary_region");
    }
    auto o = object();
    o->set("key_id", p.id);
    o->set("primary_region", p.region);
    return o;
}

}  // namespace keyport::api::huawei
