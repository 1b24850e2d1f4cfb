// State and metadata changes of a NAVER key, each per its API 2.0 page: security-kms2-enable-key,
// -disable-key, -request-key-deletion, -cancel-key-deletion, update-key-name, -update-memo.
#include "service/api/ncloud/ncp_call.h"
#include "service/api/ncloud/ncp_key_json.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

// security-kms2-request-key-deletion: deleted after a fixed 72-hour wait.
constexpr std::int64_t kDeletionWaitMs = 72LL * 3600 * 1000;

// {keyTag, status, statusDate}: the answer of enable, disable and the deletion routes.
Object::Ptr statusAnswer(const KeyRecord& k) {
    auto d = object();
    d->set("keyTag", k.keyTag.value_or(""));
    d->set("status", ncpStatus(k.state));
    d->set("statusDate", k.statusSinceMs);
    return ok(d);
}

}  // namespace

Object::Ptr enableKey(NcpCall& c) {
    return statusAnswer(c.services.keys->enable(c.scope, byTag(c).id));
}

Object::Ptr disableKey(NcpCall& c) {
    const KeyRecord k = byTag(c);
    if (k.state == KeyState::PendingDeletion)
        throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion (REVOKE)");
    return statusAnswer(c.services.keys->disable(c.scope, k.id));
}

Object::Ptr requestDeletion(NcpCall& c) {
    return statusAnswer(
        c.services.keys->scheduleDeletionAfter(c.scope, byTag(c).id, kDeletionWaitMs));
}

// The key comes back DISABLE (security-kms2-cancel-key-deletion).
Object::Ptr cancelDeletion(NcpCall& c) {
    return statusAnswer(c.services.keys->cancelDeletion(c.scope, byTag(c).id));
}

Object::Ptr updateKeyName(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string name = validKeyName(c.body.string("keyName"));
    if (name != k.alias && c.services.keys->findByAlias(c.scope, name))
        throw Error(ErrorCode::AliasExists, "a key named " + name + " already exists here",
                    "keyName");
    const KeyRecord out = c.services.keys->updateAlias(c.scope, k.id, name);
    auto d = object();
    d->set("keyTag", out.keyTag.value_or(""));
    d->set("keyName", out.alias);
    return ok(d);
}

Object::Ptr updateMemo(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string memo = validMemo(c.body.string("memo"));
    const KeyRecord out = c.services.keys->updateDescription(c.scope, k.id, memo);
    auto d = object();
    d->set("keyTag", out.keyTag.value_or(""));
    d->set("memo", out.description);
    return ok(d);
}

}  // namespace keyport::api::ncloud
