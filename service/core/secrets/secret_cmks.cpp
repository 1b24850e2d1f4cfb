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
    return {&regions_.region(k.region), material_.openEnvelope(k)};
}

}  // namespace keyport
