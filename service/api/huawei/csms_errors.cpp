#include "service/api/huawei/csms_errors.h"

#include "service/api/error_text.h"
#include "service/api/huawei/kms_errors.h"
#include "service/api/json.h"

namespace keyport::api::huawei {
namespace {

// The request fields of Huawei's CSMS SDK models (services/csms/v1/model); KMS's for the
// rest, as a CMK error on a secret route is about the secret's kms_key_id.
std::string_view csmsField(Input input) {
    switch (input) {
        case Input::KeyId:
            return "kms_key_id";
        case Input::PendingDays:
            return "recovery_window_in_days";
        case Input::ExpirationTime:
            return "expire_time";
        // The one opaque blob a CSMS request carries is a secret backup.
        case Input::Ciphertext:
            return "secret_blob";
        case Input::ListMarker:
            return "marker";
        case Input::ListLimit:
            return "limit";
        case Input::TagKey:
            return "key";
        case Input::TagValue:
            return "value";
        case Input::TargetRegion:
            return "region";
        case Input::TargetProject:
        case Input::Project:
            return "project_id";
        default:
            return kmsField(input);
    }
}

}  // namespace

Response csmsError(int status, const std::string& code, const std::string& message) {
    auto o = object();
    o->set("error_code", code);
    o->set("error_msg", message);
    Response res = Response::json(status, stringify(o));
    res.errorCode = code;
    return res;
}

std::string csmsErrorMessage(const Error& e) {
    const ErrorText text = describe(e, csmsField);
    if (e.code() == ErrorCode::Internal || e.code() == ErrorCode::OperationInterrupted)
        return "internal error";
    return text.field.empty() ? text.message
                              : "invalid parameter \"" + text.field + "\": " + text.message;
}

Response csmsError(const Error& e) {
    const ErrorText text = describe(e, csmsField);
    const std::string& msg = text.message;
    const std::string field =
        text.field.empty() ? std::string() : "invalid parameter \"" + text.field + "\": ";
    switch (e.code()) {
        case ErrorCode::MalformedRequest:
            return csmsError(400, "CSMS.0004", msg);
        case ErrorCode::MissingParameter:
        case ErrorCode::InvalidParameter:
        case ErrorCode::UsageMismatch:
        case ErrorCode::AlgorithmUnsupported:
        case ErrorCode::AliasExists:
        case ErrorCode::PlaintextTooLong:
        case ErrorCode::CiphertextInvalid:
            return csmsError(400, "CSMS.0002", field + msg);
        case ErrorCode::SecretNotFound:
        case ErrorCode::OperationNotFound:
            return csmsError(404, "CSMS.0005", msg);
        case ErrorCode::SecretPendingDeletion:
            return csmsError(400, "CSMS.0103", msg);
        case ErrorCode::SecretStageBuiltIn:
            return csmsError(400, "CSMS.0105", msg);
        case ErrorCode::SecretNotPendingDeletion:
            return csmsError(400, "CSMS.0108", msg);
        case ErrorCode::InvalidRequest:
        case ErrorCode::KeyNotMultiZone:
        case ErrorCode::ReplicaExists:
        case ErrorCode::SecretExists:
        case ErrorCode::SecretReadOnly:
        case ErrorCode::SequenceConflict:
            return csmsError(400, "CSMS.0003", msg);
        // The CMK of a version went away or out of service: say so, as a request error.
        case ErrorCode::KeyNotFound:
        case ErrorCode::KeyDisabled:
        case ErrorCode::KeyPendingDeletion:
        case ErrorCode::KeyPendingImport:
        case ErrorCode::KeyStateInvalid:
        case ErrorCode::KeyIsReplica:
        case ErrorCode::KeyNotPendingDeletion:
        case ErrorCode::RotationAlreadyEnabled:
        case ErrorCode::RotationLimitReached:
            return csmsError(400, "CSMS.0003", "the secret's CMK: " + msg);
        case ErrorCode::KeyNotExternal:
        case ErrorCode::ImportTokenInvalid:
        case ErrorCode::ImportTokenExpired:
        case ErrorCode::ImportTokenMismatch:
        case ErrorCode::MaterialInvalid:
        case ErrorCode::MaterialMismatch:
        case ErrorCode::MaterialNotRotatable:
            return csmsError(400, "CSMS.0003", msg);
        case ErrorCode::Unauthorized:
            return csmsError(401, "CSMS.0401", msg);
        case ErrorCode::Forbidden:
            return csmsError(403, "CSMS.0403", msg);
        case ErrorCode::OperationInterrupted:
        case ErrorCode::Internal:
            break;
    }
    return csmsError(500, "CSMS.0001", "internal error");
}

Response csmsAuthError(const AuthError& e) {
    if (e.kind() == AuthFailure::Forbidden) return csmsError(403, "CSMS.0403", e.what());
    return csmsError(401, "CSMS.0401", e.what());
}

Response csmsTransportError(int status, const std::string& message) {
    switch (status) {
        // api-dew ErrorCode: CSMS.0003 "The request is invalid. Enter a valid URL."
        case 400:
            return csmsError(400, "CSMS.0003", message);
        case 404:
            return csmsError(404, "CSMS.0005", message);
        case 405:
            return csmsError(405, "CSMS.0003", message);
        case 413:
            return csmsError(413, "CSMS.0004", message);
        // The front door's framing refusals (411, 414, 431, 501, 505) and a full queue (503).
        case 411:
        case 414:
        case 431:
        case 501:
        case 505:
            return csmsError(status, "CSMS.0003", message);
        case 503:
            return csmsError(503, "CSMS.0001", message);
        default:
            return csmsError(500, "CSMS.0001", "internal error");
    }
}

}  // namespace keyport::api::huawei
