#include "service/core/import/import_service.h"

#include "hsm/error.h"
#include "hsm/key_policies.h"
#include "hsm/public_key.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/clock.h"
#include "service/core/base/errors.h"
#include "service/core/base/metrics.h"
#include "service/core/import/import_token.h"
#include "service/core/tokens/host_oaep.h"
#include "service/core/tokens/host_secret.h"

namespace keyport {
namespace {

KeyRecord externalKey(KeyService& keys, const ProjectScope& scope, const std::string& keyId) {
    KeyRecord k = keys.get(scope, keyId);
    if (k.origin != Origin::External) {
        throw Error(ErrorCode::KeyNotExternal,
                    "key " + keyId + " was not created for imported material (origin external)");
    }
    if (k.state == KeyState::PendingDeletion) {
        throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
    }
    return k;
}

[[noreturn]] void undecryptable() {
    throw Error(ErrorCode::MaterialInvalid,
                "could not be decrypted with the wrapping key of this import token (wrong "
                "public key, wrong OAEP hash or corrupted data)",
                Input::WrappedMaterial);
}

[[noreturn]] void notThePrivateKey(std::string what) {
    throw Error(ErrorCode::MaterialInvalid, "is not " + std::move(what), Input::WrappedPrivateKey);
}

// The PKCS#11 key type secret material (AES or HMAC) arrives as.
CK_KEY_TYPE secretKeyType(KeySpec spec) {
    return isHmac(spec) ? CKK_GENERIC_SECRET : CKK_AES;
}

// Bytes of secret material a spec takes: an AES key's size, or an HMAC key as long as its
// hash output (what create-key generates for the spec).
std::size_t secretBytes(KeySpec spec) {
    return isHmac(spec) ? hmacBytes(spec) : aesBytes(spec);
}

}  // namespace

ImportService::ImportService(KeyService& keys, KeyMaterial& material, RegionTokens& regions,
                             WrappingPairs& pairs, ImportOptions options)
    : keys_(keys), material_(material), regions_(regions), pairs_(pairs), options_(options) {}

UnwrapPath ImportService::pathFor(Region& region, WrappingAlgorithm algorithm,
                                  const WrappingPair& pair) const {
    if (algorithm == WrappingAlgorithm::RsaOaepSha1) return UnwrapPath::OnToken;
    if (region.capabilities && region.capabilities->has(hsm::Capability::RsaOaepSha256)) {
        return UnwrapPath::OnToken;
    }
    if (options_.hostAssistedOaep && pair.hostDecrypt) return UnwrapPath::HostAssisted;
    throw Error(ErrorCode::AlgorithmUnsupported,
                "asks for OAEP with SHA-256, which the token of region " + region.name +
                    " does not offer (OAEP with SHA-1 it does)",
                Input::WrappingAlgorithm);
}

ImportParameters ImportService::parameters(const ProjectScope& scope, const std::string& keyId,
                                           WrappingAlgorithm algorithm, unsigned wrappingBits) {
    const KeyRecord k = externalKey(keys_, scope, keyId);
    Region& region = regions_.region(k.region);
    const auto pair = pairs_.current(k.region, wrappingBits);
    pathFor(region, algorithm, *pair);  // refuse now, not at import time

    ImportToken t;
    t.keyId = k.id;
    t.projectId = k.projectId;
    t.region = k.region;
    t.pairId = pair->id;
    t.algorithm = algorithm;
    t.issuedAt = epochSeconds();
    t.expiresAt = t.issuedAt + pairs_.policy().tokenValiditySeconds;
    ImportParameters issued{k.id, t.issue(region), t.expiresAt, pair->publicSpki};
    metrics::importTokenIssued(k.region);
    return issued;
}

KeyRecord ImportService::import(const ProjectScope& scope, const ImportMaterial& cmd) {
    const Accepted accepted = accept(scope, cmd);
    const Sealed sealed = unwrapAndSeal(accepted, cmd);
    return commit(scope, cmd.keyId, cmd.expirationTime, accepted.path,
                  std::string(name(accepted.token.algorithm)), sealed, /*reimport=*/true);
}

KeyRecord ImportService::pendingImport(const ProjectScope& scope, const std::string& keyId) {
    KeyRecord k = externalKey(keys_, scope, keyId);
    if (k.hasMaterial()) {
        throw Error(ErrorCode::KeyStateInvalid,
                    "key " + keyId +
                        " already has key material; material held on the host is imported only "
                        "into a key pending import (delete its material first)");
    }
    return k;
}

KeyRecord ImportService::importFromHost(const ProjectScope& scope, const std::string& keyId,
                                        const hsm::SecretBytes& material,
                                        const std::string& source) {
    const KeyRecord k = pendingImport(scope, keyId);
    if (!isSecretKey(k.spec)) {
        throw Error(ErrorCode::AlgorithmUnsupported,
                    "key " + keyId + " is " + std::string(name(k.spec)) +
                        ": only secret (AES or HMAC) material can be imported from the host");
    }
    if (material.size() != secretBytes(k.spec)) {
        throw Error(ErrorCode::MaterialInvalid,
                    "is not a " + std::string(name(k.spec)) + " key (" +
                        std::to_string(secretBytes(k.spec)) + " bytes expected, got " +
                        std::to_string(material.size()) + ")",
                    Input::WrappedMaterial);
    }
    Region& region = regions_.region(k.region);
    Sealed sealed;
    {
        // The same transient the host-assisted OAEP path makes (unwrapOuter).
        auto session = region.token->session();
        hsm::ScopedObjects transients(*session);
        const hsm::ObjectHandle transient = transients.keep(createFromHost(
            *session,
            hsm::policy::hostAssistedSecret(secretKeyType(k.spec), material.reveal(), false)));
        sealed.blob = sealSecret(region, *session, transient, k.spec);
    }
    // No re-import: a key that gained material since pendingImport() is refused outright.
    return commit(scope, keyId, std::nullopt, UnwrapPath::HostAssisted, source, sealed,
                  /*reimport=*/false);
}

// Every check that needs no token work: the key, the import token's MAC and bindings, the
// wrapping pair and the shape of the wrapped inputs.
ImportService::Accepted ImportService::accept(const ProjectScope& scope,
                                              const ImportMaterial& cmd) {
    KeyRecord k = externalKey(keys_, scope, cmd.keyId);
    Region& region = regions_.region(k.region);
    ImportToken t = ImportToken::verify(region, cmd.importToken);
    const auto mismatch = [](const char* what) {
        throw Error(ErrorCode::ImportTokenMismatch, std::string("was issued for another ") + what,
                    Input::ImportToken);
    };
    if (t.keyId != k.id) mismatch("key");
    if (t.projectId != scope.projectId) mismatch("project");
    if (t.region != k.region) mismatch("region");
    const std::int64_t nowS = epochSeconds();
    if (t.expiresAt <= nowS) {
        throw Error(ErrorCode::ImportTokenExpired, "has expired; get new import parameters",
                    Input::ImportToken);
    }
    if (cmd.expirationTime && *cmd.expirationTime <= nowS) {
        throw Error(ErrorCode::InvalidParameter, "is in the past", Input::ExpirationTime);
    }
    auto pair = pairs_.find(t.pairId);
    if (!pair) {
        throw Error(ErrorCode::ImportTokenInvalid,
                    "names a wrapping key that no longer exists; get new import parameters",
                    Input::ImportToken);
    }
    if (cmd.encryptedKeyMaterial.size() != pair->bits / 8) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be " + std::to_string(pair->bits / 8) + " bytes for the RSA-" +
                        std::to_string(pair->bits) + " wrapping key, got " +
                        std::to_string(cmd.encryptedKeyMaterial.size()),
                    Input::WrappedMaterial);
    }
    const bool symmetric = isSecretKey(k.spec);
    if (symmetric && cmd.encryptedPrivateKey) {
        throw Error(ErrorCode::InvalidParameter, "is only for asymmetric keys",
                    Input::WrappedPrivateKey);
    }
    if (!symmetric && !cmd.encryptedPrivateKey) {
        throw Error(ErrorCode::MissingParameter,
                    "is required for " + std::string(name(k.spec)) + " keys",
                    Input::WrappedPrivateKey);
    }
    const UnwrapPath path = pathFor(region, t.algorithm, *pair);
    return Accepted{std::move(k), region, std::move(t), std::move(pair), path};
}

// The outer layer: RSA-OAEP under the wrapping pair, on-token or host-assisted, into a
// transient AES key (the key itself, or the temporary key of an asymmetric import).
hsm::ObjectHandle ImportService::unwrapOuter(const Accepted& a, hsm::Session& session,
                                             const ImportMaterial& cmd) const {
    const bool symmetric = isSecretKey(a.key.spec);
    const CK_KEY_TYPE type = symmetric ? secretKeyType(a.key.spec) : CKK_AES;
    const hsm::Hash hash = oaepHash(a.token.algorithm);
    if (a.path == UnwrapPath::OnToken) {
        const auto tmpl =
            symmetric ? hsm::policy::transientSecret(type) : hsm::policy::importTransportKey();
        try {
            return session.unwrapKey(hsm::Mechanism::rsaOaep(hash), a.pair->privateKey,
                                     cmd.encryptedKeyMaterial, tmpl);
        } catch (const hsm::Error&) {
            undecryptable();
        }
    }
    const auto material = hostOaepDecrypt(session, a.pair->privateKey, a.pair->bits / 8,
                                          cmd.encryptedKeyMaterial, hash);
    if (!material) undecryptable();
    return createFromHost(session,
                          hsm::policy::hostAssistedSecret(type, material->reveal(), !symmetric));
}

// Seals a transient secret key under the KEK and checks it is of the spec's size. KWP pads
// to 8 bytes: a 32-byte key gives a 40-byte blob (48 and 64 bytes, the HMAC sizes, are
// multiples of 8 too). SoftHSM reports CKA_VALUE_LEN 0 for unwrapped keys, so the blob
// length is the check.
hsm::Bytes ImportService::sealSecret(Region& region, hsm::Session& session,
                                     hsm::ObjectHandle transient, KeySpec spec) const {
    hsm::Bytes blob = material_.seal(region, session, transient);
    if (blob.size() != secretBytes(spec) + 8) {
        throw Error(ErrorCode::MaterialInvalid,
                    "is not a " + std::string(name(spec)) + " key (" +
                        std::to_string(secretBytes(spec)) + " bytes expected)",
                    Input::WrappedMaterial);
    }
    return blob;
}

// Unwraps on-token, checks the material against the key spec and seals it under the KEK.
ImportService::Sealed ImportService::unwrapAndSeal(const Accepted& a,
                                                   const ImportMaterial& cmd) const {
    const KeyRecord& k = a.key;
    Sealed out;
    {
        auto session = a.region.token->session();
        hsm::ScopedObjects transients(*session);
        const hsm::ObjectHandle outer = transients.keep(unwrapOuter(a, *session, cmd));
        if (isSecretKey(k.spec)) {
            out.blob = sealSecret(a.region, *session, outer, k.spec);
            return out;
        }
        const hsm::ObjectHandle priv =
            unwrapPrivate(k, transients, *session, outer, *cmd.encryptedPrivateKey);
        if (isRsa(k.spec)) out.spki = hsm::publicKeySpki(*session, priv);
        out.blob = material_.seal(a.region, *session, priv);
    }
    if (!out.spki) {
        // EC: the point is recovered from signatures by a usable copy of the new blob.
        // The recovery signs, so the copy is opened for signing whatever the key's usage
        // (a KEY_AGREEMENT key's own copies cannot sign); it is gone when this block ends.
        auto copy = material_.openUncached(a.region, k.spec, out.blob, KeyUsage::SignVerify);
        auto session = a.region.token->session();
        out.spki = hsm::publicKeySpki(*session, copy->handle());
    }
    return out;
}

// The private key of an asymmetric import: PKCS#8 under AES-KWP with the temporary key,
// unwrapped on-token and checked to be of the key's size or curve.
hsm::ObjectHandle ImportService::unwrapPrivate(const KeyRecord& k, hsm::ScopedObjects& transients,
                                               hsm::Session& session,
                                               hsm::ObjectHandle temporaryKey,
                                               hsm::ByteView wrapped) const {
    const CK_KEY_TYPE type = isRsa(k.spec) ? CKK_RSA : CKK_EC;
    hsm::ObjectHandle priv = CK_INVALID_HANDLE;
    try {
        priv = transients.keep(session.unwrapKey(hsm::Mechanism::aesKeyWrapPad(), temporaryKey,
                                                 wrapped, hsm::policy::transientPrivate(type)));
    } catch (const hsm::Error&) {
        notThePrivateKey("a " + std::string(name(k.spec)) +
                         " private key wrapped (AES-KWP) with the imported temporary key");
    }
    if (isRsa(k.spec)) {
        const auto modulus = session.attribute(priv, CKA_MODULUS);
        if (!modulus || modulus->size() * 8 != rsaBits(k.spec)) {
            notThePrivateKey("an RSA-" + std::to_string(rsaBits(k.spec)) + " key");
        }
    } else {
        const auto params = session.attribute(priv, CKA_EC_PARAMS);
        const auto want = hsm::curveParams(*ecCurve(k.spec));
        if (!params || !std::equal(params->begin(), params->end(), want.begin(), want.end())) {
            notThePrivateKey("on the curve of " + std::string(name(k.spec)));
        }
    }
    return priv;
}

// One transaction: the blob, the public key and the key's state together.
// `how` ends the audit row: the wrapping algorithm, or where host-held material came from.
// `reimport`: the same material again is accepted (import-key-material's rule).
KeyRecord ImportService::commit(const ProjectScope& scope, const std::string& keyId,
                                std::optional<std::int64_t> expirationTime, UnwrapPath path,
                                const std::string& how, const Sealed& sealed, bool reimport) {
    KeyRecord result = keys_.modify(scope, keyId, [&](Poco::Data::Session& s, KeyRecord& key) {
        if (key.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        }
        if (key.blob && !reimport) {
            throw Error(ErrorCode::KeyStateInvalid,
                        "key " + keyId + " gained key material while this import ran");
        }
        if (key.blob) {
            // KWP is deterministic under one KEK: equal material gives an equal blob (and
            // sameMaterial looks past a KEK rollover that re-sealed one of the two).
            if (!material_.sameMaterial(regions_.region(key.region), key.spec, *key.blob,
                                        sealed.blob)) {
                throw Error(
                    ErrorCode::MaterialMismatch,
                    "is different from the key material the key already has; delete that first",
                    Input::WrappedMaterial);
            }
        } else {
            key.blob = sealed.blob;
            key.publicSpki = sealed.spki;
            key.state = KeyState::Enabled;
            key.unwrapPath = path;
        }
        key.expirationTime = expirationTime;
        key_store::audit(s, key.id, "import", std::string(name(path)) + " " + how);
    });
    material_.evict(result.id);
    metrics::keyImported(name(path));
    return result;
}

KeyRecord ImportService::deleteMaterial(const ProjectScope& scope, const std::string& keyId) {
    KeyRecord k = keys_.modify(scope, keyId, [](Poco::Data::Session& s, KeyRecord& key) {
        if (key.origin != Origin::External) {
            throw Error(ErrorCode::KeyNotExternal, "only imported key material can be deleted");
        }
        if (key.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        }
        if (!key.blob) throw Error(ErrorCode::KeyPendingImport, "the key has no key material");
        key.blob.reset();
        key.publicSpki.reset();
        key.expirationTime.reset();
        key.unwrapPath.reset();
        key.state = KeyState::PendingImport;
        key_store::audit(s, key.id, "delete-material");
    });
    material_.evict(keyId);
    return k;
}

}  // namespace keyport
