#include "service/core/secrets/secret_cmks.h"

#include "service/core/base/errors.h"

namespace keyport {

KeyRecord SecretCmks::cmkFor(const ProjectScope& scope,
                             const std::optional<std::string>& kmsKeyId) {
    std::optional<KeyRecord> k;
    if (kmsKeyId && *kmsKeyId != kDefaultCmkAlias) {
        try {
            k = keys_.get(scope, *kmsKeyId);
        } catch (const Error& e) {
            if (e.code() != ErrorCode::KeyNotFound) throw;
            throw Error(ErrorCode::InvalidParameter,
                        "names " + *kmsKeyId + ", which is not a key of project " + scope.projectId,
                        Input::SecretCmk);
        }
    } else {
        k = keys_.findByAlias(scope, kDefaultCmkAlias);
        if (!k) {
            try {
                k = keys_.create(scope,
                                 CreateKey{kDefaultCmkAlias, "default CMK of CSMS secrets",
                                           KeySpec::Aes256, KeyUsage::EncryptDecrypt, Origin::Kms});
            } catch (const Error& e) {
                if (e.code() != ErrorCode::AliasExists) throw;
                k = keys_.findByAlias(scope, kDefaultCmkAlias);  // another request made it first
            }
        }
        if (!k) throw Error(ErrorCode::Internal, "the default CMK could not be created");
    }
    if (k->spec != KeySpec::Aes256 || k->usage != KeyUsage::EncryptDecrypt) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + k->id + ", which is not an AES-256 encrypt/decrypt key",
                    Input::SecretCmk);
    }
    if (k->region != scope.region) {
        throw Error(ErrorCode::InvalidParameter,
                    "names " + k->id + ", which is not in region " + scope.region,
                    Input::SecretCmk);
    }
    if (k->state != KeyState::Enabled) {
        const std::string why = k->state == KeyState::Disabled          ? "is disabled"
                                : k->state == KeyState::PendingDeletion ? "is pending deletion"
                                : k->state == KeyState::PendingImport   ? "has no key material"
                                                                        : "is not enabled";
        throw Error(ErrorCode::InvalidRequest, "names " + k->id + ", a CMK that " + why,
                    Input::SecretCmk);
    }
    return *k;
}

envelope::Cmk SecretCmks::cmkOf(const KeyRecord& k) {
    return {&regions_.region(k.region), material_.openEnvelope(k), k.materialVersion};
}

envelope::Cmk SecretCmks::cmkOf(const KeyRecord& k, std::uint32_t version) {
    const auto missing = [&] {
        return Error(ErrorCode::Internal, "material version " + std::to_string(version) +
                                              " of CMK " + k.id + " is missing");
    };
    if (version == k.materialVersion) return cmkOf(k);
    if (version > k.materialVersion) {
        // A rotation this process has not seen yet (a cached row a moment old, or another
        // keyportd on the same database): look again.
        const KeyRecord fresh = keys_.reread(k);
        if (version != fresh.materialVersion) throw missing();
        return cmkOf(fresh);
    }
    auto key = material_.openEnvelopeVersion(k, version, [&] {
        auto blob = keys_.versionBlob(k, version);
        if (!blob) throw missing();
        return std::move(*blob);
    });
    return {&regions_.region(k.region), std::move(key), version};
}

}  // namespace keyport
