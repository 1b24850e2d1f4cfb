#include "service/api/ncloud/ncp_errors.h"

#include "service/api/error_text.h"
#include "service/api/json.h"

namespace keyport::api::ncloud {
namespace {

// The request fields of NAVER Cloud KMS API 2.0.
std::string_view ncpField(Input input) {
    switch (input) {
        case Input::None:
            return "";
        case Input::KeyId:
            return "keyTag";
        case Input::KeyAlias:
            return "keyName";
        case Input::KeySpec:
            return "keyType";
        case Input::KeyUsage:
            return "keyType";
        case Input::KeyDescription:
            return "memo";
        case Input::PendingDays:
            return "pendingDays";
        case Input::ListMarker:
            return "pageNo";
        case Input::ListLimit:
            return "pageSize";
        case Input::TagKey:
            return "tag";
        case Input::TagValue:
            return "tag";
        case Input::Plaintext:
            return "plaintext";
        case Input::Ciphertext:
            return "ciphertext";
        case Input::EncryptionAlgorithm:
            return "algorithm";
        case Input::EncryptionContext:
            return "context";
        case Input::SigningAlgorithm:
            return "algorithm";
        case Input::Message:
            return "data";
        case Input::DataKeyLength:
            return "bits";
        case Input::ImportToken:
            return "importToken";
        case Input::WrappedMaterial:
            return "keyMaterial";
        case Input::WrappedPrivateKey:
            return "keyMaterial";
        case Input::WrappingAlgorithm:
            return "algorithm";
        case Input::ExpirationTime:
            return "expiration";
        case Input::Sequence:
            return "sequence";
        case Input::TargetRegion:
            return "targetRegion";
        case Input::TargetProject:
            return "targetRegion";
        case Input::Operation:
            return "operation";
        case Input::Project:
            return "region";
        case Input::SecretName:
            return "name";
        case Input::NewSecretName:
            return "name";
        case Input::SecretStage:
            return "stage";
        case Input::SecretString:
            return "secret";
        case Input::SecretBinary:
            return "secret";
        case Input::SecretDescription:
            return "memo";
        case Input::SecretCmk:
            return "keyTag";
        case Input::SecretVersion:
            return "version";
        case Input::AliasName:
            return "alias";
        case Input::GrantId:
            return "grantId";
        // MACs and key agreement are Huawei routes only.
        case Input::MacAlgorithm:
        case Input::Mac:
        case Input::PeerPublicKey:
        case Input::KeyAgreementAlgorithm:
        // re-encrypt is a Huawei route only.
        case Input::SourceKeyId:
        case Input::SourceEncryptionContext:
        case Input::SourceEncryptionAlgorithm:
        case Input::DestinationKeyId:
        case Input::DestinationEncryptionContext:
        case Input::DestinationEncryptionAlgorithm:
            return "";
    }
    return "";
}

}  // namespace

Response ncpError(int status, const std::string& code, const std::string& msg) {
    auto o = object();
    o->set("code", code);
    o->set("msg", msg);
    Response res = Response::json(status, stringify(o));
    res.errorCode = code;
    return res;
}

// The codes and their messages are NAVER's (security-kms-overview, "Errors": FORBIDDEN
// "Forbidden", INTERNAL_SERVER_ERROR "Server internal error", UNPROCESSABLE_ENTITY "Invalid
// status", INVALID_REQUEST "Invalid request", …) after the detail, which says which
// input or rule, named as API 2.0 names its fields.
Response ncpError(const Error& e) {
    const std::string detail = describe(e, ncpField, ": ").message;
    const auto with = [&](const char* documented) { return detail + " (" + documented + ")"; };
    switch (e.code()) {
        case ErrorCode::KeyNotFound:
        case ErrorCode::SecretNotFound:
        case ErrorCode::OperationNotFound:
            return ncpError(404, "NOT_FOUND", with("Not found"));
        case ErrorCode::AliasExists:
        case ErrorCode::ReplicaExists:
        case ErrorCode::SecretExists:
            return ncpError(409, "CONFLICT", with("Conflict"));
        case ErrorCode::KeyDisabled:
        case ErrorCode::KeyPendingDeletion:
        case ErrorCode::KeyPendingImport:
        case ErrorCode::KeyStateInvalid:
        case ErrorCode::KeyNotPendingDeletion:
        case ErrorCode::UsageMismatch:
        case ErrorCode::MaterialNotRotatable:
            return ncpError(422, "UNPROCESSABLE_ENTITY", with("Invalid status"));
        case ErrorCode::Unauthorized:
            return ncpError(401, "UNAUTHORIZED", with("Unauthorized"));
        case ErrorCode::Forbidden:
            return ncpError(403, "FORBIDDEN", with("Forbidden"));
        case ErrorCode::OperationInterrupted:
        case ErrorCode::Internal:
            return ncpError(500, "INTERNAL_SERVER_ERROR", "Server internal error");
        default:
            return ncpError(400, "INVALID_REQUEST", with("Invalid request"));
    }
}

Response ncpAuthError(const AuthError& e) {
    if (e.kind() == AuthFailure::Forbidden)
        return ncpError(403, "FORBIDDEN", std::string(e.what()) + " (Forbidden)");
    return ncpError(401, "UNAUTHORIZED", std::string(e.what()) + " (Unauthorized)");
}

Response ncpTransportError(int status, const std::string& message) {
    switch (status) {
        case 400:
            return ncpError(400, "INVALID_REQUEST", message + " (Invalid request)");
        case 404:
            return ncpError(404, "NOT_FOUND", message);
        case 405:
        case 413:
            return ncpError(status, "INVALID_REQUEST", message);
        // The front door's framing refusals (411, 414, 431, 501, 505) and a full queue (503).
        case 411:
        case 414:
        case 431:
        case 501:
        case 505:
            return ncpError(status, "INVALID_REQUEST", message);
        case 503:
            return ncpError(503, "SERVICE_UNAVAILABLE", message);
        default:
            return ncpError(500, "INTERNAL_SERVER_ERROR", "Server internal error");
    }
}

}  // namespace keyport::api::ncloud
