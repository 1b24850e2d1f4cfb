// core::Error: the one error type of the domain layer. Each dialect maps an ErrorCode to
// its own status and body in one place; `detail` is safe to show to the client.
#pragma once

#include <stdexcept>
#include <string>

namespace keyport {

enum class ErrorCode {
    MalformedRequest,    // the body is not the JSON object the API takes
    InvalidParameter,    // a field is malformed or out of range (field() names it)
    MissingParameter,    // a required field is absent
    KeyNotFound,         // no such key visible to the caller
    KeyDisabled,         // key_state 3
    KeyPendingDeletion,  // key_state 4
    KeyPendingImport,    // key_state 5: no material
    KeyStateInvalid,     // the operation is not allowed in the key's state
    KeyNotExternal,      // import on a key whose origin is kms
    UsageMismatch,       // e.g. sign with an ENCRYPT_DECRYPT key
    ImportTokenInvalid,  // malformed or not authenticated
    ImportTokenExpired,
    ImportTokenMismatch,   // issued for another key, project or region
    MaterialInvalid,       // wrapped material does not unwrap or does not match key_spec
    MaterialMismatch,      // re-import of different material
    AlgorithmUnsupported,  // e.g. OAEP-SHA-256 on a token without it, host path disabled
    AliasExists,
    SequenceConflict,  // idempotency key reused with another body
    InvalidRequest,    // well-formed, but not allowed now (say why)
    ReplicaExists,     // the key's replica group already has a key in that region
    SecretNotFound,    // no such secret, version or stage visible to the caller
    SecretExists,      // a secret of that name, or a replica in that region, exists
    SecretPendingDeletion,
    SecretReadOnly,  // a write to a replica secret
    Unauthorized,
    Forbidden,
    Internal,
};

class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, std::string detail, std::string field = {})
        : std::runtime_error(detail), code_(code), field_(std::move(field)) {}

    ErrorCode code() const noexcept { return code_; }
    const std::string& field() const noexcept { return field_; }

  private:
    ErrorCode code_;
    std::string field_;
};

}  // namespace keyport
