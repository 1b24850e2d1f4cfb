#include "service/api/huawei/kms_errors.h"

#include "service/api/json.h"

namespace keyport::api::huawei {

Response kmsError(int status, const std::string& code, const std::string& message) {
    auto inner = object();
    inner->set("error_code", code);
    inner->set("error_msg", message);
    auto o = object();
    o->set("error", inner);
    return Response::json(status, stringify(o));
}

Response kmsError(const Error& e) {
    const std::string& msg = e.what();
    switch (e.code()) {
        case ErrorCode::MalformedRequest:
            return kmsError(400, "KMS.0202", msg);
        case ErrorCode::MissingParameter:
            return kmsError(400, "KMS.0204", msg);
        case ErrorCode::InvalidParameter:
            if (e.field() == "key_id") return kmsError(400, "KMS.0205", msg);
            if (e.field() == "sequence") return kmsError(400, "KMS.0206", msg);
            return kmsError(400, "KMS.0308", "invalid parameter \"" + e.field() + "\": " + msg);
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
            return kmsError(400, "KMS.0310", msg);
        case ErrorCode::KeyNotExternal:
            return kmsError(400, "KMS.0309", msg);
        case ErrorCode::UsageMismatch:
            return kmsError(400, "KMS.0308", "invalid parameter \"key_id\": " + msg);
        case ErrorCode::ImportTokenInvalid:
        case ErrorCode::ImportTokenExpired:
        case ErrorCode::ImportTokenMismatch:
            return kmsError(400, "KMS.0308", "invalid parameter \"import_token\": " + msg);
        case ErrorCode::MaterialInvalid:
            return kmsError(400, "KMS.0311", msg);
        case ErrorCode::MaterialMismatch:
            return kmsError(400, "KMS.0308",
                            "invalid parameter \"encrypted_key_material\": " + msg);
        case ErrorCode::AlgorithmUnsupported:
            return kmsError(400, "KMS.0308",
                            "invalid parameter \"" +
                                (e.field().empty() ? "wrapping_algorithm" : e.field()) +
                                "\": " + msg);
        case ErrorCode::AliasExists:
            return kmsError(400, "KMS.0308", "invalid parameter \"key_alias\": " + msg);
        case ErrorCode::SequenceConflict:
            return kmsError(400, "KMS.0206", msg);
        case ErrorCode::InvalidRequest:
            return kmsError(400, "KMS.0310", msg);
        // No Huawei code for "already replicated there"; KMS.0313 sits after 0312.
        case ErrorCode::ReplicaExists:
            return kmsError(400, "KMS.0313", msg);
        // Secrets errors do not arise on KMS routes; if one did, say it plainly.
        case ErrorCode::SecretNotFound:
            return kmsError(404, "KMS.0207", msg);
        case ErrorCode::SecretExists:
        case ErrorCode::SecretPendingDeletion:
        case ErrorCode::SecretReadOnly:
            return kmsError(400, "KMS.0310", msg);
        case ErrorCode::Unauthorized:
            return kmsError(401, "KMS.0302", msg);
        case ErrorCode::Forbidden:
            return kmsError(403, "KMS.0307", msg);
        case ErrorCode::Internal:
            break;
    }
    return kmsError(500, "KMS.0101", "internal error");
}

Response kmsTransportError(int status, const std::string& message) {
    switch (status) {
        case 404:
        case 405:
            return kmsError(status, "KMS.0201", message);
        case 413:
            return kmsError(413, "KMS.0203", message);
        default:
            return kmsError(500, "KMS.0101", "internal error");
    }
}

}  // namespace keyport::api::huawei
