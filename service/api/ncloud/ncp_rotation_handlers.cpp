// Material versions of a NAVER key on core's KeyRotation, each per its API 2.0 page:
// security-kms2-rotate-key, -key-version-list, -enable-auto-rotation, -disable-auto-rotation,
// -rotation-period.
#include "service/api/ncloud/ncp_call.h"
#include "service/api/ncloud/ncp_key_json.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

Object::Ptr autoRotationAnswer(const KeyRecord& k, const Services& services) {
    auto d = object();
    d->set("keyTag", k.keyTag.value_or(""));
    d->set("isAutoRotation", k.rotation.enabled);
    if (k.rotation.enabled) {
        d->set("rotationPeriod", k.rotation.intervalDays);
        if (auto next = nextRotationMs(k, services)) d->set("nextRotationDate", *next);
    }
    return ok(d);
}

}  // namespace

// A manual rotation leaves the automatic schedule alone (guide kms-version).
Object::Ptr rotateKey(NcpCall& c) {
    const KeyRecord k = c.services.rotation->rotate(
        c.scope, byTag(c).id, {.manualLimit = std::nullopt, .keepSchedule = true});
    auto d = object();
    d->set("keyTag", k.keyTag.value_or(""));
    d->set("version", static_cast<std::int64_t>(k.materialVersion));
    d->set("rotatedDate", k.rotation.lastRotationMs.value_or(k.createdAtMs));
    return ok(d);
}

// Every version shares the key's status (NAVER: a key's status is inherited by its
// versions). Core keeps no date per earlier version, so rotatedDate is given where it is
// known: version 1 (the key's creation) and the current version (the last rotation).
Object::Ptr keyVersions(NcpCall& c) {
    const KeyRecord k = byTag(c);
    auto list = Poco::JSON::Array::Ptr(new Poco::JSON::Array);
    for (std::uint32_t v = 1; v <= k.materialVersion; ++v) {
        auto o = object();
        o->set("version", static_cast<std::int64_t>(v));
        o->set("status", k.state == KeyState::Enabled ? "ENABLE" : "DISABLE");
        o->set("statusDate", k.statusSinceMs);
        if (v == 1) {
            o->set("rotatedDate", k.createdAtMs);
        } else if (v == k.materialVersion && k.rotation.lastRotationMs) {
            o->set("rotatedDate", *k.rotation.lastRotationMs);
        }
        list->add(o);
    }
    auto d = object();
    d->set("keyTag", k.keyTag.value_or(""));
    d->set("currentVersion", static_cast<std::int64_t>(k.materialVersion));
    d->set("versionList", list);
    return ok(d);
}

Object::Ptr enableAutoRotation(NcpCall& c) {
    return autoRotationAnswer(c.services.rotation->enable(c.scope, byTag(c).id), c.services);
}

Object::Ptr disableAutoRotation(NcpCall& c) {
    return autoRotationAnswer(c.services.rotation->disable(c.scope, byTag(c).id), c.services);
}

// rotationPeriod 1–730 days, only while automatic rotation is on.
Object::Ptr updateRotationPeriod(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const auto period = c.body.optInteger("rotationPeriod", 1, 730);
    if (!period) throw Error(ErrorCode::MissingParameter, "is required", "rotationPeriod");
    if (!k.rotation.enabled) {
        throw Error(ErrorCode::InvalidRequest,
                    "automatic rotation is off; enable it before changing rotationPeriod");
    }
    const KeyRecord out = c.services.rotation->setInterval(c.scope, k.id, *period);
    auto d = object();
    d->set("keyTag", out.keyTag.value_or(""));
    d->set("rotationPeriod", out.rotation.intervalDays);
    if (auto next = nextRotationMs(out, c.services)) d->set("nextRotationDate", *next);
    return ok(d);
}

}  // namespace keyport::api::ncloud
