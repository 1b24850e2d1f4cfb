#include "service/core/import/import_service.h"

#include "hsm/error.h"
#include "hsm/key_policies.h"
#include "hsm/public_key.h"
#include "hsm/scoped_objects.h"
#include "service/core/base/clock.h"
#include "service/core/base/errors.h"
#include "service/core/import/import_token.h"
#include "service/core/tokens/oaep.h"

namespace keyport {
namespace {

KeyRecord externalKey(KeyService& keys, const ProjectScope& scope, const std::string& keyId) {
    KeyRecord k = keys.get(scope, keyId);
    if (k.origin != Origin::External) {
        throw Error(ErrorCode::KeyNotExternal,
                    "key " + keyId + " was not created with origin external");
    }
    if (k.state == KeyState::PendingDeletion) {
        throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
    }
    return k;
}

[[noreturn]] void undecryptable(const char* field) {
    throw Error(ErrorCode::MaterialInvalid,
                std::string(field) +
                    " could not be decrypted with the wrapping key of this "
                    "import token (wrong public key, wrong OAEP hash or corrupted data)",
                field);
}

// C_CreateObject of host-assisted material. SoftHSM 2.6.1 can leave a partial object after
// a failed C_CreateObject, so look for it by a one-off label and destroy it.
hsm::ObjectHandle createFromHost(hsm::Session& s, hsm::AttributeTemplate tmpl) {
    const hsm::Bytes tag = s.random(16);
    const std::string label = "keyport-host-" + std::string(tag.begin(), tag.end());
    tmpl.set(CKA_LABEL, hsm::asBytes(label));
    try {
        return s.createObject(tmpl);
    } catch (const hsm::Error&) {
        hsm::AttributeTemplate find;
        find.set(CKA_LABEL, hsm::asBytes(label));
        for (auto h : s.findObjects(find)) s.destroyObjectNoThrow(h);
        throw;
    }
}

}  // namespace

ImportService::ImportService(KeyService& keys, WrappingPairs& pairs, RegionTokens& regions,
                             KeyMaterial& material, ImportOptions options)
    : keys_(keys), pairs_(pairs), regions_(regions), material_(material), options_(options) {}

UnwrapPath ImportService::pathFor(Region& region, WrappingAlgorithm algorithm,
                                  const WrappingPair& pair) const {
    if (algorithm == WrappingAlgorithm::RsaOaepSha1) return UnwrapPath::OnToken;
    if (region.capabilities && region.capabilities->has(hsm::Capability::RsaOaepSha256)) {
        return UnwrapPath::OnToken;
    }
    if (options_.hostAssistedOaep && pair.hostDecrypt) return UnwrapPath::HostAssisted;
    throw Error(ErrorCode::AlgorithmUnsupported,
                "RSAES_OAEP_SHA_256 is not available on the token of region " + region.name +
                    "; supported wrapping_algorithm: RSAES_OAEP_SHA_1",
                "wrapping_algorithm");
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
    return ImportParameters{k.id, t.issue(region), t.expiresAt, pair->publicSpki};
}

KeyRecord ImportService::import(const ProjectScope& scope, const ImportMaterial& cmd) {
    const KeyRecord k = externalKey(keys_, scope, cmd.keyId);
    Region& region = regions_.region(k.region);
    const ImportToken t = ImportToken::verify(region, cmd.importToken);
    if (t.keyId != k.id) {
        throw Error(ErrorCode::ImportTokenMismatch, "import_token was issued for another key",
                    "import_token");
    }
    if (t.projectId != scope.projectId) {
        throw Error(ErrorCode::ImportTokenMismatch, "import_token was issued for another project",
                    "import_token");
    }
    if (t.region != k.region) {
        throw Error(ErrorCode::ImportTokenMismatch, "import_token was issued for another region",
                    "import_token");
    }
    const std::int64_t nowS = epochSeconds();
    if (t.expiresAt <= nowS) {
        throw Error(ErrorCode::ImportTokenExpired,
                    "import_token has expired; get new import parameters", "import_token");
    }
    if (cmd.expirationTime && *cmd.expirationTime <= nowS) {
        throw Error(ErrorCode::InvalidParameter, "expiration_time is in the past",
                    "expiration_time");
    }
    const auto pair = pairs_.find(t.pairId);
    if (!pair) {
        throw Error(ErrorCode::ImportTokenInvalid,
                    "the wrapping key of this import_token no longer exists", "import_token");
    }
    if (cmd.encryptedKeyMaterial.size() != pair->bits / 8) {
        throw Error(ErrorCode::InvalidParameter,
                    "encrypted_key_material must be " + std::to_string(pair->bits / 8) +
                        " bytes for the RSA-" + std::to_string(pair->bits) + " wrapping key, got " +
                        std::to_string(cmd.encryptedKeyMaterial.size()),
                    "encrypted_key_material");
    }
    const bool symmetric = isSymmetric(k.spec);
    if (symmetric && cmd.encryptedPrivateKey) {
        throw Error(ErrorCode::InvalidParameter, "encrypted_privatekey is only for asymmetric keys",
                    "encrypted_privatekey");
    }
    if (!symmetric && !cmd.encryptedPrivateKey) {
        throw Error(ErrorCode::MissingParameter,
                    "encrypted_privatekey is required for " + std::string(name(k.spec)) + " keys",
                    "encrypted_privatekey");
    }
    const UnwrapPath path = pathFor(region, t.algorithm, *pair);
    const hsm::Hash hash = oaepHash(t.algorithm);

    hsm::Bytes blob;
    std::optional<hsm::Bytes> spki;
    {
        auto session = region.token->session();
        hsm::ScopedObjects transients(*session);
        // 1. The outer layer: RSA-OAEP under the wrapping pair, on-token or host-assisted.
        const auto outerTemplate =
            symmetric ? hsm::policy::transientSecret(CKK_AES) : hsm::policy::importTransportKey();
        hsm::ObjectHandle outer = CK_INVALID_HANDLE;
        if (path == UnwrapPath::OnToken) {
            try {
                outer = transients.keep(
                    session->unwrapKey(hsm::Mechanism::rsaOaep(hash), pair->privateKey,
                                       cmd.encryptedKeyMaterial, outerTemplate));
            } catch (const hsm::Error&) {
                undecryptable("encrypted_key_material");
            }
        } else {
            hsm::SecretBytes raw = session->decrypt(hsm::Mechanism::rsaX509(), pair->privateKey,
                                                    cmd.encryptedKeyMaterial);
            // Raw RSA returns the block without leading zeros on some tokens: left-pad.
            hsm::SecretBytes block(pair->bits / 8);
            if (raw.size() > block.size()) undecryptable("encrypted_key_material");
            std::copy(raw.reveal().begin(), raw.reveal().end(),
                      block.reveal().begin() + static_cast<long>(block.size() - raw.size()));
            auto material = oaepDecode(block.reveal(), hash);
            if (!material) undecryptable("encrypted_key_material");
            outer = transients.keep(createFromHost(
                *session,
                hsm::policy::hostAssistedSecret(CKK_AES, material->reveal(), !symmetric)));
        }

        if (symmetric) {
            blob = material_.seal(region, *session, outer);
            // KWP pads to 8 bytes: a 32-byte key gives a 40-byte blob. SoftHSM reports
            // CKA_VALUE_LEN 0 for unwrapped AES keys, so the blob length is the check.
            const std::size_t want = aesBytes(k.spec) + 8;
            if (blob.size() != want) {
                throw Error(ErrorCode::MaterialInvalid,
                            "key material is not a " + std::string(name(k.spec)) + " key (" +
                                std::to_string(aesBytes(k.spec)) + " bytes expected)",
                            "encrypted_key_material");
            }
        } else {
            // 2. The private key: PKCS#8 under AES-KWP with the temporary key.
            const CK_KEY_TYPE type = isRsa(k.spec) ? CKK_RSA : CKK_EC;
            hsm::ObjectHandle priv = CK_INVALID_HANDLE;
            try {
                priv = transients.keep(session->unwrapKey(hsm::Mechanism::aesKeyWrapPad(), outer,
                                                          *cmd.encryptedPrivateKey,
                                                          hsm::policy::transientPrivate(type)));
            } catch (const hsm::Error&) {
                throw Error(
                    ErrorCode::MaterialInvalid,
                    "encrypted_privatekey is not a " + std::string(name(k.spec)) +
                        " private key wrapped (AES-KWP) with the key in encrypted_key_material",
                    "encrypted_privatekey");
            }
            if (isRsa(k.spec)) {
                const auto modulus = session->attribute(priv, CKA_MODULUS);
                if (!modulus || modulus->size() * 8 != rsaBits(k.spec)) {
                    throw Error(ErrorCode::MaterialInvalid,
                                "encrypted_privatekey is not an RSA-" +
                                    std::to_string(rsaBits(k.spec)) + " key",
                                "encrypted_privatekey");
                }
                spki = hsm::publicKeySpki(*session, priv);
            } else {
                const auto params = session->attribute(priv, CKA_EC_PARAMS);
                const auto want = hsm::curveParams(*ecCurve(k.spec));
                if (!params ||
                    !std::equal(params->begin(), params->end(), want.begin(), want.end())) {
                    throw Error(ErrorCode::MaterialInvalid,
                                std::string("encrypted_privatekey is not on the curve of ") +
                                    std::string(name(k.spec)),
                                "encrypted_privatekey");
                }
            }
            blob = material_.seal(region, *session, priv);
        }
    }
    if (!spki && !symmetric) {
        // EC: the point is recovered from signatures by a usable copy of the new blob.
        auto copy = material_.openUncached(region, k.spec, blob, k.usage);
        auto session = region.token->session();
        spki = hsm::publicKeySpki(*session, copy->handle());
    }

    KeyRecord result = keys_.modify(scope, cmd.keyId, [&](Poco::Data::Session& s, KeyRecord& key) {
        if (key.state == KeyState::PendingDeletion) {
            throw Error(ErrorCode::KeyPendingDeletion, "the key is pending deletion");
        }
        if (key.blob) {
            // KWP is deterministic under one KEK: equal material gives an equal blob.
            if (*key.blob != blob) {
                throw Error(ErrorCode::MaterialMismatch,
                            "the key already has different key material; delete it first",
                            "encrypted_key_material");
            }
        } else {
            key.blob = blob;
            key.publicSpki = spki;
            key.state = KeyState::Enabled;
            key.unwrapPath = path;
        }
        key.expirationTime = cmd.expirationTime;
        key_store::audit(s, key.id, "import",
                         std::string(name(path)) + " " + std::string(name(t.algorithm)));
    });
    material_.evict(result.id);
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
