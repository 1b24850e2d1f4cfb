#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include "service/api/exoscale/exo_call.h"
#include "service/api/exoscale/exo_errors.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::exoscale {
namespace {

using Poco::JSON::Object;

std::string iso(std::int64_t ms) {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000),
                                           Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

Object::Ptr success() {
    auto o = object();
    o->set("status", "success");
    return o;
}

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

// Exoscale KMS keys are symmetric encrypt-decrypt keys; others stay invisible here.
KeyRecord exoscaleKey(ExoCall& c, const std::string& id) {
    KeyRecord k = c.services.keys->get(c.scope, id);
    if (!isSymmetric(k.spec)) throw Error(ErrorCode::KeyNotFound, "key " + id + " does not exist");
    return k;
}

Object::Ptr keyJson(ExoCall& c, const KeyRecord& k) {
    auto o = object();
    o->set("id", k.id);
    o->set("name", k.alias);
    o->set("description", k.description);
    o->set("usage", "encrypt-decrypt");
    o->set("source", "exoscale-kms");
    o->set("status", statusOf(k.state));
    o->set("status-since", iso(k.createdAtMs));
    o->set("multi-zone", k.multiZone);
    o->set("created-at", iso(k.createdAtMs));
    if (k.deletionDateMs) o->set("delete-at", iso(*k.deletionDateMs));
    auto material = object();
    material->set("version", 1);
    material->set("created-at", iso(k.createdAtMs));
    material->set("automatic", false);
    o->set("material", material);
    auto rotation = object();
    rotation->set("manual-count", 0);
    rotation->set("automatic", false);
    rotation->set("rotation-period", 365);
    rotation->set("next-at", "");
    o->set("rotation", rotation);
    auto revision = object();
    revision->set("at", iso(k.createdAtMs));
    revision->set("seq", 1);
    o->set("revision", revision);
    // The replica group: origin-zone is the primary's zone, replicas the other members' zones.
    std::string origin = k.region;
    Poco::JSON::Array::Ptr replicas = new Poco::JSON::Array;
    for (const KeyRecord& m : c.services.keys->group(k)) {
        if (!m.primaryKeyId) origin = m.region;
        if (m.id != k.id) replicas->add(m.region);
    }
    o->set("origin-zone", origin);
    o->set("replicas", replicas);
    return o;
}

hsm::Bytes base64Field(const ExoCall& c, const std::string& name, bool required) {
    const auto v =
        required ? std::optional<std::string>(c.body.string(name)) : c.body.optString(name);
    if (!v) return {};
    auto b = base64Decode(*v);
    if (!b) throw Error(ErrorCode::InvalidParameter, "must be base64", name);
    return *b;
}

// A secret field (plaintext) decoded straight into SecretBytes.
hsm::SecretBytes secretBase64Field(const ExoCall& c, const std::string& name) {
    const SecretText v{c.body.string(name)};
    auto b = base64DecodeSecret(v.text);
    if (!b) throw Error(ErrorCode::InvalidParameter, "must be base64", name);
    return std::move(*b);
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

}  // namespace

std::string ExoCall::keyId() const {
    const std::string& id = req.param("id");
    if (!isUuid(id)) throw Error(ErrorCode::InvalidParameter, "must be a UUID", "id");
    return id;
}

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
    return keyJson(c, exoscaleKey(c, c.keyId()));
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
    exoscaleKey(c, c.keyId());
    const auto days = c.body.optInteger("delay-days", 7, 30).value_or(30);
    c.services.keys->scheduleDeletion(c.scope, c.keyId(), static_cast<int>(days));
    return success();
}

Object::Ptr cancelDeletion(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    c.services.keys->cancelDeletion(c.scope, c.keyId());
    return success();
}

Object::Ptr encrypt(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    const hsm::SecretBytes plain = secretBase64Field(c, "plaintext");
    if (plain.empty() || plain.size() > 4096) {
        throw Error(ErrorCode::InvalidParameter, "must be 1 to 4096 bytes", "plaintext");
    }
    const hsm::Bytes context = base64Field(c, "encryption-context", false);
    auto o = object();
    o->set("ciphertext", base64Encode(c.services.crypto->encrypt(
                             c.scope, c.keyId(), plain.reveal(),
                             EncryptionAlgorithm::SymmetricDefault, context)));
    return o;
}

Object::Ptr decrypt(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    const hsm::Bytes ct = base64Field(c, "ciphertext", true);
    const hsm::Bytes context = base64Field(c, "encryption-context", false);
    const Decrypted d = c.services.crypto->decrypt(c.scope, ct, context);
    // The ciphertext must belong to this key or to a member of its replica group.
    if (d.keyId != c.keyId()) {
        throw Error(ErrorCode::InvalidParameter, "the ciphertext was not made by this key",
                    "ciphertext");
    }
    auto o = object();
    setSecret(o, "plaintext", base64Encode(d.plaintext.reveal()));
    return o;
}

Object::Ptr generateDataKey(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    std::size_t bytes = 32;
    if (auto spec = c.body.optString("key-spec"); spec && *spec != "AES-256") {
        throw Error(ErrorCode::InvalidParameter, "only AES-256", "key-spec");
    }
    if (auto n = c.body.optInteger("bytes-count", 1, 1024)) bytes = static_cast<std::size_t>(*n);
    const hsm::Bytes context = base64Field(c, "encryption-context", false);
    const DataKey dk = c.services.crypto->createDataKey(c.scope, c.keyId(), bytes, true, context);
    auto o = object();
    setSecret(o, "plaintext", base64Encode(dk.plaintext.reveal()));
    o->set("ciphertext", base64Encode(dk.ciphertext));
    return o;
}

Object::Ptr replicate(ExoCall& c) {
    exoscaleKey(c, c.keyId());
    return operationJson(c.services.operations->start(c.scope, c.keyId(), c.body.string("zone")));
}

Object::Ptr getOperation(ExoCall& c) {
    const std::string& id = c.req.param("id");
    if (!isUuid(id)) throw Error(ErrorCode::InvalidParameter, "must be a UUID", "id");
    return operationJson(c.services.operations->get(c.scope, id));
}

}  // namespace keyport::api::exoscale
