#include "service/api/ncloud/ncp_api.h"
#include "service/api/ncloud/ncp_call.h"
#include "service/core/base/errors.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

std::string keyTypeOf(KeySpec s) {
    if (isSymmetric(s)) return "AES256";
    return isRsa(s) ? "RSA2048" : "ECDSA";
}

}  // namespace

Object::Ptr keyJson(const KeyRecord& k) {
    auto o = object();
    o->set("keyTag", k.keyTag.value_or(""));
    o->set("keyName", k.alias);
    o->set("keyType", keyTypeOf(k.spec));
    o->set("memo", k.description);
    o->set("keyStatus", k.state == KeyState::Enabled ? "ENABLE" : "DISABLE");
    o->set("region", k.region);
    o->set("createdDate", k.createdAtMs);
    return o;
}

KeyRecord byTag(NcpCall& c) {
    const std::string& tag = c.req.param("keyTag");
    auto k = c.services.keys->findByTag(c.scope, tag);
    if (!k)
        throw Error(ErrorCode::KeyNotFound,
                    "no key with keyTag " + tag + " in region " + c.scope.region);
    return *k;
}

namespace {

bool validName(const std::string& n) {
    if (n.size() < 3 || n.size() > 15 || !std::isalpha(static_cast<unsigned char>(n[0])))
        return false;
    return std::all_of(n.begin(), n.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    });
}

}  // namespace

Object::Ptr createKey(NcpCall& c) {
    CreateKey cmd;
    cmd.alias = c.body.string("keyName");
    if (!validName(cmd.alias)) {
        throw Error(ErrorCode::InvalidParameter, "3 to 15 of [A-Za-z0-9_-], starting with a letter",
                    "keyName");
    }
    const std::string type = c.body.string("keyType");
    if (type == "AES256") {
        cmd.spec = KeySpec::Aes256;
    } else if (type == "RSA2048") {
        cmd.spec = KeySpec::Rsa2048;
        cmd.usage = KeyUsage::EncryptSign;  // NAVER: encrypt/decrypt and sign/verify
    } else if (type == "ECDSA") {
        cmd.spec = KeySpec::EcP256;
        cmd.usage = KeyUsage::SignVerify;
    } else {
        throw Error(ErrorCode::InvalidParameter, "must be AES256, RSA2048 or ECDSA", "keyType");
    }
    // security-kms2-create-key: isConvergent (AES256 only; context then always required).
    cmd.convergent = c.body.optBool("isConvergent").value_or(false);
    if (cmd.convergent && cmd.spec != KeySpec::Aes256)
        throw Error(ErrorCode::InvalidParameter, "isConvergent is only for AES256 keys");
    cmd.description = c.body.optString("memo").value_or("");
    if (cmd.description.size() > 255)
        throw Error(ErrorCode::InvalidParameter, "at most 255 characters", "memo");
    cmd.keyTag = keyTag(c.scope.domainId, cmd.alias);
    if (c.services.keys->findByAlias(c.scope, cmd.alias)) {
        throw Error(ErrorCode::AliasExists, "a key named " + cmd.alias + " already exists here",
                    "keyName");
    }
    return ok(keyJson(c.services.keys->create(c.scope, cmd)));
}

Object::Ptr getKey(NcpCall& c) {
    return ok(keyJson(byTag(c)));
}

Object::Ptr migrate(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string target = c.body.string("targetRegion");
    if (target != "KR" && target != "JPN") {
        throw Error(ErrorCode::InvalidParameter, "must be KR or JPN", "targetRegion");
    }
    if (k.region != kGlobalRegion)
        throw Error(ErrorCode::InvalidRequest, "only a global key can be migrated");
    const auto project = c.services.tenancy->projectInRegion(c.scope.domainId, target);
    if (!project)
        throw Error(ErrorCode::Forbidden, "your account has no project in region " + target);
    const KeyRecord moved = c.services.replication->migrate(
        c.scope, k.id, ProjectScope{c.scope.domainId, project->id, target});
    auto d = object();
    d->set("keyTag", moved.keyTag.value_or(""));
    d->set("targetRegion", target);
    return ok(d);
}

}  // namespace keyport::api::ncloud
