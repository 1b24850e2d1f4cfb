#include "service/api/exoscale/exo_errors.h"

#include <cctype>

#include "service/api/error_text.h"
#include "service/api/front/status_text.h"
#include "service/api/json.h"

namespace keyport::api::exoscale {
namespace {

// The request fields of Exoscale's KMS spec (egoscale v3 source.yaml, ../shared/specs).
std::string_view exoField(Input input) {
    switch (input) {
        case Input::None:
            return "";
        case Input::KeyId:
            return "id";
        case Input::KeyAlias:
            return "name";
        case Input::KeySpec:
            return "key-spec";
        case Input::KeyUsage:
            return "usage";
        case Input::KeyDescription:
            return "description";
        case Input::PendingDays:
            return "delay-days";
        case Input::ListMarker:
            return "marker";
        case Input::ListLimit:
            return "limit";
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
            return "encryption-context";
        case Input::SigningAlgorithm:
            return "algorithm";
        case Input::Message:
            return "message";
        case Input::DataKeyLength:
            return "bytes-count";
        case Input::ImportToken:
            return "import-token";
        case Input::WrappedMaterial:
            return "material";
        case Input::WrappedPrivateKey:
            return "material";
        case Input::WrappingAlgorithm:
            return "algorithm";
        case Input::ExpirationTime:
            return "expiration";
        case Input::Sequence:
            return "sequence";
        case Input::TargetRegion:
            return "zone";
        case Input::TargetProject:
            return "zone";
        case Input::Operation:
            return "id";
        case Input::Project:
            return "zone";
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
            return "description";
        case Input::SecretCmk:
            return "id";
        case Input::SecretVersion:
            return "version";
        case Input::AliasName:
            return "name";
        case Input::GrantId:
            return "id";
        case Input::SourceKeyId:
            return "source.key";
        case Input::SourceEncryptionContext:
            return "source.encryption-context";
        case Input::DestinationKeyId:
            return "destination.key";
        case Input::DestinationEncryptionContext:
            return "destination.encryption-context";
        // MACs and key agreement are Huawei routes only.
        case Input::MacAlgorithm:
        case Input::Mac:
        case Input::PeerPublicKey:
        case Input::KeyAgreementAlgorithm:
        // Exoscale's re-encrypt names no algorithms.
        case Input::SourceEncryptionAlgorithm:
        case Input::DestinationEncryptionAlgorithm:
            return "";
    }
    return "";
}

std::string slug(const std::string& title) {
    std::string s;
    for (char c : title)
        s += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
    return s;
}

}  // namespace

Response problem(int status, const std::string& title, const std::string& detail) {
    auto o = object();
    o->set("type", "/problems/" + slug(title));
    o->set("title", title);
    o->set("status", status);
    o->set("detail", detail);
    // The body is RFC 9457's, but the spec declares every error response application/json
    // (error-response), and a validating proxy (Prism) holds us to the declared media type.
    Response res = Response::json(status, stringify(o));
    // Exoscale's problems carry no code; the audit record and the log take the last segment
    // of the problem type we send ("key-not-found", "bad-request", "not-found").
    res.errorCode = slug(title);
    return res;
}

// Titles are the spec's, per operation; its errors are all status 400 (Key Not Found too:
// get-kms-key documents only 200 and 400).
Response problem(const Error& e) {
    const std::string d = describe(e, exoField, ": ").message;
    switch (e.code()) {
        case ErrorCode::KeyNotFound:
        case ErrorCode::SecretNotFound:
            return problem(400, "Key Not Found", d);
        // get-operation documents no error; an unknown operation is not a key.
        case ErrorCode::OperationNotFound:
            return problem(404, "Not Found", d);
        case ErrorCode::KeyNotMultiZone:
            return problem(400, "Not Multizone", d);
        case ErrorCode::KeyDisabled:
            return problem(400, "Key is Disabled", d);
        case ErrorCode::KeyPendingDeletion:
            return problem(400, "Key is Pending Deletion", d);
        case ErrorCode::UsageMismatch:
            return problem(400, "Invalid Usage", d);
        case ErrorCode::KeyIsReplica:
            return problem(400, "Not on Replica", d);
        case ErrorCode::KeyNotPendingDeletion:
            return problem(400, "Not Pending Deletion", d);
        case ErrorCode::RotationLimitReached:
            return problem(400, "Manual Rotation Limit", d);
        // enable-kms-key-rotation: "Invalid Origin" (only origin exoscale-kms rotates).
        case ErrorCode::MaterialNotRotatable:
            return problem(400, "Invalid Origin", d);
        // create-kms-key: "a key with the same name already exists in the target zone".
        case ErrorCode::AliasExists:
            return problem(400, "Name Conflict", d);
        case ErrorCode::ReplicaExists:
        case ErrorCode::RotationAlreadyEnabled:
        case ErrorCode::SecretExists:
            return problem(400, "Conflict", d);
        case ErrorCode::InvalidParameter:
            // replicate-kms-key: "Invalid Argument: the target zone is invalid".
            if (e.input() == Input::TargetRegion || e.input() == Input::TargetProject)
                return problem(400, "Invalid Argument", d);
            return problem(400, "Bad Request", d);
        // "Bad Request: an invalid request body or path parameter".
        case ErrorCode::MalformedRequest:
        case ErrorCode::MissingParameter:
        case ErrorCode::SequenceConflict:
        case ErrorCode::PlaintextTooLong:
        case ErrorCode::CiphertextInvalid:
            return problem(400, "Bad Request", d);
        case ErrorCode::InvalidRequest:
        case ErrorCode::KeyPendingImport:
        case ErrorCode::KeyStateInvalid:
        case ErrorCode::KeyNotExternal:
        case ErrorCode::ImportTokenInvalid:
        case ErrorCode::ImportTokenExpired:
        case ErrorCode::ImportTokenMismatch:
        case ErrorCode::MaterialInvalid:
        case ErrorCode::MaterialMismatch:
        case ErrorCode::AlgorithmUnsupported:
        case ErrorCode::SecretPendingDeletion:
        case ErrorCode::SecretReadOnly:
        case ErrorCode::SecretNotPendingDeletion:
        case ErrorCode::SecretStageBuiltIn:
            return problem(400, "Invalid Request", d);
        case ErrorCode::Unauthorized:
            return problem(401, "Unauthorized", d);
        case ErrorCode::Forbidden:
            return problem(403, "Forbidden", d);
        case ErrorCode::OperationInterrupted:
        case ErrorCode::Internal:
            break;
    }
    return problem(500, "Internal Server Error", "internal error");
}

Response problem(const AuthError& e) {
    if (e.kind() == AuthFailure::Forbidden) return problem(403, "Forbidden", e.what());
    return problem(401, "Unauthorized", e.what());
}

// The spec's Operation.state enum uses the very words core stores (pending, success,
// failure, timeout); should either change, this is where they part.
std::string_view operationState(OperationState s) {
    return name(s);
}

std::string_view operationReason(ErrorCode failure) {
    switch (failure) {
        case ErrorCode::ReplicaExists:
        case ErrorCode::AliasExists:  // the target zone has a key of that name
            return "conflict";
        case ErrorCode::KeyNotFound:
            return "not-found";
        case ErrorCode::Forbidden:
            return "forbidden";
        case ErrorCode::InvalidParameter:
        case ErrorCode::MissingParameter:
            return "incorrect";
        case ErrorCode::KeyDisabled:
        case ErrorCode::KeyPendingDeletion:
        case ErrorCode::KeyPendingImport:
        case ErrorCode::KeyStateInvalid:
        case ErrorCode::KeyNotMultiZone:
            return "unsupported";
        case ErrorCode::OperationInterrupted:
            return "interrupted";
        default:
            return "fault";
    }
}

Response transportProblem(int status, const std::string& message) {
    switch (status) {
        // "Bad Request: an invalid request body or path parameter", as problem(Error) says.
        case 400:
            return problem(400, "Bad Request", message);
        case 404:
            return problem(404, "Not Found", message);
        case 405:
            return problem(405, "Method Not Allowed", message);
        case 413:
            return problem(413, "Payload Too Large", message);
        // The front door's framing refusals (411, 414, 431, 501, 505) and a full queue (503).
        case 411:
        case 414:
        case 431:
        case 501:
        case 503:
        case 505:
            return problem(status, std::string(front::reasonPhrase(status)), message);
        default:
            return problem(500, "Internal Server Error", "internal error");
    }
}

}  // namespace keyport::api::exoscale
