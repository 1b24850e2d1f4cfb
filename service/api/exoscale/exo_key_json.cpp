#include "service/api/exoscale/exo_key_json.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>

#include "service/api/exoscale/exo_errors.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::exoscale {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

// next-at when automatic rotation is off. The spec requires a date-time even then, and
// egoscale decodes it into a Go time.Time; the Go zero time is what a Go client reads as
// "none" (time.Time.IsZero) and what a Go server sends for an unset time. Inventing a
// future date instead would tell clients a rotation is coming when none is.
constexpr char kNoNextRotation[] = "0001-01-01T00:00:00Z";

std::string statusOf(KeyState s) {
    switch (s) {
        case KeyState::Enabled:
            return "enabled";
        case KeyState::PendingDeletion:
            return "pending-deletion";
        default:
            return "disabled";
    }
}

Object::Ptr materialJson(const std::vector<MaterialEvent>& history, const KeyRecord& k) {
    auto o = object();
    const MaterialEvent current =
        history.empty() ? MaterialEvent{k.materialVersion, k.createdAtMs, false} : history.back();
    o->set("version", static_cast<std::int64_t>(current.version));
    o->set("created-at", dateTime(current.createdAtMs));
    o->set("automatic", current.automatic);
    return o;
}

Object::Ptr revisionJson(const KeyRecord& k) {
    auto o = object();
    o->set("at", dateTime(k.revisionAtMs));
    o->set("seq", k.revision);
    return o;
}

}  // namespace

std::string dateTime(std::int64_t epochMs) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(epochMs * 1000),
                                           "%Y-%m-%dT%H:%M:%S.%iZ");
}

KeyRecord exoscaleKey(ExoCall& c, const std::string& id) {
    KeyRecord k = c.services.keys->get(c.scope, id);
    if (!isSymmetric(k.spec)) throw Error(ErrorCode::KeyNotFound, "key " + id + " does not exist");
    return k;
}

Object::Ptr success() {
    auto o = object();
    o->set("status", "success");
    return o;
}

Object::Ptr rotationJson(ExoCall& c, const KeyRecord& k,
                         const std::vector<MaterialEvent>& history) {
    auto o = object();
    const auto manual = std::count_if(history.begin(), history.end(), [](const MaterialEvent& e) {
        return e.version > 1 && !e.automatic;
    });
    o->set("manual-count", static_cast<std::int64_t>(manual));
    o->set("automatic", k.rotation.enabled);
    o->set("rotation-period", k.rotation.intervalDays);
    if (k.rotation.enabled) {
        // The sweeper rotates when sinceMs + interval has passed (key_store::rotationDueIds);
        // a day is keys.rotation_day_seconds long.
        const std::int64_t dayMs = c.services.config.rotationDaySeconds * 1000;
        o->set("next-at", dateTime(k.rotation.sinceMs + k.rotation.intervalDays * dayMs));
    } else {
        o->set("next-at", kNoNextRotation);
    }
    return o;
}

Object::Ptr keyJson(ExoCall& c, const KeyRecord& k, bool withReplicaStatus) {
    const std::vector<MaterialEvent> history = c.services.keys->materialHistory(k);
    auto o = object();
    o->set("id", k.id);
    o->set("name", k.alias);
    o->set("description", k.description);
    o->set("usage", "encrypt-decrypt");
    o->set("source", "exoscale-kms");
    o->set("status", statusOf(k.state));
    o->set("status-since", dateTime(k.statusSinceMs ? k.statusSinceMs : k.createdAtMs));
    o->set("multi-zone", k.multiZone);
    o->set("created-at", dateTime(k.createdAtMs));
    if (k.deletionDateMs) o->set("delete-at", dateTime(*k.deletionDateMs));
    o->set("material", materialJson(history, k));
    o->set("rotation", rotationJson(c, k, history));
    o->set("revision", revisionJson(k));
    // The replica group: origin-zone is the primary's zone, replicas the other members'.
    std::string origin = k.region;
    Array::Ptr replicas = new Array;
    Array::Ptr replicaStatus = new Array;
    for (const KeyRecord& m : c.services.keys->group(k)) {
        if (!m.primaryKeyId) origin = m.region;
        if (m.id == k.id) continue;
        replicas->add(m.region);
        // The watermark is the material version the member holds: a rotation writes every
        // member in one transaction, so a member that has it has everything up to it.
        auto state = object();
        state->set("zone", m.region);
        state->set("last-applied-watermark", static_cast<std::int64_t>(m.materialVersion));
        replicaStatus->add(state);
    }
    o->set("origin-zone", origin);
    o->set("replicas", replicas);
    if (withReplicaStatus && replicaStatus->size() > 0) o->set("replicas-status", replicaStatus);
    return o;
}

Object::Ptr operationJson(const Operation& op) {
    auto o = object();
    o->set("id", op.id);
    o->set("state", std::string(operationState(op.state)));
    if (op.failure) o->set("reason", std::string(operationReason(*op.failure)));
    if (op.message) o->set("message", *op.message);
    if (op.referenceId) {
        auto ref = object();
        ref->set("id", *op.referenceId);
        ref->set("link", "/v2/kms-key/" + *op.referenceId);
        ref->set("command", "get-kms-key");
        o->set("reference", ref);
    }
    return o;
}

}  // namespace keyport::api::exoscale
