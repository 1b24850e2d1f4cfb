#include "service/api/huawei/kms_errors.h"

#include "service/api/error_text.h"
#include "service/api/json.h"

namespace keyport::api::huawei {

// The request fields of Huawei's KMS SDK models (huaweicloud-sdk-go-v3 services/kms/v2/model).
std::string_view kmsField(Input input) {
    switch (input) {
        case Input::None:
            return "";
        case Input::KeyId:
            return "key_id";
        case Input::KeyAlias:
            return "key_alias";
        case Input::KeySpec:
            return "key_spec";
        case Input::KeyUsage:
            return "key_usage";
        case Input::KeyDescription:
            return "key_description";
        case Input::PendingDays:
            return "pending_days";
        case Input::ListMarker:
            return "marker";
        case Input::ListLimit:
            return "limit";
        case Input::TagKey:
            return "key";
        case Input::TagValue:
            return "value";
        case Input::Plaintext:
            return "plain_text";
        case Input::Ciphertext:
            return "cipher_text";
        case Input::EncryptionAlgorithm:
            return "encryption_algorithm";
        case Input::EncryptionContext:
            return "additional_authenticated_data";
        case Input::SigningAlgorithm:
            return "signing_algorithm";
        case Input::Message:
            return "message";
        case Input::DataKeyLength:
            return "datakey_length";
        case Input::ImportToken:
            return "import_token";
        case Input::WrappedMaterial:
            return "encrypted_key_material";
        case Input::WrappedPrivateKey:
            return "encrypted_privatekey";
        case Input::WrappingAlgorithm:
            return "wrapping_algorithm";
        case Input::ExpirationTime:
            return "expiration_time";
        case Input::Sequence:
            return "sequence";
        case Input::TargetRegion:
            return "replica_region";
        case Input::TargetProject:
            return "replica_project_id";
        case Input::Operation:
            return "operation";
        case Input::Project:
            return "project_id";
        case Input::SecretName:
            return "secret_name";
        case Input::NewSecretName:
            return "name";
        case Input::SecretStage:
            return "stage_name";
        case Input::SecretString:
            return "secret_string";
        case Input::SecretBinary:
            return "secret_binary";
        case Input::SecretDescription:
            return "description";
        case Input::SecretCmk:
            return "kms_key_id";
        case Input::SecretVersion:
            return "version_id";
        case Input::AliasName:
            return "alias";
        case Input::GrantId:
            return "grant_id";
        case Input::MacAlgorithm:
            return "mac_algorithm";
        case Input::Mac:
            return "mac";
        case Input::PeerPublicKey:
            return "public_key";
        case Input::KeyAgreementAlgorithm:
            return "key_agreement_algorithm";
        case Input::SourceKeyId:
            return "source_key_id";
        case Input::SourceEncryptionContext:
            return "source_additional_authenticated_data";
        case Input::SourceEncryptionAlgorithm:
            return "source_encryption_algorithm";
        case Input::DestinationKeyId:
            return "destination_key_id";
        case Input::DestinationEncryptionContext:
            return "destination_additional_authenticated_data";
        case Input::DestinationEncryptionAlgorithm:
            return "destination_encryption_algorithm";
    }
    return "";
}

// The documented nested object, and the same pair at the top level: Huawei's SDK exception
// parser (huaweicloud-sdk-core ExceptionUtil.generalException) reads `error.code` /
// `error.message` or a top-level `error_code` / `error_msg`, never `error.error_code`, so
// without the top-level pair the SDK reports errorCode=undefined.
Response kmsError(int status, const std::string& code, const std::string& message) {
    auto inner = object();
    inner->set("error_code", code);
    inner->set("error_msg", message);
    auto o = object();
    o->set("error", inner);
    o->set("error_code", code);
    o->set("error_msg", message);
    Response res = Response::json(status, stringify(o));
    res.errorCode = code;
    return res;
}

Response kmsError(const Error& e) {
    const ErrorText text = describe(e, kmsField);
    const std::string& msg = text.message;
    const auto invalid = [&](const std::string& field) {
        if (field.empty()) return kmsError(400, "KMS.0308", msg);
        return kmsError(400, "KMS.0308", "invalid parameter \"" + field + "\": " + msg);
    };
    switch (e.code()) {
        case ErrorCode::MalformedRequest:
            return kmsError(400, "KMS.0202", msg);
        case ErrorCode::MissingParameter:
            return kmsError(400, "KMS.0204", msg);
        case ErrorCode::InvalidParameter:
        case ErrorCode::PlaintextTooLong:
        case ErrorCode::CiphertextInvalid:
            if (text.field == "key_id") return kmsError(400, "KMS.0205", msg);
            if (text.field == "sequence") return kmsError(400, "KMS.0206", msg);
            return invalid(text.field);
        case ErrorCode::KeyNotFound:
            return kmsError(404, "KMS.0207", msg);
        case ErrorCode::KeyDisabled:
            return kmsError(400, "KMS.0209", msg);
        case ErrorCode::KeyPendingDeletion:
            return kmsError(400, "KMS.0210", msg);
        // No Huawei code says "no material yet"; KMS.0211 sits beside 0209/0210.
        case ErrorCode::KeyPendingImport:
            return kmsError(400, "KMS.0211", msg);
        case ErrorCode::KeyStateInvalid:
        case ErrorCode::KeyIsReplica:
        case ErrorCode::KeyNotPendingDeletion:
        case ErrorCode::RotationAlreadyEnabled:
        case ErrorCode::RotationLimitReached:
            return kmsError(400, "KMS.0310", msg);
        case ErrorCode::KeyNotExternal:
            return kmsError(400, "KMS.0309", msg);
        case ErrorCode::UsageMismatch:
            return invalid(text.field.empty() ? "key_id" : text.field);
        case ErrorCode::ImportTokenInvalid:
        case ErrorCode::ImportTokenExpired:
        case ErrorCode::ImportTokenMismatch:
            return invalid("import_token");
        case ErrorCode::MaterialInvalid:
            return kmsError(400, "KMS.0311", msg);
        case ErrorCode::MaterialMismatch:
            return invalid("encrypted_key_material");
        // Huawei's "External keys cannot be rotated" (api-dew ErrorCode).
        case ErrorCode::MaterialNotRotatable:
            return kmsError(400, "KMS.0312", msg);
        case ErrorCode::AlgorithmUnsupported:
            if (e.input() == Input::WrappingAlgorithm) {
                return kmsError(400, "KMS.0308",
                                "invalid parameter \"wrapping_algorithm\": " + msg +
                                    "; supported wrapping_algorithm: RSAES_OAEP_SHA_1");
            }
            return invalid(text.field);
        case ErrorCode::AliasExists:
            if (e.input() == Input::AliasName) return invalid("alias");
            return invalid("key_alias");
        case ErrorCode::SequenceConflict:
            return kmsError(400, "KMS.0206", msg);
        case ErrorCode::InvalidRequest:
        case ErrorCode::KeyNotMultiZone:
            return kmsError(400, "KMS.0310", msg);
        // No Huawei code for "already replicated there"; KMS.0313 sits after 0312.
        case ErrorCode::ReplicaExists:
            return kmsError(400, "KMS.0313", msg);
        // Secrets errors do not arise on KMS routes; if one did, say it plainly.
        case ErrorCode::SecretNotFound:
        case ErrorCode::OperationNotFound:
            return kmsError(404, "KMS.0207", msg);
        case ErrorCode::SecretExists:
        case ErrorCode::SecretPendingDeletion:
        case ErrorCode::SecretReadOnly:
        case ErrorCode::SecretNotPendingDeletion:
        case ErrorCode::SecretStageBuiltIn:
            return kmsError(400, "KMS.0310", msg);
        case ErrorCode::Unauthorized:
            return kmsError(401, "KMS.0302", msg);
        case ErrorCode::Forbidden:
            // About a key (a grant that does not cover the operation): no permission for key.
            if (e.input() == Input::KeyId) return kmsError(403, "KMS.0306", msg);
            return kmsError(403, "KMS.0307", msg);
        case ErrorCode::OperationInterrupted:
        case ErrorCode::Internal:
            break;
    }
    return kmsError(500, "KMS.0101", "internal error");
}

Response kmsTransportError(int status, const std::string& message) {
    switch (status) {
        // Huawei's KMS.0201 is "invalid request URL" (a malformed escape in the path/query).
        case 400:
            return kmsError(400, "KMS.0201", message);
        case 404:
        case 405:
            return kmsError(status, "KMS.0201", message);
        case 413:
            return kmsError(413, "KMS.0203", message);
        // The front door's framing refusals (411, 414, 431, 501, 505) and a full queue (503).
        case 411:
        case 414:
        case 431:
        case 501:
        case 505:
            return kmsError(status, "KMS.0201", message);
        case 503:
            return kmsError(503, "KMS.0101", message);
        default:
            return kmsError(500, "KMS.0101", "internal error");
    }
}

}  // namespace keyport::api::huawei
