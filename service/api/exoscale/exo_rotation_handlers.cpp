// The rotation routes of Exoscale's KMS API: rotate-kms-key, list-kms-key-rotations,
// enable-kms-key-rotation, disable-kms-key-rotation (../shared/specs/exoscale-kms-v2.yaml),
// on core's material versions (KeyRotation).
#include "service/api/exoscale/exo_call.h"
#include "service/api/exoscale/exo_key_json.h"
#include "service/core/base/errors.h"

namespace keyport::api::exoscale {
namespace {

using Poco::JSON::Object;

// rotate-kms-key: "you reached your limit of 10 manual rotations per key".
constexpr std::uint32_t kManualRotationLimit = 10;

// enable-/disable-kms-key-rotation list "Key is Disabled" (core's policy change allows it).
void requireEnabled(const KeyRecord& k) {
    if (k.state == KeyState::Disabled)
        throw Error(ErrorCode::KeyDisabled, "the key is disabled; enable it first");
}

Object::Ptr rotationAnswer(ExoCall& c, const KeyRecord& k) {
    auto o = object();
    o->set("rotation", rotationJson(c, k, c.services.keys->materialHistory(k)));
    return o;
}

}  // namespace

Object::Ptr rotateKey(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    return rotationAnswer(
        c, c.services.rotation->rotate(c.scope, c.keyId(), {.manualLimit = kManualRotationLimit}));
}

Object::Ptr listRotations(ExoCall& c) {
    const KeyRecord k = exoscaleKey(c, c.keyId());
    Poco::JSON::Array::Ptr rotations = new Poco::JSON::Array;
    // Every material version, the first (the key's creation) included: the spec's
    // description is "List all the key material versions of a KMS Key".
    for (const MaterialEvent& e : c.services.keys->materialHistory(k)) {
        auto r = object();
        r->set("version", static_cast<std::int64_t>(e.version));
        r->set("rotated-at", dateTime(e.createdAtMs));
        r->set("automatic", e.automatic);
        rotations->add(r);
    }
    auto o = object();
    o->set("rotations", rotations);
    return o;
}

Object::Ptr enableRotation(ExoCall& c) {
    requireEnabled(exoscaleKey(c, c.keyId()));
    const auto days = c.body.optInteger("rotation-period", 90, 2560).value_or(365);
    return rotationAnswer(c, c.services.rotation->enableWithInterval(c.scope, c.keyId(), days));
}

// Disabling a rotation that is off answers the (unchanged) config: the spec's "Conflict"
// text for this route is the enable route's ("already enabled"), and an idempotent
// disable is what declarative clients (Terraform) expect.
Object::Ptr disableRotation(ExoCall& c) {
    requireEnabled(exoscaleKey(c, c.keyId()));
    return rotationAnswer(c, c.services.rotation->disable(c.scope, c.keyId()));
}

}  // namespace keyport::api::exoscale
