// The key lifecycle routes of Exoscale's KMS API (operationIds in exo_call.h; shapes and
// error titles as ../shared/specs/exoscale-kms-v2.yaml has them).
#include "service/api/exoscale/exo_call.h"
#include "service/api/exoscale/exo_errors.h"
#include "service/api/exoscale/exo_key_json.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::exoscale {
namespace {

using Poco::JSON::Object;

// schedule-/cancel-deletion list "Not on Replica": a replica goes with its primary here
// (Huawei's dialect may delete a replica on its own; Exoscale's may not).
KeyRecord primaryKey(ExoCall& c) {
    KeyRecord k = exoscaleKey(c, c.keyId());
    if (k.primaryKeyId) {
        throw Error(ErrorCode::KeyIsReplica,
                    "the key is a replica; schedule or cancel the deletion of its primary key " +
                        *k.primaryKeyId);
    }
    return k;
}

}  // namespace

Object::Ptr createKey(ExoCall& c) {
    CreateKey cmd;
    cmd.alias = c.body.string("name");
    if (cmd.alias.empty() || cmd.alias.size() > 255) {
        throw Error(ErrorCode::InvalidParameter, "must be 1 to 255 characters", "name");
    }
    cmd.description = c.body.optString("description").value_or("");
    if (cmd.description.size() > 255)
        throw Error(ErrorCode::InvalidParameter, "at most 255 characters", "description");
    if (auto usage = c.body.optString("usage"); usage && *usage != "encrypt-decrypt") {
        throw Error(ErrorCode::InvalidParameter, "only encrypt-decrypt is supported", "usage");
    }
    cmd.multiZone = c.body.optBool("multi-zone").value_or(false);
    // "Name Conflict": checked here so the answer does not depend on how the store reports
    // the unique violation; a racing create still gets AliasExists from core.
    if (c.services.keys->findByAlias(c.scope, cmd.alias)) {
        throw Error(ErrorCode::AliasExists, "a key named '" + cmd.alias + "' exists in this zone",
                    "name");
    }
    return keyJson(c, c.services.keys->create(c.scope, cmd));
}

Object::Ptr listKeys(ExoCall& c) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    std::optional<std::string> marker;
    while (true) {
        const KeyList page = c.services.keys->list(c.scope, 1000, marker);
        for (const KeyRecord& k : page.keys) {
            if (isSymmetric(k.spec)) arr->add(keyJson(c, k));
        }
        if (!page.nextMarker) break;
        marker = page.nextMarker;
    }
    auto o = object();
    o->set("kms-keys", arr);
    return o;
}

Object::Ptr getKey(ExoCall& c) {
    return keyJson(c, exoscaleKey(c, c.keyId()), true);
}

Object::Ptr enableKey(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    c.services.keys->enable(c.scope, c.keyId());
    return success();
}

Object::Ptr disableKey(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    c.services.keys->disable(c.scope, c.keyId());
    return success();
}

Object::Ptr scheduleDeletion(ExoCall& c) {
    primaryKey(c);
    const auto days = c.body.optInteger("delay-days", 7, 30).value_or(30);
    const KeyRecord k =
        c.services.keys->scheduleDeletion(c.scope, c.keyId(), static_cast<int>(days));
    auto o = object();
    o->set("delete-at", dateTime(k.deletionDateMs.value_or(0)));
    return o;
}

Object::Ptr cancelDeletion(ExoCall& c) {
    primaryKey(c);
    c.services.keys->cancelDeletion(c.scope, c.keyId());
    return success();
}

// The seed and Exoscale's documentation page answer an Operation; the spec at egoscale's
// HEAD, every released egoscale v3 and the exo CLI decode a success-response, whose
// `status` for this route is "target-registered". The Operation's members and `status` do
// not collide and neither schema forbids other members, so one object serves both: Operation
// pollers read id/state/reference, egoscale reads status.
Object::Ptr replicate(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    auto o = operationJson(c.services.operations->start(c.scope, c.keyId(), c.body.string("zone")));
    o->set("status", "target-registered");
    return o;
}

Object::Ptr getOperation(ExoCall& c) {
    const std::string& id = c.req.param("id");
    if (!isUuid(id)) throw Error(ErrorCode::InvalidParameter, "must be a UUID", "id");
    return operationJson(c.services.operations->get(c.scope, id));
}

}  // namespace keyport::api::exoscale
