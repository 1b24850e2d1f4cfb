#include "service/api/ncloud/ncp_api.h"

#include "service/api/json.h"
#include "service/api/ncloud/ncp_auth.h"
#include "service/api/ncloud/ncp_errors.h"
#include "service/api/region_selection.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"
#include "service/core/keys/public_crypto.h"

namespace keyport::api::ncloud {
namespace {

using Poco::JSON::Object;

constexpr char kPrefix[] = "ncpkms:v1:";
constexpr char kGlobal[] = "global";

Object::Ptr ok(const Object::Ptr& data) {
    auto o = object();
    o->set("code", "SUCCESS");
    o->set("msg", "");
    o->set("data", data);
    return o;
}

struct NcpCall {
    Request& req;
    JsonBody body;
    ProjectScope scope;
    Services& services;
};

using NcpHandler = Object::Ptr (*)(NcpCall&);

std::string keyTypeOf(KeySpec s) {
    if (isSymmetric(s)) return "AES256";
    return isRsa(s) ? "RSA2048" : "ECDSA";
}

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

bool validName(const std::string& n) {
    if (n.size() < 3 || n.size() > 15 || !std::isalpha(static_cast<unsigned char>(n[0])))
        return false;
    return std::all_of(n.begin(), n.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-';
    });
}

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
    } else if (type == "ECDSA") {
        cmd.spec = KeySpec::EcP256;
        cmd.usage = KeyUsage::SignVerify;
    } else {
        throw Error(ErrorCode::InvalidParameter, "must be AES256, RSA2048 or ECDSA", "keyType");
    }
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

EncryptionAlgorithm algorithmFor(const KeyRecord& k) {
    return isSymmetric(k.spec) ? EncryptionAlgorithm::SymmetricDefault
                               : EncryptionAlgorithm::RsaOaepSha256;
}

Object::Ptr encrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const auto plain = base64DecodeSecret(SecretText{c.body.string("plaintext")}.text);
    if (!plain || plain->empty() || plain->size() > 4096) {
        throw Error(ErrorCode::InvalidParameter, "must be base64 of 1 to 4096 bytes", "plaintext");
    }
    if (ecCurve(k.spec)) throw Error(ErrorCode::UsageMismatch, "an ECDSA key cannot encrypt");
    auto d = object();
    d->set("ciphertext", kPrefix + base64Encode(c.services.crypto->encrypt(
                                       c.scope, k.id, plain->reveal(), algorithmFor(k))));
    return ok(d);
}

Object::Ptr decrypt(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string text = c.body.string("ciphertext");
    if (!text.starts_with(kPrefix)) {
        throw Error(ErrorCode::InvalidParameter, std::string("must start with ") + kPrefix,
                    "ciphertext");
    }
    const auto ct = base64Decode(std::string_view(text).substr(sizeof kPrefix - 1));
    if (!ct)
        throw Error(ErrorCode::InvalidParameter, "is not base64 after the prefix", "ciphertext");
    const Decrypted d = c.services.crypto->decrypt(c.scope, *ct);
    if (d.keyId != k.id)
        throw Error(ErrorCode::InvalidParameter, "was not made by this key", "ciphertext");
    auto o = object();
    setSecret(o, "plaintext", base64Encode(d.plaintext.reveal()));
    return ok(o);
}

Object::Ptr migrate(NcpCall& c) {
    const KeyRecord k = byTag(c);
    const std::string target = c.body.string("targetRegion");
    if (target != "KR" && target != "JPN") {
        throw Error(ErrorCode::InvalidParameter, "must be KR or JPN", "targetRegion");
    }
    if (k.region != kGlobal)
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

struct Route {
    const char* method;
    const char* path;
    Access access;
    NcpHandler handler;
};

const std::vector<Route>& routes() {
    static const std::vector<Route> r{
        {"POST", "/kms/v1/keys", Access::Write, createKey},
        {"GET", "/kms/v1/keys/{keyTag}", Access::Read, getKey},
        {"POST", "/kms/v1/keys/{keyTag}/encrypt", Access::Write, encrypt},
        {"POST", "/kms/v1/keys/{keyTag}/decrypt", Access::Write, decrypt},
        {"POST", "/kms/v1/keys/{keyTag}/migrate", Access::Write, migrate},
    };
    return r;
}

// ocapi-kr.… → KR, ocapi-jp.… → JPN, ocapi.… → global (NAVER's endpoints).
std::optional<std::string> regionFromHost(const std::string& host) {
    if (host.starts_with("ocapi-kr.")) return "KR";
    if (host.starts_with("ocapi-jp.")) return "JPN";
    if (host.starts_with("ocapi.")) return std::string(kGlobal);
    return std::nullopt;
}

Response run(Request& req, Services& services, Authenticator& auth, const Route& route) {
    try {
        const Principal principal = authenticate(req, auth);
        const std::string region = selectRegion(req, principal, *services.regions, regionFromHost);
        const ProjectScope scope = auth.scopeInRegion(principal, region, route.access);
        const bool hasBody = req.method == "POST" && !req.body.empty();
        NcpCall call{req, JsonBody::parse(hasBody ? req.body : "{}"), scope, services};
        return Response::json(200, stringify(route.handler(call)));
    } catch (const AuthError& e) {
        return ncpAuthError(e);
    } catch (const Error& e) {
        return ncpError(e);
    }
}

}  // namespace

std::string keyTag(const std::string& domainId, const std::string& keyName) {
    const std::string in = "keyport-ncp-keytag\n" + domainId + "\n" + keyName;
    return hexEncode(digest(hsm::Hash::Sha256, hsm::asBytes(in))).substr(0, 52);
}

void addNcloudRoutes(Router& router, Services& services, Authenticator& auth) {
    for (const Route& route : routes()) {
        router.add(route.method, route.path, [&services, &auth, &route](Request& req) {
            return run(req, services, auth, route);
        });
    }
    router.addDialect([](std::string_view path) { return path.starts_with("/kms/"); },
                      ncpTransportError);
}

}  // namespace keyport::api::ncloud
