#include "service/core/base/errors.h"

namespace keyport {

std::string_view name(ErrorCode c) {
    switch (c) {
        case ErrorCode::MalformedRequest:
            return "MalformedRequest";
        case ErrorCode::InvalidParameter:
            return "InvalidParameter";
        case ErrorCode::MissingParameter:
            return "MissingParameter";
        case ErrorCode::KeyNotFound:
            return "KeyNotFound";
        case ErrorCode::KeyDisabled:
            return "KeyDisabled";
        case ErrorCode::KeyPendingDeletion:
            return "KeyPendingDeletion";
        case ErrorCode::KeyPendingImport:
            return "KeyPendingImport";
        case ErrorCode::KeyStateInvalid:
            return "KeyStateInvalid";
        case ErrorCode::KeyNotExternal:
            return "KeyNotExternal";
        case ErrorCode::KeyNotMultiZone:
            return "KeyNotMultiZone";
        case ErrorCode::UsageMismatch:
            return "UsageMismatch";
        case ErrorCode::PlaintextTooLong:
            return "PlaintextTooLong";
        case ErrorCode::CiphertextInvalid:
            return "CiphertextInvalid";
        case ErrorCode::ImportTokenInvalid:
            return "ImportTokenInvalid";
        case ErrorCode::ImportTokenExpired:
            return "ImportTokenExpired";
        case ErrorCode::ImportTokenMismatch:
            return "ImportTokenMismatch";
        case ErrorCode::MaterialInvalid:
            return "MaterialInvalid";
        case ErrorCode::MaterialMismatch:
            return "MaterialMismatch";
        case ErrorCode::AlgorithmUnsupported:
            return "AlgorithmUnsupported";
        case ErrorCode::AliasExists:
            return "AliasExists";
        case ErrorCode::SequenceConflict:
            return "SequenceConflict";
        case ErrorCode::InvalidRequest:
            return "InvalidRequest";
        case ErrorCode::ReplicaExists:
            return "ReplicaExists";
        case ErrorCode::OperationNotFound:
            return "OperationNotFound";
        case ErrorCode::OperationInterrupted:
            return "OperationInterrupted";
        case ErrorCode::SecretNotFound:
            return "SecretNotFound";
        case ErrorCode::SecretExists:
            return "SecretExists";
        case ErrorCode::SecretPendingDeletion:
            return "SecretPendingDeletion";
        case ErrorCode::SecretReadOnly:
            return "SecretReadOnly";
        case ErrorCode::MaterialNotRotatable:
            return "MaterialNotRotatable";
        case ErrorCode::SecretNotPendingDeletion:
            return "SecretNotPendingDeletion";
        case ErrorCode::SecretStageBuiltIn:
            return "SecretStageBuiltIn";
        case ErrorCode::KeyIsReplica:
            return "KeyIsReplica";
        case ErrorCode::KeyNotPendingDeletion:
            return "KeyNotPendingDeletion";
        case ErrorCode::RotationAlreadyEnabled:
            return "RotationAlreadyEnabled";
        case ErrorCode::RotationLimitReached:
            return "RotationLimitReached";
        case ErrorCode::Unauthorized:
            return "Unauthorized";
        case ErrorCode::Forbidden:
            return "Forbidden";
        case ErrorCode::Internal:
            return "Internal";
    }
    return "Internal";
}

std::optional<ErrorCode> parseErrorCode(std::string_view s) {
    for (int i = 0; i <= static_cast<int>(ErrorCode::Internal); ++i) {
        const auto c = static_cast<ErrorCode>(i);
        if (name(c) == s) return c;
    }
    return std::nullopt;
}

}  // namespace keyport
