// core::Error: the one error type of the domain layer. It carries neutral facts — a precise
// code, the input it is about (an Input, never a dialect's field name) and the limit of the
// rule that was broken where there is one — plus a detail safe to show to the client. Each
// dialect's errors file turns these into its own status, code, field names and message.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace keyport {

enum class ErrorCode {
    MalformedRequest,    // the body is not the JSON object the API takes
    InvalidParameter,    // an input is malformed or out of range (input() says which)
    MissingParameter,    // a required input is absent
    KeyNotFound,         // no such key visible to the caller
    KeyDisabled,         // key_state 3
    KeyPendingDeletion,  // key_state 4
    KeyPendingImport,    // key_state 5: no material
    KeyStateInvalid,     // the operation is not allowed in the key's state
    KeyNotExternal,      // import on a key whose origin is kms
    KeyNotMultiZone,     // replication of a key that was not created multi-zone
    UsageMismatch,       // e.g. sign with an ENCRYPT_DECRYPT key
    PlaintextTooLong,    // limit() is the most the key and algorithm take, in bytes
    CiphertextInvalid,   // not a Keyport ciphertext, altered, or not made by this key
    ImportTokenInvalid,  // malformed or not authenticated
    ImportTokenExpired,
    ImportTokenMismatch,   // issued for another key, project or region
    MaterialInvalid,       // wrapped material does not unwrap or does not match key_spec
    MaterialMismatch,      // re-import of different material
    AlgorithmUnsupported,  // e.g. OAEP-SHA-256 on a token without it, host path disabled
    AliasExists,
    SequenceConflict,      // idempotency key reused with another body
    InvalidRequest,        // well-formed, but not allowed now (say why)
    ReplicaExists,         // the key's replica group already has a key in that region
    OperationNotFound,     // no such asynchronous operation visible to the caller
    OperationInterrupted,  // the process stopped while the operation ran
    SecretNotFound,        // no such secret, version or stage visible to the caller
    SecretExists,          // a secret of that name, or a replica in that region, exists
    SecretPendingDeletion,
    MaterialNotRotatable,      // rotation of a key whose material was imported (only its owner
                               // can make new material)
    SecretReadOnly,            // a write to a replica secret
    SecretNotPendingDeletion,  // cancel of a deletion that is not scheduled
    SecretStageBuiltIn,        // removal of SYSCURRENT or SYSPREVIOUS
    KeyIsReplica,              // an operation that belongs to the replica group's primary
    KeyNotPendingDeletion,     // cancel of a key deletion that is not scheduled
    RotationAlreadyEnabled,    // automatic rotation asked to start while it runs
    RotationLimitReached,      // on-demand rotation past the caller's limit (limit() says it)
    Unauthorized,
    Forbidden,
    Internal,
};

// What a request input is, in core's words. Each dialect names it after its own field
// (Huawei `plain_text`, Exoscale and NAVER `plaintext`, …) in its errors file.
enum class Input {
    None,
    KeyId,
    KeyAlias,
    KeySpec,
    KeyUsage,
    KeyDescription,
    PendingDays,
    ListMarker,
    ListLimit,
    TagKey,
    TagValue,
    Plaintext,
    Ciphertext,
    EncryptionAlgorithm,
    EncryptionContext,
    SigningAlgorithm,
    Message,
    DataKeyLength,
    ImportToken,
    WrappedMaterial,    // the RSA-wrapped key (or temporary key) of an import
    WrappedPrivateKey,  // the KWP-wrapped PKCS#8 private key of an import
    WrappingAlgorithm,
    ExpirationTime,
    Sequence,
    TargetRegion,   // where a key or secret is to be replicated or moved
    TargetProject,  // the project that receives a replica
    Operation,
    Project,
    SecretName,     // the secret a request is about (in its path)
    NewSecretName,  // the name a new secret is to have (in its body)
    SecretStage,
    SecretString,
    SecretBinary,
    SecretDescription,
    SecretCmk,  // the CMK that protects a secret's versions
    SecretVersion,
    AliasName,              // a named alias of a key (apart from the key's own alias)
    GrantId,                // a grant on a key
    MacAlgorithm,           // the HMAC algorithm of generate-mac / verify-mac
    Mac,                    // the MAC to verify
    PeerPublicKey,          // the other party's public key of a key agreement
    KeyAgreementAlgorithm,  // e.g. ECDH
    // re-encrypt: the key, binding and algorithm of the ciphertext given (source) and of
    // the one made (destination).
    SourceKeyId,
    SourceEncryptionContext,
    SourceEncryptionAlgorithm,
    DestinationKeyId,
    DestinationEncryptionContext,
    DestinationEncryptionAlgorithm,
};

class Error : public std::runtime_error {
  public:
    // From core: `detail` never names a field. With an input it is a phrase that reads
    // after the dialect's name for it ("is too long for this key"); without one it is a
    // sentence of its own.
    Error(ErrorCode code, std::string detail, Input input = Input::None)
        : std::runtime_error(std::move(detail)), code_(code), input_(input) {}
    // From a dialect's own request parsing: it knows its field's name.
    Error(ErrorCode code, std::string detail, std::string field)
        : std::runtime_error(std::move(detail)), code_(code), field_(std::move(field)) {}

    // The most the broken rule allows (bytes, items), for the dialect to render.
    Error&& withLimit(std::uint64_t limit) && {
        limit_ = limit;
        return std::move(*this);
    }

    ErrorCode code() const noexcept { return code_; }
    Input input() const noexcept { return input_; }
    // The field named by dialect code; empty for core's errors (see input()).
    const std::string& field() const noexcept { return field_; }
    std::optional<std::uint64_t> limit() const noexcept { return limit_; }

  private:
    ErrorCode code_;
    Input input_ = Input::None;
    std::string field_;
    std::optional<std::uint64_t> limit_;
};

// Stable names for logs and persisted operation failures ("ReplicaExists").
std::string_view name(ErrorCode c);
std::optional<ErrorCode> parseErrorCode(std::string_view s);

}  // namespace keyport
