// The crypto routes of Exoscale's KMS API: encrypt, decrypt, generate-data-key, re-encrypt
// (operationIds as in ../shared/specs/exoscale-kms-v2.yaml). `encryption-context` is bound
// as associated data; ciphertexts are Keyport's blob, base64.
#include "service/api/exoscale/exo_call.h"
#include "service/api/exoscale/exo_key_json.h"
#include "service/core/base/encoding.h"
#include "service/core/base/errors.h"

namespace keyport::api::exoscale {
namespace {

using Poco::JSON::Object;

// A string member of `o` (a request object or one nested in it), named `field` in errors.
std::optional<std::string> optMember(const Object::Ptr& o, const std::string& member,
                                     const std::string& field) {
    if (!o || !o->has(member) || o->isNull(member)) return std::nullopt;
    const Poco::Dynamic::Var v = o->get(member);
    if (!v.isString()) throw Error(ErrorCode::InvalidParameter, "must be a string", field);
    return v.extract<std::string>();
}

hsm::Bytes base64Member(const Object::Ptr& o, const std::string& member, const std::string& field,
                        bool required) {
    const auto v = optMember(o, member, field);
    if (!v) {
        if (required) throw Error(ErrorCode::MissingParameter, "is required", field);
        return {};
    }
    auto b = base64Decode(*v);
    if (!b) throw Error(ErrorCode::InvalidParameter, "must be base64", field);
    return *b;
}

hsm::Bytes base64Field(const ExoCall& c, const std::string& name, bool required) {
    return base64Member(c.body.root(), name, name, required);
}

// A secret field (plaintext) decoded straight into SecretBytes.
hsm::SecretBytes secretBase64Field(const ExoCall& c, const std::string& name) {
    const SecretText v{c.body.string(name)};
    auto b = base64DecodeSecret(v.text);
    if (!b) throw Error(ErrorCode::InvalidParameter, "must be base64", name);
    return std::move(*b);
}

Object::Ptr requiredObject(const ExoCall& c, const std::string& name) {
    if (c.body.has(name) && !c.body.root()->getObject(name))
        throw Error(ErrorCode::InvalidParameter, "must be an object", name);
    auto o = c.body.object(name);
    if (!o) throw Error(ErrorCode::MissingParameter, "is required", name);
    return o;
}

std::string uuidMember(const Object::Ptr& o, const std::string& member, const std::string& field) {
    const auto v = optMember(o, member, field);
    if (!v) throw Error(ErrorCode::MissingParameter, "is required", field);
    if (!isUuid(*v)) throw Error(ErrorCode::InvalidParameter, "must be a UUID", field);
    return *v;
}

}  // namespace

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

// re-encrypt: {id} is the SOURCE key. The exo CLI (cmd/kms/crypto/crypto_reencrypt.go) calls
// ReEncrypt(ctx, SRC_ID, {source:{key: SRC_ID…}, destination:{key: DEST_ID…}}), and like
// decrypt on /{id}/decrypt the path names the key whose ciphertext is opened; a path that
// names another key than source.key is refused rather than guessed at. destination.key may
// be the same key (the ciphertext moves to its newest material version) or another
// Exoscale key of the caller in this zone.
Object::Ptr reEncrypt(ExoCall& c) {
    const std::string id = c.keyId();
    const Object::Ptr source = requiredObject(c, "source");
    const Object::Ptr destination = requiredObject(c, "destination");
    const std::string sourceKey = uuidMember(source, "key", "source.key");
    const std::string destinationKey = uuidMember(destination, "key", "destination.key");
    if (sourceKey != id) {
        throw Error(ErrorCode::InvalidParameter, "must be the key in the path (" + id + ")",
                    "source.key");
    }
    const hsm::Bytes ct = base64Member(source, "ciphertext", "source.ciphertext", true);
    const hsm::Bytes sourceContext =
        base64Member(source, "encryption-context", "source.encryption-context", false);
    const hsm::Bytes destinationContext =
        base64Member(destination, "encryption-context", "destination.encryption-context", false);
    exoscaleKey(c, id);
    exoscaleKey(c, destinationKey);
    ReEncryptRequest r;
    r.ciphertext = ct;
    r.sourceContext = sourceContext;
    r.sourceKeyId = sourceKey;
    r.destinationKeyId = destinationKey;
    r.destinationContext = destinationContext;
    const ReEncrypted out = c.services.crypto->reEncrypt(c.scope, r);
    auto o = object();
    o->set("ciphertext", base64Encode(out.ciphertext));
    return o;
}

}  // namespace keyport::api::exoscale
